"""A payment whose answer never came is pending (never failed, never resent). A result notification is a claim:
matched to the ledger, held, and only then allowed to settle it; one that disagrees freezes the payment for a
person. Both readings of the spec are run: a gateway that notifies after the app's rt=1 calls, and one that
(as the spec describes) notifies only after rt=0 calls, where nothing but a person settles a lost answer."""

from __future__ import annotations

import logging

import pytest

from robotpayment_app.flows import kickback
from robotpayment_app.gateway import GatewayTimeouts
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.records import JobType, LedgerStatus, NotificationState, SettledBy
from tests.flows_cards.support import CardOwner
from tests.flows_payments.claims import (
    acknowledged,
    entry_of,
    notification,
    reported,
    send_kickback,
    sent_payment,
    unknown_payment,
)
from tests.flows_payments.support import (
    EMAIL,
    USER_ID,
    Checkout,
    Transaction,
    action_payload,
    deliver,
    pay_with_new_card,
    process_payload,
)
from tests.support.app_harness import AppHarness

DROPPED_AFTER_CHARGING = "4000000000000978"
HOLD_SECONDS = 60  # the default notification_hold


async def _notifications(harness: AppHarness) -> list[tuple[NotificationState, str | None]]:
    logged = await harness.services.store.kickbacks.list_recent(harness.installation.id)
    return [(n.state, n.outcome) for n in reversed(logged)]


# ---- a lost answer, with and without a notification after rt=1 -------------------------------------------------


async def test_a_lost_answer_stays_pending_until_a_held_notification_or_a_person_settles_it(
    either_gateway: AppHarness,
) -> None:
    harness = either_gateway
    await harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()

    answer = await pay_with_new_card(harness, checkout, transaction, card=DROPPED_AFTER_CHARGING)

    assert answer["result"] == "CHARGE_REQUEST"
    assert answer["pspReference"] == transaction.token  # the cod: the gid never arrived
    assert answer["data"]["error"]["code"] == "PAYMENT_PENDING"
    await harness.sandbox.kickbacks.wait_idle()
    [payment] = harness.sandbox.payments()  # charged at the gateway
    notified = harness.sandbox.config.kickback_for_rt1
    assert len(harness.sandbox.kickbacks.deliveries) == (1 if notified else 0)
    assert (await entry_of(harness, transaction)).status is LedgerStatus.UNKNOWN  # held, or nothing came
    assert reported(harness) == []

    harness.pass_time(HOLD_SECONDS + 1)
    await harness.run_watch()

    entry = await entry_of(harness, transaction)
    transaction.psp_reference = transaction.token
    processed = await deliver(harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout))
    if not notified:
        # the spec promises no notification after rt=1: the payment waits for a person (test_resolution.py)
        assert (entry.status, entry.settled_by) == (LedgerStatus.UNKNOWN, None)
        assert [e.id for e in await harness.services.store.settlements.needing_attention()] == [entry.id]
        assert processed["result"] == "CHARGE_REQUEST"
        assert reported(harness) == []
        return
    assert (entry.status, entry.settled_by, entry.psp_reference) == (
        LedgerStatus.SUCCEEDED,
        SettledBy.NOTIFICATION,
        str(payment.gid),
    )
    assert reported(harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]
    [report] = [event["variables"] for event in harness.saleor.reported_events]
    assert report["id"] == transaction.id and report["availableActions"] == ["REFUND"]
    assert "result notification" in report["message"]  # marked as settled by a claim, not by the answer
    assert processed["result"] == "CHARGE_SUCCESS"
    assert processed["pspReference"] == transaction.token  # the reference Saleor already has: no second charge
    assert processed["data"]["gid"] == str(payment.gid)
    assert await harness.services.store.settlements.needing_attention() == []


async def test_a_lost_save_and_pay_answer_settled_by_its_notification_keeps_the_card(
    notifying_gateway: AppHarness,
) -> None:
    """The shopper's first saved card is registered with the charge (bulk registration): when its answer is lost,
    the notification names the uid and num, the key is read from the gateway, and the card is kept."""
    harness = notifying_gateway
    await harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=USER_ID), Transaction()

    answer = await pay_with_new_card(harness, checkout, transaction, card=DROPPED_AFTER_CHARGING, save_card=True)

    assert answer["result"] == "CHARGE_REQUEST"
    await harness.sandbox.kickbacks.wait_idle()
    harness.pass_time(HOLD_SECONDS + 1)
    await harness.run_watch()
    entry = await entry_of(harness, transaction)
    assert (entry.status, entry.settled_by) == (LedgerStatus.SUCCEEDED, SettledBy.NOTIFICATION)
    assert (entry.saleor_user_id, entry.channel_slug) == (USER_ID, checkout.channel)
    store = harness.services.store
    customer = await store.customers.get_by_user(harness.installation.id, "000000", USER_ID)
    assert customer is not None
    gateway_customer = harness.sandbox.customer(customer.gateway_customer_id)
    assert gateway_customer is not None and customer.gateway_key.get_secret_value() == gateway_customer.key
    [card] = await store.cards.list_for_user(harness.installation.id, "000000", USER_ID)
    assert card.last4 == DROPPED_AFTER_CHARGING[-4:]
    listed = await CardOwner(harness, USER_ID, EMAIL).list_cards()
    assert [method["id"] for method in listed] == [card.public_id]


async def test_a_timed_out_authorization_is_settled_by_its_notification_and_capturable(
    notifying_gateway: AppHarness,
) -> None:
    harness = notifying_gateway
    await harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"
    harness.services.gateway_timeouts = GatewayTimeouts(connect=0.5, read=0.5, write=0.5, pool=0.5, total=0.5)
    harness.sandbox.faults.add(Fault(endpoint="gateway_token.aspx", mode=FaultMode.SLOW, delay_seconds=30))
    checkout, transaction = Checkout(user_id=None, flow="AUTHORIZATION"), Transaction()

    answer = await pay_with_new_card(harness, checkout, transaction)

    assert answer["result"] == "AUTHORIZATION_REQUEST"
    await harness.sandbox.kickbacks.wait_idle()
    harness.pass_time(HOLD_SECONDS + 1)
    await harness.run_watch()
    [payment] = harness.sandbox.payments()
    [report] = [event["variables"] for event in harness.saleor.reported_events]
    assert (report["type"], report["availableActions"]) == ("AUTHORIZATION_SUCCESS", ["CHARGE", "CANCEL"])
    capture = await deliver(
        harness,
        SaleorEvent.TRANSACTION_CHARGE_REQUESTED,
        action_payload(transaction.id, transaction.token, "CHARGE", 3500.0, authorized=3500.0),
    )
    assert capture["result"] == "CHARGE_SUCCESS"
    assert harness.sandbox.payment(payment.gid).state.value == "SALES"


async def test_pending_answer_is_stable_until_the_payment_is_settled(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction, checkout = Transaction(), Checkout(user_id=None)
    await unknown_payment(app_harness, transaction)
    transaction.psp_reference = transaction.token

    first = await deliver(app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout))
    again = await deliver(app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout))

    assert first["result"] == again["result"] == "CHARGE_REQUEST"
    assert first["pspReference"] == transaction.token


# ---- claims: matched, held, settled once --------------------------------------------------------------------------


async def test_a_matching_claim_is_held_then_settles_the_payment_once(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    entry = await unknown_payment(app_harness, transaction)

    await acknowledged(app_harness, notification("10000078", transaction.token))
    await acknowledged(app_harness, notification("10000078", transaction.token))  # delivered twice: one claim

    assert (await entry_of(app_harness, transaction)).status is LedgerStatus.UNKNOWN
    assert [state for state, _ in await _notifications(app_harness)] == [NotificationState.HELD]
    assert (await app_harness.run_watch()).settled == []  # the hold has not passed
    app_harness.pass_time(HOLD_SECONDS + 1)
    first_round = await app_harness.run_watch()
    second_round = await app_harness.run_watch()

    assert len(first_round.settled) == 1 and second_round.settled == []
    settled = await entry_of(app_harness, transaction)
    assert (settled.id, settled.status, settled.psp_reference) == (entry.id, LedgerStatus.SUCCEEDED, "10000078")
    assert settled.settled_by is SettledBy.NOTIFICATION and settled.claim_id is not None
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]
    assert [state for state, _ in await _notifications(app_harness)] == [NotificationState.APPLIED]


async def test_with_no_hold_a_matching_claim_settles_at_once(app_harness: AppHarness) -> None:
    from datetime import timedelta

    from robotpayment_app.flows.context import SettlementPolicy

    app_harness.services.settlement_policy = SettlementPolicy(notification_hold=timedelta(0))
    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)

    await acknowledged(app_harness, notification("10000079", transaction.token, rst="2"))

    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.settled_by, entry.error_code) == (
        LedgerStatus.DECLINED,
        SettledBy.NOTIFICATION,
        "ER030",
    )
    assert reported(app_harness) == [("CHARGE_FAILURE", transaction.token, 3500)]


async def test_kickback_to_an_unknown_secret_changes_nothing(app_harness: AppHarness) -> None:
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)

    await acknowledged(app_harness, notification("999", transaction.token), secret="not-the-secret")

    assert (await entry_of(app_harness, transaction)).status is LedgerStatus.UNKNOWN
    assert await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id) == []
    assert app_harness.saleor.reported_events == []


async def test_kickback_for_a_payment_the_app_does_not_know_changes_nothing(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)

    await acknowledged(app_harness, notification("777", "some-other-order"))
    app_harness.pass_time(HOLD_SECONDS + 1)
    await app_harness.run_watch()

    assert (await entry_of(app_harness, transaction)).status is LedgerStatus.UNKNOWN
    [logged] = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert (logged.matched, logged.state, logged.outcome) == (False, NotificationState.IGNORED, "unknown_payment")
    assert app_harness.saleor.reported_events == []


# ---- conflicts: the payment is frozen for a person ---------------------------------------------------------------


async def test_a_claim_with_other_amounts_freezes_the_payment_and_a_matching_one_cannot_settle_it_after(
    app_harness: AppHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """The attack: a wrong amount is refused, then the sender retries with the right one under another gid."""
    await app_harness.configure_channel()
    transaction = Transaction()
    entry = await unknown_payment(app_harness, transaction)

    with caplog.at_level(logging.WARNING):
        await acknowledged(app_harness, notification("10000077", transaction.token, amount=100))
        await acknowledged(app_harness, notification("10000078", transaction.token))
    app_harness.pass_time(HOLD_SECONDS + 1)
    await app_harness.run_watch()

    frozen = await entry_of(app_harness, transaction)
    assert (frozen.status, frozen.psp_reference, frozen.settled_by) == (LedgerStatus.UNKNOWN, None, None)
    assert frozen.conflict_at is not None and "other amounts" in (frozen.conflict_reason or "")
    assert app_harness.saleor.reported_events == []
    assert [state for state, _ in await _notifications(app_harness)] == [NotificationState.CONFLICT] * 2
    told = [record.getMessage() for record in caplog.records if "frozen in conflict" in record.getMessage()]
    assert len(told) == 1 and f"payments resolve {entry.id}" in told[0]
    assert [e.id for e in await app_harness.services.store.settlements.needing_attention()] == [entry.id]


async def test_a_second_claim_with_another_gid_within_the_hold_freezes_the_payment_before_anything_is_paid(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)

    await acknowledged(app_harness, notification("10000080", transaction.token))
    await acknowledged(app_harness, notification("10000081", transaction.token))
    app_harness.pass_time(HOLD_SECONDS + 1)
    await app_harness.run_watch()

    entry = await entry_of(app_harness, transaction)
    assert entry.status is LedgerStatus.UNKNOWN and entry.conflict_at is not None
    assert "first notification" in (entry.conflict_reason or "")
    assert app_harness.saleor.reported_events == []


async def test_a_contradicting_claim_after_settlement_freezes_but_reports_nothing_more(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)
    await acknowledged(app_harness, notification("10000082", transaction.token))
    app_harness.pass_time(HOLD_SECONDS + 1)
    await app_harness.run_watch()
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]

    await acknowledged(app_harness, notification("10000082", transaction.token, rst="2"))
    await app_harness.run_watch()

    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.settled_by) == (LedgerStatus.SUCCEEDED, SettledBy.NOTIFICATION)
    assert entry.conflict_at is not None
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]  # nothing more
    assert [e.id for e in await app_harness.services.store.settlements.needing_attention()] == [entry.id]


async def test_a_claim_contradicting_the_gateways_own_answer_is_flagged_and_changes_nothing(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    answer = await pay_with_new_card(app_harness, Checkout(user_id=None), transaction)
    gid = answer["pspReference"]

    await acknowledged(app_harness, notification(gid, transaction.token, rst="2"))

    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.settled_by) == (LedgerStatus.SUCCEEDED, SettledBy.ANSWER)
    assert entry.conflict_at is not None and "failure" in (entry.conflict_reason or "")
    assert app_harness.saleor.reported_events == []


async def test_a_claim_agreeing_with_the_gateways_answer_is_confirmed(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    answer = await pay_with_new_card(app_harness, Checkout(user_id=None), transaction)

    await acknowledged(app_harness, notification(answer["pspReference"], transaction.token))

    entry = await entry_of(app_harness, transaction)
    assert entry.conflict_at is None and entry.settled_by is SettledBy.ANSWER
    [(state, outcome)] = await _notifications(app_harness)
    assert state is NotificationState.CONFIRMED and "gateway's answer" in (outcome or "")
    assert app_harness.saleor.reported_events == []


# ---- in flight, crashes, redeliveries -----------------------------------------------------------------------------


async def test_a_claim_for_a_payment_in_flight_waits_for_its_answer_and_agrees_with_it(
    app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kickback, "KICKBACK_WAIT_SECONDS", 0.2)
    await app_harness.configure_channel()
    transaction = Transaction()
    entry = await sent_payment(app_harness, transaction)

    await acknowledged(app_harness, notification("10000090", transaction.token))
    assert (await entry_of(app_harness, transaction)).status is LedgerStatus.PENDING
    [(state, _)] = await _notifications(app_harness)
    assert state is NotificationState.HELD  # the request may still get its answer

    await app_harness.services.store.ledger.complete(entry.id, status=LedgerStatus.SUCCEEDED, psp_reference="10000090")
    await app_harness.run_watch()
    [(state, _)] = await _notifications(app_harness)
    assert state is NotificationState.CONFIRMED
    assert app_harness.saleor.reported_events == []  # the request's own answer told Saleor


async def test_a_claim_for_a_payment_left_pending_by_a_dead_process_settles_it_after_the_hold(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await sent_payment(app_harness, transaction)
    app_harness.pass_time(120)  # the process that sent it is long gone

    await acknowledged(app_harness, notification("10000091", transaction.token))
    app_harness.pass_time(HOLD_SECONDS + 1)
    await app_harness.run_watch()

    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.psp_reference) == (LedgerStatus.SUCCEEDED, "10000091")
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]


async def test_processing_that_failed_answers_5xx_and_the_redelivery_processes_it_once(
    app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)
    settlements = app_harness.services.store.settlements
    attach = settlements.attach_claim
    failures = [RuntimeError("database went away")]

    async def failing_once(entry_id: int, notification_id: int) -> bool:
        if failures:
            raise failures.pop()
        return await attach(entry_id, notification_id)

    monkeypatch.setattr(settlements, "attach_claim", failing_once)
    first = await send_kickback(app_harness, notification("10000092", transaction.token))
    assert (first.status_code, first.text) == (500, "")  # an empty body: the gateway delivers it again
    [logged] = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert (logged.state, logged.processed_at) == (NotificationState.RECEIVED, None)

    await acknowledged(app_harness, notification("10000092", transaction.token))
    await acknowledged(app_harness, notification("10000092", transaction.token))
    app_harness.pass_time(HOLD_SECONDS + 1)
    await app_harness.run_watch()

    assert (await entry_of(app_harness, transaction)).psp_reference == "10000092"
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]


async def test_a_settlement_saleor_could_not_take_is_told_again_until_it_does(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)
    await acknowledged(app_harness, notification("10000093", transaction.token))
    app_harness.saleor.unavailable = True
    app_harness.pass_time(HOLD_SECONDS + 1)

    await app_harness.run_watch()
    entry = await entry_of(app_harness, transaction)
    assert entry.status is LedgerStatus.SUCCEEDED and entry.report_pending
    app_harness.saleor.unavailable = False
    assert (await app_harness.run_watch()).reported == [entry.id]
    assert (await app_harness.run_watch()).reported == []

    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]
    assert not (await entry_of(app_harness, transaction)).report_pending


# ---- what is no notification -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "rst=9",
        "gid=" + "9" * 10_000 + "&rst=1&cod=x",
        "gid=1&rst=1&am=1e20",
        "gid=1&rst=1&am=" + "9" * 30,
        "gid=1&rst=2&ec=%00",  # a NUL fits no PostgreSQL text: it was a 500, redelivered for ever
        "gid=1&rst=1&cod=%92%8D%95%B6",  # Shift_JIS, not UTF-8
    ],
    ids=["bad rst", "10,000-digit gid", "am=1e20", "30-digit amount", "NUL in ec", "Shift_JIS cod"],
)
async def test_malformed_notifications_are_acknowledged_with_one_warning_and_no_traceback(
    app_harness: AppHarness, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    with caplog.at_level(logging.DEBUG, logger="robotpayment_app"):
        response = await app_harness.client.get(f"/api/kickback/{app_harness.installation.kickback_secret}?{query}")

    assert (response.status_code, response.text) == (200, "ok")
    assert await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id) == []
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("robotpayment_app")]
    assert len(warnings) == 1 and "kickback ignored" in warnings[0].getMessage()
    assert warnings[0].exc_info is None and len(warnings[0].getMessage()) < 300

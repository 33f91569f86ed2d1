"""A payment whose answer never came is pending (never failed, never resent) until the gateway's kickback
settles it; a kickback that does not match the app's own record changes nothing; the route always answers a
non-empty body."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from robotpayment_app.flows import kickback
from robotpayment_app.gateway import GatewayTimeouts
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.ledger import request_fingerprint
from robotpayment_app.store.records import JobType, LedgerEntry, LedgerIntent, LedgerKind, LedgerStatus
from tests.flows_cards.support import CardOwner
from tests.flows_payments.conftest import GatewayNetwork
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


async def _entry(harness: AppHarness, transaction: Transaction) -> LedgerEntry:
    entry = await harness.services.store.ledger.find_by_dedup_key(
        harness.installation.id, "initialize:" + transaction.id
    )
    assert entry is not None
    return entry


async def test_lost_answer_is_pending_then_settled_by_the_kickback(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()

    answer = await pay_with_new_card(app_harness, checkout, transaction, card=DROPPED_AFTER_CHARGING)

    assert answer["result"] == "CHARGE_REQUEST"
    assert answer["pspReference"] == transaction.token  # the cod: the gid never arrived
    assert answer["data"]["error"]["code"] == "PAYMENT_PENDING"
    await app_harness.sandbox.kickbacks.wait_idle()
    [payment] = app_harness.sandbox.payments()
    entry = await _entry(app_harness, transaction)
    assert entry.status is LedgerStatus.SUCCEEDED and entry.psp_reference == str(payment.gid)
    [report] = [event["variables"] for event in app_harness.saleor.reported_events]
    assert (report["id"], report["type"], report["pspReference"], report["amount"]) == (
        transaction.id,
        "CHARGE_SUCCESS",
        transaction.token,
        3500,
    )
    assert report["availableActions"] == ["REFUND"]
    assert network.calls["gateway_token.aspx"] == 1  # never resent
    transaction.psp_reference = transaction.token
    processed = await deliver(
        app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout)
    )
    assert processed["result"] == "CHARGE_SUCCESS"
    assert processed["pspReference"] == transaction.token  # the reference Saleor already has: no second charge
    assert processed["data"]["gid"] == str(payment.gid)


async def test_a_lost_save_and_pay_answer_settled_by_the_kickback_keeps_the_card(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    """The shopper's first saved card is registered with the charge (bulk registration): when its answer is lost,
    the kickback carries the uid, key and num, and the card is kept as the answer would have kept it."""
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=USER_ID), Transaction()

    answer = await pay_with_new_card(app_harness, checkout, transaction, card=DROPPED_AFTER_CHARGING, save_card=True)

    assert answer["result"] == "CHARGE_REQUEST"
    await app_harness.sandbox.kickbacks.wait_idle()
    entry = await _entry(app_harness, transaction)
    assert entry.status is LedgerStatus.SUCCEEDED
    assert (entry.saleor_user_id, entry.channel_slug) == (USER_ID, checkout.channel)
    store = app_harness.services.store
    customer = await store.customers.get_by_user(app_harness.installation.id, "000000", USER_ID)
    assert customer is not None
    [card] = await store.cards.list_for_user(app_harness.installation.id, "000000", USER_ID)
    assert card.last4 == DROPPED_AFTER_CHARGING[-4:]
    listed = await CardOwner(app_harness, USER_ID, EMAIL).list_cards()
    assert [method["id"] for method in listed] == [card.public_id]


async def test_timeout_after_sending_an_authorization_is_pending_then_settled_and_capturable(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.AUTH)
    app_harness.services.gateway_timeouts = GatewayTimeouts(connect=0.5, read=0.5, write=0.5, pool=0.5, total=0.5)
    app_harness.sandbox.faults.add(Fault(endpoint="gateway_token.aspx", mode=FaultMode.SLOW, delay_seconds=30))
    checkout, transaction = Checkout(user_id=None), Transaction()

    answer = await pay_with_new_card(app_harness, checkout, transaction)

    assert answer["result"] == "AUTHORIZATION_REQUEST"
    await app_harness.sandbox.kickbacks.wait_idle()
    [payment] = app_harness.sandbox.payments()
    [report] = [event["variables"] for event in app_harness.saleor.reported_events]
    assert (report["type"], report["availableActions"]) == ("AUTHORIZATION_SUCCESS", ["CHARGE", "CANCEL"])
    capture = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_CHARGE_REQUESTED,
        action_payload(transaction.id, transaction.token, "CHARGE", 3500.0, authorized=3500.0),
    )
    assert capture["result"] == "CHARGE_SUCCESS"
    assert app_harness.sandbox.payment(payment.gid).state.value == "SALES"


async def test_pending_answer_is_stable_until_a_kickback_comes(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction, checkout = Transaction(), Checkout(user_id=None)
    await _unknown_payment(app_harness, transaction)
    transaction.psp_reference = transaction.token

    first = await deliver(app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout))
    again = await deliver(app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout))

    assert first["result"] == again["result"] == "CHARGE_REQUEST"
    assert first["pspReference"] == transaction.token


# ---- forged and mismatched notifications -------------------------------------------------------------------


async def _unknown_payment(harness: AppHarness, transaction: Transaction) -> LedgerEntry:
    """A payment whose answer was lost (as a timeout leaves it), without any gateway behind it."""
    ledger = harness.services.store.ledger
    begun = await ledger.begin(
        harness.installation.id,
        "initialize:" + transaction.id,
        request_fingerprint({"test": transaction.id}),
        LedgerIntent(
            kind=LedgerKind.PAYMENT,
            saleor_transaction_id=transaction.id,
            shop_order_code=transaction.token,
            amount=3500,
            tax_amount=0,
            shipping_amount=0,
            currency="JPY",
            job_type="CAPTURE",
        ),
    )
    await ledger.mark_sent(begun.entry.id)
    return await ledger.mark_unknown(begun.entry.id, failure_reason="test: answer lost")


def _notification(gid: str, cod: str, amount: int = 3500, rst: str = "1") -> dict[str, str]:
    return {
        "gid": gid,
        "rst": rst,
        "ap": "0001112",
        "ec": "",
        "god": "50000001",
        "cod": cod,
        "am": str(amount),
        "tx": "0",
        "sf": "0",
        "ta": str(amount),
    }


async def _kickback(harness: AppHarness, params: dict[str, str], secret: str | None = None) -> str:
    path = f"/api/kickback/{secret or harness.installation.kickback_secret}?{urlencode(params)}"
    response = await harness.client.get(path)
    assert response.status_code == 200
    assert response.text  # the gateway counts an empty body as a failed delivery
    return response.text


async def test_kickback_to_an_unknown_secret_changes_nothing(app_harness: AppHarness) -> None:
    transaction = Transaction()
    entry = await _unknown_payment(app_harness, transaction)

    assert await _kickback(app_harness, _notification("999", transaction.token), secret="not-the-secret") == "ok"

    assert (await _entry(app_harness, transaction)).status is LedgerStatus.UNKNOWN
    assert await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id) == []
    assert app_harness.saleor.reported_events == []
    assert entry.status is LedgerStatus.UNKNOWN


async def test_kickback_for_a_payment_the_app_does_not_know_changes_nothing(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await _unknown_payment(app_harness, transaction)

    await _kickback(app_harness, _notification("777", "some-other-order"))

    assert (await _entry(app_harness, transaction)).status is LedgerStatus.UNKNOWN
    [logged] = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert (logged.matched, logged.outcome) == (False, "unknown_payment")
    assert app_harness.saleor.reported_events == []


async def test_kickback_with_other_amounts_changes_nothing_and_a_matching_one_settles(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    transaction = Transaction()
    await _unknown_payment(app_harness, transaction)

    await _kickback(app_harness, _notification("10000077", transaction.token, amount=100))
    assert (await _entry(app_harness, transaction)).status is LedgerStatus.UNKNOWN
    assert app_harness.saleor.reported_events == []

    await _kickback(app_harness, _notification("10000078", transaction.token))
    await _kickback(app_harness, _notification("10000078", transaction.token))  # delivered twice: processed once

    entry = await _entry(app_harness, transaction)
    assert entry.status is LedgerStatus.SUCCEEDED and entry.psp_reference == "10000078"
    assert [event["variables"]["type"] for event in app_harness.saleor.reported_events] == ["CHARGE_SUCCESS"]
    outcomes = [n.outcome for n in await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)]
    assert sorted(outcomes) == ["mismatch:amount", "resolved"]


async def test_kickback_contradicting_a_settled_payment_changes_nothing(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    answer = await pay_with_new_card(app_harness, Checkout(user_id=None), transaction)
    await app_harness.sandbox.kickbacks.wait_idle()
    gid = answer["pspReference"]

    await _kickback(app_harness, _notification(gid, transaction.token, rst="2"))

    entry = await _entry(app_harness, transaction)
    assert entry.status is LedgerStatus.SUCCEEDED
    assert app_harness.saleor.reported_events == []
    outcomes = {n.outcome for n in await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)}
    assert outcomes == {"settled", "disagrees"}  # the gateway's own (rst=1) agreed; the forged one did not


async def test_unparseable_kickback_is_acknowledged_and_ignored(app_harness: AppHarness) -> None:
    response = await app_harness.client.get(f"/api/kickback/{app_harness.installation.kickback_secret}?rst=9")
    assert (response.status_code, response.text) == (200, "ok")
    assert await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id) == []


async def test_kickback_for_a_payment_still_in_flight_is_processed_again_when_redelivered(
    app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kickback, "KICKBACK_WAIT_SECONDS", 0.2)
    await app_harness.configure_channel()
    transaction = Transaction()
    ledger = app_harness.services.store.ledger
    begun = await ledger.begin(
        app_harness.installation.id,
        "initialize:" + transaction.id,
        request_fingerprint({"test": transaction.id}),
        LedgerIntent(
            kind=LedgerKind.PAYMENT,
            saleor_transaction_id=transaction.id,
            shop_order_code=transaction.token,
            amount=3500,
            tax_amount=0,
            shipping_amount=0,
            currency="JPY",
            job_type="CAPTURE",
        ),
    )
    await ledger.mark_sent(begun.entry.id)  # the request is waiting for the gateway's answer
    notification = _notification("10000090", transaction.token)

    await _kickback(app_harness, notification)
    assert (await _entry(app_harness, transaction)).status is LedgerStatus.PENDING
    await ledger.mark_unknown(begun.entry.id, failure_reason="test: the request timed out")
    await _kickback(app_harness, notification)

    entry = await _entry(app_harness, transaction)
    assert entry.status is LedgerStatus.SUCCEEDED and entry.psp_reference == "10000090"
    assert [event["variables"]["type"] for event in app_harness.saleor.reported_events] == ["CHARGE_SUCCESS"]


async def test_kickback_arriving_while_the_payment_answer_is_recorded_still_matches(
    app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by the demo under load: the gid lookup missed the row (answer not yet recorded), then the answer was
    recorded before the cod lookup of unresolved rows, and a genuine kickback was logged as an unknown payment."""
    await app_harness.configure_channel()
    transaction = Transaction()
    ledger = app_harness.services.store.ledger
    begun = await ledger.begin(
        app_harness.installation.id,
        "initialize:" + transaction.id,
        request_fingerprint({"test": transaction.id}),
        LedgerIntent(
            kind=LedgerKind.PAYMENT,
            saleor_transaction_id=transaction.id,
            shop_order_code=transaction.token,
            amount=3500,
            tax_amount=0,
            shipping_amount=0,
            currency="JPY",
            job_type="CAPTURE",
        ),
    )
    await ledger.mark_sent(begun.entry.id)
    list_unresolved = ledger.list_unresolved

    async def answer_lands_first(**kwargs):  # type: ignore[no-untyped-def]
        await ledger.complete(begun.entry.id, status=LedgerStatus.SUCCEEDED, psp_reference="10000095")
        return await list_unresolved(**kwargs)

    monkeypatch.setattr(ledger, "list_unresolved", answer_lands_first)
    await _kickback(app_harness, _notification("10000095", transaction.token))

    [logged] = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert (logged.matched, logged.outcome, logged.payment_id) == (True, "settled", begun.entry.id)
    assert app_harness.saleor.reported_events == []  # the request's own answer tells Saleor; nothing to report

"""Forged and abusive result notifications against a payment whose outcome is unknown (the one case a notification
may settle): the attack of the money-truth issue (a payment dropped before the gateway processed it, then forged
claims under invented gids), many copies at once, another installation's URL, and claims that do not match.
Without the secret nothing happens; with it, a claim is only held, and any contradiction freezes the payment
before anything is reported.

(tests/flows_payments/test_pending_and_kickbacks.py covers the single cases; tests/abuse/test_fuzz.py sends
random queries.)
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr

from robotpayment_app.store.records import JobType, LedgerStatus, NotificationState
from tests.abuse.support import state_of
from tests.flows_payments.claims import entry_of, notification, reported, unknown_payment
from tests.flows_payments.support import Checkout, Transaction, pay_with_new_card
from tests.support.app_harness import AppHarness

DROPPED_BEFORE_PROCESSING = "4000000000000986"
HOLD_SECONDS = 60


async def _kickback(harness: AppHarness, secret: str, params: dict[str, str]) -> tuple[int, str]:
    response = await harness.client.get(f"/api/kickback/{secret}?{urlencode(params)}")
    return response.status_code, response.text


async def _after_the_hold(harness: AppHarness) -> None:
    harness.pass_time(HOLD_SECONDS + 1)
    await harness.run_watch()
    await harness.run_watch()


async def test_forged_claims_for_a_payment_the_gateway_never_processed_never_pay_it(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()
    answer = await pay_with_new_card(app_harness, checkout, transaction, card=DROPPED_BEFORE_PROCESSING)
    assert answer["result"] == "CHARGE_REQUEST" and app_harness.sandbox.payments() == []
    forged = notification("99999999", transaction.token, amount=3500)  # the checkout's amount, an invented gid

    # without the secret (a guessed one, or the URL before a rotation): nothing at all
    assert await _kickback(app_harness, "a" * 32, forged) == (200, "ok")
    assert await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id) == []

    # with the secret: 20 claims at once under invented gids, the right amounts in each
    claims = [{**forged, "gid": str(99999000 + n)} for n in range(20)]
    answers = await asyncio.gather(
        *(_kickback(app_harness, app_harness.installation.kickback_secret, c) for c in claims)
    )
    assert answers == [(200, "ok")] * 20
    await _after_the_hold(app_harness)

    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.psp_reference, entry.settled_by) == (LedgerStatus.UNKNOWN, None, None)
    assert entry.conflict_at is not None  # frozen for a person
    assert app_harness.saleor.reported_events == []  # Saleor never heard "paid"
    states = {n.state for n in await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)}
    assert states == {NotificationState.CONFLICT}


async def test_a_second_conflicting_claim_after_a_first_settled_freezes_the_payment(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)
    secret = app_harness.installation.kickback_secret
    assert await _kickback(app_harness, secret, notification("20000010", transaction.token)) == (200, "ok")
    await _after_the_hold(app_harness)

    assert await _kickback(app_harness, secret, notification("20000011", transaction.token)) == (200, "ok")
    await _after_the_hold(app_harness)

    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.psp_reference) == (LedgerStatus.SUCCEEDED, "20000010")
    assert entry.conflict_at is not None
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]  # nothing more reported


async def test_a_notification_delivered_many_times_at_once_settles_the_payment_once(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    entry = await unknown_payment(app_harness, transaction)
    secret = app_harness.installation.kickback_secret

    answers = await asyncio.gather(
        *(_kickback(app_harness, secret, notification("20000001", transaction.token)) for _ in range(12))
    )
    await _after_the_hold(app_harness)

    assert answers == [(200, "ok")] * 12
    settled = await app_harness.services.store.ledger.get(entry.id)
    assert settled is not None and (settled.status, settled.psp_reference) == (LedgerStatus.SUCCEEDED, "20000001")
    assert settled.conflict_at is None
    assert [event["variables"]["type"] for event in app_harness.saleor.reported_events] == ["CHARGE_SUCCESS"]
    logged = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert [notification.state for notification in logged] == [NotificationState.APPLIED]


async def test_another_installations_kickback_url_cannot_settle_this_installations_payment(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    entry = await unknown_payment(app_harness, transaction)
    other = await app_harness.services.store.installations.upsert(
        saleor_api_url="https://other-shop.example.com/graphql/",
        domain="other-shop.example.com",
        app_id="QXBwOjk5",
        app_token=SecretStr("other-shop-token"),
        jwks=None,
    )
    before = await state_of(app_harness)

    answer = await _kickback(app_harness, other.kickback_secret, notification("20000002", transaction.token))
    await _after_the_hold(app_harness)

    assert answer == (200, "ok")
    unchanged = await app_harness.services.store.ledger.get(entry.id)
    assert unchanged is not None and unchanged.status is LedgerStatus.UNKNOWN and unchanged.conflict_at is None
    assert app_harness.saleor.reported_events == []
    after = await state_of(app_harness)
    assert after[f"ledger:{app_harness.installation.id}"] == before[f"ledger:{app_harness.installation.id}"]
    [logged] = await app_harness.services.store.kickbacks.list_recent(other.id)
    assert (logged.matched, logged.outcome) == (False, "unknown_payment")


@pytest.mark.parametrize(
    ("forged", "freezes"),
    [
        ({"am": "3000", "tx": "500"}, True),  # the same total, split otherwise
        ({"am": "0", "sf": "3500"}, True),
        ({"aid": "999999"}, True),  # another store
        ({"cod": "another-order-code"}, False),  # about no payment of this app
        ({"am": "-3500"}, False),  # not a notification at all, from here down
        ({"am": "３５００"}, False),  # full-width digits
        ({"am": "99999999999999999999999"}, False),
        ({"rst": "9"}, False),
        ({"gid": "abc"}, False),
        ({"aid": "12"}, False),
    ],
    ids=[
        "tax split",
        "shipping split",
        "other aid",
        "other cod",
        "negative",
        "full-width",
        "huge",
        "bad rst",
        "bad gid",
        "bad aid",
    ],
)
async def test_notifications_that_do_not_match_settle_nothing(
    app_harness: AppHarness, forged: dict[str, str], freezes: bool
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    entry = await unknown_payment(app_harness, transaction)
    params = {**notification("20000003", transaction.token), **forged}

    answer = await _kickback(app_harness, app_harness.installation.kickback_secret, params)
    await _after_the_hold(app_harness)

    assert answer == (200, "ok")
    unchanged = await app_harness.services.store.ledger.get(entry.id)
    assert unchanged is not None and (unchanged.status, unchanged.psp_reference) == (LedgerStatus.UNKNOWN, None)
    assert (unchanged.conflict_at is not None) is freezes
    assert app_harness.saleor.reported_events == []

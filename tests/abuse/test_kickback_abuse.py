"""Forged and abusive result notifications against a payment whose outcome is unknown (the one case a kickback
may settle): the same notification delivered many times at once, one sent to another installation's URL, and
copies whose order code or amounts do not match. Only the one genuine notification settles it, once.

(tests/flows_payments/test_pending_and_kickbacks.py covers the unknown secret, unknown gid, other amounts,
contradictions and sequential duplicates; tests/abuse/test_fuzz.py sends random queries.)
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import pytest
from pydantic import SecretStr

from robotpayment_app.store.records import JobType, LedgerStatus
from tests.abuse.support import state_of
from tests.flows_payments.support import Transaction
from tests.flows_payments.test_pending_and_kickbacks import _notification, _unknown_payment
from tests.support.app_harness import AppHarness


async def _kickback(harness: AppHarness, secret: str, params: dict[str, str]) -> tuple[int, str]:
    response = await harness.client.get(f"/api/kickback/{secret}?{urlencode(params)}")
    return response.status_code, response.text


async def test_a_notification_delivered_many_times_at_once_settles_the_payment_once(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    entry = await _unknown_payment(app_harness, transaction)
    secret = app_harness.installation.kickback_secret

    answers = await asyncio.gather(
        *(_kickback(app_harness, secret, _notification("20000001", transaction.token)) for _ in range(12))
    )

    assert answers == [(200, "ok")] * 12
    settled = await app_harness.services.store.ledger.get(entry.id)
    assert settled is not None and (settled.status, settled.psp_reference) == (LedgerStatus.SUCCEEDED, "20000001")
    assert [event["variables"]["type"] for event in app_harness.saleor.reported_events] == ["CHARGE_SUCCESS"]
    logged = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert [notification.outcome for notification in logged] == ["resolved"]


async def test_another_installations_kickback_url_cannot_settle_this_installations_payment(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    entry = await _unknown_payment(app_harness, transaction)
    other = await app_harness.services.store.installations.upsert(
        saleor_api_url="https://other-shop.example.com/graphql/",
        domain="other-shop.example.com",
        app_id="QXBwOjk5",
        app_token=SecretStr("other-shop-token"),
        jwks=None,
    )
    before = await state_of(app_harness)

    answer = await _kickback(app_harness, other.kickback_secret, _notification("20000002", transaction.token))

    assert answer == (200, "ok")
    unchanged = await app_harness.services.store.ledger.get(entry.id)
    assert unchanged is not None and unchanged.status is LedgerStatus.UNKNOWN
    assert app_harness.saleor.reported_events == []
    after = await state_of(app_harness)
    assert after[f"ledger:{app_harness.installation.id}"] == before[f"ledger:{app_harness.installation.id}"]
    [logged] = await app_harness.services.store.kickbacks.list_recent(other.id)
    assert (logged.matched, logged.outcome) == (False, "unknown_payment")


@pytest.mark.parametrize(
    "forged",
    [
        {"am": "3000", "tx": "500"},  # the same total, split otherwise
        {"am": "0", "sf": "3500"},
        {"cod": "another-order-code"},
        {"am": "-3500"},
        {"am": "３５００"},  # full-width digits
        {"am": "99999999999999999999999"},
        {"rst": "9"},
        {"gid": "abc"},
    ],
    ids=["tax split", "shipping split", "other cod", "negative", "full-width", "huge", "bad rst", "bad gid"],
)
async def test_notifications_that_do_not_match_settle_nothing(app_harness: AppHarness, forged: dict[str, str]) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    entry = await _unknown_payment(app_harness, transaction)
    params = {**_notification("20000003", transaction.token), **forged}

    answer = await _kickback(app_harness, app_harness.installation.kickback_secret, params)

    assert answer == (200, "ok")
    unchanged = await app_harness.services.store.ledger.get(entry.id)
    assert unchanged is not None and (unchanged.status, unchanged.psp_reference) == (LedgerStatus.UNKNOWN, None)
    assert app_harness.saleor.reported_events == []

"""Helpers for the tests of result notifications (claims): a payment whose answer was lost, a notification about
it as the gateway would send one, and sending it to the app's real kickback route."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

import httpx

from robotpayment_app.flows.language import Language
from robotpayment_app.flows.payment_answers import Pending, ResultFamily, session_answer
from robotpayment_app.store.ledger import request_fingerprint
from robotpayment_app.store.records import LedgerEntry, LedgerIntent, LedgerKind
from tests.flows_payments.support import Transaction
from tests.support.app_harness import STORE_ID, AppHarness


async def entry_of(harness: AppHarness, transaction: Transaction) -> LedgerEntry:
    entry = await harness.services.store.ledger.find_by_dedup_key(
        harness.installation.id, "initialize:" + transaction.id
    )
    assert entry is not None
    return entry


async def sent_payment(harness: AppHarness, transaction: Transaction, *, amount: int = 3500) -> LedgerEntry:
    """A payment as the app records it once the request has left (the request is waiting for the answer)."""
    ledger = harness.services.store.ledger
    begun = await ledger.begin(
        harness.installation.id,
        "initialize:" + transaction.id,
        request_fingerprint({"test": transaction.id}),
        LedgerIntent(
            kind=LedgerKind.PAYMENT,
            saleor_transaction_id=transaction.id,
            shop_order_code=transaction.token,
            amount=amount,
            tax_amount=0,
            shipping_amount=0,
            currency="JPY",
            job_type="CAPTURE",
            store_id=STORE_ID,
        ),
    )
    return await ledger.mark_sent(begun.entry.id)


async def unknown_payment(harness: AppHarness, transaction: Transaction, *, amount: int = 3500) -> LedgerEntry:
    """A payment whose answer was lost (as a timeout leaves it), without any gateway behind it: Saleor was
    answered CHARGE_REQUEST under the cod, as the app answers it."""
    entry = await sent_payment(harness, transaction, amount=amount)
    pending = Pending(transaction.token, Decimal(amount), "test: answer lost")
    answer = session_answer(ResultFamily.CHARGE, pending, Language.JA).to_json()
    return await harness.services.store.ledger.mark_unknown(
        entry.id, failure_reason="test: answer lost", saleor_response=answer
    )


def notification(gid: str, cod: str, amount: int = 3500, rst: str = "1", **extra: str) -> dict[str, str]:
    return {
        "gid": gid,
        "rst": rst,
        "ap": "0001112",
        "ec": "" if rst == "1" else "ER030",
        "god": "50000001",
        "cod": cod,
        "am": str(amount),
        "tx": "0",
        "sf": "0",
        "ta": str(amount),
        **extra,
    }


async def send_kickback(harness: AppHarness, params: dict[str, str], secret: str | None = None) -> httpx.Response:
    """GET the kickback route as the gateway does (the installation's current secret unless given)."""
    return await harness.client.get(
        f"/api/kickback/{secret or harness.installation.kickback_secret}?{urlencode(params)}"
    )


async def acknowledged(harness: AppHarness, params: dict[str, str], secret: str | None = None) -> None:
    """The notification is delivered: 200 with a non-empty body (the gateway counts an empty one as failed)."""
    response = await send_kickback(harness, params, secret)
    assert (response.status_code, response.text) == (200, "ok")


def reported(harness: AppHarness) -> list[tuple[str, str, object]]:
    """What Saleor was told through transactionEventReport: (type, pspReference, amount)."""
    return [
        (event["variables"]["type"], event["variables"]["pspReference"], event["variables"]["amount"])
        for event in harness.saleor.reported_events
    ]

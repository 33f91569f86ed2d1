"""Every way the gateway can fail a payment, injected through the sandbox's fault API over a real socket, for a
new-card token payment and a saved-card one-touch charge: Saleor gets the right answer (declined only when the
gateway said so; pending whenever the money may have moved; retryable failure only when nothing was sent), the
ledger holds exactly one row with the right state, a charge the gateway made is never lost (a kickback, where the
gateway sends one, settles it once its hold has passed and Saleor hears of it once; without one it stays pending
for a person), and Saleor's repeat of the same request never charges again."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import Any

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import LedgerKind, LedgerStatus
from tests.faults.conftest import SLOW_ANSWER_SECONDS, ServedGateway
from tests.flows_cards.support import CardOwner
from tests.flows_payments.support import (
    USER_ID,
    Checkout,
    Transaction,
    authenticated_token,
    deliver,
    gateway_config,
    initialize_payload,
)

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION
EMAIL = "hanako.suzuki@example.com"


@dataclass(frozen=True)
class Expected:
    result: str  # Saleor's result for the first delivery
    error_code: str | None  # data.error.code
    retryable: bool | None
    charged: bool  # the sandbox processed the payment
    ledger: LedgerStatus | tuple[LedgerStatus, ...]  # once every kickback has been handled (if one came)


PENDING = Expected("CHARGE_REQUEST", "PAYMENT_PENDING", False, charged=False, ledger=LedgerStatus.UNKNOWN)
CASES: dict[str, tuple[dict[str, Any] | None, Expected]] = {
    # the gateway's front answers 503 at once: it may or may not have acted, so the outcome is unknown
    "http 503": ({"mode": "status", "status": 503}, PENDING),
    # a front server's 4xx or redirect comes after the request was written: no proof that nothing was processed
    "http 404": ({"mode": "status", "status": 404}, PENDING),
    "http 302": ({"mode": "status", "status": 302}, PENDING),
    "empty body": ({"mode": "empty"}, PENDING),
    "garbage body": ({"mode": "garbage"}, PENDING),
    "dropped unanswered": ({"mode": "drop"}, PENDING),
    "ER010 busy": (
        {"mode": "busy"},
        Expected("CHARGE_FAILURE", "ER010", True, charged=False, ledger=LedgerStatus.DECLINED),
    ),
    "ER999 maintenance": (
        {"mode": "maintenance"},
        Expected("CHARGE_FAILURE", "ER999", True, charged=False, ledger=LedgerStatus.DECLINED),
    ),
    "slow past the timeout": (
        {"mode": "slow", "delay_seconds": SLOW_ANSWER_SECONDS},
        Expected("CHARGE_REQUEST", "PAYMENT_PENDING", False, charged=True, ledger=LedgerStatus.SUCCEEDED),
    ),
    "charged then dropped": (
        {"mode": "drop_after"},
        Expected("CHARGE_REQUEST", "PAYMENT_PENDING", False, charged=True, ledger=LedgerStatus.SUCCEEDED),
    ),
    # nothing listens: the request never left, so a new attempt is safe. The row is marked sent just before the
    # call, so the flow can only close it as declined (not failed_before_send): either way, settled, no money moved
    "connection refused": (
        None,
        Expected(
            "CHARGE_FAILURE",
            "GATEWAY_UNAVAILABLE",
            True,
            charged=False,
            ledger=(LedgerStatus.FAILED_BEFORE_SEND, LedgerStatus.DECLINED),
        ),
    ),
}


def _closed_port_url() -> str:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/gateway/"


async def _token_payment(gateway: ServedGateway, transaction: Transaction) -> tuple[dict[str, Any], str]:
    """A guest's new-card payload, the token made and authenticated; the page the payment calls."""
    checkout = Checkout(user_id=None)
    config = await gateway_config(gateway.harness, checkout)
    token = await authenticated_token(gateway.harness, config["threeDS"]["payment"])
    return initialize_payload(transaction, {"tkn": token}, checkout), "gateway_token.aspx"


async def _one_touch(gateway: ServedGateway, transaction: Transaction) -> tuple[dict[str, Any], str]:
    """A signed-in shopper's saved card (saved through the real tokenization events), paid in one touch."""
    owner = CardOwner(gateway.harness, USER_ID, EMAIL)
    saved = await owner.save_card()
    assert saved["result"] == "SUCCESSFULLY_TOKENIZED", saved
    checkout = Checkout(user_id=USER_ID, email=EMAIL)
    return initialize_payload(transaction, {"paymentMethodId": saved["id"]}, checkout), "onetouch.aspx"


FLOWS = {"token payment": _token_payment, "one-touch": _one_touch}


@pytest.mark.parametrize("flow", FLOWS)
@pytest.mark.parametrize("case", CASES)
async def test_gateway_fault(served_gateway: ServedGateway, flow: str, case: str) -> None:
    fault, expected = CASES[case]
    harness = served_gateway.harness
    await served_gateway.configure_channel()
    transaction = Transaction()
    payload, page = await FLOWS[flow](served_gateway, transaction)
    if fault is None:
        await served_gateway.configure_channel(gateway_url=_closed_port_url())
    else:
        await served_gateway.add_fault(endpoint=page, **fault)
    charges_before = len(harness.sandbox.payments())

    first = await deliver(harness, INITIALIZE, payload)

    assert (first["result"], first["data"]["error"]["code"], first["data"]["error"]["retryable"]) == (
        expected.result,
        expected.error_code,
        expected.retryable,
    )
    await harness.sandbox.kickbacks.wait_idle()
    harness.pass_time(harness.services.settlement_policy.notification_hold.total_seconds() + 1)
    await harness.run_watch()  # a held notification settles its payment once its hold has passed
    charges = [payment for payment in harness.sandbox.payments() if payment.order_code == transaction.token]
    assert len(charges) == (1 if expected.charged else 0)
    assert len(harness.sandbox.payments()) == charges_before + len(charges)
    rows = await harness.services.store.ledger.find_by_transaction(harness.installation.id, transaction.id)
    allowed = expected.ledger if isinstance(expected.ledger, tuple) else (expected.ledger,)
    settled_by_claim = expected.charged and served_gateway.notifies
    if expected.charged and not served_gateway.notifies:
        allowed = (LedgerStatus.UNKNOWN,)  # no notification comes: it waits for a person (payments resolve)
    assert [row.kind for row in rows] == [LedgerKind.PAYMENT] and rows[0].status in allowed
    reports = [event["variables"] for event in harness.saleor.reported_events]
    if settled_by_claim:
        # the gateway's notification settled the payment and told Saleor, once, under the reference it had
        assert rows[0].psp_reference == str(charges[0].gid)
        assert [(report["id"], report["type"], report["pspReference"]) for report in reports] == [
            (transaction.id, "CHARGE_SUCCESS", transaction.token)
        ]
    else:
        assert rows[0].psp_reference is None and reports == []
    waiting = await harness.services.store.settlements.needing_attention(installation_id=harness.installation.id)
    assert [entry.id for entry in waiting] == ([rows[0].id] if rows[0].status is LedgerStatus.UNKNOWN else [])

    # Saleor repeats the request (same idempotency key): the settled answer, and still one charge at most
    transaction.psp_reference = first.get("pspReference", "")
    repeat = await deliver(harness, INITIALIZE, initialize_payload(transaction, payload["data"], _checkout(payload)))
    settled = "CHARGE_SUCCESS" if rows[0].status is LedgerStatus.SUCCEEDED else expected.result
    assert repeat["result"] == settled
    assert len(harness.sandbox.payments()) == charges_before + len(charges)


def _checkout(payload: dict[str, Any]) -> Checkout:
    source = payload["sourceObject"]
    user = source["user"]
    return Checkout(user_id=user["id"] if user else None, email=source["email"], id=source["id"])

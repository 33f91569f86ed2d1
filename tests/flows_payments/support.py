"""Payloads shaped like our subscription documents, the shopper's browser steps, and answer validation.

Every answer a test receives through `deliver` is checked against Saleor's own JSON Schema for the event
(the variant its `result` names, with no extra top-level fields), so no test can pass with an answer Saleor
would refuse.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator

from robotpayment_app.saleor.webhooks import SaleorEvent
from tests.saleor.support import json_schema
from tests.support.app_harness import CHANNEL_SLUG, STORE_ID, AppHarness

APPROVED_CARD = "4444333322221111"
DECLINED_INSUFFICIENT_FUNDS = "4000000000000044"
THREE_DS_FAILURE_CARD = "4000000000000903"
USER_ID = "VXNlcjo0OQ=="
OTHER_USER_ID = "VXNlcjo1MA=="
EMAIL = "hanako.suzuki@example.com"

SCHEMAS = {
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION: "PaymentGatewayInitializeSession",
    SaleorEvent.TRANSACTION_INITIALIZE_SESSION: "TransactionInitializeSession",
    SaleorEvent.TRANSACTION_PROCESS_SESSION: "TransactionProcessSession",
    SaleorEvent.TRANSACTION_CHARGE_REQUESTED: "TransactionChargeRequested",
    SaleorEvent.TRANSACTION_CANCELATION_REQUESTED: "TransactionCancelationRequested",
    SaleorEvent.TRANSACTION_REFUND_REQUESTED: "TransactionRefundRequested",
}
ENVELOPE = {"version": "3.24.0-a.0", "issuedAt": "2026-11-28T00:15:29.141760+00:00", "recipient": {"id": "QXBwOjQ="}}


def validate_answer(event: SaleorEvent, answer: dict[str, Any]) -> None:
    """The answer fits Saleor's JSON Schema for the event: the whole schema and the variant it claims."""
    schema = json_schema(SCHEMAS[event])
    assert not list(Draft202012Validator(schema).iter_errors(answer)), answer
    variants = schema.get("anyOf")
    if variants is None:
        return
    result = answer.get("result")
    for variant in variants:
        declared = variant["properties"].get("result", {})
        allowed = declared.get("enum") or ([declared["const"]] if "const" in declared else [])
        if (result is None and not allowed) or result in allowed:
            strict = {**variant, "$defs": schema.get("$defs", {}), "additionalProperties": False}
            errors = [error.message for error in Draft202012Validator(strict).iter_errors(answer)]
            assert errors == [], (answer, errors)
            return
    raise AssertionError(f"no schema variant for {answer}")


async def deliver(harness: AppHarness, event: SaleorEvent, payload: dict[str, Any]) -> dict[str, Any]:
    """POST a signed webhook through the real route; the answer must be HTTP 200 and fit the schema."""
    response = await harness.deliver(event, payload)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    validate_answer(event, answer)
    return answer


# ---- payloads ------------------------------------------------------------------------------------------------


def variant(product_meta: dict[str, str] | None = None, variant_meta: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "id": "UHJvZHVjdFZhcmlhbnQ6MzQ4",
        "sku": "328223580",
        "metadata": [{"key": k, "value": v} for k, v in (variant_meta or {}).items()],
        "product": {
            "id": "UHJvZHVjdDoxMzQ=",
            "metadata": [{"key": k, "value": v} for k, v in (product_meta or {}).items()],
        },
    }


@dataclass
class Checkout:
    """A checkout as our PaymentSourceObject fragment delivers it."""

    user_id: str | None = USER_ID
    email: str | None = EMAIL
    phone: str | None = "+81312345678"
    language: str = "JA"
    amount: float = 3500.0
    currency: str = "JPY"
    channel: str = CHANNEL_SLUG
    lines: list[dict[str, Any]] = field(default_factory=lambda: [{"quantity": 2, "variant": variant()}])
    # the channel's transaction flow strategy in Saleor, which reaches the app as action.actionType
    flow: str = "CHARGE"
    id: str = "Q2hlY2tvdXQ6ZDA1MzAxMzk="

    def payload(self) -> dict[str, Any]:
        return {
            "__typename": "Checkout",
            "id": self.id,
            "email": self.email,
            "languageCode": self.language,
            "channel": {"slug": self.channel, "currencyCode": self.currency},
            "user": None if self.user_id is None else {"id": self.user_id, "email": self.email or EMAIL},
            "billingAddress": {"phone": self.phone or ""},
            "totalPrice": {"gross": {"amount": self.amount, "currency": self.currency}},
            "lines": self.lines,
        }


def gateway_initialize_payload(checkout: Checkout, amount: float | None = None) -> dict[str, Any]:
    return {**ENVELOPE, "amount": amount, "data": None, "sourceObject": checkout.payload()}


@dataclass
class Transaction:
    """One Saleor transaction: a repeated idempotencyKey brings the same id and token again."""

    id: str = field(default_factory=lambda: "VHJhbnNhY3Rpb25JdGVtOi" + uuid.uuid4().hex)
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    psp_reference: str = ""


def initialize_payload(
    transaction: Transaction,
    data: Any,
    checkout: Checkout,
    *,
    amount: float | None = None,
    currency: str = "JPY",
    action_type: str | None = None,
) -> dict[str, Any]:
    return {
        **ENVELOPE,
        "action": {
            "amount": checkout.amount if amount is None else amount,
            "currency": currency,
            "actionType": action_type or checkout.flow,
        },
        "data": data,
        "idempotencyKey": "key-" + transaction.token,
        "merchantReference": transaction.id,
        "transaction": {"id": transaction.id, "token": transaction.token, "pspReference": transaction.psp_reference},
        "sourceObject": checkout.payload(),
    }


def process_payload(
    transaction: Transaction, checkout: Checkout, *, action_type: str | None = None
) -> dict[str, Any]:
    return {
        **ENVELOPE,
        "action": {"amount": checkout.amount, "currency": "JPY", "actionType": action_type or checkout.flow},
        "data": None,
        "merchantReference": transaction.id,
        "transaction": {"id": transaction.id, "token": transaction.token, "pspReference": transaction.psp_reference},
        "sourceObject": checkout.payload(),
    }


def action_payload(
    transaction_id: str,
    psp_reference: str,
    action_type: str,
    amount: float,
    *,
    authorized: float = 0.0,
    charged: float = 0.0,
    channel: str = CHANNEL_SLUG,
) -> dict[str, Any]:
    return {
        **ENVELOPE,
        "action": {"actionType": action_type, "amount": amount, "currency": "JPY"},
        "transaction": {
            "id": transaction_id,
            "pspReference": psp_reference,
            "authorizedAmount": {"amount": authorized},
            "chargedAmount": {"amount": charged},
            "checkout": None,
            "order": {"id": "T3JkZXI6MzQ1MDg4MmY=", "channel": {"slug": channel}},
        },
    }


# ---- the shopper's browser ---------------------------------------------------------------------------------


async def gateway_config(harness: AppHarness, checkout: Checkout, amount: float | None = None) -> dict[str, Any]:
    answer = await deliver(
        harness, SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION, gateway_initialize_payload(checkout, amount)
    )
    data: dict[str, Any] = answer["data"]
    return data


async def authenticated_token(
    harness: AppHarness, three_ds: dict[str, Any], card: str = APPROVED_CARD, *, store_id: str = STORE_ID
) -> str:
    """CPToken then ThreeDSAdapter.authenticate with exactly the parameters the app told the storefront."""
    shopper = harness.shopper()
    token = await shopper.create_token(store_id, card, "3012", "HANAKO", "SUZUKI")
    assert await shopper.authenticate(three_ds, token) == "Success"
    return token


async def pay_with_new_card(
    harness: AppHarness,
    checkout: Checkout,
    transaction: Transaction,
    *,
    card: str = APPROVED_CARD,
    save_card: bool = False,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the storefront snippet does: gateway config → token → 3DS → transactionInitialize."""
    config = await gateway_config(harness, checkout)
    three_ds = config["threeDS"]["saveCard" if save_card else "payment"]
    token = await authenticated_token(harness, three_ds, card)
    data: dict[str, Any] = {"tkn": token, **({"saveCard": True} if save_card else {}), **(extra or {})}
    return await deliver(
        harness, SaleorEvent.TRANSACTION_INITIALIZE_SESSION, initialize_payload(transaction, data, checkout)
    )


def gateway_payments(harness: AppHarness) -> list[Any]:
    return harness.sandbox.payments()

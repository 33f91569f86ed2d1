"""Helpers for the saved-card tests: a signed-in shopper driving the real webhook routes, a log of the app's
gateway calls, and Saleor's JSON Schemas for the answers."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator

from robotpayment_app.saleor.webhooks import SaleorEvent
from tests.flows_payments.support import Checkout, Transaction, initialize_payload
from tests.flows_payments.support import deliver as deliver_payment
from tests.saleor.support import json_schema
from tests.support.app_harness import CHANNEL_SLUG, STORE_ID, AppHarness

VISA = "4444333322221111"
MASTERCARD = "5555555555554444"
JCB = "3530111333300000"
THREE_DS_FAILS = "4000000000000903"

ENVELOPE = {"version": "3.24.0-a.0", "issuedAt": "2026-11-28T00:15:29.141760+00:00"}

# Saleor exports no schema for this answer; this mirrors its PaymentGatewayInitializeTokenizationSessionSchema.
_GATEWAY_INITIALIZE_TOKENIZATION = {
    "type": "object",
    "properties": {
        "result": {"enum": ["SUCCESSFULLY_INITIALIZED", "FAILED_TO_INITIALIZE", "FAILED_TO_DELIVER"]},
        "data": {},
        "error": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["result"],
    "additionalProperties": False,
}

# event -> JSON Schema of Saleor's answer (the method tokenization one is exported under a mislabelled name)
_SCHEMAS: dict[SaleorEvent, dict[str, Any]] = {
    SaleorEvent.LIST_STORED_PAYMENT_METHODS: json_schema("ListStoredPaymentMethods"),
    SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED: json_schema("StoredPaymentMethodDeleteRequested"),
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION: _GATEWAY_INITIALIZE_TOKENIZATION,
    SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION: json_schema(
        "PaymentGatewayInitializeTokenizationSession"
    ),
    SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION: json_schema("PaymentGatewayInitializeTokenizationSession"),
}


def assert_valid_answer(event: SaleorEvent, answer: dict[str, Any]) -> None:
    """The answer satisfies Saleor's JSON Schema for the event; async events answer `{}`."""
    schema = _SCHEMAS.get(event)
    if schema is None:
        assert answer == {}
        return
    errors = [error.message for error in Draft202012Validator(schema).iter_errors(answer)]
    assert errors == [], errors


@dataclass
class GatewayCall:
    endpoint: str
    cmd: str | None


class GatewayCallLog(logging.Handler):
    """Every gateway call the app's client makes (it logs one line per attempt, without secrets)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.calls: list[GatewayCall] = []
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        self.lines.append(message)
        if message.startswith("gateway call "):
            words = message.split()
            cmd = next((word[4:] for word in words if word.startswith("cmd=")), None)
            self.calls.append(GatewayCall(endpoint=words[2], cmd=cmd))

    def clear(self) -> None:
        self.calls.clear()
        self.lines.clear()

    def commands(self) -> list[str]:
        """`carduser.aspx:6`-style names of the calls so far."""
        return [f"{call.endpoint}:{call.cmd}" for call in self.calls]


@contextmanager
def recording_gateway_calls() -> Iterator[GatewayCallLog]:
    log = GatewayCallLog()
    client_logger = logging.getLogger("robotpayment_app.gateway.client")
    previous = client_logger.level
    client_logger.addHandler(log)
    client_logger.setLevel(logging.DEBUG)
    try:
        yield log
    finally:
        client_logger.removeHandler(log)
        client_logger.setLevel(previous)


@dataclass
class CardOwner:
    """A signed-in Saleor customer using the saved-card events through the app's signed webhook routes."""

    harness: AppHarness
    user_id: str
    email: str
    phone: str | None = "+81312345678"
    channel: str = CHANNEL_SLUG

    def user(self) -> dict[str, Any]:
        """The user as Saleor sends it, with the private metadata the fake Saleor holds for them."""
        metadata = self.harness.saleor.private_metadata.get(self.user_id, {})
        return {
            "id": self.user_id,
            "email": self.email,
            "defaultBillingAddress": {"phone": self.phone} if self.phone else None,
            "privateMetafields": dict(metadata),
        }

    def _payload(self, **fields: Any) -> dict[str, Any]:
        return {
            **ENVELOPE,
            "recipient": {"id": self.harness.saleor.app_id},
            "user": self.user(),
            "channel": {"slug": self.channel, "currencyCode": "JPY"},
            **fields,
        }

    async def send(self, event: SaleorEvent, **fields: Any) -> dict[str, Any]:
        response = await self.harness.deliver(event, self._payload(**fields))
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        assert_valid_answer(event, answer)
        return answer

    async def open_save_card_page(self) -> dict[str, Any]:
        return await self.send(SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION, data=None)

    async def list_cards(self) -> list[dict[str, Any]]:
        answer = await self.send(SaleorEvent.LIST_STORED_PAYMENT_METHODS)
        methods: list[dict[str, Any]] = answer["paymentMethods"]
        return methods

    async def card_token(self, number: str = VISA, *, uid: str | None = None) -> str:
        """What the save-card page does in the browser: CPToken, then 3-D Secure for the customer's uid."""
        if uid is None:
            page = await self.open_save_card_page()
            assert page["result"] == "SUCCESSFULLY_INITIALIZED", page
            uid = page["data"]["threeDS"]["uid"]
        shopper = self.harness.shopper()
        token = await shopper.create_token(STORE_ID, number, "3012", "HANAKO", "SUZUKI")
        assert await shopper.authenticate({"aid": STORE_ID, "uid": uid}, token) == "Success"
        return token

    async def tokenize(self, data: Any) -> dict[str, Any]:
        return await self.send(
            SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION, data=data, paymentFlowToSupport="INTERACTIVE"
        )

    async def save_card(self, number: str = VISA, *, brand: str | None = "visa", **more: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"tkn": await self.card_token(number), **more}
        if brand is not None:
            data["brand"] = brand
        return await self.tokenize(data)

    async def process(self, method_id: str, data: Any = None) -> dict[str, Any]:
        return await self.send(SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION, id=method_id, data=data)

    async def delete_card(self, method_id: str) -> dict[str, Any]:
        return await self.send(SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED, paymentMethodId=method_id)


async def pay_one_touch(
    owner: CardOwner, method_id: str, *, amount: float = 3500.0, flow: str = "CHARGE"
) -> dict[str, Any]:
    """The owner's checkout pays with a saved card: TRANSACTION_INITIALIZE_SESSION `{paymentMethodId}` through
    the payment use case's signed route (payload builders shared with the payment tests), in a channel whose
    Saleor flow strategy charges unless `flow` says AUTHORIZATION."""
    checkout = Checkout(user_id=owner.user_id, email=owner.email, phone=owner.phone, amount=amount, flow=flow)
    payload = initialize_payload(Transaction(), {"paymentMethodId": method_id}, checkout)
    return await deliver_payment(owner.harness, SaleorEvent.TRANSACTION_INITIALIZE_SESSION, payload)

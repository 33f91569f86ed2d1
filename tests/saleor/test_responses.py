"""Every response class, validated against Saleor's JSON Schemas (the exact anyOf branch, no extra keys)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from robotpayment_app.saleor import responses as r

from .support import json_schema

WHEN = datetime(2026, 11, 28, 9, 15, 29, tzinfo=timezone(timedelta(hours=9)))
CARD = r.CardDetails(
    name="VISA •••• 1111", brand="visa", first_digits="4444", last_digits="1111", exp_month=12, exp_year=2030
)
FULL = {
    "amount": Decimal("3500"),
    "message": "ok",
    "time": WHEN,
    "external_url": "https://credit.j-payment.co.jp/",
}

# The gateway-initialize-tokenization answer has no exported JSON Schema (Saleor's export wrote the
# payment-method tokenization schema under its name); this mirrors Saleor's
# PaymentGatewayInitializeTokenizationSessionSchema model: result enum, data, error.
GATEWAY_INITIALIZE_TOKENIZATION = {
    "title": "PaymentGatewayInitializeTokenizationSession (from Saleor's pydantic model)",
    "type": "object",
    "properties": {
        "result": {"enum": ["SUCCESSFULLY_INITIALIZED", "FAILED_TO_INITIALIZE", "FAILED_TO_DELIVER"]},
        "data": {},
        "error": {"anyOf": [{"type": "string"}, {"type": "null"}]},
    },
    "required": ["result"],
}


def _branch(schema_name: str, title: str | None) -> dict[str, Any]:
    root = json_schema(schema_name)
    if title is None:
        branch = {key: value for key, value in root.items() if key != "$defs"}
    else:
        (branch,) = [option for option in root["anyOf"] if option["title"] == title]
    return {**branch, "additionalProperties": False, "$defs": root.get("$defs", {})}


def assert_valid(answer: dict[str, Any], schema_name: str, title: str | None = None) -> None:
    schema = _branch(schema_name, title)
    errors = [error.message for error in Draft202012Validator(schema).iter_errors(answer)]
    assert errors == [], errors
    # The full (anyOf) schema too, as Saleor validates it.
    assert not list(Draft202012Validator(json_schema(schema_name)).iter_errors(answer))
    json.dumps(answer)  # JSON-ready: Decimal, datetime turned into numbers and strings
    if "time" in answer:
        assert datetime.fromisoformat(answer["time"]).tzinfo is not None


def test_the_branch_check_catches_bad_answers() -> None:
    bad = [
        ({"result": "CHARGE_SUCCESS"}, "TransactionSessionSuccess"),  # no pspReference
        ({"result": "CHARGE_SUCCESS", "pspReference": "g", "actions": ["VOID"]}, "TransactionSessionSuccess"),
        ({"result": "CHARGE_FAILURE", "pspReference": "g", "note": "x"}, "TransactionSessionFailure"),
        ({"result": "CHARGE_SUCCESS", "pspReference": None}, "TransactionSessionSuccess"),
    ]
    for answer, branch in bad:
        with pytest.raises(AssertionError):
            assert_valid(answer, "TransactionInitializeSession", branch)


SESSION_CASES = [
    (r.ChargeSuccess, "CHARGE_SUCCESS", ["REFUND"], "TransactionSessionSuccess"),
    (r.AuthorizationSuccess, "AUTHORIZATION_SUCCESS", ["CHARGE", "CANCEL"], "TransactionSessionSuccess"),
    (r.ChargeRequest, "CHARGE_REQUEST", None, "TransactionSessionSuccess"),
    (r.AuthorizationRequest, "AUTHORIZATION_REQUEST", None, "TransactionSessionSuccess"),
    (r.ChargeFailure, "CHARGE_FAILURE", None, "TransactionSessionFailure"),
    (r.AuthorizationFailure, "AUTHORIZATION_FAILURE", None, "TransactionSessionFailure"),
    (r.ChargeActionRequired, "CHARGE_ACTION_REQUIRED", None, "TransactionSessionActionRequired"),
    (
        r.AuthorizationActionRequired,
        "AUTHORIZATION_ACTION_REQUIRED",
        None,
        "TransactionSessionActionRequired",
    ),
]


@pytest.mark.parametrize(
    ("cls", "result", "actions", "branch"), SESSION_CASES, ids=[c[1] for c in SESSION_CASES]
)
@pytest.mark.parametrize("event", ["TransactionInitializeSession", "TransactionProcessSession"])
def test_session_results(cls: Any, result: str, actions: list[str] | None, branch: str, event: str) -> None:
    full = cls(
        psp_reference="gid-1", data={"version": 1, "gid": "gid-1"}, payment_method_details=CARD, **FULL
    )
    answer = full.to_json()
    assert answer["result"] == result and answer.get("actions") == actions
    assert answer["amount"] == 3500 and isinstance(answer["amount"], int)
    assert answer["paymentMethodDetails"] == {
        "type": "CARD",
        "name": "VISA •••• 1111",
        "brand": "visa",
        "firstDigits": "4444",
        "lastDigits": "1111",
        "expMonth": 12,
        "expYear": 2030,
    }
    assert answer["time"] == "2026-11-28T09:15:29+09:00"
    assert_valid(answer, event, branch)
    if cls.PSP_REFERENCE_REQUIRED:
        with pytest.raises(r.InvalidResponse, match="pspReference: required"):
            cls()
    else:
        minimal = cls().to_json()
        assert "pspReference" not in minimal
        assert_valid(minimal, event, branch)


@pytest.mark.parametrize(
    ("answer", "schema", "branch"),
    [
        (
            r.ChargeSuccess(psp_reference="gid-1", amount=Decimal(3500)),
            "TransactionChargeRequested",
            "TransactionChargeRequestedSyncSuccess",
        ),
        (
            r.ChargeFailure(psp_reference="gid-1", message="ER032"),
            "TransactionChargeRequested",
            "TransactionChargeRequestedSyncFailure",
        ),
        (
            r.ChargeRequestAccepted(psp_reference="gid-1"),
            "TransactionChargeRequested",
            "TransactionChargeRequestedAsync",
        ),
        (
            r.CancelSuccess(psp_reference="gid-1", amount=Decimal(2000), time=WHEN),
            "TransactionCancelationRequested",
            "TransactionCancelationRequestedSyncSuccess",
        ),
        (
            r.CancelFailure(message="ER033"),
            "TransactionCancelationRequested",
            "TransactionCancelationRequestedSyncFailure",
        ),
        (
            r.CancelRequestAccepted(psp_reference="gid-1"),
            "TransactionCancelationRequested",
            "TransactionCancelationRequestedAsync",
        ),
        (
            r.RefundSuccess(
                psp_reference="gid-2", amount=Decimal("1500.0"), external_url="https://example.com/x"
            ),
            "TransactionRefundRequested",
            "TransactionRefundRequestedSyncSuccess",
        ),
        (
            r.RefundFailure(psp_reference="gid-2"),
            "TransactionRefundRequested",
            "TransactionRefundRequestedSyncFailure",
        ),
        (
            r.RefundRequestAccepted(psp_reference="gid-2"),
            "TransactionRefundRequested",
            "TransactionRefundRequestedAsync",
        ),
    ],
    ids=lambda value: type(value).__name__ if hasattr(value, "to_json") else None,
)
def test_action_request_results(answer: Any, schema: str, branch: str) -> None:
    assert_valid(answer.to_json(), schema, branch)


def test_actions_are_fixed_per_result() -> None:
    assert r.CancelSuccess(psp_reference="g").to_json()["actions"] == []
    for leaves_actions_alone in (
        r.CancelFailure(),
        r.RefundSuccess(psp_reference="g"),
        r.RefundFailure(),
        r.ChargeFailure(),
        r.ChargeActionRequired(),
    ):
        assert "actions" not in leaves_actions_alone.to_json()
    assert r.ChargeRequestAccepted(psp_reference="g").to_json() == {"pspReference": "g"}
    with pytest.raises(TypeError):
        r.ChargeSuccess(psp_reference="g", actions=["CANCEL"])  # type: ignore[call-arg]


def test_gateway_initialized() -> None:
    answer = r.GatewayInitialized({"version": 1, "aid": "000000"}).to_json()
    assert answer == {"data": {"version": 1, "aid": "000000"}}
    assert_valid(answer, "PaymentGatewayInitializeSession")
    assert_valid(r.GatewayInitialized(None).to_json(), "PaymentGatewayInitializeSession")


def test_stored_payment_methods() -> None:
    cards = r.StoredPaymentMethods(
        [
            r.StoredCard(
                id="card_abc",
                name="VISA •••• 1111",
                brand="visa",
                last_digits="1111",
                exp_month=12,
                exp_year=2030,
                first_digits="4",
                data={"md": ["10"]},
            ),
            r.StoredCard(
                id="card_def",
                name="MASTERCARD •••• 4444",
                brand="mastercard",
                last_digits="4444",
                exp_month=6,
                exp_year=2031,
            ),
        ]
    )
    answer = cards.to_json()
    assert answer["paymentMethods"][1] == {
        "id": "card_def",
        "supportedPaymentFlows": ["INTERACTIVE"],
        "type": "card",
        "name": "MASTERCARD •••• 4444",
        "creditCardInfo": {"brand": "mastercard", "lastDigits": "4444", "expMonth": 6, "expYear": 2031},
    }
    assert_valid(answer, "ListStoredPaymentMethods")
    assert_valid(r.StoredPaymentMethods().to_json(), "ListStoredPaymentMethods")
    item_schema = json_schema("ListStoredPaymentMethods")["$defs"]["StoredPaymentMethodSchema"]
    strict_item = {
        **item_schema,
        "additionalProperties": False,
        "$defs": json_schema("ListStoredPaymentMethods")["$defs"],
    }
    strict_item["properties"]["creditCardInfo"] = {"$ref": "#/$defs/CreditCardInfoSchema"}
    for item in answer["paymentMethods"]:
        assert not list(Draft202012Validator(strict_item).iter_errors(item))


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"id": ""}, "id: must not be empty"),
        ({"brand": ""}, "brand: must not be empty"),
        ({"last_digits": "11111"}, "lastDigits: 1 to 4 digits"),
        ({"exp_month": 13}, "expMonth: 1 to 12"),
        ({"exp_year": 30}, "expYear"),
    ],
)
def test_stored_card_refuses_what_saleor_would_drop(kwargs: dict[str, Any], rule: str) -> None:
    base = {
        "id": "card_abc",
        "name": "VISA",
        "brand": "visa",
        "last_digits": "1111",
        "exp_month": 12,
        "exp_year": 2030,
    }
    with pytest.raises(r.InvalidResponse, match=rule):
        r.StoredCard(**{**base, **kwargs})


def test_delete_results() -> None:
    assert r.DeleteSucceeded().to_json() == {"result": "SUCCESSFULLY_DELETED"}
    failed = r.DeleteFailed("このカードは削除できません。").to_json()
    assert failed == {"result": "FAILED_TO_DELETE", "error": "このカードは削除できません。"}
    for answer in (r.DeleteSucceeded().to_json(), failed):
        assert_valid(answer, "StoredPaymentMethodDeleteRequested")


@pytest.mark.parametrize(
    ("answer", "branch"),
    [
        (r.PaymentMethodTokenized("card_abc", data={"version": 1}), "PaymentMethodTokenizationSuccess"),
        (r.PaymentMethodTokenized("card_abc"), "PaymentMethodTokenizationSuccess"),
        (
            r.TokenizationAdditionalActionRequired("sess_1", data={"threeDS": {"aid": "000000"}}),
            "PaymentMethodTokenizationSuccess",
        ),
        (r.TokenizationPending(), "PaymentMethodTokenizationPending"),
        (r.TokenizationPending("sess_1", data={"wait": True}), "PaymentMethodTokenizationPending"),
        (r.FailedToTokenize("カード番号に誤りがあります。"), "PaymentMethodTokenizationFailed"),
    ],
    ids=lambda value: type(value).__name__ if hasattr(value, "to_json") else None,
)
def test_payment_method_tokenization_results(answer: Any, branch: str) -> None:
    # Saleor exports the tokenization answers schema under this (mislabelled) name.
    assert_valid(answer.to_json(), "PaymentGatewayInitializeTokenizationSession", branch)


def test_gateway_initialize_tokenization_results() -> None:
    validator = Draft202012Validator({**GATEWAY_INITIALIZE_TOKENIZATION, "additionalProperties": False})
    initialized = r.TokenizationInitialized({"version": 1, "aid": "000000"}).to_json()
    failed = r.TokenizationFailedToInitialize("保存カードを利用できません。").to_json()
    assert initialized == {"result": "SUCCESSFULLY_INITIALIZED", "data": {"version": 1, "aid": "000000"}}
    assert failed == {"result": "FAILED_TO_INITIALIZE", "error": "保存カードを利用できません。"}
    for answer in (initialized, failed, r.TokenizationInitialized().to_json()):
        assert not list(validator.iter_errors(answer))


def test_message_is_truncated_to_512_characters() -> None:
    japanese = "決済" * 400  # 800 characters, 2400 UTF-8 bytes
    message = r.ChargeFailure(message=japanese).to_json()["message"]
    assert isinstance(message, str) and len(message) == 512 and message.endswith("…")
    assert message[:511] == japanese[:511]
    assert r.ChargeFailure(message="x" * 512).to_json()["message"] == "x" * 512
    assert len(r.DeleteFailed("e" * 600).to_json()["error"]) == 512  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"time": datetime(2026, 11, 28, 9, 0)}, "time: must be timezone-aware"),
        ({"external_url": "javascript:alert(1)"}, "externalUrl: must be an absolute http"),
        ({"external_url": "https://x.example/" + "a" * 2100}, "externalUrl: at most 2083"),
        ({"amount": Decimal("NaN")}, "amount: must be a finite"),
        ({"amount": Decimal("-1")}, "amount: must be a finite, non-negative"),
        ({"psp_reference": "  "}, "pspReference: must not be blank"),
    ],
)
def test_invalid_values_are_refused_when_built(kwargs: dict[str, Any], rule: str) -> None:
    with pytest.raises(r.InvalidResponse, match=rule):
        r.ChargeFailure(**kwargs)


def test_amounts_become_json_numbers() -> None:
    assert r.json_amount(Decimal("3500.0")) == 3500
    assert r.json_amount(Decimal("12.5")) == 12.5
    assert (
        r.ChargeSuccess(psp_reference="g", amount=Decimal("0"), time=datetime.now(UTC)).to_json()["amount"]
        == 0
    )


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"name": ""}, "name: 1 to 256"),
        ({"brand": "b" * 41}, "brand: at most 40"),
        ({"first_digits": "44443"}, "firstDigits: 1 to 4 digits"),
        ({"last_digits": "１１１１"}, "lastDigits: 1 to 4 digits"),  # full-width digits are not ASCII
        ({"exp_month": 0}, "expMonth"),
    ],
)
def test_card_details_rules(kwargs: dict[str, Any], rule: str) -> None:
    with pytest.raises(r.InvalidResponse, match=rule):
        r.CardDetails(**{"name": "VISA", **kwargs})

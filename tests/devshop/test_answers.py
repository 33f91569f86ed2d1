"""The apps' answers are accepted or refused as Saleor does (its JSON Schemas and its core rules)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from tests.support.shared import SALEOR_DIR

from robotpayment_app.devshop.answers import (
    InvalidAnswer,
    TransactionAnswer,
    parse_action_answer,
    parse_delete_answer,
    parse_gateway_initialize_answer,
    parse_gateway_tokenization_answer,
    parse_session_answer,
    parse_stored_methods_answer,
    parse_tokenization_answer,
)
from robotpayment_app.devshop.domain.records import TransactionAction, TransactionEventType


def _schema(name: str) -> dict[str, Any]:
    return dict(json.loads((SALEOR_DIR / "json_schemas" / f"{name}.json").read_text()))


def _json_schema_accepts(name: str, answer: Any) -> bool:
    validator = jsonschema.Draft202012Validator(_schema(name), format_checker=jsonschema.FormatChecker())
    return validator.is_valid(answer)


SESSION_VALID = [
    {"result": "CHARGE_SUCCESS", "pspReference": "p1", "amount": 3500.0, "actions": ["REFUND"]},
    {"result": "CHARGE_SUCCESS", "pspReference": "p1", "amount": "3500"},
    {"result": "AUTHORIZATION_SUCCESS", "pspReference": "p1", "actions": ["CHARGE", "CANCEL"], "data": {"x": 1}},
    {"result": "CHARGE_REQUEST", "pspReference": "p1", "message": "pending"},
    {"result": "CHARGE_ACTION_REQUIRED", "data": {"redirect": "https://3ds.example/"}},
    {"result": "CHARGE_FAILURE", "message": "declined", "externalUrl": "https://psp.example/p1"},
    {"result": "AUTHORIZATION_FAILURE", "pspReference": "p1", "time": "2026-11-28T00:15:29+09:00"},
    {
        "result": "CHARGE_SUCCESS",
        "pspReference": "p1",
        "paymentMethodDetails": {"type": "CARD", "name": "VISA 1111", "brand": "visa", "lastDigits": "1111"},
    },
]
SESSION_INVALID = [
    {"result": "CHARGE_SUCCESS", "amount": 3500.0},  # success needs a pspReference
    {"result": "AUTHORIZATION_REQUEST"},  # so does a request
    {"result": "CHARGED", "pspReference": "p1"},  # unknown result
    {"pspReference": "p1"},  # no result at all
    {"result": "CHARGE_SUCCESS", "pspReference": "p1", "amount": [1]},
    {"result": "CHARGE_SUCCESS", "pspReference": "p1", "paymentMethodDetails": {"type": "CARD"}},
    {
        "result": "CHARGE_SUCCESS",
        "pspReference": "p1",
        "paymentMethodDetails": {"type": "CARD", "name": "x", "expMonth": 13},
    },
]


@pytest.mark.parametrize("answer", SESSION_VALID)
@pytest.mark.parametrize("schema", ["TransactionInitializeSession", "TransactionProcessSession"])
def test_session_answers_saleor_accepts_are_accepted(schema: str, answer: dict[str, Any]) -> None:
    assert _json_schema_accepts(schema, answer)
    assert isinstance(parse_session_answer(answer), TransactionAnswer)


@pytest.mark.parametrize("answer", SESSION_INVALID)
def test_session_answers_saleor_refuses_are_refused(answer: dict[str, Any]) -> None:
    assert not _json_schema_accepts("TransactionInitializeSession", answer)
    assert isinstance(parse_session_answer(answer), InvalidAnswer)


def test_a_refusal_names_the_field() -> None:
    refused = parse_session_answer({"result": "CHARGE_SUCCESS", "amount": 3500.0})
    assert isinstance(refused, InvalidAnswer)
    assert "pspReference" in refused.reason


def test_session_answer_details_are_read_like_saleor() -> None:
    parsed = parse_session_answer(
        {
            "result": "CHARGE_SUCCESS",
            "pspReference": "p1",
            "amount": 3500.0,
            "actions": ["REFUND", "REFUND", "TELEPORT"],
            "message": "x" * 600,
            "time": "2026-11-28T09:00:00+09:00",
            "pspReferenceExtra": "ignored",
        }
    )
    assert isinstance(parsed, TransactionAnswer)
    assert parsed.result is TransactionEventType.CHARGE_SUCCESS
    assert parsed.amount == Decimal("3500.0")
    assert parsed.actions == [TransactionAction.REFUND]  # unknown actions dropped, duplicates merged
    assert len(parsed.message) == 512
    assert parsed.time is not None and parsed.time.utcoffset() is not None and parsed.time.hour == 0


ACTION_CASES: list[tuple[str, TransactionEventType, dict[str, Any], bool]] = [
    (
        "TransactionChargeRequested",
        TransactionEventType.CHARGE_REQUEST,
        {"result": "CHARGE_SUCCESS", "pspReference": "p"},
        True,
    ),
    ("TransactionChargeRequested", TransactionEventType.CHARGE_REQUEST, {"result": "CHARGE_FAILURE"}, True),
    ("TransactionChargeRequested", TransactionEventType.CHARGE_REQUEST, {"pspReference": "p"}, True),
    ("TransactionChargeRequested", TransactionEventType.CHARGE_REQUEST, {"result": "CHARGE_SUCCESS"}, False),
    (
        "TransactionRefundRequested",
        TransactionEventType.REFUND_REQUEST,
        {"result": "REFUND_SUCCESS", "pspReference": "r", "amount": 1500.0},
        True,
    ),
    (
        "TransactionRefundRequested",
        TransactionEventType.REFUND_REQUEST,
        {"pspReference": "r", "actions": ["REFUND"]},
        True,
    ),
    ("TransactionRefundRequested", TransactionEventType.REFUND_REQUEST, {}, False),
    (
        "TransactionCancelationRequested",
        TransactionEventType.CANCEL_REQUEST,
        {"result": "CANCEL_SUCCESS", "pspReference": "c", "actions": []},
        True,
    ),
    (
        "TransactionCancelationRequested",
        TransactionEventType.CANCEL_REQUEST,
        {"result": "CANCEL_FAILURE", "message": "too late"},
        True,
    ),
]


@pytest.mark.parametrize(("schema", "request_type", "answer", "valid"), ACTION_CASES)
def test_action_answers_agree_with_saleors_json_schemas(
    schema: str, request_type: TransactionEventType, answer: dict[str, Any], valid: bool
) -> None:
    assert _json_schema_accepts(schema, answer) is valid
    assert isinstance(parse_action_answer(answer, request_type), TransactionAnswer) is valid


def test_where_saleor_core_is_stricter_than_its_json_schemas_the_devshop_follows_core() -> None:
    # the JSON Schemas do not check URL formats here and read any object with a pspReference as
    # the async form; Saleor core refuses both, and so does the devshop
    assert isinstance(parse_session_answer({"result": "CHARGE_FAILURE", "externalUrl": "not a url"}), InvalidAnswer)
    wrong_result = {"result": "REFUND_SUCCESS", "pspReference": "p"}
    assert _json_schema_accepts("TransactionChargeRequested", wrong_result)
    assert isinstance(parse_action_answer(wrong_result, TransactionEventType.CHARGE_REQUEST), InvalidAnswer)


def test_the_async_form_of_an_action_answer_has_no_event() -> None:
    parsed = parse_action_answer({"pspReference": "r-1"}, TransactionEventType.REFUND_REQUEST)
    assert isinstance(parsed, TransactionAnswer)
    assert parsed.result is None and parsed.psp_reference == "r-1"


@pytest.mark.parametrize(
    ("answer", "valid"),
    [({"data": {"aid": "000000"}}, True), ({"data": None}, True), ({}, False), ({"date": {}}, False)],
)
def test_gateway_initialize_needs_data(answer: dict[str, Any], valid: bool) -> None:
    assert _json_schema_accepts("PaymentGatewayInitializeSession", answer) is valid
    assert (not isinstance(parse_gateway_initialize_answer(answer), InvalidAnswer)) is valid


def test_stored_methods_skip_invalid_entries_and_drop_incomplete_card_info() -> None:
    answer = {
        "paymentMethods": [
            {
                "id": "card-1",
                "type": "card",
                "name": "VISA 1111",
                "supportedPaymentFlows": ["INTERACTIVE"],
                "creditCardInfo": {"brand": "visa", "lastDigits": "1111", "expMonth": 12, "expYear": 2030},
            },
            {"id": "card-2", "type": "card", "creditCardInfo": {"brand": "visa", "lastDigits": "4242"}},
            {"type": "card", "name": "no id"},
        ]
    }
    assert not _json_schema_accepts("ListStoredPaymentMethods", answer)  # the schema refuses it whole
    methods = parse_stored_methods_answer(answer)
    assert isinstance(methods, list)
    assert [m.id for m in methods] == ["card-1", "card-2"]  # Saleor keeps the valid ones
    assert methods[0].credit_card_info is not None and methods[0].credit_card_info.last_digits == "1111"
    assert methods[1].credit_card_info is None


@pytest.mark.parametrize(
    ("answer", "result"),
    [
        ({"result": "SUCCESSFULLY_DELETED"}, "SUCCESSFULLY_DELETED"),
        ({"result": "FAILED_TO_DELETE", "error": "not yours"}, "FAILED_TO_DELETE"),
        ({"result": "DELETED"}, "FAILED_TO_DELETE"),
        (None, "FAILED_TO_DELIVER"),
    ],
)
def test_delete_answers(answer: dict[str, Any] | None, result: str) -> None:
    if answer is not None:
        assert _json_schema_accepts("StoredPaymentMethodDeleteRequested", answer) is (
            result != "FAILED_TO_DELETE" or "error" in answer
        )
    assert parse_delete_answer(answer).result == result


def test_gateway_tokenization_follows_saleor_core_not_its_json_schema_file() -> None:
    # Saleor's JSON Schema file for this event describes the tokenization result by mistake;
    # Saleor core accepted SUCCESSFULLY_INITIALIZED in the captured run, so the devshop does too.
    captured = json.loads(
        (SALEOR_DIR / "captured" / "payment_gateway_initialize_tokenization_session.json").read_text()
    )
    answer = captured["app_response"]
    assert not _json_schema_accepts("PaymentGatewayInitializeTokenizationSession", answer)
    parsed = parse_gateway_tokenization_answer(answer)
    assert (parsed.result, parsed.data, parsed.error) == ("SUCCESSFULLY_INITIALIZED", {"aid": "000000"}, None)
    assert parse_gateway_tokenization_answer({"result": "NOPE"}).result == "FAILED_TO_INITIALIZE"


@pytest.mark.parametrize(
    ("answer", "result", "bare_id"),
    [
        ({"result": "SUCCESSFULLY_TOKENIZED", "id": "card-2"}, "SUCCESSFULLY_TOKENIZED", "card-2"),
        ({"result": "ADDITIONAL_ACTION_REQUIRED", "id": "sess-1", "data": {}}, "ADDITIONAL_ACTION_REQUIRED", "sess-1"),
        ({"result": "PENDING"}, "PENDING", None),
        ({"result": "FAILED_TO_TOKENIZE", "error": "declined"}, "FAILED_TO_TOKENIZE", None),
        ({"result": "SUCCESSFULLY_TOKENIZED"}, "FAILED_TO_TOKENIZE", None),  # the id is required
        ({"result": "TOKENIZED", "id": "x"}, "FAILED_TO_TOKENIZE", None),
    ],
)
def test_tokenization_answers(answer: dict[str, Any], result: str, bare_id: str | None) -> None:
    parsed = parse_tokenization_answer(answer)
    assert (parsed.result, parsed.bare_id) == (result, bare_id)
    if parsed.result == "FAILED_TO_TOKENIZE":
        assert parsed.error  # the shopper-facing reason is never empty


@pytest.mark.parametrize(
    "path",
    sorted((SALEOR_DIR / "captured").glob("transaction_*session*.json")),
    ids=lambda p: p.name,
)
def test_every_captured_real_answer_is_accepted(path: Any) -> None:
    captured = json.loads(path.read_text())
    assert isinstance(parse_session_answer(captured["app_response"]), TransactionAnswer)

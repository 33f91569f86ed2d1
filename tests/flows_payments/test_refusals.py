"""Bad input never reaches the gateway: each refusal is an HTTP 200 *_FAILURE naming the problem."""

from __future__ import annotations

from typing import Any

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    deliver,
    initialize_payload,
    pay_with_new_card,
    process_payload,
)
from tests.support.app_harness import AppHarness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (None, "data"),
        ("tkn", "data"),
        ({}, "tkn"),
        ({"tkn": "abc", "card": "4444333322221111"}, "card"),
        ({"tkn": "abc", "saveCard": "yes"}, "saveCard"),
        ({"tkn": "has space"}, "tkn"),
        ({"tkn": "abc", "md": 10}, "md"),
        ({"tkn": "abc", "md": "61", "pt": 3}, "md"),  # instalments need a saved card
        ({"tkn": "abc", "pt": 3}, "pt"),
        ({"tkn": "abc", "paymentMethodId": "card_x"}, "data"),
        ({"paymentMethodId": ""}, "paymentMethodId"),
        ({"paymentMethodId": "card_x", "extra": 1}, "extra"),
    ],
)
async def test_malformed_storefront_data_is_a_failure_naming_the_field(
    app_harness: AppHarness, network: GatewayNetwork, data: Any, named: str
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    answer = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), data, Checkout()))

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "INVALID_DATA"
    assert f"data.{named}" in answer["message"] or f"{named}:" in answer["message"], answer["message"]
    assert "abc" not in answer["message"]  # the token is never echoed
    assert sum(network.calls.values()) == 0


@pytest.mark.parametrize(
    ("amount", "currency", "rule"),
    [(3500.5, "JPY", "whole number of yen"), (35.0, "USD", "currency must be JPY"), (0.0, "JPY", "positive")],
)
async def test_amounts_other_than_whole_positive_yen_are_refused(
    app_harness: AppHarness, network: GatewayNetwork, amount: float, currency: str, rule: str
) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"

    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(
            Transaction(), {"tkn": "abc"}, Checkout(flow="AUTHORIZATION"), amount=amount, currency=currency
        ),
    )

    assert answer["result"] == "AUTHORIZATION_FAILURE"
    assert answer["data"]["error"]["code"] == "UNSUPPORTED_AMOUNT"
    assert rule in answer["message"]
    assert sum(network.calls.values()) == 0


@pytest.mark.parametrize("amount", [1e20, 99_999_999.0, 10_000_000.0], ids=["1e20", "99,999,999", "10,000,000"])
async def test_amounts_above_the_gateways_maximum_are_refused_before_anything_is_recorded_or_sent(
    app_harness: AppHarness, network: GatewayNetwork, amount: float
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()

    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(transaction, {"tkn": "abc"}, Checkout(amount=amount, language="EN"), amount=amount),
    )

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"] == {
        "code": "AMOUNT_ABOVE_MAXIMUM",
        "message": "A single card payment can be at most 9,999,999 yen.",
        "retryable": False,
    }
    assert "above 9,999,999 yen" in answer["message"]
    assert sum(network.calls.values()) == 0
    rows = await app_harness.services.store.ledger.find_by_transaction(app_harness.installation.id, transaction.id)
    assert rows == []


async def test_the_largest_amount_the_gateway_takes_is_paid(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout(user_id=None, amount=9_999_999.0)

    answer = await pay_with_new_card(app_harness, checkout, Transaction())

    assert answer["result"] == "CHARGE_SUCCESS" and answer["amount"] == 9_999_999


@pytest.mark.parametrize("token", ["abc\x00def", "abc\x07", "abc\u2028def"], ids=["NUL", "BEL", "line separator"])
async def test_a_token_with_a_control_character_is_a_failure_naming_the_field(
    app_harness: AppHarness, network: GatewayNetwork, token: str
) -> None:
    """Not a 400 (Saleor shows the shopper "Failed to delivery request."): the payment's own failure."""
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    response = await app_harness.deliver(INITIALIZE, initialize_payload(Transaction(), {"tkn": token}, Checkout()))

    assert response.status_code == 200
    answer = response.json()
    assert answer["result"] == "CHARGE_FAILURE" and answer["data"]["error"]["code"] == "INVALID_DATA"
    assert "data.tkn" in answer["message"] and "tkn" in answer["data"]["error"]["message"]
    assert token not in answer["message"] and sum(network.calls.values()) == 0


async def test_unconfigured_channel_refuses_the_payment(app_harness: AppHarness, network: GatewayNetwork) -> None:
    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(Transaction(), {"tkn": "abc"}, Checkout(), action_type="AUTHORIZATION"),
    )

    assert answer["result"] == "AUTHORIZATION_FAILURE"
    assert answer["data"]["error"]["code"] == "CHANNEL_NOT_CONFIGURED"
    assert "configuration page" in answer["message"]
    assert sum(network.calls.values()) == 0


async def test_payload_missing_a_field_is_a_failure_not_a_server_error(app_harness: AppHarness) -> None:
    payload = initialize_payload(Transaction(), {"tkn": "abc"}, Checkout())
    del payload["transaction"]

    answer = await deliver(app_harness, INITIALIZE, payload)

    assert answer["result"] == "CHARGE_FAILURE"
    assert "transaction" in answer["message"]


async def test_process_session_for_an_unknown_transaction_fails(app_harness: AppHarness) -> None:
    answer = await deliver(
        app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(Transaction(), Checkout())
    )

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "PAYMENT_NOT_FOUND"

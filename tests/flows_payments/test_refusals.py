"""Bad input never reaches the gateway: each refusal is an HTTP 200 *_FAILURE naming the problem."""

from __future__ import annotations

from typing import Any

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import Checkout, Transaction, deliver, initialize_payload, process_payload
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
    await app_harness.configure_channel(job_type=JobType.AUTH)

    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(Transaction(), {"tkn": "abc"}, Checkout(), amount=amount, currency=currency),
    )

    assert answer["result"] == "AUTHORIZATION_FAILURE"
    assert answer["data"]["error"]["code"] == "UNSUPPORTED_AMOUNT"
    assert rule in answer["message"]
    assert sum(network.calls.values()) == 0


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

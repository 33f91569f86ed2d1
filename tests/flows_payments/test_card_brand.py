"""The storefront's `brand` with a new card: the gateway never tells the brand, so without it Saleor drops a
saved card's creditCardInfo. Kept with the card it names, refused (naming `brand`) unless it is a known one."""

from __future__ import annotations

from typing import Any

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_cards.support import CardOwner
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import (
    EMAIL,
    USER_ID,
    Checkout,
    Transaction,
    authenticated_token,
    deliver,
    gateway_config,
    initialize_payload,
    pay_with_new_card,
)
from tests.support.app_harness import AppHarness

MASTER_CARD = "5555555555554444"


async def test_a_card_saved_with_its_brand_is_listed_with_full_card_info(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    # first card: bulk registration payment; second: card registration, then a one-touch charge
    first = await pay_with_new_card(app_harness, Checkout(), Transaction(), save_card=True, extra={"brand": "visa"})
    second = await pay_with_new_card(
        app_harness, Checkout(), Transaction(), card=MASTER_CARD, save_card=True, extra={"brand": "MasterCard"}
    )

    assert (first["result"], second["result"]) == ("CHARGE_SUCCESS", "CHARGE_SUCCESS"), (first, second)
    assert first["data"]["savedCard"]["name"] == "VISA •••• 1111"
    assert second["data"]["savedCard"]["name"] == "MASTERCARD •••• 4444"
    assert first["paymentMethodDetails"] == {
        "type": "CARD",
        "name": "VISA •••• 1111",
        "brand": "VISA",
        "lastDigits": "1111",
        "expMonth": 12,
        "expYear": 2030,
    }
    listed = await CardOwner(app_harness, USER_ID, EMAIL).list_cards()
    assert [(method["name"], method["creditCardInfo"]) for method in listed] == [
        ("VISA •••• 1111", {"brand": "VISA", "lastDigits": "1111", "expMonth": 12, "expYear": 2030}),
        ("MASTERCARD •••• 4444", {"brand": "MASTERCARD", "lastDigits": "4444", "expMonth": 12, "expYear": 2030}),
    ]
    assert [method["id"] for method in listed] == [
        first["data"]["savedCard"]["id"].rsplit(":", 1)[1],
        second["data"]["savedCard"]["id"].rsplit(":", 1)[1],
    ]


async def test_a_payment_without_saving_names_the_brand_in_its_payment_method_details(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"

    checkout = Checkout(flow="AUTHORIZATION")
    answer = await pay_with_new_card(app_harness, checkout, Transaction(), extra={"brand": "Visa"})

    assert answer["result"] == "AUTHORIZATION_SUCCESS", answer
    assert answer["paymentMethodDetails"] == {"type": "CARD", "name": "VISA", "brand": "VISA"}


@pytest.mark.parametrize("brand", ["discover", "MASTER", "", "vısa", 4, ["VISA"]])
async def test_an_unknown_brand_is_refused_naming_it_before_anything_is_sent(
    app_harness: AppHarness, network: GatewayNetwork, brand: Any
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout()
    config = await gateway_config(app_harness, checkout)
    token = await authenticated_token(app_harness, config["threeDS"]["saveCard"])

    answer = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_INITIALIZE_SESSION,
        initialize_payload(Transaction(), {"tkn": token, "saveCard": True, "brand": brand}, checkout),
    )

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "INVALID_DATA"
    assert "data.brand: one of VISA, MASTERCARD, JCB, AMEX, DINERS" in answer["message"], answer["message"]
    assert token not in answer["message"]
    assert sum(network.calls.values()) == 0
    assert app_harness.sandbox.payments() == []

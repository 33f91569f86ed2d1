"""What the browser authenticated is what is charged: a checkout changed between paymentGatewayInitialize (which
hands the browser the 3-D Secure parameters) and transactionInitialize is refused, retryably, before the gateway
is called (it would answer ER900); authenticating again with the new parameters pays."""

from __future__ import annotations

import dataclasses

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_cards.support import CardOwner
from tests.flows_payments.support import (
    EMAIL,
    USER_ID,
    Checkout,
    Transaction,
    authenticated_token,
    deliver,
    gateway_config,
    initialize_payload,
)
from tests.support.app_harness import AppHarness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION
CHANGES = {
    "amount": {"amount": 4200.0},
    "e-mail": {"email": "someone.else@example.com"},
    "phone": {"phone": "+81398765432"},
}


@pytest.mark.parametrize("change", CHANGES)
async def test_a_checkout_changed_after_authentication_is_refused_before_the_gateway_then_paid(
    app_harness: AppHarness, change: str
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    before = Checkout(user_id=None, language="EN")
    token = await authenticated_token(app_harness, (await gateway_config(app_harness, before))["threeDS"]["payment"])
    after = dataclasses.replace(before, **CHANGES[change])  # type: ignore[arg-type]

    refused = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), {"tkn": token}, after))

    assert refused["result"] == "CHARGE_FAILURE"
    assert refused["data"]["error"] == {
        "code": "ORDER_CHANGED",
        "message": "The order changed: please authenticate the card again.",
        "retryable": True,
    }
    assert "changed since paymentGatewayInitialize" in refused["message"]
    assert app_harness.sandbox.payments() == []  # nothing reached the gateway

    # the storefront asks for the config again and the shopper authenticates with the new parameters
    again = await authenticated_token(app_harness, (await gateway_config(app_harness, after))["threeDS"]["payment"])
    paid = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), {"tkn": again}, after))
    assert paid["result"] == "CHARGE_SUCCESS"
    assert len(app_harness.sandbox.payments()) == 1


async def test_a_gateway_customer_created_meanwhile_asks_for_a_new_authentication(app_harness: AppHarness) -> None:
    """Saving a card: the offer said "bulk registration" (no uid); meanwhile the shopper saved a card elsewhere,
    so the payment would register the card of an existing customer, whose 3-D Secure takes the uid."""
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout(user_id=USER_ID, email=EMAIL)
    offered = (await gateway_config(app_harness, checkout))["threeDS"]["saveCard"]
    assert "uid" not in offered
    token = await authenticated_token(app_harness, offered)
    saved = await CardOwner(app_harness, USER_ID, EMAIL).save_card()  # e.g. on the "my cards" page
    assert saved["result"] == "SUCCESSFULLY_TOKENIZED"
    charges_before = len(app_harness.sandbox.payments())

    data = {"tkn": token, "saveCard": True}
    refused = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), data, checkout))

    assert refused["data"]["error"]["code"] == "ORDER_CHANGED"
    japanese = "ご注文の内容が変わりました。お手数ですが、もう一度カードの認証を行ってください。"
    assert refused["data"]["error"]["message"] == japanese
    assert len(app_harness.sandbox.payments()) == charges_before
    renewed = (await gateway_config(app_harness, checkout))["threeDS"]["saveCard"]
    assert "uid" in renewed
    again = await authenticated_token(app_harness, renewed)
    paid = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), {**data, "tkn": again}, checkout))
    assert paid["result"] == "CHARGE_SUCCESS"


async def test_a_payment_without_a_kept_offer_is_not_checked(app_harness: AppHarness) -> None:
    """A storefront that skipped paymentGatewayInitialize: only the gateway's own check remains."""
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout(user_id=None)
    three_ds = {"aid": "000000", "am": 3500, "tx": 0, "sf": 0, "em": checkout.email, "pn": "0312345678"}
    token = await authenticated_token(app_harness, three_ds)

    paid = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), {"tkn": token}, checkout))

    assert paid["result"] == "CHARGE_SUCCESS", paid


async def test_offers_older_than_a_day_are_forgotten_by_the_watch(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout(user_id=None)
    await gateway_config(app_harness, checkout)
    offers = app_harness.services.store.three_ds_offers
    assert await offers.get(app_harness.installation.id, checkout.id) is not None

    await app_harness.run_watch()
    assert await offers.get(app_harness.installation.id, checkout.id) is not None
    app_harness.pass_time(24 * 3600 + 1)
    await app_harness.run_watch()

    assert await offers.get(app_harness.installation.id, checkout.id) is None

"""Product mode: the gateway charges a product registered in its control panel (`iid`), named in the
variant's or product's metadata, instead of amounts."""

from __future__ import annotations

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    deliver,
    gateway_config,
    initialize_payload,
    pay_with_new_card,
    variant,
)
from tests.support.app_harness import STORE_ID, AppHarness

KEY = "robotpayment_iid"  # the channel's default product_code_metadata_key


def _checkout(amount: float, **metadata: dict[str, str]) -> Checkout:
    return Checkout(user_id=None, amount=amount, lines=[{"quantity": 1, "variant": variant(**metadata)}])


async def test_product_code_replaces_amounts_in_3ds_and_in_the_payment(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(product_mode=True, job_type=JobType.AUTH)
    checkout = _checkout(3300.0, product_meta={KEY: "ITEM001"})  # the sandbox sells ITEM001 for 3000 + 300 tax

    config = await gateway_config(app_harness, checkout)
    answer = await pay_with_new_card(app_harness, checkout, Transaction())

    assert config["threeDS"]["payment"] == {
        "aid": STORE_ID,
        "iid": "ITEM001",
        "em": "hanako.suzuki@example.com",
        "pn": "0312345678",
    }
    [payment] = app_harness.sandbox.payments()
    assert (payment.item_id, payment.job, payment.amount + payment.tax) == ("ITEM001", "CAPTURE", 3300)
    # the product forms carry no jb: the gateway captures at once, so the result is a charge
    assert answer["result"] == "CHARGE_SUCCESS" and answer["amount"] == 3300


async def test_variant_metadata_wins_over_the_product(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(product_mode=True)
    checkout = _checkout(1820.0, product_meta={KEY: "ITEM001"}, variant_meta={KEY: "ITEM002"})

    answer = await pay_with_new_card(app_harness, checkout, Transaction())

    assert answer["result"] == "CHARGE_SUCCESS"
    assert app_harness.sandbox.payments()[0].item_id == "ITEM002"


async def test_saleor_is_told_what_the_catalogue_charged_when_prices_differ(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(product_mode=True)

    answer = await pay_with_new_card(app_harness, _checkout(3500.0, product_meta={KEY: "ITEM001"}), Transaction())

    assert answer["result"] == "CHARGE_SUCCESS"
    assert answer["amount"] == 3300
    assert "charged 3300 yen" in answer["message"]


async def test_missing_product_code_is_refused_before_sending(app_harness: AppHarness, network: GatewayNetwork) -> None:
    await app_harness.configure_channel(product_mode=True)
    checkout = _checkout(3300.0)

    config = await gateway_config(app_harness, checkout)
    answer = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_INITIALIZE_SESSION,
        initialize_payload(Transaction(), {"tkn": "t0k"}, checkout),
    )

    assert config["error"]["code"] == "PRODUCT_CODE_MISSING"
    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "PRODUCT_CODE_MISSING"
    assert KEY in answer["message"]
    assert sum(network.calls.values()) == 0

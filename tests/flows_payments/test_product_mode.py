"""Product mode: the gateway charges a product registered in its control panel (`iid`), named in the
variant's or product's metadata, instead of amounts."""

from __future__ import annotations

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    action_payload,
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
    await app_harness.configure_channel(product_mode=True, product_job_type=JobType.CAPTURE, job_type=JobType.AUTH)
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
    # the product forms carry no jb: the product is set to 即時売上 (the channel says so), so the result is a charge
    assert answer["result"] == "CHARGE_SUCCESS" and answer["amount"] == 3300


async def test_variant_metadata_wins_over_the_product(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(product_mode=True, product_job_type=JobType.CAPTURE)
    checkout = _checkout(1820.0, product_meta={KEY: "ITEM001"}, variant_meta={KEY: "ITEM002"})

    answer = await pay_with_new_card(app_harness, checkout, Transaction())

    assert answer["result"] == "CHARGE_SUCCESS"
    assert app_harness.sandbox.payments()[0].item_id == "ITEM002"


async def test_saleor_is_told_what_the_catalogue_charged_when_prices_differ(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(product_mode=True, product_job_type=JobType.CAPTURE)

    answer = await pay_with_new_card(app_harness, _checkout(3500.0, product_meta={KEY: "ITEM001"}), Transaction())

    assert answer["result"] == "CHARGE_SUCCESS"
    assert answer["amount"] == 3300
    assert "charged 3300 yen" in answer["message"]


async def test_missing_product_code_is_refused_before_sending(app_harness: AppHarness, network: GatewayNetwork) -> None:
    await app_harness.configure_channel(product_mode=True, product_job_type=JobType.CAPTURE)
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


async def test_a_product_set_to_authorise_only_is_authorised_then_captured_from_the_order(
    app_harness: AppHarness,
) -> None:
    """The control panel sets PREORDER001 to 仮売上: the channel says so, the payment is an authorization (not
    a charge that would never be captured and lapse), and capture / cancel are offered and work."""
    await app_harness.configure_channel(product_mode=True, product_job_type=JobType.AUTH, job_type=JobType.CAPTURE)
    checkout = _checkout(5500.0, product_meta={KEY: "PREORDER001"})
    transaction = Transaction()

    answer = await pay_with_new_card(app_harness, checkout, transaction)

    [payment] = app_harness.sandbox.payments()
    assert (payment.item_id, payment.job) == ("PREORDER001", "AUTH")
    assert answer["result"] == "AUTHORIZATION_SUCCESS" and answer["actions"] == ["CHARGE", "CANCEL"]
    captured = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_CHARGE_REQUESTED,
        action_payload(transaction.id, answer["pspReference"], "CHARGE", 5500.0, authorized=5500.0),
    )
    assert captured["result"] == "CHARGE_SUCCESS"
    assert app_harness.sandbox.payment(payment.gid).state.value == "SALES"


async def test_product_mode_without_the_products_job_type_is_refused(app_harness: AppHarness) -> None:
    from tests.web.dashboard import graphql_data

    save = """mutation Save($input: ChannelConfigurationInput!) {
      saveChannelConfiguration(channelSlug: "jp", input: $input) { errors { field message } }
    }"""
    data = await graphql_data(app_harness, save, {"input": {"storeId": "000000", "productMode": True}})

    [error] = data["saveChannelConfiguration"]["errors"]
    assert error["field"] == "productJobType" and "仮売上 (AUTH)" in error["message"]

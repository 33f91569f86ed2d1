"""PAYMENT_GATEWAY_INITIALIZE_SESSION answers the storefront contract v1 for the channel, with never a secret."""

from __future__ import annotations

import json

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import PaymentMethodCode, TokenMode
from tests.flows_payments.support import Checkout, deliver, gateway_config, gateway_initialize_payload
from tests.support.app_harness import GATEWAY_BASE_URL, STORE_ID, AppHarness
from tests.support.fake_saleor import APP_TOKEN


async def test_configured_channel_answers_the_whole_contract(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(
        token_mode=TokenMode.CUSTOMIZE,
        cvv_required=True,
        payment_methods=(PaymentMethodCode.LUMP_SUM, PaymentMethodCode.INSTALLMENTS, PaymentMethodCode.REVOLVING),
        installment_counts=(3, 5, 6, 10, 12),
    )

    data = await gateway_config(app_harness, Checkout())

    payment = {"aid": STORE_ID, "am": 3500, "tx": 0, "sf": 0, "em": "hanako.suzuki@example.com", "pn": "0312345678"}
    assert data == {
        "version": 1,
        "aid": STORE_ID,
        "scripts": {"cpToken": GATEWAY_BASE_URL + "js/CPToken.js", "threeDS": GATEWAY_BASE_URL + "js/EMV3DSAdapter.js"},
        "tokenMode": "customize",
        "cvv": True,
        "paymentMethods": [
            {"md": "10"},
            {"md": "61", "installments": [3, 5, 6, 10, 12], "savedCardOnly": True},
            {"md": "80", "savedCardOnly": True},
        ],
        "saveCard": {"allowed": True, "hasSavedCards": False},
        # a shopper without a gateway customer saves with the bulk registration payment: same parameters
        "threeDS": {"payment": payment, "saveCard": payment},
        "error": None,
    }


async def test_guest_may_not_save_cards_and_the_requested_amount_is_used(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()

    data = await gateway_config(app_harness, Checkout(user_id=None, phone=None), amount=1200.0)

    assert data["saveCard"] == {"allowed": False, "hasSavedCards": False}
    assert data["threeDS"] == {
        "payment": {"aid": STORE_ID, "am": 1200, "tx": 0, "sf": 0, "em": "hanako.suzuki@example.com"},
        "saveCard": None,
    }


async def test_channel_that_disallows_saving_offers_no_save_parameters(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(save_cards_allowed=False)

    data = await gateway_config(app_harness, Checkout())

    assert data["saveCard"]["allowed"] is False
    assert data["threeDS"]["saveCard"] is None


async def test_unconfigured_channel_answers_an_error_and_tells_the_merchant(app_harness: AppHarness, caplog) -> None:  # type: ignore[no-untyped-def]
    answer = await deliver(
        app_harness,
        SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION,
        gateway_initialize_payload(Checkout(channel="other")),
    )

    assert answer == {
        "data": {
            "version": 1,
            "error": {
                "code": "CHANNEL_NOT_CONFIGURED",
                "message": "現在このお支払い方法はご利用いただけません。",
                "retryable": False,
            },
        }
    }
    assert any("not configured for channel 'other'" in record.getMessage() for record in caplog.records)


async def test_unusable_amount_or_contact_is_an_error_in_the_data(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()

    fractional = await gateway_config(app_harness, Checkout(amount=3500.5, language="EN"))
    no_contact = await gateway_config(app_harness, Checkout(user_id=None, email=None, phone=None))

    assert fractional["threeDS"]["payment"] is None
    assert fractional["error"]["code"] == "UNSUPPORTED_AMOUNT"
    assert fractional["error"]["message"] == "This amount or currency cannot be paid with this method."
    assert no_contact["error"]["code"] == "CONTACT_MISSING"


async def test_an_amount_above_the_gateways_maximum_gets_no_3ds_parameters(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()

    absurd = await gateway_config(app_harness, Checkout(amount=1e20))

    assert absurd["threeDS"]["payment"] is None
    assert absurd["error"]["code"] == "AMOUNT_ABOVE_MAXIMUM"
    assert absurd["error"]["message"] == "1回のカードでのお支払いは9,999,999円までです。"


async def test_no_secret_is_ever_in_the_answer(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    response = await app_harness.deliver(
        SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION, gateway_initialize_payload(Checkout())
    )

    text = json.dumps(response.json())
    assert APP_TOKEN not in text
    assert app_harness.installation.kickback_secret not in text
    assert '"key"' not in text and '"tkn"' not in text

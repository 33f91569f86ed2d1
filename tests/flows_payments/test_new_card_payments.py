"""Flow 1: paying with a new card (token + 3-D Secure) through the real routes against the sandbox gateway."""

from __future__ import annotations

import logging

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import ChannelSettings, JobType, LedgerStatus
from tests.flows_payments.support import (
    DECLINED_INSUFFICIENT_FUNDS,
    Checkout,
    Transaction,
    authenticated_token,
    deliver,
    gateway_config,
    initialize_payload,
    pay_with_new_card,
)
from tests.support.app_harness import CHANNEL_SLUG, GATEWAY_BASE_URL, AppHarness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION


async def test_guest_token_payment_is_charged_once_with_the_action_amount(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()

    answer = await pay_with_new_card(app_harness, checkout, transaction)

    [payment] = app_harness.sandbox.payments()
    assert answer["result"] == "CHARGE_SUCCESS"
    assert answer["pspReference"] == str(payment.gid)
    assert answer["amount"] == 3500
    assert answer["actions"] == ["REFUND"]
    assert answer["data"] == {"version": 1, "gid": str(payment.gid), "savedCard": None, "error": None}
    assert answer["paymentMethodDetails"]["type"] == "CARD"
    assert (payment.endpoint, payment.job, payment.uid) == ("gateway_token.aspx", "CAPTURE", None)
    assert (payment.amount, payment.tax, payment.shipping) == (3500, 0, 0)
    assert payment.order_code == transaction.token  # cod ties the gateway payment to the Saleor transaction
    entry = await app_harness.services.store.ledger.find_by_dedup_key(
        app_harness.installation.id, "initialize:" + transaction.id
    )
    assert entry is not None and entry.status is LedgerStatus.SUCCEEDED and entry.psp_reference == str(payment.gid)


async def test_auth_channel_answers_authorization_with_capture_and_cancel_actions(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"

    answer = await pay_with_new_card(app_harness, Checkout(user_id=None, flow="AUTHORIZATION"), Transaction())

    [payment] = app_harness.sandbox.payments()
    assert answer["result"] == "AUTHORIZATION_SUCCESS"
    assert answer["actions"] == ["CHARGE", "CANCEL"]
    assert payment.job == "AUTH"


async def test_signed_in_shopper_not_saving_pays_with_a_plain_token_payment(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    answer = await pay_with_new_card(app_harness, Checkout(), Transaction())

    [payment] = app_harness.sandbox.payments()
    assert answer["result"] == "CHARGE_SUCCESS"
    assert payment.uid is None and app_harness.sandbox.customers() == []


async def test_decline_is_a_failure_with_the_shopper_message_in_japanese(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    answer = await pay_with_new_card(
        app_harness, Checkout(user_id=None), Transaction(), card=DECLINED_INSUFFICIENT_FUNDS
    )

    assert answer["result"] == "CHARGE_FAILURE"
    error = answer["data"]["error"]
    assert error["code"] == "G0442G040000"
    assert error["message"] == "残高不足のためご利用いただけませんでした。"
    assert answer["message"].startswith("G0442G040000")  # staff see the code and its meaning


async def test_decline_message_follows_an_english_checkout(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"

    checkout = Checkout(user_id=None, language="EN_US", flow="AUTHORIZATION")
    answer = await pay_with_new_card(app_harness, checkout, Transaction(), card=DECLINED_INSUFFICIENT_FUNDS)

    assert answer["result"] == "AUTHORIZATION_FAILURE"
    assert answer["data"]["error"]["message"] == "The card was declined: insufficient funds."


async def test_three_ds_parameters_the_app_announced_are_those_the_payment_sends(app_harness: AppHarness) -> None:
    """The storefront authenticates with threeDS.payment; a token authenticated for another amount fails."""
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout(user_id=None)
    config = await gateway_config(app_harness, checkout)
    assert config["threeDS"]["payment"] == {
        "aid": "000000",
        "am": 3500,
        "tx": 0,
        "sf": 0,
        "em": "hanako.suzuki@example.com",
        "pn": "0312345678",
    }
    wrong = {**config["threeDS"]["payment"], "am": 3000}
    token = await authenticated_token(app_harness, wrong)

    answer = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), {"tkn": token}, checkout))

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "ER900"


async def test_merchant_fixable_refusal_is_logged_as_such(
    app_harness: AppHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A store id the gateway does not know (ER004) is the merchant's to fix: a WARNING says so."""
    unknown_store = ChannelSettings(store_id="123456", gateway_base_url=GATEWAY_BASE_URL, job_type=JobType.CAPTURE)
    await app_harness.services.store.channels.upsert(app_harness.installation.id, CHANNEL_SLUG, unknown_store)
    checkout = Checkout(user_id=None)
    config = await gateway_config(app_harness, checkout)
    token = await authenticated_token(app_harness, {**config["threeDS"]["payment"], "aid": "000000"})

    with caplog.at_level(logging.WARNING, logger="robotpayment_app"):
        answer = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), {"tkn": token}, checkout))

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "ER004"
    assert (
        answer["data"]["error"]["message"]
        == "現在このお支払い方法はご利用いただけません。お手数ですがストアにお問い合わせください。"
    )
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert any("ER004" in message and "merchant must fix" in message for message in warnings)


@pytest.mark.parametrize(
    ("flow", "former", "result", "job"),
    [
        ("AUTHORIZATION", JobType.CAPTURE, "AUTHORIZATION_SUCCESS", "AUTH"),
        ("CHARGE", JobType.AUTH, "CHARGE_SUCCESS", "CAPTURE"),
        ("AUTHORIZATION", JobType.AUTH, "AUTHORIZATION_SUCCESS", "AUTH"),
        ("CHARGE", JobType.CAPTURE, "CHARGE_SUCCESS", "CAPTURE"),
    ],
)
async def test_saleors_flow_strategy_decides_authorise_or_charge(
    app_harness: AppHarness, flow: str, former: JobType, result: str, job: str
) -> None:
    """action.actionType (the channel's transaction flow strategy in Saleor) decides, as Saleor's own payment apps
    do; the app's former per-channel job type no longer does (shopChannels shows where the two disagree)."""
    await app_harness.configure_channel(job_type=former)
    checkout = Checkout(user_id=None, flow=flow)

    answer = await pay_with_new_card(app_harness, checkout, Transaction())

    [payment] = app_harness.sandbox.payments()
    assert (answer["result"], payment.job) == (result, job)
    assert answer["actions"] == (["CHARGE", "CANCEL"] if job == "AUTH" else ["REFUND"])

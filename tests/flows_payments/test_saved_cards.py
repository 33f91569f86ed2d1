"""Flows 1 and 2 with saved cards: bulk registration payment, card registration then one-touch charge, and
one-touch charges of saved cards (only by their owner)."""

from __future__ import annotations

from typing import Any

import pytest

from robotpayment_app.flows.customers import gateway_customer_id_for
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType, PaymentMethodCode
from tests.flows_payments.support import (
    APPROVED_CARD,
    OTHER_USER_ID,
    USER_ID,
    Checkout,
    Transaction,
    deliver,
    initialize_payload,
    pay_with_new_card,
)
from tests.support.app_harness import STORE_ID, AppHarness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION
MASTER_CARD = "5555555555554444"


async def _save_first_card(harness: AppHarness, checkout: Checkout | None = None) -> dict[str, Any]:
    answer = await pay_with_new_card(harness, checkout or Checkout(), Transaction(), save_card=True)
    assert answer["result"] in ("CHARGE_SUCCESS", "AUTHORIZATION_SUCCESS"), answer
    return answer


async def test_first_saved_card_is_a_bulk_registration_payment_and_becomes_a_saved_card(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    answer = await _save_first_card(app_harness)

    [payment] = app_harness.sandbox.payments()
    uid = gateway_customer_id_for(app_harness.installation, USER_ID)
    assert (payment.endpoint, payment.uid, payment.card_seq) == ("gateway_token.aspx", uid, 1)
    [card] = await app_harness.services.store.cards.list_for_user(app_harness.installation.id, STORE_ID, USER_ID)
    assert (card.card_seq, card.last4, card.exp_year, card.exp_month) == (1, "1111", 2030, 12)
    assert answer["data"]["savedCard"] == {
        "id": f"app:jp.robotpayment.saleor:{card.public_id}",
        "name": "Card •••• 1111",
    }
    details = answer["paymentMethodDetails"]
    assert (details["lastDigits"], details["expMonth"], details["expYear"]) == ("1111", 12, 2030)
    assert "key" not in str(answer).lower()  # the user key never leaves the app
    assert app_harness.saleor.private_metadata[USER_ID] == {f"robotpayment.uid.{STORE_ID}": uid}


async def test_existing_gateway_customer_registers_the_card_then_pays_in_one_touch(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    await _save_first_card(app_harness)
    checkout = Checkout()
    config = await deliver(
        app_harness,
        SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION,
        {
            "version": "3.24.0-a.0",
            "recipient": {"id": "QXBwOjQ="},
            "amount": None,
            "data": None,
            "sourceObject": checkout.payload(),
        },
    )
    uid = gateway_customer_id_for(app_harness.installation, USER_ID)
    assert config["data"]["threeDS"]["saveCard"] == {"aid": STORE_ID, "uid": uid}
    assert config["data"]["saveCard"] == {"allowed": True, "hasSavedCards": True}

    answer = await pay_with_new_card(app_harness, checkout, Transaction(), card=MASTER_CARD, save_card=True)

    assert answer["result"] == "CHARGE_SUCCESS", answer
    first, second = app_harness.sandbox.payments()
    assert first.endpoint == "gateway_token.aspx"
    assert (second.endpoint, second.uid, second.card_seq) == ("onetouch.aspx", uid, 2)
    assert second.card_masked.endswith("4444")
    cards = await app_harness.services.store.cards.list_for_user(app_harness.installation.id, STORE_ID, USER_ID)
    assert [card.last4 for card in cards] == ["1111", "4444"]
    assert answer["data"]["savedCard"]["id"].endswith(cards[1].public_id)
    assert answer["paymentMethodDetails"]["lastDigits"] == "4444"


async def test_saved_card_is_charged_in_one_touch_with_or_without_the_app_prefix(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"
    saved = (await _save_first_card(app_harness))["data"]["savedCard"]
    bare = saved["id"].removeprefix("app:jp.robotpayment.saleor:")

    for method_id in (saved["id"], bare):
        data = {"paymentMethodId": method_id}
        answer = await deliver(
            app_harness, INITIALIZE, initialize_payload(Transaction(), data, Checkout(flow="AUTHORIZATION"))
        )
        assert answer["result"] == "AUTHORIZATION_SUCCESS", answer
        assert answer["data"]["savedCard"] == saved

    one_touch = [payment for payment in app_harness.sandbox.payments() if payment.endpoint == "onetouch.aspx"]
    assert [(payment.job, payment.card_seq, payment.amount) for payment in one_touch] == [("AUTH", 1, 3500)] * 2


async def test_one_touch_carries_instalments_the_channel_offers(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(
        job_type=JobType.CAPTURE,
        payment_methods=(PaymentMethodCode.LUMP_SUM, PaymentMethodCode.INSTALLMENTS),
        installment_counts=(3, 6),
    )
    saved = (await _save_first_card(app_harness))["data"]["savedCard"]

    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(Transaction(), {"paymentMethodId": saved["id"], "md": "61", "pt": 6}, Checkout()),
    )
    refused = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(Transaction(), {"paymentMethodId": saved["id"], "md": "61", "pt": 5}, Checkout()),
    )

    assert answer["result"] == "CHARGE_SUCCESS"
    assert (app_harness.sandbox.payments()[-1].method, app_harness.sandbox.payments()[-1].instalments) == ("61", 6)
    assert refused["result"] == "CHARGE_FAILURE"
    assert refused["data"]["error"]["code"] == "INVALID_DATA" and "pt" in refused["message"]
    assert len(app_harness.sandbox.payments()) == 2


async def test_another_shoppers_card_is_refused_without_any_gateway_call(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    saved = (await _save_first_card(app_harness))["data"]["savedCard"]
    calls_before = len(app_harness.sandbox.payments())

    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(Transaction(), {"paymentMethodId": saved["id"]}, Checkout(user_id=OTHER_USER_ID)),
    )

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "CARD_NOT_FOUND"
    assert "pspReference" not in answer
    assert len(app_harness.sandbox.payments()) == calls_before


async def test_a_guest_can_never_pay_with_a_saved_card(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    saved = (await _save_first_card(app_harness))["data"]["savedCard"]

    answer = await deliver(
        app_harness,
        INITIALIZE,
        initialize_payload(Transaction(), {"paymentMethodId": saved["id"]}, Checkout(user_id=None)),
    )

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["error"]["code"] == "SIGN_IN_REQUIRED"
    assert len(app_harness.sandbox.payments()) == 1


async def test_saving_needs_a_signed_in_shopper_and_a_channel_that_allows_it(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE, save_cards_allowed=False)
    token_data = {"tkn": "never-used-token", "saveCard": True}

    guest = await deliver(
        app_harness, INITIALIZE, initialize_payload(Transaction(), token_data, Checkout(user_id=None))
    )
    disabled = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), token_data, Checkout()))

    assert guest["data"]["error"]["code"] == "SIGN_IN_REQUIRED"
    assert disabled["data"]["error"]["code"] == "SAVING_CARDS_DISABLED"
    assert app_harness.sandbox.payments() == []


async def test_declined_bulk_registration_saves_nothing(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)

    answer = await pay_with_new_card(app_harness, Checkout(), Transaction(), card="4000000000000044", save_card=True)

    assert answer["result"] == "CHARGE_FAILURE"
    assert answer["data"]["savedCard"] is None
    assert await app_harness.services.store.cards.list_for_user(app_harness.installation.id, STORE_ID, USER_ID) == []
    assert APPROVED_CARD not in str(answer)


@pytest.mark.parametrize(("flow", "result"), [("AUTHORIZATION", "AUTHORIZATION_SUCCESS"), ("CHARGE", "CHARGE_SUCCESS")])
async def test_a_one_touch_payment_follows_saleors_flow_strategy(
    app_harness: AppHarness, flow: str, result: str
) -> None:
    await app_harness.configure_channel(job_type=JobType.AUTH)
    saved = (await _save_first_card(app_harness))["data"]["savedCard"]

    data = {"paymentMethodId": saved["id"]}
    answer = await deliver(app_harness, INITIALIZE, initialize_payload(Transaction(), data, Checkout(flow=flow)))

    assert answer["result"] == result, answer
    assert app_harness.sandbox.payments()[-1].job == ("AUTH" if flow == "AUTHORIZATION" else "CAPTURE")

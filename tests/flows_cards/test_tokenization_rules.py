"""Saving a card when something is off: guests, configuration, bad storefront data, declines, lost answers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from robotpayment_app.flows.customers import gateway_customer_id_for
from robotpayment_app.gateway import GatewayTimeouts
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.records import LedgerStatus
from tests.flows_cards.support import (
    ENVELOPE,
    MASTERCARD,
    THREE_DS_FAILS,
    VISA,
    CardOwner,
    assert_valid_answer,
    recording_gateway_calls,
)
from tests.support.app_harness import CHANNEL_SLUG, AppHarness

USER_ID = "VXNlcjo0OQ=="
SIGN_IN = "カードの保存・利用にはログインが必要です。 Please sign in to save or use a card."
UNAVAILABLE = "現在このお支払い方法はご利用いただけません。 This payment method is not available right now."


def _owner(app_harness: AppHarness, **overrides: Any) -> CardOwner:
    return CardOwner(app_harness, overrides.pop("user_id", USER_ID), overrides.pop("email", "hanako@example.com"))


def _short_gateway_timeouts(app_harness: AppHarness) -> None:
    """So that a slow gateway answer becomes an unknown outcome within a second (set before the first call)."""
    app_harness.services.gateway_timeouts = GatewayTimeouts(connect=1.0, read=1.0, write=1.0, pool=1.0, total=1.0)


async def _guest(app_harness: AppHarness, event: SaleorEvent, **fields: Any) -> dict[str, Any]:
    payload = {
        **ENVELOPE,
        "recipient": {"id": app_harness.saleor.app_id},
        "user": None,
        "channel": {"slug": CHANNEL_SLUG, "currencyCode": "JPY"},
        **fields,
    }
    response = await app_harness.deliver(event, payload)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    assert_valid_answer(event, answer)
    return answer


async def test_guests_cannot_save_list_or_delete_cards(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    with recording_gateway_calls() as gateway:
        page = await _guest(app_harness, SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION, data=None)
        saved = await _guest(
            app_harness,
            SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION,
            data={"tkn": "t"},
            paymentFlowToSupport="INTERACTIVE",
        )
        processed = await _guest(app_harness, SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION, id="x", data={})
        deleted = await _guest(app_harness, SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED, paymentMethodId="x")
        listed = await _guest(app_harness, SaleorEvent.LIST_STORED_PAYMENT_METHODS)
    assert page == {"result": "FAILED_TO_INITIALIZE", "error": SIGN_IN}
    assert saved == processed == {"result": "FAILED_TO_TOKENIZE", "error": SIGN_IN}
    assert deleted == {"result": "FAILED_TO_DELETE", "error": SIGN_IN}
    assert listed == {"paymentMethods": []}
    assert gateway.calls == []
    assert app_harness.sandbox.customers() == []


async def test_unconfigured_channel(app_harness: AppHarness) -> None:
    owner = _owner(app_harness)
    with recording_gateway_calls() as gateway:
        assert await owner.open_save_card_page() == {"result": "FAILED_TO_INITIALIZE", "error": UNAVAILABLE}
        assert await owner.tokenize({"tkn": "t"}) == {"result": "FAILED_TO_TOKENIZE", "error": UNAVAILABLE}
        assert await owner.list_cards() == []
    assert gateway.calls == []


async def test_saving_disabled_for_the_channel(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(save_cards_allowed=False)
    owner = _owner(app_harness)
    expected = "このストアではカードを保存できません。 Cards cannot be saved in this shop."
    with recording_gateway_calls() as gateway:
        assert await owner.open_save_card_page() == {"result": "FAILED_TO_INITIALIZE", "error": expected}
        assert await owner.tokenize({"tkn": "t"}) == {"result": "FAILED_TO_TOKENIZE", "error": expected}
    assert gateway.calls == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (None, "tkn"),
        ("tkn=abc", "data"),
        ([], "data"),
        ({}, "tkn"),
        ({"tkn": ""}, "tkn"),
        ({"tkn": 12345}, "tkn"),
        ({"tkn": "t", "replaces": ""}, "replaces"),
        ({"tkn": "t", "saveCard": True}, "saveCard"),
        ({"tkn": "t", "brand": ["VISA"]}, "brand"),
        ({"tkn": "t", "brand": "Master"}, "brand"),
        ({"tkn": "has space"}, "tkn"),
    ],
)
async def test_malformed_data_names_the_field(app_harness: AppHarness, data: Any, field: str) -> None:
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    with recording_gateway_calls() as gateway:
        answer = await owner.tokenize(data)
    assert answer["result"] == "FAILED_TO_TOKENIZE"
    assert f"({field}: " in answer["error"]
    assert "has space" not in answer["error"]  # a token never comes back, even a malformed one
    assert [call for call in gateway.commands() if call != "carduser.aspx:0"] == []


async def test_a_user_without_a_usable_contact_gets_no_gateway_customer(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, USER_ID, "はなこ@例え.jp", phone=None)
    with recording_gateway_calls() as gateway:
        answer = await owner.open_save_card_page()
    assert answer["result"] == "FAILED_TO_INITIALIZE"
    assert "valid e-mail address or phone number" in answer["error"]
    assert gateway.calls == []


async def test_phone_alone_is_enough(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, USER_ID, "はなこ@例え.jp", phone="+81 90-1234-5678")
    page = await owner.open_save_card_page()
    customer = app_harness.sandbox.customer(page["data"]["threeDS"]["uid"])
    assert customer is not None and (customer.email, customer.phone) == ("", "09012345678")


async def test_three_d_secure_failure_saves_nothing(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    answer = await owner.save_card(THREE_DS_FAILS)
    assert answer == {
        "result": "FAILED_TO_TOKENIZE",
        "error": "本人認証（3Dセキュア）に失敗しました。もう一度お試しいただくか、別のカードをご利用ください。 "
        "Card authentication (3-D Secure) failed. Please try again or use another card.",
    }
    assert await owner.list_cards() == []
    # nothing left open: the card registration's ledger row ended as declined
    assert await app_harness.services.store.ledger.list_unresolved(pending_before=app_harness.services.clock()) == []


async def test_a_busy_gateway_asks_to_try_again(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    app_harness.sandbox.faults.add(Fault(endpoint="carduser.aspx", mode=FaultMode.BUSY))
    answer = await _owner(app_harness).open_save_card_page()
    assert answer["result"] == "FAILED_TO_INITIALIZE"
    assert "The payment service is busy. Please try again in a moment." in answer["error"]


async def test_a_customer_the_gateway_already_has_is_adopted(app_harness: AppHarness) -> None:
    """The uid is derived from the user: when the app lost its row, the gateway's customer is found again."""
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    first = await owner.open_save_card_page()
    customers = app_harness.services.store.customers
    (customer,) = await customers.list_for_user(app_harness.installation.id, USER_ID)
    await customers.delete(customer.id)
    with recording_gateway_calls() as gateway:
        again = await owner.open_save_card_page()
    assert again == first
    assert gateway.commands() == ["carduser.aspx:0", "carduser.aspx:3"]  # refused as already registered, read
    (adopted,) = await customers.list_for_user(app_harness.installation.id, USER_ID)
    assert adopted.gateway_key.get_secret_value() == customer.gateway_key.get_secret_value()
    assert (await owner.save_card(VISA))["result"] == "SUCCESSFULLY_TOKENIZED"


async def test_a_registration_whose_answer_is_lost_is_pending_then_settled(app_harness: AppHarness) -> None:
    _short_gateway_timeouts(app_harness)
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    token = await owner.card_token(VISA)
    # the gateway registers the card, then answers too late
    app_harness.sandbox.faults.add(Fault(endpoint="carduser_token.aspx", mode=FaultMode.SLOW, delay_seconds=5))
    pending = await owner.tokenize({"tkn": token, "brand": "visa"})
    session_id = pending["id"]
    assert pending == {
        "result": "PENDING",
        "id": session_id,
        "data": {
            "version": 1,
            "error": {
                "code": "CARD_OUTCOME_UNKNOWN",
                "message": "カードの登録結果を確認しています。しばらくしてから保存済みカードをご確認ください。 "
                "We are confirming whether your card was saved. Please check your saved cards shortly.",
                "retryable": False,
            },
        },
    }
    assert session_id.startswith("tks_")
    uid = gateway_customer_id_for(app_harness.installation, USER_ID)
    gateway_customer = app_harness.sandbox.customer(uid)
    assert gateway_customer is not None and list(gateway_customer.cards) == [1]
    assert await owner.list_cards() == []  # not known yet

    # someone else cannot settle it
    stranger = CardOwner(app_harness, "VXNlcjo5OQ==", "stranger@example.com")
    await stranger.open_save_card_page()
    with recording_gateway_calls() as gateway:
        assert (await stranger.process(session_id))["result"] == "FAILED_TO_TOKENIZE"
    assert gateway.calls == []

    # the shopper's storefront settles it: the gateway's new card is read and kept
    with recording_gateway_calls() as gateway:
        settled = await owner.process(session_id)
    assert settled["result"] == "SUCCESSFULLY_TOKENIZED"
    assert gateway.commands()[0] == "carduser.aspx:6"
    assert [method["id"] for method in await owner.list_cards()] == [settled["id"]]
    # asking again gives the same card, without the gateway
    with recording_gateway_calls() as gateway:
        assert (await owner.process(session_id))["id"] == settled["id"]
    assert gateway.calls == []


async def test_a_registration_that_never_happened_is_settled_as_not_saved(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    token = await owner.card_token(VISA)
    # HTTP 503: the client cannot know whether the gateway acted (here it did not)
    app_harness.sandbox.faults.add(Fault(endpoint="carduser_token.aspx", mode=FaultMode.STATUS, status=503))
    pending = await owner.tokenize({"tkn": token})
    assert pending["result"] == "PENDING"
    settled = await owner.process(pending["id"])
    assert settled == {
        "result": "FAILED_TO_TOKENIZE",
        "error": "カードは保存されませんでした。もう一度お試しください。 The card was not saved. Please try again.",
    }
    entry = await app_harness.services.store.ledger.find_by_dedup_key(
        app_harness.installation.id, "card-session:" + pending["id"]
    )
    assert entry is not None and entry.status is LedgerStatus.DECLINED
    assert await owner.list_cards() == []


async def test_a_replacement_whose_answer_is_lost_is_settled_by_reading_the_card(app_harness: AppHarness) -> None:
    _short_gateway_timeouts(app_harness)
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    card_id = (await owner.save_card(VISA))["id"]
    token = await owner.card_token(MASTERCARD)
    app_harness.sandbox.faults.add(Fault(endpoint="carduser_token.aspx", mode=FaultMode.SLOW, delay_seconds=5))
    pending = await owner.tokenize({"tkn": token, "replaces": card_id})
    assert pending["result"] == "PENDING"
    settled = await owner.process(pending["id"])
    assert settled["result"] == "SUCCESSFULLY_TOKENIZED" and settled["id"] == card_id
    (listed,) = await owner.list_cards()
    assert listed["name"] == "Card •••• 4444"  # the new card; its brand is not known


async def test_process_replaces_or_confirms_the_shoppers_own_card(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    card_id = (await owner.save_card(VISA))["id"]
    with recording_gateway_calls() as gateway:
        confirmed = await owner.process(card_id)
    assert confirmed["result"] == "SUCCESSFULLY_TOKENIZED" and confirmed["id"] == card_id
    assert gateway.calls == []
    token = await owner.card_token(MASTERCARD)
    with recording_gateway_calls() as gateway:
        replaced = await owner.process(card_id, {"tkn": token, "brand": "mastercard"})
    assert replaced["id"] == card_id and replaced["data"]["savedCard"]["name"] == "MASTERCARD •••• 4444"
    assert gateway.commands() == ["carduser_token.aspx:4", "carduser.aspx:6"]
    with recording_gateway_calls() as gateway:
        refused = await owner.process(card_id, {"tkn": "x", "replaces": card_id})
    assert refused["result"] == "FAILED_TO_TOKENIZE" and "(replaces: " in refused["error"]
    assert gateway.calls == []


async def test_concurrent_save_card_pages_make_one_gateway_customer(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = _owner(app_harness)
    pages = await asyncio.gather(*(owner.open_save_card_page() for _ in range(5)))
    assert all(page["result"] == "SUCCESSFULLY_INITIALIZED" for page in pages), pages
    assert len({page["data"]["threeDS"]["uid"] for page in pages}) == 1
    assert len(app_harness.sandbox.customers()) == 1
    stored = await app_harness.services.store.customers.list_for_user(app_harness.installation.id, USER_ID)
    assert len(stored) == 1


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (SaleorEvent.LIST_STORED_PAYMENT_METHODS, {"paymentMethods": []}),
        (SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED, {"result": "FAILED_TO_DELETE"}),
        (SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION, {"result": "FAILED_TO_INITIALIZE"}),
        (SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION, {"result": "FAILED_TO_TOKENIZE"}),
        (SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION, {"result": "FAILED_TO_TOKENIZE"}),
        (SaleorEvent.CUSTOMER_UPDATED, {}),
        (SaleorEvent.CUSTOMER_DELETED, {}),
    ],
)
async def test_payloads_missing_fields_get_an_answer_not_an_error(
    app_harness: AppHarness, event: SaleorEvent, expected: dict[str, Any]
) -> None:
    """A signed body without the fields our documents ask for (channel, ids…) is answered, never a 500."""
    await app_harness.configure_channel()
    body = {
        **ENVELOPE,
        "recipient": {"id": app_harness.saleor.app_id},
        "user": {"id": USER_ID, "email": 42},
        "data": {"tkn": "t"},
    }
    with recording_gateway_calls() as gateway:
        response = await app_harness.deliver(event, body)
    assert response.status_code == 200
    answer = response.json()
    assert_valid_answer(event, answer)
    assert {key: answer[key] for key in expected} == expected
    if "error" in answer:
        assert "(payload: " in answer["error"] and "channel" in answer["error"]
    assert gateway.calls == []

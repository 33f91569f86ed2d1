"""Two shoppers can never list, replace, delete or settle each other's cards: every attempt is refused before
any gateway call (Saleor does not check who owns a stored payment method; the app does)."""

from __future__ import annotations

import pytest

from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from robotpayment_app.store.errors import CardNotFound
from robotpayment_app.store.records import ChannelSettings
from tests.flows_cards.support import MASTERCARD, VISA, CardOwner, pay_one_touch, recording_gateway_calls
from tests.support.app_harness import GATEWAY_BASE_URL, STORE_ID, AppHarness

HANAKO = "VXNlcjo0OQ=="
TARO = "VXNlcjo1Mg=="


@pytest.fixture
async def hanako_card(app_harness: AppHarness) -> tuple[CardOwner, CardOwner, str]:
    """Hanako has a saved VISA; Taro is signed in with a gateway customer of his own but no card."""
    await app_harness.configure_channel()
    hanako = CardOwner(app_harness, HANAKO, "hanako.suzuki@example.com")
    taro = CardOwner(app_harness, TARO, "taro.yamada@example.com", phone="+819012345678")
    saved = await hanako.save_card(VISA)
    assert saved["result"] == "SUCCESSFULLY_TOKENIZED"
    await taro.open_save_card_page()
    return hanako, taro, saved["id"]


def _hanako_card_at_gateway(app_harness: AppHarness) -> list[str]:
    (customer,) = [c for c in app_harness.sandbox.customers() if c.email == "hanako.suzuki@example.com"]
    return [card.number[-4:] for card in customer.cards.values()]


async def test_lists_show_only_the_shoppers_own_cards(
    app_harness: AppHarness, hanako_card: tuple[CardOwner, CardOwner, str]
) -> None:
    hanako, taro, card_id = hanako_card
    assert await taro.list_cards() == []
    assert [method["id"] for method in await hanako.list_cards()] == [card_id]
    # the same user in a channel of another store id sees nothing either
    other_store = ChannelSettings(store_id="000001", gateway_base_url=GATEWAY_BASE_URL)
    await app_harness.services.store.channels.upsert(app_harness.installation.id, "other-store", other_store)
    elsewhere = CardOwner(app_harness, HANAKO, "hanako.suzuki@example.com", channel="other-store")
    assert await elsewhere.list_cards() == []


async def test_another_shopper_cannot_delete_the_card(
    app_harness: AppHarness, hanako_card: tuple[CardOwner, CardOwner, str]
) -> None:
    hanako, taro, card_id = hanako_card
    for method_id in (card_id, f"app:{APP_IDENTIFIER}:{card_id}"):
        with recording_gateway_calls() as gateway:
            answer = await taro.delete_card(method_id)
        assert answer["result"] == "FAILED_TO_DELETE"
        assert "The saved card could not be found." in answer["error"]
        assert gateway.calls == []
    assert _hanako_card_at_gateway(app_harness) == ["1111"]
    assert [method["id"] for method in await hanako.list_cards()] == [card_id]


async def test_another_shopper_cannot_replace_the_card(
    app_harness: AppHarness, hanako_card: tuple[CardOwner, CardOwner, str]
) -> None:
    hanako, taro, card_id = hanako_card
    token = await taro.card_token(MASTERCARD)
    with recording_gateway_calls() as gateway:
        by_initialize = await taro.tokenize({"tkn": token, "replaces": card_id})
        by_process = await taro.process(card_id, {"tkn": token})
    for answer in (by_initialize, by_process):
        assert answer["result"] == "FAILED_TO_TOKENIZE"
        assert "保存されたカードが見つかりません。" in answer["error"]
    assert gateway.calls == []
    assert app_harness.sandbox.state.tokens[token].used is False  # the gateway never saw it
    assert _hanako_card_at_gateway(app_harness) == ["1111"]
    assert (await hanako.list_cards())[0]["creditCardInfo"]["lastDigits"] == "1111"


async def test_another_shopper_cannot_pay_with_the_card(
    app_harness: AppHarness, hanako_card: tuple[CardOwner, CardOwner, str]
) -> None:
    hanako, taro, card_id = hanako_card
    with recording_gateway_calls() as gateway:
        for method_id in (card_id, f"app:{APP_IDENTIFIER}:{card_id}"):
            answer = await pay_one_touch(taro, method_id, flow="AUTHORIZATION")
            assert answer["result"] == "AUTHORIZATION_FAILURE", answer
            assert answer["data"]["error"]["code"] == "CARD_NOT_FOUND"
    assert gateway.calls == []
    assert app_harness.sandbox.payments() == []
    # the lookup every payment with a stored id goes through
    with pytest.raises(CardNotFound):
        await app_harness.services.store.cards.get_owned(
            installation_id=app_harness.installation.id, store_id=STORE_ID, saleor_user_id=TARO, public_id=card_id
        )
    # while its owner can
    assert (await pay_one_touch(hanako, card_id, flow="AUTHORIZATION"))["result"] == "AUTHORIZATION_SUCCESS"


async def test_unknown_ids_are_refused_without_a_gateway_call(
    app_harness: AppHarness, hanako_card: tuple[CardOwner, CardOwner, str]
) -> None:
    _, taro, _ = hanako_card
    with recording_gateway_calls() as gateway:
        for method_id in ("card_doesnotexist00000000", "tks_doesnotexist000000000", "sess-1", ""):
            answer = await taro.process(method_id)
            assert answer["result"] == "FAILED_TO_TOKENIZE", method_id
        deleted = await taro.delete_card("card_doesnotexist00000000")
    assert deleted["result"] == "FAILED_TO_DELETE"
    assert gateway.calls == []

"""A shopper's saved card from first save to deletion, through the signed webhook routes and the sandbox gateway:
save-card page → save → list → pay one touch → replace → delete."""

from __future__ import annotations

import json

from robotpayment_app.flows.customers import gateway_customer_id_for
from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from tests.flows_cards.support import MASTERCARD, VISA, CardOwner, pay_one_touch, recording_gateway_calls
from tests.support.app_harness import GATEWAY_BASE_URL, STORE_ID, AppHarness

USER_ID = "VXNlcjo0OQ=="


async def test_save_list_pay_replace_delete(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    hanako = CardOwner(app_harness, USER_ID, "hanako.suzuki@example.com")

    # the save-card page: a gateway customer is created from the user's e-mail and phone
    with recording_gateway_calls() as gateway:
        page = await hanako.open_save_card_page()
    uid = gateway_customer_id_for(app_harness.installation, USER_ID)
    assert page == {
        "result": "SUCCESSFULLY_INITIALIZED",
        "data": {
            "version": 1,
            "aid": STORE_ID,
            "scripts": {
                "cpToken": GATEWAY_BASE_URL + "js/CPToken.js",
                "threeDS": GATEWAY_BASE_URL + "js/EMV3DSAdapter.js",
            },
            "tokenMode": "popup",
            "cvv": False,
            "threeDS": {"aid": STORE_ID, "uid": uid},
        },
    }
    assert gateway.commands() == ["carduser.aspx:0"]
    at_gateway = app_harness.sandbox.customer(uid)
    assert at_gateway is not None
    assert (at_gateway.email, at_gateway.phone) == ("hanako.suzuki@example.com", "0312345678")
    assert app_harness.saleor.private_metadata[USER_ID] == {"robotpayment.uid.000000": uid}
    # opening the page again reuses the customer
    with recording_gateway_calls() as gateway:
        assert (await hanako.open_save_card_page())["data"]["threeDS"]["uid"] == uid
    assert gateway.calls == []

    # save: card registration (cmd 4), then one card read (cmd 6)
    token = await hanako.card_token(VISA, uid=uid)
    with recording_gateway_calls() as gateway:
        saved = await hanako.tokenize({"tkn": token, "brand": "visa"})
    card_id = saved["id"]
    assert saved == {
        "result": "SUCCESSFULLY_TOKENIZED",
        "id": card_id,
        "data": {"version": 1, "savedCard": {"id": card_id, "name": "VISA •••• 1111"}},
    }
    assert card_id.startswith("card_") and len(card_id) >= 27
    assert gateway.commands() == ["carduser_token.aspx:4", "carduser.aspx:6"]
    assert token not in json.dumps(saved) and token not in " ".join(gateway.lines)
    assert [card.number[-4:] for card in at_gateway.cards.values()] == ["1111"]

    # list: from the app's own store, no gateway call
    with recording_gateway_calls() as gateway:
        listed = await hanako.list_cards()
    assert gateway.calls == []
    assert listed == [
        {
            "id": card_id,
            "supportedPaymentFlows": ["INTERACTIVE"],
            "type": "card",
            "name": "VISA •••• 1111",
            "creditCardInfo": {"brand": "VISA", "lastDigits": "1111", "expMonth": 12, "expYear": 2030},
        }
    ]

    # pay one touch with the listed card (the id as the storefront sees it), through the payment use case
    with recording_gateway_calls() as gateway:
        paid = await pay_one_touch(hanako, f"app:{APP_IDENTIFIER}:{card_id}", flow="AUTHORIZATION")
    assert paid["result"] == "AUTHORIZATION_SUCCESS", paid
    assert gateway.commands() == ["onetouch.aspx:4"]
    assert [(p.endpoint, p.uid, p.card_seq, p.amount) for p in app_harness.sandbox.payments()] == [
        ("onetouch.aspx", uid, 1, 3500)
    ]

    # replace: the same id now stands for the new card (cmd 4 with num, then a fresh read)
    token = await hanako.card_token(MASTERCARD, uid=uid)
    with recording_gateway_calls() as gateway:
        replaced = await hanako.tokenize(
            {"tkn": token, "replaces": f"app:{APP_IDENTIFIER}:{card_id}", "brand": "MasterCard"}
        )
    assert replaced["result"] == "SUCCESSFULLY_TOKENIZED" and replaced["id"] == card_id
    assert replaced["data"]["savedCard"]["name"] == "MASTERCARD •••• 4444"
    assert gateway.commands() == ["carduser_token.aspx:4", "carduser.aspx:6"]
    assert {seq: card.number[-4:] for seq, card in at_gateway.cards.items()} == {1: "4444"}
    listed = await hanako.list_cards()
    assert [(method["id"], method["creditCardInfo"]) for method in listed] == [
        (card_id, {"brand": "MASTERCARD", "lastDigits": "4444", "expMonth": 12, "expYear": 2030})
    ]

    # delete: cmd 5, the row goes, the list is empty
    with recording_gateway_calls() as gateway:
        deleted = await hanako.delete_card(card_id)
    assert deleted == {"result": "SUCCESSFULLY_DELETED"}
    assert gateway.commands() == ["carduser.aspx:5"]
    assert at_gateway.cards == {}
    assert await hanako.list_cards() == []
    # deleting it again is refused without a gateway call
    with recording_gateway_calls() as gateway:
        again = await hanako.delete_card(card_id)
    assert again["result"] == "FAILED_TO_DELETE" and "保存されたカードが見つかりません" in again["error"]
    assert gateway.calls == []


async def test_card_without_a_brand_is_listed_by_name_only(app_harness: AppHarness) -> None:
    """The gateway never tells the brand: without the storefront's hint Saleor would drop a partial
    creditCardInfo, so the app leaves it out and names the card by its last digits."""
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, "VXNlcjo1MA==", "taro@example.com", phone=None)
    saved = await owner.save_card(VISA, brand=None)
    assert saved["data"]["savedCard"]["name"] == "Card •••• 1111"
    assert await owner.list_cards() == [
        {"id": saved["id"], "supportedPaymentFlows": ["INTERACTIVE"], "type": "card", "name": "Card •••• 1111"}
    ]


async def test_two_cards_are_listed_oldest_first(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, "VXNlcjo1MQ==", "jiro@example.com")
    first = await owner.save_card(VISA)
    second = await owner.save_card(MASTERCARD, brand="mastercard")
    listed = await owner.list_cards()
    assert [method["id"] for method in listed] == [first["id"], second["id"]]
    assert [method["name"] for method in listed] == ["VISA •••• 1111", "MASTERCARD •••• 4444"]

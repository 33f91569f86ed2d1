"""IDOR on saved cards beyond one shop's two shoppers (tests/flows_cards/test_ownership.py): another Saleor that
installed the app, with a user of the same id (Saleor ids are per shop: `User:49` exists everywhere) and a
channel on the same gateway store, cannot list, delete or pay with the card; nor can look-alike ids (SQL
wildcards, case, whitespace, another app's prefix, oversized) reach it. Nothing is charged, nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import ChannelSettings, JobType
from tests.abuse.support import signed_as, state_of, webhook_path
from tests.flows_cards.support import CardOwner, pay_one_touch
from tests.flows_payments.support import Checkout, Transaction, initialize_payload
from tests.support.app_harness import CHANNEL_SLUG, GATEWAY_BASE_URL, STORE_ID, AppHarness
from tests.support.signing import SigningKey

HANAKO = "VXNlcjo0OQ=="
TARO = "VXNlcjo1Mg=="
OTHER_SHOP = "https://other-shop.example.com/graphql/"
OTHER_APP_ID = "QXBwOjk5"


async def _hanakos_card(harness: AppHarness) -> str:
    await harness.configure_channel(job_type=JobType.CAPTURE)
    saved = await CardOwner(harness, HANAKO, "hanako.suzuki@example.com").save_card()
    assert saved["result"] == "SUCCESSFULLY_TOKENIZED"
    card_id: str = saved["id"]
    return card_id


async def test_another_shop_with_the_same_user_id_cannot_see_delete_or_pay_with_the_card(
    app_harness: AppHarness,
) -> None:
    card_id = await _hanakos_card(app_harness)
    key = SigningKey.generate("other-shop-kid")
    other = await app_harness.services.store.installations.upsert(
        saleor_api_url=OTHER_SHOP,
        domain="other-shop.example.com",
        app_id=OTHER_APP_ID,
        app_token=SecretStr("other-shop-token"),
        jwks=key.jwks(),
    )
    settings = ChannelSettings(store_id=STORE_ID, gateway_base_url=GATEWAY_BASE_URL, job_type=JobType.CAPTURE)
    await app_harness.services.store.channels.upsert(other.id, CHANNEL_SLUG, settings)
    same_user = CardOwner(app_harness, HANAKO, "hanako.suzuki@example.com")
    before = await state_of(app_harness)

    async def as_other_shop(event: SaleorEvent, payload: dict[str, Any]) -> dict[str, Any]:
        body, headers = signed_as(key, OTHER_SHOP, event, {**payload, "recipient": {"id": OTHER_APP_ID}})
        response = await app_harness.client.post(webhook_path(event), content=body, headers=headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    listed = await as_other_shop(SaleorEvent.LIST_STORED_PAYMENT_METHODS, same_user._payload())
    deleted = [
        await as_other_shop(
            SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED, same_user._payload(paymentMethodId=method_id)
        )
        for method_id in (card_id, f"app:{APP_IDENTIFIER}:{card_id}")
    ]
    paid = await as_other_shop(
        SaleorEvent.TRANSACTION_INITIALIZE_SESSION,
        initialize_payload(Transaction(), {"paymentMethodId": card_id}, Checkout(user_id=HANAKO)),
    )

    assert listed == {"paymentMethods": []}
    assert [answer["result"] for answer in deleted] == ["FAILED_TO_DELETE"] * 2
    assert paid["result"] == "CHARGE_FAILURE"
    assert await state_of(app_harness) == before
    assert [method["id"] for method in await same_user.list_cards()] == [card_id]  # still there, at home


LOOKALIKES = [
    "%",
    "_",
    "card_%",
    "*",
    "{card} ",
    " {card}",
    "{upper}",
    "app:another-app:{card}",
    "app:{app}:{card}:extra",
    "app:{app}:%",
    "x" * 10_000,
    "",
]


@pytest.mark.parametrize("pattern", LOOKALIKES, ids=[f"lookalike-{index}" for index in range(len(LOOKALIKES))])
async def test_lookalike_ids_reach_no_card(app_harness: AppHarness, pattern: str) -> None:
    card_id = await _hanakos_card(app_harness)
    taro = CardOwner(app_harness, TARO, "taro.yamada@example.com", phone="+819012345678")
    method_id = pattern.format(card=card_id, upper=card_id.upper(), app=APP_IDENTIFIER)
    before = await state_of(app_harness)

    deleted = await taro.delete_card(method_id)
    paid = await pay_one_touch(taro, method_id)
    # Hanako herself cannot reach her card through a look-alike either (no pattern matching, no trimming)
    own = await CardOwner(app_harness, HANAKO, "hanako.suzuki@example.com").delete_card(method_id)

    assert deleted["result"] == own["result"] == "FAILED_TO_DELETE"
    assert paid["result"] == "CHARGE_FAILURE"
    assert await state_of(app_harness) == before


async def test_nul_characters_are_refused_as_bad_input_not_server_errors(app_harness: AppHarness) -> None:
    """PostgreSQL cannot compare text holding NUL: such input must be refused before it reaches the database, as
    the event's own failure naming the field (not a bare 400, which Saleor shows as "Failed to delivery request")."""
    card_id = await _hanakos_card(app_harness)
    owner = CardOwner(app_harness, HANAKO, "hanako.suzuki@example.com")
    before = await state_of(app_harness)

    webhook = await app_harness.deliver(
        SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED, owner._payload(paymentMethodId=card_id + "\u0000")
    )
    kickback = await app_harness.client.get("/api/kickback/ab%00cd", params={"gid": "1", "rst": "1"})

    assert webhook.status_code == 200
    answer = webhook.json()
    assert answer["result"] == "FAILED_TO_DELETE"
    assert "paymentMethodId: must not contain a NUL character" in answer["error"], answer
    assert (kickback.status_code, kickback.text) == (200, "ok")
    assert await state_of(app_harness) == before

"""Stored payment methods: tokenization round trip, `app:<id>:` prefixes, delete, and the list cache."""

from __future__ import annotations

from typing import Any

from tests.devshop.harness import Harness, ManualClock, Start
from tests.devshop.queries import GATEWAY_ID, STORED_METHODS, TRANSACTION_INITIALIZE, TRANSACTION_PROCESS

CHANNEL = {"channel": "default-channel"}

GATEWAY_TOKENIZATION = """
mutation($id: String!, $channel: String!, $data: JSON) {
  paymentGatewayInitializeTokenization(id: $id, channel: $channel, data: $data) {
    result data errors { field code message }
  }
}
"""
METHOD_INITIALIZE = """
mutation($id: String!, $channel: String!, $data: JSON) {
  paymentMethodInitializeTokenization(id: $id, channel: $channel, paymentFlowToSupport: INTERACTIVE, data: $data) {
    result id data errors { field code message }
  }
}
"""
METHOD_PROCESS = """
mutation($id: String!, $channel: String!, $data: JSON) {
  paymentMethodProcessTokenization(id: $id, channel: $channel, data: $data) {
    result id data errors { field code message }
  }
}
"""
DELETE = """
mutation($id: ID!, $channel: String!) {
  storedPaymentMethodRequestDelete(id: $id, channel: $channel) { result errors { field code message } }
}
"""


async def _save_a_card(shop: Harness, token: str) -> dict[str, Any]:
    started = await shop.data(METHOD_INITIALIZE, {"id": GATEWAY_ID, **CHANNEL, "data": {"tkn": "t"}}, token=token)
    session_id = started["paymentMethodInitializeTokenization"]["id"]
    processed = await shop.data(METHOD_PROCESS, {"id": session_id, **CHANNEL, "data": {"md": "ok"}}, token=token)
    return dict(processed["paymentMethodProcessTokenization"])


async def _list(shop: Harness, token: str) -> list[dict[str, Any]]:
    return list((await shop.data(STORED_METHODS, CHANNEL, token=token))["me"]["storedPaymentMethods"])


async def test_tokenization_round_trip_with_prefixed_ids(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    gateway = await shop.data(
        GATEWAY_TOKENIZATION, {"id": GATEWAY_ID, **CHANNEL, "data": {"locale": "ja"}}, token=token
    )
    assert gateway["paymentGatewayInitializeTokenization"] == {
        "result": "SUCCESSFULLY_INITIALIZED",
        "data": {"aid": "000000", "seen": {"locale": "ja"}},
        "errors": [],
    }
    started = await shop.data(METHOD_INITIALIZE, {"id": GATEWAY_ID, **CHANNEL, "data": {"tkn": "t"}}, token=token)
    assert started["paymentMethodInitializeTokenization"] == {
        "result": "ADDITIONAL_ACTION_REQUIRED",
        "id": f"app:{GATEWAY_ID}:sess-1",
        "data": {"step": "3ds"},
        "errors": [],
    }
    [initialize] = shop.standin.of("PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION")
    assert initialize.payload["paymentFlowToSupport"] == "INTERACTIVE"
    assert initialize.payload["user"]["email"] == "shopper@example.com"

    processed = await shop.data(METHOD_PROCESS, {"id": f"app:{GATEWAY_ID}:sess-1", **CHANNEL, "data": {}}, token=token)
    assert processed["paymentMethodProcessTokenization"]["result"] == "SUCCESSFULLY_TOKENIZED"
    assert processed["paymentMethodProcessTokenization"]["id"] == f"app:{GATEWAY_ID}:card-1"
    [process] = shop.standin.of("PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION")
    assert process.payload["id"] == "sess-1"  # the app gets the bare id

    [card] = await _list(shop, token)
    assert card == {
        "id": f"app:{GATEWAY_ID}:card-1",
        "paymentMethodId": "card-1",
        "type": "card",
        "name": "VISA 1111",
        "data": None,
        "supportedPaymentFlows": ["INTERACTIVE"],
        "gateway": {"id": GATEWAY_ID, "name": "Stand-in Payment App", "currencies": ["JPY"]},
        "creditCardInfo": {"brand": "visa", "firstDigits": None, "lastDigits": "1111", "expMonth": 12, "expYear": 2030},
    }


async def test_delete_passes_the_bare_id_and_reports_the_apps_answer(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    await _save_a_card(shop, token)
    deleted = await shop.data(DELETE, {"id": f"app:{GATEWAY_ID}:card-1", **CHANNEL}, token=token)
    assert deleted["storedPaymentMethodRequestDelete"] == {"result": "SUCCESSFULLY_DELETED", "errors": []}
    [request] = shop.standin.of("STORED_PAYMENT_METHOD_DELETE_REQUESTED")
    assert request.payload["paymentMethodId"] == "card-1"

    again = await shop.data(DELETE, {"id": f"app:{GATEWAY_ID}:card-1", **CHANNEL}, token=token)
    assert again["storedPaymentMethodRequestDelete"] == {
        "result": "FAILED_TO_DELETE",
        "errors": [{"field": None, "code": "GATEWAY_ERROR", "message": "No such card for this customer."}],
    }
    malformed = await shop.data(DELETE, {"id": "card-1", **CHANNEL}, token=token)
    assert malformed["storedPaymentMethodRequestDelete"]["result"] == "FAILED_TO_DELIVER"
    assert malformed["storedPaymentMethodRequestDelete"]["errors"][0]["code"] == "INVALID"
    anonymous = await shop.data(DELETE, {"id": f"app:{GATEWAY_ID}:card-1", **CHANNEL})
    assert anonymous["storedPaymentMethodRequestDelete"]["result"] == "FAILED_TO_DELIVER"
    unknown_channel = await shop.data(DELETE, {"id": f"app:{GATEWAY_ID}:card-1", "channel": "nope"}, token=token)
    assert unknown_channel["storedPaymentMethodRequestDelete"]["errors"][0]["code"] == "NOT_FOUND"
    assert len(shop.standin.of("STORED_PAYMENT_METHOD_DELETE_REQUESTED")) == 2


async def test_the_list_is_cached_until_a_change_or_the_ttl(start: Start, clock: ManualClock) -> None:
    async with start() as shop:
        await shop.install()
        token = await shop.login(shop.devshop.config.shopper)
        reached = lambda: len(shop.standin.of("LIST_STORED_PAYMENT_METHODS"))  # noqa: E731

        assert await _list(shop, token) == []
        assert await _list(shop, token) == []
        assert reached() == 1  # the second call was served from the cache

        await _save_a_card(shop, token)  # tokenization clears the cache
        assert len(await _list(shop, token)) == 1
        assert reached() == 2

        await shop.data(DELETE, {"id": f"app:{GATEWAY_ID}:card-1", **CHANNEL}, token=token)  # so does a delete
        assert await _list(shop, token) == []
        assert reached() == 3

        clock.advance(299)
        await _list(shop, token)
        assert reached() == 3
        clock.advance(2)  # past Saleor's 300 s
        await _list(shop, token)
        assert reached() == 4

        checkout = await shop.new_checkout(token)  # a successful payment clears it too
        started = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token)
        await _list(shop, token)
        assert reached() == 4  # ACTION_REQUIRED is not a payment yet
        await shop.data(TRANSACTION_PROCESS, {"id": started["transactionInitialize"]["transaction"]["id"]}, token=token)
        await _list(shop, token)
        assert reached() == 5
        assert shop.standin.problems == []


async def test_a_zero_ttl_always_asks_the_app(start: Start) -> None:
    async with start(stored_methods_cache_ttl_seconds=0) as shop:
        await shop.install()
        token = await shop.login(shop.devshop.config.shopper)
        for _ in range(3):
            await _list(shop, token)
        assert len(shop.standin.of("LIST_STORED_PAYMENT_METHODS")) == 3


async def test_only_the_shopper_lists_their_methods(shop: Harness) -> None:
    staff = await shop.login(shop.devshop.config.staff)
    users = await shop.data(
        '{ customers(first: 5) { edges { node { id storedPaymentMethods(channel: "default-channel") { id } } } } }',
        token=staff,
    )
    assert all(edge["node"]["storedPaymentMethods"] == [] for edge in users["customers"]["edges"])
    assert shop.standin.of("LIST_STORED_PAYMENT_METHODS") == []
    anonymous = await shop.data(STORED_METHODS, CHANNEL)
    assert anonymous == {"me": None}


async def test_an_invalid_list_answer_gives_an_empty_list(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    shop.standin.force("LIST_STORED_PAYMENT_METHODS", {"paymentMethods": [{"name": "no id or type"}]})
    assert await _list(shop, token) == []


async def test_tokenization_failures_carry_the_apps_message(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    shop.standin.force(
        "PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION", {"result": "FAILED_TO_TOKENIZE", "error": "カードが無効です"}
    )
    failed = await shop.data(METHOD_INITIALIZE, {"id": GATEWAY_ID, **CHANNEL}, token=token)
    assert failed["paymentMethodInitializeTokenization"] == {
        "result": "FAILED_TO_TOKENIZE",
        "id": None,
        "data": None,
        "errors": [{"field": None, "code": "GATEWAY_ERROR", "message": "カードが無効です"}],
    }
    unknown = await shop.data(METHOD_INITIALIZE, {"id": "no.such.app", **CHANNEL}, token=token)
    assert unknown["paymentMethodInitializeTokenization"]["result"] == "FAILED_TO_DELIVER"
    assert unknown["paymentMethodInitializeTokenization"]["errors"][0]["code"] == "NOT_FOUND"

"""idempotencyKey as Saleor handles it: same key + same input calls the app again for the same
transaction; same key + other input is refused (UNIQUE) without a webhook."""

from __future__ import annotations

import asyncio

from tests.devshop.harness import Harness
from tests.devshop.queries import TRANSACTION, TRANSACTION_INITIALIZE


async def test_the_same_key_and_input_reaches_the_app_again_for_the_same_transaction(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    variables = {"id": checkout["id"], "data": {"tkn": "t-1"}, "key": "attempt-1"}
    first = (await shop.data(TRANSACTION_INITIALIZE, variables, token=token))["transactionInitialize"]
    second = (await shop.data(TRANSACTION_INITIALIZE, variables, token=token))["transactionInitialize"]
    assert second["transaction"]["id"] == first["transaction"]["id"]
    assert second["transactionEvent"]["id"] != first["transactionEvent"]["id"]
    assert second["data"] == first["data"]

    deliveries = shop.standin.of("TRANSACTION_INITIALIZE_SESSION")
    assert len(deliveries) == 2
    assert deliveries[0].payload["transaction"]["pspReference"] == ""
    assert deliveries[1].payload["transaction"]["pspReference"] == first["transaction"]["pspReference"]
    assert {d.payload["idempotencyKey"] for d in deliveries} == {"attempt-1"}
    assert deliveries[0].payload["transaction"]["id"] == deliveries[1].payload["transaction"]["id"]

    staff = await shop.login(shop.devshop.config.staff)
    events = (await shop.data(TRANSACTION, {"id": first["transaction"]["id"]}, token=staff))["transaction"]["events"]
    kinds = [e["type"] for e in events]
    assert kinds.count("CHARGE_ACTION_REQUIRED") == 2  # Saleor does not merge them
    assert kinds.count("CHARGE_REQUEST") == 1
    [request] = [e for e in events if e["type"] == "CHARGE_REQUEST"]
    assert request["idempotencyKey"] == "attempt-1" and request["createdBy"] is None


async def test_the_same_key_with_another_amount_or_checkout_is_refused_without_a_webhook(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    other = await shop.new_checkout(token, quantity=1)
    await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "key": "attempt-1"}, token=token)
    for variables in (
        {"id": checkout["id"], "key": "attempt-1", "amount": 100},
        {"id": other["id"], "key": "attempt-1"},
    ):
        result = (await shop.data(TRANSACTION_INITIALIZE, variables, token=token))["transactionInitialize"]
        assert result["transaction"] is None
        assert result["errors"] == [
            {
                "field": "idempotencyKey",
                "code": "UNIQUE",
                "message": "Different transaction with provided idempotency key already exists.",
            }
        ]
    assert len(shop.standin.of("TRANSACTION_INITIALIZE_SESSION")) == 1


async def test_without_a_key_every_call_is_a_new_transaction(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    first = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token)
    second = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token)
    ids = {r["transactionInitialize"]["transaction"]["id"] for r in (first, second)}
    assert len(ids) == 2
    keys = {d.payload["idempotencyKey"] for d in shop.standin.of("TRANSACTION_INITIALIZE_SESSION")}
    assert len(keys) == 2 and all(keys)


async def test_concurrent_calls_with_one_key_share_one_transaction(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    variables = {"id": checkout["id"], "key": "double-click"}
    results = await asyncio.gather(*(shop.data(TRANSACTION_INITIALIZE, variables, token=token) for _ in range(3)))
    assert len({r["transactionInitialize"]["transaction"]["id"] for r in results}) == 1
    assert len(shop.devshop.store.transactions) == 1


async def test_a_repeated_authorization_is_deduplicated_or_refused_like_saleor(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {"result": "AUTHORIZATION_SUCCESS", "pspReference": "auth-1", "amount": 3000.0}
    # an explicit amount: left out, it would be what is still unpaid, 0 after the first answer (UNIQUE)
    variables = {
        "id": checkout["id"],
        "action": "AUTHORIZATION",
        "amount": 3000,
        "key": "k",
        "data": {"answer": answer},
    }
    first = (await shop.data(TRANSACTION_INITIALIZE, variables, token=shop.app_token))["transactionInitialize"]
    same = (await shop.data(TRANSACTION_INITIALIZE, variables, token=shop.app_token))["transactionInitialize"]
    assert same["transactionEvent"]["id"] == first["transactionEvent"]["id"]  # same type, reference, amount
    assert same["transaction"]["authorizedAmount"]["amount"] == 3000.0

    other = {**answer, "pspReference": "auth-2"}
    shop.standin.force("TRANSACTION_INITIALIZE_SESSION", other)
    again = (await shop.data(TRANSACTION_INITIALIZE, variables, token=shop.app_token))["transactionInitialize"]
    assert again["transactionEvent"]["type"] == "AUTHORIZATION_FAILURE"
    assert "AUTHORIZATION_SUCCESS` already reported" in again["transactionEvent"]["message"]
    assert again["transaction"]["authorizedAmount"]["amount"] == 3000.0  # still one authorization
    assert len(shop.standin.of("TRANSACTION_INITIALIZE_SESSION")) == 3

"""A checkout paid through transactionInitialize/transactionProcess with the stand-in's answers."""

from __future__ import annotations

import json

from tests.devshop.harness import Harness, Start
from tests.devshop.queries import (
    CHECKOUT_COMPLETE,
    CHECKOUT_STATUS,
    GATEWAY_ID,
    PAYMENT_GATEWAY_INITIALIZE,
    TRANSACTION,
    TRANSACTION_INITIALIZE,
    TRANSACTION_PROCESS,
)


async def test_pay_a_checkout_with_3ds_then_complete_it(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token, quantity=2)  # 2 x 1500 yen
    assert checkout["totalPrice"]["gross"] == {"amount": 3000.0, "currency": "JPY"}

    init = await shop.data(
        PAYMENT_GATEWAY_INITIALIZE,
        {"id": checkout["id"], "gateways": [{"id": GATEWAY_ID, "data": {"locale": "ja"}}]},
        token=token,
    )
    [config] = init["paymentGatewayInitialize"]["gatewayConfigs"]
    assert config == {"id": GATEWAY_ID, "data": {"aid": "000000", "amount": 3000.0}, "errors": []}
    [gateway_delivery] = shop.standin.of("PAYMENT_GATEWAY_INITIALIZE_SESSION")
    assert gateway_delivery.payload["data"] == {"locale": "ja"}
    assert gateway_delivery.payload["sourceObject"]["__typename"] == "Checkout"
    assert b'"amount": 3000.0' in gateway_delivery.raw_body

    started = (
        await shop.data(
            TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"tkn": "t-1"}, "key": "k-1"}, token=token
        )
    )["transactionInitialize"]
    assert started["errors"] == []
    assert started["transactionEvent"]["type"] == "CHARGE_ACTION_REQUIRED"
    transaction = started["transaction"]
    psp = transaction["pspReference"]
    assert psp.startswith("psp_")
    assert transaction["actions"] == [] and transaction["chargedAmount"]["amount"] == 0.0
    assert started["data"] == {"step": "3ds", "seen": {"tkn": "t-1"}}
    [session] = shop.standin.of("TRANSACTION_INITIALIZE_SESSION")
    assert session.payload["action"] == {"amount": 3000.0, "currency": "JPY", "actionType": "CHARGE"}
    assert session.payload["transaction"]["pspReference"] == ""
    assert session.payload["merchantReference"] == transaction["id"]
    assert session.payload["customerIpAddress"] == "127.0.0.1"
    assert session.payload["issuingPrincipal"] == {
        "__typename": "User",
        "id": session.payload["sourceObject"]["user"]["id"],
        "email": "shopper@example.com",
    }

    processed = (await shop.data(TRANSACTION_PROCESS, {"id": transaction["id"], "data": {"md": "ok"}}, token=token))[
        "transactionProcess"
    ]
    assert processed["errors"] == []
    assert processed["transactionEvent"] == {
        "type": "CHARGE_SUCCESS",
        "amount": {"amount": 3000.0},
        "pspReference": psp,
        "message": "",
    }
    assert processed["transaction"]["chargedAmount"]["amount"] == 3000.0
    assert processed["transaction"]["actions"] == ["REFUND"]
    assert processed["data"] == {"status": "done"}
    [process_delivery] = shop.standin.of("TRANSACTION_PROCESS_SESSION")
    assert process_delivery.payload["transaction"]["pspReference"] == psp
    assert "idempotencyKey" not in process_delivery.payload

    status = await shop.data(CHECKOUT_STATUS, {"id": checkout["id"]}, token=token)
    assert status["checkout"]["chargeStatus"] == "FULL" and status["checkout"]["totalBalance"]["amount"] == 0.0

    await shop.devshop.webhooks.drain()
    [fully_paid] = shop.standin.of("CHECKOUT_FULLY_PAID")
    assert fully_paid.payload["checkout"]["chargeStatus"] == "FULL"
    assert fully_paid.payload["checkout"]["transactions"][0]["chargedAmount"] == {"amount": 3000.0, "currency": "JPY"}

    completed = (await shop.data(CHECKOUT_COMPLETE, {"id": checkout["id"]}, token=token))["checkoutComplete"]
    assert completed["errors"] == []
    order = completed["order"]
    assert (order["status"], order["chargeStatus"], order["number"]) == ("UNFULFILLED", "FULL", "1")
    assert order["lines"] == [
        {"productName": "Monospace Tee", "variantName": "S", "quantity": 2, "unitPrice": {"gross": {"amount": 1500.0}}}
    ]
    mine = await shop.data("{ me { orders(first: 5) { edges { node { id } } } } }", token=token)
    assert mine["me"]["orders"]["edges"] == [{"node": {"id": order["id"]}}]
    staff = await shop.login(shop.devshop.config.staff)
    after = await shop.data(TRANSACTION, {"id": transaction["id"]}, token=staff)
    assert after["transaction"]["order"] == {"id": order["id"]} and after["transaction"]["checkout"] is None
    assert await shop.gql("query($id: ID!) { checkout(id: $id) { id } }", {"id": checkout["id"]}) == {
        "data": {"checkout": None}
    }


async def test_processing_again_returns_the_processed_event_without_a_webhook(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    started = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token)
    transaction_id = started["transactionInitialize"]["transaction"]["id"]
    await shop.data(TRANSACTION_PROCESS, {"id": transaction_id}, token=token)
    again = await shop.data(TRANSACTION_PROCESS, {"id": transaction_id}, token=token)
    assert again["transactionProcess"]["transactionEvent"]["type"] == "CHARGE_SUCCESS"
    assert again["transactionProcess"]["data"] is None
    assert len(shop.standin.of("TRANSACTION_PROCESS_SESSION")) == 1


async def test_an_unpaid_checkout_cannot_be_completed(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    result = await shop.data(CHECKOUT_COMPLETE, {"id": checkout["id"]}, token=token)
    assert result["checkoutComplete"]["order"] is None
    assert result["checkoutComplete"]["errors"][0]["code"] == "CHECKOUT_NOT_FULLY_PAID"


async def test_an_invalid_answer_becomes_a_failure_event_and_data_still_reaches_the_storefront(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {"result": "CHARGE_SUCCESS", "amount": 3000.0, "data": {"why": "no pspReference"}}
    result = (await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"answer": answer}}, token=token))[
        "transactionInitialize"
    ]
    assert result["errors"] == []
    assert result["transactionEvent"]["type"] == "CHARGE_FAILURE"
    assert "pspReference" in result["transactionEvent"]["message"]
    assert result["data"] == {"why": "no pspReference"}
    assert result["transaction"]["chargedAmount"]["amount"] == 0.0


async def test_an_app_error_is_a_failed_delivery_not_a_charge(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    shop.standin.force("TRANSACTION_INITIALIZE_SESSION", {"detail": "boom"}, status=500)
    result = (await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token))["transactionInitialize"]
    assert result["transactionEvent"]["type"] == "CHARGE_FAILURE"
    assert result["transactionEvent"]["message"] == "Failed to delivery request."
    assert result["data"] is None
    assert len(shop.devshop.webhooks.deliveries) >= 1 and shop.devshop.webhooks.deliveries[-1].status_code == 500


async def test_a_slow_app_times_out_like_saleor(start: Start) -> None:
    async with start(sync_read_timeout_seconds=0.2) as shop:
        await shop.install()
        token = await shop.login(shop.devshop.config.shopper)
        checkout = await shop.new_checkout(token)
        shop.standin.force(
            "TRANSACTION_INITIALIZE_SESSION", {"result": "CHARGE_SUCCESS", "pspReference": "late"}, delay=0.8
        )
        result = (await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token))["transactionInitialize"]
        assert result["transactionEvent"]["type"] == "CHARGE_FAILURE"
        assert result["transaction"]["chargedAmount"]["amount"] == 0.0
        assert shop.devshop.webhooks.deliveries[-1].error == "Request failed: ReadTimeout"


async def test_redirects_are_not_followed(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    shop.standin.force(
        "PAYMENT_GATEWAY_INITIALIZE_SESSION", None, status=307, headers={"location": f"{shop.standin_url}/elsewhere"}
    )
    init = await shop.data(
        PAYMENT_GATEWAY_INITIALIZE, {"id": checkout["id"], "gateways": [{"id": GATEWAY_ID}]}, token=token
    )
    [config] = init["paymentGatewayInitialize"]["gatewayConfigs"]
    assert config["data"] is None and config["errors"][0]["code"] == "INVALID"


async def test_an_unknown_gateway_is_reported_per_gateway(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    init = await shop.data(
        PAYMENT_GATEWAY_INITIALIZE, {"id": checkout["id"], "gateways": [{"id": "no.such.app"}]}, token=token
    )
    [config] = init["paymentGatewayInitialize"]["gatewayConfigs"]
    assert config["id"] == "no.such.app" and config["errors"][0]["code"] == "NOT_FOUND"
    result = await shop.data(
        TRANSACTION_INITIALIZE.replace(GATEWAY_ID, "no.such.app"), {"id": checkout["id"]}, token=token
    )
    assert result["transactionInitialize"]["errors"][0] == {
        "field": "paymentGateway",
        "code": "NOT_FOUND",
        "message": result["transactionInitialize"]["errors"][0]["message"],
    }


async def test_only_a_payment_app_may_choose_the_flow(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    refused = await shop.gql(TRANSACTION_INITIALIZE, {"id": checkout["id"], "action": "AUTHORIZATION"}, token=token)
    assert refused["data"]["transactionInitialize"] is None
    assert "HANDLE_PAYMENTS" in refused["errors"][0]["message"]
    assert shop.standin.of("TRANSACTION_INITIALIZE_SESSION") == []

    answer = {
        "result": "AUTHORIZATION_SUCCESS",
        "pspReference": "auth-1",
        "amount": 3000.0,
        "actions": ["CHARGE", "CANCEL"],
        "data": {"status": "authorized"},
    }
    result = (
        await shop.data(
            TRANSACTION_INITIALIZE,
            {"id": checkout["id"], "action": "AUTHORIZATION", "data": {"answer": answer}},
            token=shop.app_token,
        )
    )["transactionInitialize"]
    assert result["transaction"]["authorizedAmount"]["amount"] == 3000.0
    assert sorted(result["transaction"]["actions"]) == ["CANCEL", "CHARGE"]
    [delivery] = shop.standin.of("TRANSACTION_INITIALIZE_SESSION")
    assert delivery.payload["action"]["actionType"] == "AUTHORIZATION"
    assert delivery.payload["issuingPrincipal"]["__typename"] == "App"
    status = await shop.data(CHECKOUT_STATUS, {"id": checkout["id"]}, token=token)
    assert (status["checkout"]["authorizeStatus"], status["checkout"]["chargeStatus"]) == ("FULL", "NONE")


async def test_the_channel_default_flow_applies_to_storefronts(start: Start) -> None:
    async with start(default_transaction_flow="AUTHORIZATION") as shop:
        await shop.install()
        token = await shop.login(shop.devshop.config.shopper)
        checkout = await shop.new_checkout(token)
        await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"]}, token=token)
        [delivery] = shop.standin.of("TRANSACTION_INITIALIZE_SESSION")
        assert delivery.payload["action"]["actionType"] == "AUTHORIZATION"


async def test_guests_pay_anonymously(shop: Harness) -> None:
    checkout = await shop.new_checkout(None, quantity=1)
    result = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "amount": 1000}, token=None)
    assert result["transactionInitialize"]["transactionEvent"]["amount"] == {"amount": 1000.0, "currency": "JPY"}
    [delivery] = shop.standin.of("TRANSACTION_INITIALIZE_SESSION")
    assert delivery.payload["sourceObject"]["user"] is None
    assert delivery.payload["issuingPrincipal"] is None
    assert json.loads(delivery.raw_body)["action"]["amount"] == 1000.0

"""A storefront written in Python: what a shop's pages send to Saleor (here the demo's devshop), over HTTP only.

The browser steps (CPToken, ThreeDSAdapter) go to the printed gateway URL through `SandboxShopper`, with the
storefront's origin as the page origin, exactly as the scripts would send them from the demo's pages.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from robotpayment_app.sandbox.shopper import SandboxShopper

APPROVED_CARD = "4444333322221111"

PRODUCTS = """
query($channel: String!) {
  products(channel: $channel, first: 20) {
    edges { node { id name variants { id name pricing { price { gross { amount currency } } } } } }
  }
}
"""

CHECKOUT_CREATE = """
mutation($channel: String!, $variant: ID!, $quantity: Int!) {
  checkoutCreate(input: {channel: $channel, lines: [{variantId: $variant, quantity: $quantity}]}) {
    checkout { id totalPrice { gross { amount currency } } }
    errors { field code message }
  }
}
"""

GATEWAY_INITIALIZE = """
mutation($id: ID!, $gateway: String!) {
  paymentGatewayInitialize(id: $id, paymentGateways: [{id: $gateway}]) {
    gatewayConfigs { id data errors { field code message } }
    errors { field code message }
  }
}
"""

TRANSACTION_INITIALIZE = """
mutation($id: ID!, $gateway: String!, $data: JSON, $key: String) {
  transactionInitialize(id: $id, paymentGateway: {id: $gateway, data: $data}, idempotencyKey: $key) {
    transaction { id pspReference chargedAmount { amount } authorizedAmount { amount } }
    transactionEvent { type message }
    data
    errors { field code message }
  }
}
"""

STORED_METHODS = """
query($channel: String!) {
  me { storedPaymentMethods(channel: $channel) { id name gateway { id } creditCardInfo { brand lastDigits } } }
}
"""

CHECKOUT_COMPLETE = """
mutation($id: ID!) {
  checkoutComplete(id: $id) {
    order { id number status chargeStatus total { gross { amount currency } } totalCharged { amount } }
    errors { field code message }
  }
}
"""


class GraphQLFailure(AssertionError):
    pass


async def demo_settings(http: httpx.AsyncClient, storefront_url: str) -> dict[str, Any]:
    """`window.ROBOTPAYMENT_DEMO` as the storefront serves it in /demo-config.js."""
    response = await http.get(storefront_url + "/demo-config.js")
    assert response.status_code == 200
    prefix, _, value = response.text.partition("=")
    assert prefix.strip() == "window.ROBOTPAYMENT_DEMO"
    settings: dict[str, Any] = json.loads(value.strip().removesuffix(";"))
    return settings


@dataclass
class DemoStorefront:
    http: httpx.AsyncClient
    saleor_api_url: str
    gateway_url: str  # as printed: <sandbox>/gateway/
    storefront_origin: str
    channel: str
    gateway_id: str = "jp.robotpayment.saleor"
    token: str | None = None

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        response = await self.http.post(
            self.saleor_api_url, json={"query": query, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        if body.get("errors"):
            raise GraphQLFailure(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def sign_in(self, email: str, password: str) -> None:
        data = await self.graphql(
            "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { message } } }",
            {"e": email, "p": password},
        )
        assert data["tokenCreate"]["token"], data["tokenCreate"]["errors"]
        self.token = data["tokenCreate"]["token"]

    async def first_variant(self) -> str:
        data = await self.graphql(PRODUCTS, {"channel": self.channel})
        variant: str = data["products"]["edges"][0]["node"]["variants"][0]["id"]
        return variant

    async def create_checkout(self, variant_id: str, quantity: int = 1) -> dict[str, Any]:
        data = await self.graphql(
            CHECKOUT_CREATE, {"channel": self.channel, "variant": variant_id, "quantity": quantity}
        )
        result = data["checkoutCreate"]
        assert not result["errors"], result["errors"]
        checkout: dict[str, Any] = result["checkout"]
        return checkout

    async def gateway_config(self, checkout_id: str) -> dict[str, Any]:
        data = await self.graphql(GATEWAY_INITIALIZE, {"id": checkout_id, "gateway": self.gateway_id})
        result = data["paymentGatewayInitialize"]
        assert not result["errors"], result["errors"]
        (config,) = result["gatewayConfigs"]
        assert not config["errors"], config["errors"]
        gateway_data: dict[str, Any] = config["data"]
        return gateway_data

    async def initialize_transaction(self, checkout_id: str, data: dict[str, Any]) -> dict[str, Any]:
        variables = {"id": checkout_id, "gateway": self.gateway_id, "data": data, "key": uuid.uuid4().hex}
        answer = await self.graphql(TRANSACTION_INITIALIZE, variables)
        result: dict[str, Any] = answer["transactionInitialize"]
        assert not result["errors"], result["errors"]
        return result

    async def stored_methods(self) -> list[dict[str, Any]]:
        data = await self.graphql(STORED_METHODS, {"channel": self.channel})
        methods: list[dict[str, Any]] = data["me"]["storedPaymentMethods"]
        return methods

    async def complete(self, checkout_id: str) -> dict[str, Any]:
        data = await self.graphql(CHECKOUT_COMPLETE, {"id": checkout_id})
        result = data["checkoutComplete"]
        assert not result["errors"], result["errors"]
        order: dict[str, Any] = result["order"]
        return order

    def browser(self) -> SandboxShopper:
        """CPToken.js and EMV3DSAdapter.js on one of the storefront's pages."""
        sandbox_root = self.gateway_url.rstrip("/").removesuffix("/gateway")
        return SandboxShopper(self.http, sandbox_root, origin=self.storefront_origin)

    async def pay_with_new_card_and_save(self, checkout_id: str, card: str = APPROVED_CARD) -> dict[str, Any]:
        return await self.pay_with_new_card(checkout_id, card, save=True)

    async def pay_with_new_card(self, checkout_id: str, card: str = APPROVED_CARD, *, save: bool) -> dict[str, Any]:
        config = await self.gateway_config(checkout_id)
        browser = self.browser()
        token = await browser.create_token(config["aid"], card, "3012", "HANAKO", "SUZUKI")
        assert await browser.authenticate(config["threeDS"]["saveCard" if save else "payment"], token) == "Success"
        return await self.initialize_transaction(checkout_id, {"tkn": token, "saveCard": save, "md": "10"})

    async def pay_in_one_touch(self, checkout_id: str, payment_method_id: str) -> dict[str, Any]:
        await self.gateway_config(checkout_id)  # a storefront shows the methods first; no browser step follows
        return await self.initialize_transaction(checkout_id, {"paymentMethodId": payment_method_id, "md": "10"})

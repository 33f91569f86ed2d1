"""What a storefront does around the payment pages, over the devshop's GraphQL API: sign in, fill a checkout
and read the shopper's saved cards. The payments themselves go through the pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

GUEST_ADDRESS = {
    "firstName": "Jiro",
    "lastName": "Tanaka",
    "streetAddress1": "2-2 Umeda",
    "city": "Osaka-shi",
    "postalCode": "530-0001",
    "country": "JP",
    "countryArea": "大阪府",
    "phone": "+81612345678",
}


class ShopError(AssertionError):
    pass


@dataclass
class ShopClient:
    http: httpx.AsyncClient
    api_url: str
    channel: str

    async def query(self, document: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            self.api_url, json={"query": document, "variables": variables or {}}, headers=headers
        )
        body = response.json()
        if body.get("errors"):
            raise ShopError(body["errors"])
        return body["data"]

    async def sign_in(self, email: str, password: str) -> str:
        data = await self.query(
            "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { message } } }",
            {"e": email, "p": password},
        )
        token: str | None = data["tokenCreate"]["token"]
        if not token:
            raise ShopError(data["tokenCreate"]["errors"])
        return token

    async def variant_id(self, sku: str) -> str:
        data = await self.query(
            "query($c: String!) { products(channel: $c, first: 20) { edges { node { variants { id sku } } } } }",
            {"c": self.channel},
        )
        for edge in data["products"]["edges"]:
            for variant in edge["node"]["variants"]:
                if variant["sku"] == sku:
                    found: str = variant["id"]
                    return found
        raise ShopError(f"no variant {sku}")

    async def checkout(self, sku: str = "FRS-IND", *, token: str | None = None, email: str | None = None) -> str:
        """A checkout of one item (FRS-IND: ¥3,500) as the signed-in shopper (whose default billing address it
        takes), or as a guest with `email` and a billing address (checkoutComplete needs one)."""
        variables: dict[str, Any] = {
            "input": {"channel": self.channel, "lines": [{"variantId": await self.variant_id(sku), "quantity": 1}]}
        }
        if email:
            variables["input"]["email"] = email
            variables["input"]["billingAddress"] = GUEST_ADDRESS
        data = await self.query(
            """mutation($input: CheckoutCreateInput!) {
                 checkoutCreate(input: $input) { checkout { id } errors { field code message } } }""",
            variables,
            token,
        )
        if data["checkoutCreate"]["errors"]:
            raise ShopError(data["checkoutCreate"]["errors"])
        checkout_id: str = data["checkoutCreate"]["checkout"]["id"]
        return checkout_id

    async def saved_cards(self, token: str) -> list[dict[str, Any]]:
        data = await self.query(
            "query($c: String!) { me { storedPaymentMethods(channel: $c) { id name gateway { id } } } }",
            {"c": self.channel},
            token,
        )
        cards: list[dict[str, Any]] = data["me"]["storedPaymentMethods"]
        return cards

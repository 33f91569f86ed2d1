"""A running devshop plus the stand-in app, both on loopback, and helpers to drive them."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any

import httpx
import strawberry
from graphql import GraphQLSchema
from tests.devshop.servers import Switchboard, free_socket, serving
from tests.devshop.standin_app import StandinState, create_standin_app

from robotpayment_app.devshop import Devshop, DevshopConfig, SeedAccount, create_devshop_app
from robotpayment_app.devshop.keys import SigningKey

CHECKOUT_FIELDS = """
  id
  email
  totalPrice { gross { amount currency } }
  chargeStatus
  authorizeStatus
"""


@dataclass
class Harness:
    devshop: Devshop
    devshop_url: str
    standin_url: str
    standin: StandinState
    http: httpx.AsyncClient

    @property
    def api_url(self) -> str:
        return self.devshop.config.api_url

    @property
    def app_token(self) -> str:
        assert self.standin.installation is not None, "install the stand-in first"
        return self.standin.installation.token

    async def gql(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await self.http.post(
            self.api_url, json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> Any:
        """The `data` of a call that must not report GraphQL errors."""
        result = await self.gql(query, variables, token=token)
        assert "errors" not in result, result["errors"]
        return result["data"]

    async def login(self, account: SeedAccount) -> str:
        data = await self.data(
            "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { code } } }",
            {"e": account.email, "p": account.password.get_secret_value()},
        )
        token = data["tokenCreate"]["token"]
        assert token, data
        return str(token)

    async def install(self) -> None:
        await self.devshop.install_app(f"{self.standin_url}/api/manifest")
        assert self.standin.installation is not None

    async def first_variant_id(self, sku: str = "TEE-S") -> str:
        data = await self.data(
            '{ products(channel: "default-channel", first: 10) { edges { node { variants { id sku } } } } }'
        )
        for edge in data["products"]["edges"]:
            for variant in edge["node"]["variants"]:
                if variant["sku"] == sku:
                    return str(variant["id"])
        raise AssertionError(f"no variant {sku}")

    async def new_checkout(self, token: str | None, *, sku: str = "TEE-S", quantity: int = 2) -> dict[str, Any]:
        variant = await self.first_variant_id(sku)
        data = await self.data(
            'mutation($v: ID!, $q: Int!) { checkoutCreate(input: {channel: "default-channel", '
            'email: "shopper@example.com", lines: [{variantId: $v, quantity: $q}]}) '
            f"{{ checkout {{ {CHECKOUT_FIELDS} }} errors {{ field code message }} }} }}",
            {"v": variant, "q": quantity},
            token=token,
        )
        assert data["checkoutCreate"]["errors"] == [], data
        return dict(data["checkoutCreate"]["checkout"])


class ManualClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Servers:
    """The devshop's and the stand-in's loopback servers, shared by all tests of a session."""

    devshop: Switchboard
    devshop_url: str
    standin: Switchboard
    standin_url: str
    http: httpx.AsyncClient
    schema: strawberry.Schema
    key: SigningKey


@contextlib.asynccontextmanager
async def serving_both(devshop_schema: strawberry.Schema) -> AsyncIterator[Servers]:
    shop_socket, app_socket = free_socket(), free_socket()
    shop_switch, standin_switch = Switchboard(), Switchboard()
    async with (
        httpx.AsyncClient(timeout=30.0) as http,
        serving((shop_switch, shop_socket), (standin_switch, app_socket)) as (shop_url, standin_url),
    ):
        yield Servers(shop_switch, shop_url, standin_switch, standin_url, http, devshop_schema, SigningKey.generate())


@contextlib.asynccontextmanager
async def running(
    servers: Servers, saleor_schema: GraphQLSchema, clock: ManualClock | None = None, **config: Any
) -> AsyncIterator[Harness]:
    """A fresh devshop (config overrides as keywords) and stand-in, plugged into the shared servers."""
    settings = {"action_retry_delay_seconds": 0.0, **config}
    devshop_config = DevshopConfig(public_url=servers.devshop_url, **settings)
    standin = StandinState(saleor_schema=saleor_schema)
    devshop = Devshop(
        devshop_config,
        http_client=servers.http,
        clock=clock or ManualClock(),
        schema=servers.schema,
        signing_key=None if "signing_key_path" in config else servers.key,
    )
    servers.devshop.target = create_devshop_app(devshop_config, devshop=devshop)
    servers.standin.target = create_standin_app(servers.standin_url, standin, servers.http)
    try:
        yield Harness(devshop, servers.devshop_url, servers.standin_url, standin, servers.http)
        await devshop.webhooks.drain()
    finally:
        servers.devshop.target = servers.standin.target = None
        await devshop.aclose()


Start = Callable[..., AbstractAsyncContextManager[Harness]]

"""The whole app in process, for use-case tests through the real HTTP routes.

- the app (FastAPI, its real routes and services) on a migrated test database;
- the sandbox gateway in process, reached through `httpx.ASGITransport` from 127.0.0.1 (its allow-list passes);
  its kickbacks are delivered to the app the same way;
- a fake Saleor (JWKS, GraphQL) that records the app's calls; webhooks signed with a local RSA key.

Use the `app_harness` fixture (see `tests/conftest.py`); `harness.deliver(event, payload)` posts a signed
webhook exactly as Saleor would.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from robotpayment_app.flows.context import EventHandler
from robotpayment_app.flows.registry import HANDLERS
from robotpayment_app.flows.unresolved_watch import UnresolvedWatch, WatchRound
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.gateway import SandboxGateway
from robotpayment_app.sandbox.server import ConnectionDropped
from robotpayment_app.sandbox.shopper import SandboxShopper
from robotpayment_app.settings import load_settings
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.store.records import ChannelConfig, ChannelSettings, Installation
from robotpayment_app.web.app import create_app
from robotpayment_app.web.services import AppServices, open_services, utc_now
from tests.support.fake_saleor import SALEOR_API_URL, SALEOR_DOMAIN, FakeSaleor
from tests.support.signing import SigningKey

APP_BASE_URL = "http://app.test"
SANDBOX_BASE_URL = "http://sandbox.test"
GATEWAY_BASE_URL = SANDBOX_BASE_URL + "/gateway/"
STORE_ID = "000000"
CHANNEL_SLUG = "default-channel"
CLIENT_IP = ("127.0.0.1", 50123)

_SIGNING_KEY: SigningKey | None = None


def shared_signing_key() -> SigningKey:
    """One RSA key per test session: generating 2048-bit keys is slow."""
    global _SIGNING_KEY
    if _SIGNING_KEY is None:
        _SIGNING_KEY = SigningKey.generate("test-kid-1")
    return _SIGNING_KEY


def as_delivered(event: SaleorEvent, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload as Saleor delivers it for our documents: `__typename` names the event's type."""
    return {**payload, "__typename": event.typename}


def _registry_handlers() -> dict[SaleorEvent, EventHandler]:
    """The real use cases; while some event still has none, a 501 answer stands in (TEMPORARY, test-only:
    the app itself refuses to start without every handler)."""

    def missing(event: SaleorEvent) -> EventHandler:
        async def handle(context: Any, payload: Any) -> Any:
            raise NotImplementedError(f"no use case for {event.value} yet")

        return handle

    return {**{hook.event: missing(hook.event) for hook in WEBHOOKS}, **HANDLERS}


class _LateTransport(httpx.AsyncBaseTransport):
    """Lets the app's gateway client exist before the sandbox does (the sandbox needs the kickback secret)."""

    target: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert self.target is not None, "sandbox not started"
        try:
            return await self.target.handle_async_request(request)
        except ConnectionDropped:  # the sandbox's drop test cards, as httpx reports it on a real socket
            message = "Server disconnected without sending a response."
            raise httpx.RemoteProtocolError(message, request=request) from None


@dataclass
class AppHarness:
    app: FastAPI
    services: AppServices
    client: httpx.AsyncClient
    sandbox_app: FastAPI
    sandbox_http: httpx.AsyncClient
    saleor: FakeSaleor
    installation: Installation
    time_passed: timedelta = field(default_factory=timedelta)

    def pass_time(self, seconds: float) -> None:
        """The app's clock (flows, the watch) runs `seconds` ahead from now on; the database's timestamps don't."""
        self.time_passed += timedelta(seconds=seconds)
        offset = self.time_passed

        def shifted() -> datetime:
            return utc_now() + offset

        self.services.clock = shifted

    async def run_watch(self) -> WatchRound:
        """One round of the watch each app process runs every few seconds (flows/unresolved_watch.py)."""
        return await UnresolvedWatch(self.services).run_once()

    async def reload_installation(self) -> Installation:
        installation = await self.services.store.installations.get(self.installation.id)
        assert installation is not None
        self.installation = installation
        return installation

    @property
    def sandbox(self) -> SandboxGateway:
        gateway: SandboxGateway = self.sandbox_app.state.sandbox
        return gateway

    def shopper(self) -> SandboxShopper:
        return SandboxShopper(self.sandbox_http, SANDBOX_BASE_URL)

    async def configure_channel(self, slug: str = CHANNEL_SLUG, **overrides: Any) -> ChannelConfig:
        values: dict[str, Any] = {"store_id": STORE_ID, "gateway_base_url": GATEWAY_BASE_URL, **overrides}
        settings = ChannelSettings(**values)
        return await self.services.store.channels.upsert(self.installation.id, slug, settings)

    def signed_headers(self, event: SaleorEvent, body: bytes) -> dict[str, str]:
        return {
            "Content-Type": "application/json",
            "Saleor-Event": event.header_value,
            "Saleor-Domain": SALEOR_DOMAIN,
            "Saleor-Api-Url": SALEOR_API_URL,
            "Saleor-Signature": self.saleor.signing_key.sign_webhook(body),
        }

    async def deliver(self, event: SaleorEvent, payload: Mapping[str, Any]) -> httpx.Response:
        """POST a webhook signed like Saleor's (Python json.dumps defaults, as Saleor writes it)."""
        body = json.dumps(as_delivered(event, payload)).encode()
        path = next(hook.path for hook in WEBHOOKS if hook.event is event)
        return await self.client.post(path, content=body, headers=self.signed_headers(event, body))


@asynccontextmanager
async def open_app_harness(
    database_url: str,
    data_dir: Path,
    *,
    handlers: Mapping[SaleorEvent, EventHandler] | None = None,
    sandbox_config: SandboxConfig | None = None,
    kickbacks: bool = True,
    kickback_for_rt1: bool = False,
) -> AsyncIterator[AppHarness]:
    """`kickback_for_rt1`: the sandbox notifies after the app's rt=1 payments too (the spec describes
    notifications for rt=0 only)."""
    saleor = FakeSaleor(shared_signing_key())
    settings = load_settings(
        database_url=database_url,
        data_dir=data_dir,
        public_url=APP_BASE_URL,
        encryption_key=SecretStr(generate_key()),
        apply_migrations_on_start=False,
    )
    app = create_app(settings, handlers=handlers if handlers is not None else _registry_handlers())
    async with AsyncExitStack() as stack:
        app_transport = httpx.ASGITransport(app=app, client=CLIENT_IP)
        sandbox_transport = _LateTransport()
        services = await stack.enter_async_context(
            open_services(settings, saleor_transport=saleor.transport(), gateway_transport=sandbox_transport)
        )
        app.state.services = services
        installation = await services.store.installations.upsert(
            saleor_api_url=SALEOR_API_URL,
            domain=SALEOR_DOMAIN,
            app_id=saleor.app_id,
            app_token=SecretStr(saleor.app_token),
            jwks=saleor.signing_key.jwks(),
        )

        def kickback_client() -> httpx.AsyncClient:
            return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=CLIENT_IP))

        kickback_url = f"{APP_BASE_URL}/api/kickback/{installation.kickback_secret}" if kickbacks else None
        config = sandbox_config or SandboxConfig(stores=(StoreConfig(store_id=STORE_ID),))
        stores = tuple(store.model_copy(update={"kickback_url": kickback_url}) for store in config.stores)
        sandbox_app = create_sandbox_app(
            config.model_copy(update={"stores": stores, "kickback_for_rt1": kickback_for_rt1}),
            kickback_client_factory=kickback_client,
        )
        sandbox_transport.target = httpx.ASGITransport(app=sandbox_app, client=CLIENT_IP)
        client = await stack.enter_async_context(httpx.AsyncClient(transport=app_transport, base_url=APP_BASE_URL))
        sandbox_http = await stack.enter_async_context(
            httpx.AsyncClient(transport=sandbox_transport.target, base_url=SANDBOX_BASE_URL)
        )
        try:
            yield AppHarness(app, services, client, sandbox_app, sandbox_http, saleor, installation)
        finally:
            await sandbox_app.state.sandbox.kickbacks.aclose()

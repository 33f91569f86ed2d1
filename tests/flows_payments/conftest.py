"""Fixtures for the payment flow tests: the app harness with a controllable network to the gateway, and a
second app process sharing the same database."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest

from robotpayment_app.flows.registry import HANDLERS
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.sandbox.server import ConnectionDropped
from robotpayment_app.web.app import create_app
from robotpayment_app.web.services import open_services
from tests.support.app_harness import APP_BASE_URL, CLIENT_IP, AppHarness, as_delivered


class GatewayNetwork(httpx.AsyncBaseTransport):
    """The app's network path to the sandbox gateway, in process.

    Counts calls per page; `refuse(page)` makes the next call fail to connect (nothing reaches the gateway);
    a connection the sandbox drops (its drop test cards) surfaces as httpx does it on a real socket.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self._inner = inner
        self._refusals: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def refuse(self, page: str, times: int = 1) -> None:
        self._refusals[page] += times

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        page = request.url.path.rsplit("/", 1)[-1]
        if self._refusals[page] > 0:
            self._refusals[page] -= 1
            raise httpx.ConnectError("connection refused", request=request)
        self.calls[page] += 1
        try:
            return await self._inner.handle_async_request(request)
        except ConnectionDropped:
            raise httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=request
            ) from None


@pytest.fixture
async def network(app_harness: AppHarness) -> AsyncIterator[GatewayNetwork]:
    """Route the app's gateway calls through a `GatewayNetwork` (before any gateway client exists)."""
    transport = GatewayNetwork(httpx.ASGITransport(app=app_harness.sandbox_app, client=CLIENT_IP))
    original = app_harness.services.gateway_http
    app_harness.services.gateway_http = httpx.AsyncClient(transport=transport)
    try:
        yield transport
    finally:
        await app_harness.services.gateway_http.aclose()
        app_harness.services.gateway_http = original


class SecondProcess:
    """Another app process on the same database, reaching the same gateway and Saleor."""

    def __init__(self, harness: AppHarness, client: httpx.AsyncClient) -> None:
        self._harness = harness
        self._client = client

    async def deliver(self, event: SaleorEvent, payload: Mapping[str, Any]) -> httpx.Response:
        body = json.dumps(as_delivered(event, payload)).encode()
        path = next(hook.path for hook in WEBHOOKS if hook.event is event)
        return await self._client.post(path, content=body, headers=self._harness.signed_headers(event, body))


@asynccontextmanager
async def second_process(harness: AppHarness) -> AsyncIterator[SecondProcess]:
    settings = harness.services.settings
    app = create_app(settings, handlers=HANDLERS)
    gateway = httpx.ASGITransport(app=harness.sandbox_app, client=CLIENT_IP)
    async with open_services(
        settings, saleor_transport=harness.saleor.transport(), gateway_transport=gateway
    ) as services:
        app.state.services = services
        transport = httpx.ASGITransport(app=app, client=CLIENT_IP)
        async with httpx.AsyncClient(transport=transport, base_url=APP_BASE_URL) as client:
            yield SecondProcess(harness, client)

"""An app built from chosen settings (production mode, migrations at start, …), run through its own lifespan,
with Saleor's side answered by the fake Saleor."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from robotpayment_app.settings import AppSettings, load_settings
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.web.app import create_app
from robotpayment_app.web.services import AppServices, open_services
from tests.support.app_harness import APP_BASE_URL, CLIENT_IP, _registry_handlers, shared_signing_key
from tests.support.fake_saleor import FakeSaleor


def app_settings(database_url: str, data_dir: Path, **overrides: Any) -> AppSettings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "public_url": APP_BASE_URL,
        "encryption_key": SecretStr(generate_key()),
        "apply_migrations_on_start": False,
        **overrides,
    }
    return load_settings(**values)


@asynccontextmanager
async def running_app(
    settings: AppSettings, saleor: FakeSaleor | None = None
) -> AsyncIterator[tuple[httpx.AsyncClient, AppServices, FakeSaleor]]:
    """The app with its lifespan entered (services opened as in production), Saleor calls going to the fake."""
    fake = saleor or FakeSaleor(shared_signing_key())

    @asynccontextmanager
    async def services_factory(resolved: AppSettings) -> AsyncIterator[AppServices]:
        async with open_services(resolved, saleor_transport=fake.transport()) as services:
            yield services

    # the harness's handlers: the real use cases, stand-ins for events that have none yet
    app = create_app(settings, services_factory=services_factory, handlers=_registry_handlers())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=CLIENT_IP)
        async with httpx.AsyncClient(transport=transport, base_url=APP_BASE_URL) as client:
            yield client, app.state.services, fake


@asynccontextmanager
async def served_app(
    settings: AppSettings, saleor: FakeSaleor | None = None
) -> AsyncIterator[tuple[str, AppServices, FakeSaleor]]:
    """The app served by uvicorn on a loopback port of the test's event loop, with the options `serve` gives it
    (uvicorn's default HTTP parser, proxy headers, no access log); yields its base URL. For what only a real socket
    shows: what the server reads and holds, and the headers it answers with."""
    fake = saleor or FakeSaleor(shared_signing_key())

    @asynccontextmanager
    async def services_factory(resolved: AppSettings) -> AsyncIterator[AppServices]:
        async with open_services(resolved, saleor_transport=fake.transport()) as services:
            yield services

    app = create_app(settings, services_factory=services_factory, handlers=_registry_handlers())
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, access_log=False, proxy_headers=True, log_level="warning", lifespan="on"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the app stopped while starting")
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}", app.state.services, fake
    finally:
        server.should_exit = True
        await task

"""An app built from chosen settings (production mode, migrations at start, …), run through its own lifespan,
with Saleor's side answered by the fake Saleor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
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

"""Dashboard page suite: one Debian Chromium, one sandbox gateway, one Saleor stand-in and one app per test
module; before each test the app's tables are emptied and it is installed afresh. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, async_playwright

from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.gateway import SandboxGateway
from robotpayment_app.store.tables import Base
from tests.dashboard.page_support import ARTIFACTS, DashboardBrowser
from tests.dashboard.servers import RunningApp, SaleorStandIn, running_app, serving_on_loopback
from tests.support.app_harness import shared_signing_key
from tests.support.database import PostgresServer
from tests.support.signing import SigningKey

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STORE_ID = "000000"


@dataclass(frozen=True)
class ModuleDatabase:
    url: str
    empty: Callable[[], None]


def _empty_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(f'DELETE FROM "{table.name}"')  # noqa: S608 (our own table names)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def browser() -> AsyncIterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


class Gateway:
    def __init__(self, base_url: str, sandbox: SandboxGateway) -> None:
        self.base_url = base_url + "/gateway/"
        self.sandbox = sandbox


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def gateway() -> AsyncIterator[Gateway]:
    """The sandbox on loopback: the app's server calls it from 127.0.0.1, which its allow-list accepts."""
    app = create_sandbox_app(SandboxConfig(stores=(StoreConfig(store_id=STORE_ID),)))
    async with serving_on_loopback(app) as url:
        yield Gateway(url, app.state.sandbox)
        await app.state.sandbox.kickbacks.aclose()


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def saleor() -> AsyncIterator[SaleorStandIn]:
    stand_in = SaleorStandIn(shared_signing_key())
    async with serving_on_loopback(stand_in.app()) as url:
        stand_in.port = int(url.rsplit(":", 1)[1])
        yield stand_in


@pytest.fixture(scope="module")
def module_database(
    migrated_database_template: str, postgres_server: PostgresServer | None, tmp_path_factory: pytest.TempPathFactory
) -> ModuleDatabase:
    """One migrated database for the module's app (starting an app per test costs more than emptying tables)."""
    if postgres_server is None:
        copy = tmp_path_factory.mktemp("dashboard-db") / "app.sqlite3"
        shutil.copyfile(migrated_database_template, copy)
        return ModuleDatabase(f"sqlite+aiosqlite:///{copy}", lambda: _empty_sqlite(copy))
    url = postgres_server.url(migrated_database_template).replace("postgresql://", "postgresql+psycopg://", 1)
    return ModuleDatabase(url, lambda: postgres_server.empty_tables(migrated_database_template))


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def running(
    module_database: ModuleDatabase, tmp_path_factory: pytest.TempPathFactory, saleor: SaleorStandIn
) -> AsyncIterator[RunningApp]:
    module_database.empty()
    async with running_app(module_database.url, tmp_path_factory.mktemp("dashboard-data"), saleor) as served:
        yield served


@pytest_asyncio.fixture(loop_scope="module")
async def app(running: RunningApp, module_database: ModuleDatabase) -> RunningApp:
    """The module's app with empty tables and a fresh installation for the stand-in's shop."""
    module_database.empty()
    await running.install()
    return running


@pytest_asyncio.fixture(loop_scope="module")
async def dashboard(browser: Browser) -> AsyncIterator[DashboardBrowser]:
    context = await browser.new_context(viewport={"width": 1200, "height": 2300})
    opened = DashboardBrowser(context, await context.new_page())
    opened.watch()
    try:
        yield opened
    finally:
        await context.close()
    assert opened.errors == [], f"the page raised script errors: {opened.errors}"


@pytest.fixture(scope="module")
def other_key() -> SigningKey:
    """Not the shop's key, but with the shop key's kid: a forged token."""
    return SigningKey.generate("test-kid-1")

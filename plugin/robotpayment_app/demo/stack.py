"""The whole shop on this machine, in one process and one event loop: `async with running_stack(...)`.

Four servers on 127.0.0.1 (consecutive ports from `port`, or free ones for port 0):

    port      storefront  the demo pages, frontend_snippets/ under /snippets/, /demo-config.js
    port + 1  app         the real app (`create_app`), SQLite under data_dir, migrations applied at start
    port + 2  devshop     the Saleor-compatible platform: GraphQL at /graphql/, JWKS
    port + 3  gateway     the sandbox ROBOT PAYMENT gateway: paths under /gateway/

Start-up follows what a merchant does: the devshop installs the app from its manifest URL (the app's real
`/api/register`), a staff user configures the channel through the app's configuration API with the dashboard
token, and the gateway's store is set up with the kickback URL the app hands out.
"""

from __future__ import annotations

import contextlib
import shlex
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from fastapi import FastAPI

from robotpayment_app.demo.provisioning import ConfigurationApi, dashboard_token, sign_in
from robotpayment_app.demo.servers import bind, serving, url_of
from robotpayment_app.demo.storefront import DemoAccount, SandboxCard, StorefrontConfig, create_storefront_app
from robotpayment_app.devshop import Devshop, DevshopConfig, ShopError, create_devshop_app
from robotpayment_app.devshop.config import SeedAccount
from robotpayment_app.saleor.manifest import MANIFEST_PATH
from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.cards import TEST_CARDS
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.gateway import SandboxGateway
from robotpayment_app.settings import Environment, load_settings
from robotpayment_app.store.records import (
    ChannelSettings,
    Installation,
    JobType,
    PaymentMethodCode,
    TokenMode,
)
from robotpayment_app.web.app import create_app
from robotpayment_app.web.services import AppServices

DEMO_STORE_ID = "000000"
DEMO_CHANNEL = "default-channel"
DEMO_INSTALLMENT_COUNTS = (3, 5, 6, 10, 12)
# The devshop and the sandbox keep their state in memory; the app's database is this file, started afresh
# each run (a kept one would list cards the new sandbox does not know).
DEMO_DATABASE_FILE = "demo-app.sqlite3"
# Shopper and staff tokens last an hour: an example page left open for a while still works.
DEMO_TOKEN_TTL_SECONDS = 3600
DEFAULT_SNIPPETS_DIR = Path(__file__).resolve().parents[3] / "frontend_snippets"

# service name -> offset from the base port
PORT_LAYOUT: tuple[tuple[str, int], ...] = (("storefront", 0), ("app", 1), ("saleor", 2), ("gateway", 3))


class DemoStartError(Exception):
    """The demo could not start; the message says what to change."""


def demo_channel_settings(
    gateway_base_url: str, *, job_type: JobType = JobType.CAPTURE, token_mode: TokenMode = TokenMode.POPUP
) -> ChannelSettings:
    """What the demo configures: store 000000 at the sandbox, lump sum + instalments + revolving, saved cards."""
    return ChannelSettings(
        store_id=DEMO_STORE_ID,
        gateway_base_url=gateway_base_url,
        job_type=job_type,
        token_mode=token_mode,
        payment_methods=(PaymentMethodCode.LUMP_SUM, PaymentMethodCode.INSTALLMENTS, PaymentMethodCode.REVOLVING),
        installment_counts=DEMO_INSTALLMENT_COUNTS,
        save_cards_allowed=True,
    )


@dataclass(frozen=True)
class DemoStack:
    """A running demo: where each service is, who can sign in, and the live objects tests inspect."""

    storefront_url: str
    app_url: str
    saleor_api_url: str  # the devshop's GraphQL endpoint
    sandbox_url: str  # the sandbox's root; the gateway paths are under gateway_url
    channel_slug: str
    gateway_id: str  # the installed app's identifier: `paymentGateway.id` in storefront calls
    shopper: SeedAccount
    staff: SeedAccount
    channel_settings: ChannelSettings
    installation: Installation  # the app's record of its installation into the devshop
    devshop: Devshop = field(repr=False)
    sandbox: SandboxGateway = field(repr=False)
    app: FastAPI = field(repr=False)

    @property
    def gateway_url(self) -> str:
        return self.sandbox_url + "/gateway/"

    @property
    def app_services(self) -> AppServices:
        services: AppServices = self.app.state.services
        return services

    def banner(self) -> list[str]:
        """The lines the demo command prints, one per service and account (README, "Demo")."""
        return [
            f"storefront: {self.storefront_url}",
            f"app: {self.app_url}",
            f"saleor: {self.saleor_api_url}",
            f"gateway: {self.gateway_url}",
            f"shopper: {self.shopper.email} {self.shopper.password.get_secret_value()}",
            f"staff: {self.staff.email} {self.staff.password.get_secret_value()}",
            f"channel: {self.channel_slug}",
            f"payments: {self.payments_command()}",
        ]

    def payments_command(self) -> str:
        """The shell command that lists the demo's payments waiting for a person (`payments resolve` likewise)."""
        settings = self.app_services.settings
        return (
            f"ROBOTPAYMENT_APP_DATA_DIR={shlex.quote(str(settings.data_dir))} "
            f"ROBOTPAYMENT_APP_DATABASE_URL={shlex.quote(settings.database_url)} "
            "robotpayment-app payments list --unresolved"
        )


def _bind_all(port: int) -> dict[str, socket.socket]:
    sockets: dict[str, socket.socket] = {}
    try:
        for service, offset in PORT_LAYOUT:
            sockets[service] = bind(service, port + offset if port else 0)
    except Exception:
        for sock in sockets.values():
            sock.close()
        raise
    return sockets


def _fresh_database(data_dir: Path) -> Path:
    data_dir.mkdir(parents=True, exist_ok=True)
    database = data_dir / DEMO_DATABASE_FILE
    for leftover in (database, data_dir / (DEMO_DATABASE_FILE + "-wal"), data_dir / (DEMO_DATABASE_FILE + "-shm")):
        leftover.unlink(missing_ok=True)
    return database


def _check_snippets(snippets_dir: Path) -> Path:
    if not (snippets_dir / "robotpayment.js").is_file():
        raise DemoStartError(
            f"frontend_snippets not found at {snippets_dir}: run the demo from a clone of the repository "
            "or pass the folder (--snippets-dir)"
        )
    return snippets_dir.resolve()


@contextlib.asynccontextmanager
async def running_stack(
    port: int,
    data_dir: Path,
    *,
    job_type: JobType = JobType.CAPTURE,
    token_mode: TokenMode = TokenMode.POPUP,
    snippets_dir: Path = DEFAULT_SNIPPETS_DIR,
    log_level: str = "warning",
) -> AsyncIterator[DemoStack]:
    """Start everything (see the module docstring), yield the running `DemoStack`, stop everything on exit.

    Raises `PortUnavailable` (a port is taken), `DemoStartError` (no snippets folder, the install refused) or
    `ProvisioningError` (a set-up step was refused) before yielding; whatever had started is stopped again.
    """
    snippets = _check_snippets(snippets_dir)
    sockets = _bind_all(port)
    try:
        database = _fresh_database(data_dir)
        async with contextlib.AsyncExitStack() as stack:
            devshop = await _start_devshop(stack, sockets.pop("saleor"), job_type, log_level)
            app_url, app = await _start_app(stack, sockets.pop("app"), data_dir, database, log_level)
            installation, gateway_id = await _install(devshop, app_url, app)

            sandbox_url = url_of(sockets["gateway"])
            channel_settings = demo_channel_settings(
                sandbox_url + "/gateway/", job_type=job_type, token_mode=token_mode
            )
            http = await stack.enter_async_context(httpx.AsyncClient(timeout=httpx.Timeout(20.0)))
            kickback_url = await _configure_channel(http, devshop.config, app_url, installation, channel_settings)

            sandbox_app = create_sandbox_app(
                SandboxConfig(stores=(StoreConfig(store_id=DEMO_STORE_ID, kickback_url=kickback_url),))
            )
            await stack.enter_async_context(
                serving("gateway", sandbox_app, sockets.pop("gateway"), log_level=log_level)
            )

            storefront = StorefrontConfig(
                saleor_api_url=devshop.config.api_url,
                channel=devshop.config.channel_slug,
                gateway_id=gateway_id,
                app_url=app_url,
                app_id=installation.app_id,
                gateway_url=sandbox_url + "/gateway/",
                shopper=_account(devshop.config.shopper),
                staff=_account(devshop.config.staff),
                test_cards=tuple(SandboxCard(number=card.number, note=card.note) for card in TEST_CARDS),
            )
            storefront_url = await stack.enter_async_context(
                serving(
                    "storefront",
                    create_storefront_app(storefront, snippets_dir=snippets),
                    sockets.pop("storefront"),
                    log_level=log_level,
                )
            )
            yield DemoStack(
                storefront_url=storefront_url,
                app_url=app_url,
                saleor_api_url=devshop.config.api_url,
                sandbox_url=sandbox_url,
                channel_slug=devshop.config.channel_slug,
                gateway_id=gateway_id,
                shopper=devshop.config.shopper,
                staff=devshop.config.staff,
                channel_settings=channel_settings,
                installation=installation,
                devshop=devshop,
                sandbox=sandbox_app.state.sandbox,
                app=app,
            )
    finally:
        for sock in sockets.values():  # those whose server never started
            sock.close()


async def _start_devshop(
    stack: contextlib.AsyncExitStack, sock: socket.socket, job_type: JobType, log_level: str
) -> Devshop:
    config = DevshopConfig(
        public_url=url_of(sock),
        access_token_ttl_seconds=DEMO_TOKEN_TTL_SECONDS,
        # the channel's flow matches what the gateway will do, so Saleor records the right request
        default_transaction_flow="AUTHORIZATION" if job_type is JobType.AUTH else "CHARGE",
    )
    devshop = Devshop(config)
    await stack.enter_async_context(
        serving("devshop", create_devshop_app(config, devshop=devshop), sock, log_level=log_level)
    )
    return devshop


async def _start_app(
    stack: contextlib.AsyncExitStack, sock: socket.socket, data_dir: Path, database: Path, log_level: str
) -> tuple[str, FastAPI]:
    """The real app on its own URL; its start-up applies the migrations to the fresh database."""
    url = url_of(sock)
    settings = load_settings(
        environment=Environment.DEVELOPMENT,
        data_dir=data_dir,
        database_url=f"sqlite:///{database}",
        public_url=url,
        apply_migrations_on_start=True,
    )
    app = create_app(settings)
    await stack.enter_async_context(serving("app", app, sock, log_level=log_level))
    return url, app


async def _install(devshop: Devshop, app_url: str, app: FastAPI) -> tuple[Installation, str]:
    """Saleor's install: the devshop reads the manifest and calls the app's /api/register.

    Answers the app's record of it and the gateway id storefronts use (the app's identifier).
    """
    try:
        installed = await devshop.install_app(app_url + MANIFEST_PATH)
    except ShopError as error:
        raise DemoStartError(f"installing the app into the devshop: {error.code}: {error.message}") from None
    services: AppServices = app.state.services
    installation = await services.store.installations.get_by_api_url(devshop.config.api_url)
    if installation is None:
        raise DemoStartError("the app answered the installation but keeps no record of it")
    return installation, installed.identifier


async def _configure_channel(
    http: httpx.AsyncClient,
    devshop: DevshopConfig,
    app_url: str,
    installation: Installation,
    settings: ChannelSettings,
) -> str:
    """What the merchant does on the app's dashboard page; answers the kickback URL the page shows."""
    staff_token = await sign_in(http, devshop.api_url, devshop.staff.email, devshop.staff.password.get_secret_value())
    token = await dashboard_token(http, devshop.api_url, staff_token, installation.app_id)
    config_api = ConfigurationApi(http, app_url, devshop.api_url, token)
    await config_api.save_channel(devshop.channel_slug, settings)
    return await config_api.kickback_url()


def _account(account: SeedAccount) -> DemoAccount:
    return DemoAccount(email=account.email, password=account.password)

"""One devshop instance: its state, signing key and services, wired together."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import strawberry

from .config import DevshopConfig
from .context import DevshopContext, Requester
from .domain.records import InstalledApp
from .domain.store import ShopStore
from .keys import SigningKey
from .schema.build import build_schema
from .schema.events import EventRoots
from .seed import seed_store
from .services.accounts import AccountService
from .services.apps import AppInstaller
from .services.checkouts import CheckoutService
from .services.ledger import TransactionLedger
from .services.sessions import PaymentSessions
from .services.stored_methods import StoredMethodsService
from .services.transactions import TransactionActions
from .webhooks.dispatcher import WebhookDispatcher
from .webhooks.payloads import PayloadBuilder
from .webhooks.transport import WebhookTransport


class Devshop:
    """A Saleor-compatible shop in memory.

    `http_client` is used for every call to apps; `clock` (monotonic seconds) drives the
    stored-methods cache, so tests can move time instead of waiting; `schema` may be a
    schema from `build_schema()` shared between instances; `signing_key` overrides the
    configured key (a test session can generate one key for all its devshops).
    """

    def __init__(
        self,
        config: DevshopConfig,
        http_client: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        schema: strawberry.Schema | None = None,
        signing_key: SigningKey | None = None,
    ) -> None:
        self.config = config
        self.key = signing_key or self._load_key(config)
        self.store = ShopStore()
        seed_store(self.store, config)
        # the schema holds no state, so several devshops (tests) may share one
        self.schema: strawberry.Schema = schema if schema is not None else build_schema()
        self._owns_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient()
        payloads = PayloadBuilder(self.schema._schema, EventRoots(self.store, config), self._app_context)
        transport = WebhookTransport(self._http, self.key, config)
        self.webhooks = WebhookDispatcher(self.store, payloads, transport, config)
        self.accounts = AccountService(self.store, self.key, config, self.webhooks)
        self.stored_methods = StoredMethodsService(self.store, self.webhooks, config, clock)
        self.checkouts = CheckoutService(self.store)
        ledger = TransactionLedger(self.store, self.webhooks, self.stored_methods)
        self.sessions = PaymentSessions(self.store, self.webhooks, self.checkouts, ledger)
        self.transactions = TransactionActions(self.store, self.webhooks, ledger)
        self.installer = AppInstaller(self.store, self.schema._schema, self._http, config, self.webhooks)

    @staticmethod
    def _load_key(config: DevshopConfig) -> SigningKey:
        if config.signing_key_path is not None:
            return SigningKey.from_pem_file(config.signing_key_path)
        return SigningKey.generate()

    def __repr__(self) -> str:
        return f"Devshop(api_url={self.config.api_url!r}, apps={len(self.store.apps)})"

    def _app_context(self, app: InstalledApp) -> DevshopContext:
        # webhook payloads are resolved as the recipient app, like Saleor does
        return DevshopContext(self, Requester(app=app))

    def context(self, requester: Requester, client_ip: str | None) -> DevshopContext:
        return DevshopContext(self, requester, client_ip)

    def payment_apps(self) -> list[InstalledApp]:
        """Apps a storefront can pay with (listed as `availablePaymentGateways`)."""
        return [s.app for s in self.webhooks.subscribers("TRANSACTION_INITIALIZE_SESSION")]

    async def install_app(self, manifest_url: str, permissions: list[str] | None = None) -> InstalledApp:
        """Install from a manifest URL (same checks as the `appInstall` mutation); raises ShopError."""
        return await self.installer.install(manifest_url, permissions)

    async def aclose(self) -> None:
        await self.webhooks.drain()
        if self._owns_client:
            await self._http.aclose()

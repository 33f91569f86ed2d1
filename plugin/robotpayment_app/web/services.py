"""Everything a request needs, built once per process and handed to routes and flows.

Nothing here is a module-level global: `open_services` builds the collaborators from settings (tests pass
their own transports), and the app factory keeps the result on `app.state`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from robotpayment_app.flows.context import SettlementPolicy
from robotpayment_app.gateway import GatewayTimeouts, RobotPaymentClient
from robotpayment_app.saleor.graphql_client import SaleorGraphQLClient, SaleorOperations, jwks_fetcher
from robotpayment_app.saleor.jwks import JwksProvider
from robotpayment_app.settings import AppSettings, SettingsError, env_var, load_encryption_key
from robotpayment_app.store.card_lists import CardChanges, NoCardChanges, card_changes_for
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import (
    DatabaseFileError,
    DatabasePool,
    SqliteFile,
    check_not_foreign,
    create_engine_from_url,
    create_session_factory,
)
from robotpayment_app.store.database_urls import is_sqlite_url, sqlite_file_path
from robotpayment_app.store.migrations import upgrade_to_head_async
from robotpayment_app.store.records import Installation
from robotpayment_app.store.repositories import Store
from robotpayment_app.web.gateway_url import HostResolver, resolve_host

# A webhook may be given a channel configuration this old (store/channels.py): the merchant's saved change reaches
# every worker within it, and each payment saves a database round trip.
CHANNEL_CACHE_SECONDS = 5.0

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class AppServices:
    settings: AppSettings
    store: Store
    saleor_http: httpx.AsyncClient
    gateway_http: httpx.AsyncClient
    jwks: JwksProvider
    gateway_timeouts: GatewayTimeouts
    saleor_operations: SaleorOperations
    # the SQLite file found at start (None on PostgreSQL): readiness checks it is still there (health_routes.py)
    database_file: SqliteFile | None = None
    clock: Clock = utc_now
    settlement_policy: SettlementPolicy = field(default_factory=SettlementPolicy)
    resolve_host: HostResolver = resolve_host  # DNS, for the production gateway-URL check
    _gateways: dict[str, RobotPaymentClient] = field(default_factory=dict)

    def gateway(self, base_url: str) -> RobotPaymentClient:
        """The client for one gateway base URL (channels may point at the sandbox or the real host)."""
        client = self._gateways.get(base_url)
        if client is None:
            client = RobotPaymentClient(self.gateway_http, base_url=base_url, timeouts=self.gateway_timeouts)
            self._gateways[base_url] = client
        return client

    def saleor(self, installation: Installation) -> SaleorGraphQLClient:
        return SaleorGraphQLClient(
            self.saleor_http,
            installation.saleor_api_url,
            installation.app_token.get_secret_value(),
            operations=self.saleor_operations,
        )


def settlement_policy_from(settings: AppSettings) -> SettlementPolicy:
    return SettlementPolicy(
        notification_hold=timedelta(seconds=settings.notification_hold_seconds),
        alert_after=timedelta(minutes=settings.unresolved_alert_minutes),
    )


def gateway_timeouts_from(settings: AppSettings) -> GatewayTimeouts:
    return GatewayTimeouts(
        connect=settings.gateway_connect_timeout_seconds,
        read=settings.gateway_read_timeout_seconds,
        total=settings.gateway_total_timeout_seconds,
    )


async def migrated_database_file(settings: AppSettings, secret_box: SecretBox) -> SqliteFile | None:
    """Applies pending migrations when told to (`apply_migrations_on_start`: the only way the app creates a missing
    SQLite file), then finds the SQLite file to serve from (None on PostgreSQL). A SQLite file that is missing and
    was not to be created, or that is not a database, stops the start with a `SettingsError`."""
    sqlite = is_sqlite_url(settings.database_url)
    try:
        if sqlite:
            check_not_foreign(sqlite_file_path(settings.database_url))  # before migrations would stumble on it
        if settings.apply_migrations_on_start:
            await upgrade_to_head_async(settings.database_url, secret_box=secret_box)
        return SqliteFile.at(settings.database_url) if sqlite else None
    except DatabaseFileError as error:
        rule = str(error)
        if error.problem == "missing":
            rule += (
                f" (the app creates one only when {env_var('apply_migrations_on_start')} is true, or when"
                " `robotpayment-app migrate` runs)"
            )
        raise SettingsError([(env_var("database_url"), rule)]) from None


@asynccontextmanager
async def open_services(
    settings: AppSettings,
    *,
    saleor_transport: httpx.AsyncBaseTransport | None = None,
    gateway_transport: httpx.AsyncBaseTransport | None = None,
    clock: Clock = utc_now,
) -> AsyncIterator[AppServices]:
    """Open the database and the two pooled HTTP clients; close them on exit."""
    secret_box = SecretBox.from_secret(load_encryption_key(settings))
    database_file = await migrated_database_file(settings, secret_box)
    pool = DatabasePool(size=settings.database_pool_size, overflow=settings.database_pool_overflow)
    engine = create_engine_from_url(settings.database_url, pool=pool, sqlite_file=database_file)
    card_changes: CardChanges = card_changes_for(settings.database_url) if settings.card_list_cache else NoCardChanges()
    store = Store.create(
        create_session_factory(engine),
        secret_box,
        channel_cache_seconds=CHANNEL_CACHE_SECONDS,
        card_changes=card_changes,
    )
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    saleor_http = httpx.AsyncClient(transport=saleor_transport, limits=limits, timeout=httpx.Timeout(10.0))
    # the gateway client sets per-call timeouts; this default only bounds anything that slips past it
    gateway_http = httpx.AsyncClient(
        transport=gateway_transport, limits=limits, timeout=httpx.Timeout(settings.gateway_total_timeout_seconds)
    )
    await card_changes.start()
    try:
        yield AppServices(
            settings=settings,
            store=store,
            saleor_http=saleor_http,
            gateway_http=gateway_http,
            jwks=JwksProvider(jwks_fetcher(saleor_http)),
            gateway_timeouts=gateway_timeouts_from(settings),
            saleor_operations=SaleorOperations.load(),
            database_file=database_file,
            clock=clock,
            settlement_policy=settlement_policy_from(settings),
        )
    finally:
        await card_changes.stop()
        await saleor_http.aclose()
        await gateway_http.aclose()
        await engine.dispose()

"""`recover_installation`: put back the gateway customers and cards of one installation's Saleor users."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from pydantic import SecretStr

from robotpayment_app.flows.context import Dependencies, WebhookContext
from robotpayment_app.flows.customers import (
    UID_METADATA_PREFIX,
    CardScanLimits,
    Shopper,
    card_details_from_gateway,
    config_for_store_id,
    gateway_customer_id_for,
    read_gateway_customer,
    remember_uid_on_user,
    scan_gateway_cards,
    settle_card_session,
    uid_metadata_key,
)
from robotpayment_app.flows.errors import GatewayNotReachable
from robotpayment_app.gateway import GatewayValidationError, RobotPaymentClient
from robotpayment_app.gateway import fields as gateway_fields
from robotpayment_app.saleor.graphql_client import UserPrivateMetadata
from robotpayment_app.store.errors import CustomerAlreadyExists
from robotpayment_app.store.records import Customer, Installation, LedgerKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecoveryOptions:
    """`gateway_base_url` reaches store ids that no channel configuration names any more (found in metadata
    or in `store_ids`); `derive_uids` also tries the derived uid of users whose metadata has none."""

    gateway_base_url: str | None = None
    store_ids: Sequence[str] = ()
    derive_uids: bool = True
    scan: CardScanLimits = field(default_factory=CardScanLimits)


@dataclass
class RecoveryReport:
    users_checked: int = 0
    customers_restored: int = 0
    cards_restored: int = 0
    sessions_settled: int = 0
    store_ids: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        stores = ", ".join(self.store_ids) or "none"
        return (
            f"store ids {stores}: {self.users_checked} users checked, {self.customers_restored} customers and "
            f"{self.cards_restored} cards restored, {self.sessions_settled} open card sessions settled, "
            f"{len(self.problems)} problems"
        )


def _store_ids_in_metadata(users: Sequence[UserPrivateMetadata]) -> set[str]:
    return {
        key[len(UID_METADATA_PREFIX) :]
        for user in users
        for key in user.private_metadata
        if key.startswith(UID_METADATA_PREFIX)
    }


def _valid(check: Callable[[object], str], value: str) -> bool:
    try:
        check(value)
    except GatewayValidationError:
        return False
    return True


async def recover_installation(
    deps: Dependencies, installation: Installation, options: RecoveryOptions | None = None
) -> RecoveryReport:
    """Restore what the gateway still has for each Saleor user (customers with their keys, then their cards)
    and keep what the app already has. Cards come back without a brand (the gateway never tells it)."""
    settings = options or RecoveryOptions()
    report = RecoveryReport()
    context = WebhookContext(deps, installation, request_id="recover")
    configs = await deps.store.channels.list_for_installation(installation.id)
    base_urls: dict[str, str] = {}
    for config in configs:
        base_urls.setdefault(config.store_id, config.gateway_base_url)
    # first, so that their cards count as theirs and not as found by the scan below
    await _settle_open_card_sessions(context, report)
    users = await deps.saleor(installation).list_users_with_private_metadata()
    report.users_checked = len(users)
    for store_id in sorted(set(base_urls) | set(settings.store_ids) | _store_ids_in_metadata(users)):
        base_url = base_urls.get(store_id) or settings.gateway_base_url
        if not _valid(gateway_fields.store_id, store_id):
            report.problems.append(f"store id {store_id!r} (from metadata) is not a six-digit aid: skipped")
            continue
        if base_url is None:
            report.problems.append(f"store id {store_id}: no channel uses it; pass --gateway-base-url to reach it")
            continue
        report.store_ids.append(store_id)
        gateway = deps.gateway(base_url)
        for user in users:
            try:
                await _recover_user(context, gateway, store_id, user, settings, report)
            except GatewayNotReachable as error:
                report.problems.append(f"user {user.user_id} at store id {store_id}: {error.merchant_text}")
    logger.info("recovery finished: %s", report.summary(), extra={"saleor_api_url": installation.saleor_api_url})
    return report


async def _recover_user(
    context: WebhookContext,
    gateway: RobotPaymentClient,
    store_id: str,
    user: UserPrivateMetadata,
    options: RecoveryOptions,
    report: RecoveryReport,
) -> None:
    store = context.deps.store
    customer = await store.customers.get_by_user(context.installation.id, store_id, user.user_id)
    if customer is None:
        customer = await _restore_customer(context, gateway, store_id, user, options, report)
        if customer is None:
            return
    known = frozenset(card.card_seq for card in await store.cards.list_for_customer(customer.id))
    found = await scan_gateway_cards(gateway, store_id, customer, known=known, limits=options.scan)
    for card_seq, details in sorted(found.items()):
        await store.cards.add(customer.id, card_seq, card_details_from_gateway(details, brand=None))
    report.cards_restored += len(found)


async def _restore_customer(
    context: WebhookContext,
    gateway: RobotPaymentClient,
    store_id: str,
    user: UserPrivateMetadata,
    options: RecoveryOptions,
    report: RecoveryReport,
) -> Customer | None:
    """The user's gateway customer under the uid in their metadata, else under the derived uid."""
    derived = gateway_customer_id_for(context.installation, user.user_id)
    candidates = [user.private_metadata.get(uid_metadata_key(store_id))]
    if options.derive_uids:
        candidates.append(derived)
    for uid in dict.fromkeys(uid for uid in candidates if uid):
        if not _valid(gateway_fields.customer_id, uid):
            report.problems.append(f"user {user.user_id}: metadata uid for store id {store_id} is malformed")
            continue
        record = await read_gateway_customer(gateway, store_id, uid)
        if record is None:
            continue
        try:
            customer = await context.deps.store.customers.create(
                installation_id=context.installation.id,
                store_id=store_id,
                saleor_user_id=user.user_id,
                gateway_customer_id=uid,
                gateway_key=SecretStr(record.customer_key),
                email=record.email or None,
                phone=record.phone or None,
            )
        except CustomerAlreadyExists:
            report.problems.append(f"user {user.user_id}: uid {uid} at store id {store_id} belongs to another user")
            return None
        report.customers_restored += 1
        shopper = Shopper(user_id=user.user_id, private_metadata=user.private_metadata)
        await remember_uid_on_user(context, store_id, shopper, uid)
        return customer
    return None


# A card call still open after this long was cut short (the app stopped mid-call): its answer is not coming.
OPEN_SESSION_GRACE = timedelta(minutes=5)


async def _settle_open_card_sessions(context: WebhookContext, report: RecoveryReport) -> None:
    """Card registrations/updates left pending or unknown (a lost answer nobody asked about, a crash): settled
    by reading the cards, as the process-tokenization event would."""
    store = context.deps.store
    open_entries = await store.ledger.list_unresolved(
        pending_before=context.deps.clock() - OPEN_SESSION_GRACE, installation_id=context.installation.id
    )
    for entry in open_entries:
        if entry.kind is not LedgerKind.CARD_REGISTRATION or entry.customer_id is None:
            continue
        customer = await store.customers.get(entry.customer_id)
        config = await config_for_store_id(context, customer.store_id) if customer else None
        if customer is None or config is None:
            continue
        try:
            await settle_card_session(context, config, entry, customer)
        except GatewayNotReachable as error:
            report.problems.append(f"open card session {entry.dedup_key}: {error.merchant_text}")
            continue
        report.sessions_settled += 1

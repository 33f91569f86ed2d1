"""The configuration API's queries and mutations, for a verified dashboard user holding MANAGE_APPS and
HANDLE_PAYMENTS (`auth.py`): channel settings, the kickback URL (and its rotation), the payment ledger, and the
calls a person has to settle (`resolvePayment`)."""

from __future__ import annotations

import logging

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.customers import card_display_name
from robotpayment_app.flows.ledger_runs import is_stale
from robotpayment_app.flows.recorded_refund import RefundRecordingError, record_panel_refund
from robotpayment_app.flows.resolution import ResolutionError, lookup_advice, resolve_payment
from robotpayment_app.gateway import ReadRetryPolicy, RobotPaymentClient
from robotpayment_app.saleor.graphql_client import SaleorApiError
from robotpayment_app.saleor.graphql_client import ShopChannel as ShopChannelRecord
from robotpayment_app.settings import Environment
from robotpayment_app.store.records import INSTALLMENT_COUNTS, LedgerEntry, LedgerStatus, ResolutionVia
from robotpayment_app.store.records import ResolutionDecision as StoreDecision
from robotpayment_app.web.config_api.connection_test import ConnectionVerdict, run_connection_test
from robotpayment_app.web.config_api.context import CHANGE_PERMISSION, ApiRefusal, BadInput, ConfigApiContext
from robotpayment_app.web.config_api.types import (
    ChannelConfiguration,
    ChannelConfigurationInput,
    ChannelSettingsDefaults,
    ConnectionInput,
    ConnectionStatus,
    ConnectionTestResult,
    DeleteChannelConfigurationResult,
    FieldError,
    JobType,
    KickbackRecord,
    PaymentRecord,
    RecordPanelRefundResult,
    ResolutionDecision,
    ResolvePaymentResult,
    RotateKickbackUrlResult,
    SaveChannelConfigurationResult,
    ShopChannel,
    TransactionFlowStrategy,
    UnresolvedPayment,
    Viewer,
)
from robotpayment_app.web.config_api.validation import check_channel_slug, check_settings
from robotpayment_app.web.gateway_url import production_gateway_problem
from robotpayment_app.web.kickback_routes import KICKBACK_PATH

logger = logging.getLogger(__name__)

MAX_LIST_LENGTH = 100
DEFAULT_LIST_LENGTH = 20

Info = strawberry.Info[ConfigApiContext, None]


def _list_length(first: int) -> int:
    if not 1 <= first <= MAX_LIST_LENGTH:
        raise BadInput("first", f"must be between 1 and {MAX_LIST_LENGTH}")
    return first


def _slug_or_refuse(channel_slug: str) -> str:
    problem = check_channel_slug(channel_slug)
    if problem is not None:
        raise BadInput(problem.field, problem.message)
    return channel_slug


async def _channel_configurations(info: Info) -> list[ChannelConfiguration]:
    context = info.context
    configs = await context.services.store.channels.list_for_installation(context.installation.id)
    return [ChannelConfiguration.from_record(config) for config in configs]


async def _channel_configuration(info: Info, channel_slug: str) -> ChannelConfiguration | None:
    context = info.context
    config = await context.services.store.channels.get(context.installation.id, _slug_or_refuse(channel_slug))
    return ChannelConfiguration.from_record(config) if config is not None else None


def _viewer(info: Info) -> Viewer:
    user = info.context.session.user
    return Viewer(email=user.email, can_change_configuration=user.has_permission(CHANGE_PERMISSION))


def _installment_count_choices() -> list[int]:
    return sorted(INSTALLMENT_COUNTS)


def _channel_settings_defaults() -> ChannelSettingsDefaults:
    return ChannelSettingsDefaults.from_settings_model()


def _kickback_url(info: Info) -> str:
    context = info.context
    return context.services.settings.public_url + KICKBACK_PATH.format(secret=context.installation.kickback_secret)


async def _records(info: Info, entries: list[LedgerEntry]) -> list[PaymentRecord]:
    store = info.context.services.store
    resolutions = await store.settlements.resolutions_of([entry.id for entry in entries])
    refunded = await store.recorded_refunds.totals_of([entry.id for entry in entries])
    return [
        PaymentRecord.from_entry(entry, resolutions.get(entry.id), refunded.get(entry.id, 0)) for entry in entries
    ]


async def _recent_payments(info: Info, first: int = DEFAULT_LIST_LENGTH) -> list[PaymentRecord]:
    context = info.context
    entries = await context.services.store.ledger.list_recent(context.installation.id, limit=_list_length(first))
    return await _records(info, entries)


async def _unresolved_payments(info: Info) -> list[UnresolvedPayment]:
    context = info.context
    store = context.services.store
    now = context.services.clock()
    alert_after = context.services.settlement_policy.alert_after
    entries = await store.settlements.needing_attention(installation_id=context.installation.id)
    records = await _records(info, entries)
    unresolved = []
    for entry, record in zip(entries, records, strict=True):
        card = await store.cards.get(entry.card_id) if entry.card_id is not None else None
        notifications = await store.kickbacks.for_payment(entry.id)
        unresolved.append(
            UnresolvedPayment(
                payment=record,
                overdue=now - entry.created_at > alert_after,
                in_flight=entry.status is LedgerStatus.PENDING and not is_stale(entry, now),
                card=card_display_name(card) if card is not None else None,
                lookup=lookup_advice(entry),
                notifications=[KickbackRecord.from_notification(n) for n in notifications],
            )
        )
    return unresolved


async def _shop_channels_or_none(context: ConfigApiContext) -> list[ShopChannelRecord] | None:
    """The shop's channels from Saleor, or None when Saleor does not answer (the caller says what that means)."""
    try:
        return await context.services.saleor(context.installation).list_channels()
    except SaleorApiError as error:
        logger.warning("could not list the shop's channels", extra={"reason": str(error)})
        return None


def _channel_problem(channel: ShopChannelRecord) -> str | None:
    if channel.currency != "JPY":
        return f"its currency is {channel.currency}: ROBOT PAYMENT takes yen (JPY) only"
    return None


async def _shop_channels(info: Info) -> list[ShopChannel]:
    context = info.context
    channels = await _shop_channels_or_none(context)
    if channels is None:
        raise ApiRefusal("Saleor did not answer the list of channels: try again", code="SALEOR_UNAVAILABLE")
    configs = {
        config.channel_slug: config
        for config in await context.services.store.channels.list_for_installation(context.installation.id)
    }
    listed = []
    for channel in channels:
        config = configs.get(channel.slug)
        follows = "AUTH" if channel.flow_strategy == "AUTHORIZATION" else "CAPTURE"
        former = config.job_type.value if config is not None and not config.product_mode else None
        listed.append(
            ShopChannel(
                slug=channel.slug,
                name=channel.name,
                currency_code=channel.currency,
                active=channel.active,
                transaction_flow_strategy=TransactionFlowStrategy(channel.flow_strategy),
                configured=config is not None,
                problem=_channel_problem(channel),
                former_job_type=JobType(former) if former is not None and former != follows else None,
            )
        )
    return listed


async def _channel_slug_problems(context: ConfigApiContext, channel_slug: str) -> list[FieldError]:
    """The channel must be one of the shop's, in yen. When Saleor cannot be asked, the save goes ahead (logged):
    every payment checks the currency again."""
    channels = await _shop_channels_or_none(context)
    if channels is None:
        return []
    channel = next((item for item in channels if item.slug == channel_slug), None)
    if channel is None:
        known = ", ".join(item.slug for item in channels) or "none"
        return [FieldError(field="channelSlug", message=f"the shop has no channel {channel_slug!r} (it has: {known})")]
    problem = _channel_problem(channel)
    return [FieldError(field="channelSlug", message=f"channel {channel_slug}: {problem}")] if problem else []


async def _recent_kickbacks(info: Info, first: int = DEFAULT_LIST_LENGTH) -> list[KickbackRecord]:
    context = info.context
    notifications = await context.services.store.kickbacks.list_recent(
        context.installation.id, limit=_list_length(first)
    )
    return [KickbackRecord.from_notification(notification) for notification in notifications]


async def _resolve_payment(
    info: Info, payment_id: int, decision: ResolutionDecision, reason: str, gid: str | None = None
) -> ResolvePaymentResult:
    context = info.context
    context.require_change_permission()
    store = context.services.store
    entry = await store.ledger.get(payment_id)
    if entry is None or entry.installation_id != context.installation.id:
        return _not_resolved(FieldError(field="paymentId", message="no payment of this installation has this id"))
    user = context.session.user
    try:
        resolved = await resolve_payment(
            WebhookContext(context.services, context.installation, request_id="dashboard"),
            entry,
            decision=StoreDecision(decision.value),
            gid=gid.strip() if gid else None,
            reason=reason,
            resolved_by=user.email + (f" ({user.user_id})" if user.user_id else ""),
            via=ResolutionVia.DASHBOARD,
        )
    except ResolutionError as refused:
        field = {"payment": "paymentId"}.get(refused.field, refused.field)
        return _not_resolved(FieldError(field=field, message=refused.message))
    [record] = await _records(info, [resolved.entry])
    return ResolvePaymentResult(
        payment=record, event=resolved.event, reported_to_saleor=resolved.reported, errors=[]
    )


def _not_resolved(error: FieldError) -> ResolvePaymentResult:
    return ResolvePaymentResult(payment=None, event=None, reported_to_saleor=False, errors=[error])


async def _record_panel_refund(
    info: Info, payment_id: int, amount: int, reason: str, request_id: str
) -> RecordPanelRefundResult:
    context = info.context
    context.require_change_permission()
    entry = await context.services.store.ledger.get(payment_id)
    if entry is None or entry.installation_id != context.installation.id:
        error = FieldError(field="paymentId", message="no payment of this installation has this id")
        return RecordPanelRefundResult(
            recorded=None, total_recorded=None, remaining=None, reported_to_saleor=False, repeated=False, errors=[error]
        )
    user = context.session.user
    try:
        recorded = await record_panel_refund(
            WebhookContext(context.services, context.installation, request_id="dashboard"),
            entry,
            amount=amount,
            reason=reason,
            recorded_by=user.email + (f" ({user.user_id})" if user.user_id else ""),
            request_id=request_id,
        )
    except RefundRecordingError as refused:
        error = FieldError(field=refused.field, message=refused.message)
        return RecordPanelRefundResult(
            recorded=None, total_recorded=None, remaining=None, reported_to_saleor=False, repeated=False, errors=[error]
        )
    return RecordPanelRefundResult(
        recorded=recorded.amount,
        total_recorded=recorded.total,
        remaining=recorded.remaining,
        reported_to_saleor=recorded.reported,
        repeated=recorded.repeated,
        errors=[],
    )


async def _rotate_kickback_url(info: Info) -> RotateKickbackUrlResult:
    context = info.context
    context.require_change_permission()
    rotated = await context.services.store.installations.rotate_kickback_secret(context.installation.id)
    logger.warning(
        "kickback URL rotated: the old one is refused from now on",
        extra={"saleor_api_url": rotated.saleor_api_url, "staff": context.staff},
    )
    assert rotated.kickback_secret_created_at is not None
    return RotateKickbackUrlResult(
        kickback_url=context.services.settings.public_url + KICKBACK_PATH.format(secret=rotated.kickback_secret),
        created_at=rotated.kickback_secret_created_at,
        message="The old result notification URL is refused from now on. Paste the new one into the ROBOT "
        "PAYMENT control panel (決済結果通知設定 → 決済結果通知URL) now: until then, notifications are lost.",
    )


async def _gateway_problems(context: ConfigApiContext, base_url: str) -> list[FieldError]:
    """In production, the gateway URL must be ROBOT PAYMENT's or an operator-listed host on a public address."""
    settings = context.services.settings
    if settings.environment is not Environment.PRODUCTION:
        return []
    problem = await production_gateway_problem(
        base_url, extra_hosts=settings.gateway_hosts, resolve=context.services.resolve_host
    )
    return [FieldError(field="gatewayBaseUrl", message=problem)] if problem else []


async def _shared_store_problems(context: ConfigApiContext, store_id: str, confirmed: bool) -> list[FieldError]:
    """A store connected to another installation already: ROBOT PAYMENT keeps one result notification URL per
    store, so notifications reach only one of them; saving needs the merchant's confirmation."""
    if confirmed:
        return []
    others = await context.services.store.channels.elsewhere_with_store(context.installation.id, store_id)
    if not others:
        return []
    installations = {config.installation_id for config in others}
    names = []
    for installation_id in sorted(installations):
        other = await context.services.store.installations.get(installation_id)
        channels = ", ".join(config.channel_slug for config in others if config.installation_id == installation_id)
        names.append(f"{other.saleor_api_url if other else 'another shop'} (channel {channels})")
    return [
        FieldError(
            field="storeId",
            message=f"store {store_id} is already connected to {'; '.join(names)}. The control panel holds one "
            "result notification URL per store, so notifications reach only one shop. Save again with "
            "confirmSharedStore to connect it here too",
        )
    ]


async def _save_channel_configuration(
    info: Info, channel_slug: str, input: ChannelConfigurationInput, confirm_shared_store: bool = False
) -> SaveChannelConfigurationResult:
    context = info.context
    context.require_change_permission()
    errors: list[FieldError] = []
    slug_problem = check_channel_slug(channel_slug)
    if slug_problem is not None:
        errors.append(slug_problem)
    checked = check_settings(input.provided_settings())
    errors.extend(checked.errors)
    if checked.settings is not None:
        errors.extend(await _gateway_problems(context, checked.settings.gateway_base_url))
    if not errors:
        errors.extend(await _channel_slug_problems(context, channel_slug))
    if checked.settings is not None and not errors:
        errors.extend(await _shared_store_problems(context, checked.settings.store_id, confirm_shared_store))
    if errors or checked.settings is None:
        return SaveChannelConfigurationResult(configuration=None, errors=errors)
    saved = await context.services.store.channels.upsert(context.installation.id, channel_slug, checked.settings)
    logger.info(
        "channel configuration saved",
        extra={"saleor_api_url": context.installation.saleor_api_url, "channel": channel_slug, "staff": context.staff},
    )
    return SaveChannelConfigurationResult(configuration=ChannelConfiguration.from_record(saved), errors=[])


async def _delete_channel_configuration(info: Info, channel_slug: str) -> DeleteChannelConfigurationResult:
    context = info.context
    context.require_change_permission()
    deleted = await context.services.store.channels.delete(context.installation.id, _slug_or_refuse(channel_slug))
    if deleted:
        logger.info(
            "channel configuration deleted",
            extra={
                "saleor_api_url": context.installation.saleor_api_url,
                "channel": channel_slug,
                "staff": context.staff,
            },
        )
    return DeleteChannelConfigurationResult(deleted=deleted)


async def _test_connection(
    info: Info, channel_slug: str | None = None, input: ConnectionInput | None = None
) -> ConnectionTestResult:
    context = info.context
    context.require_change_permission()
    if (channel_slug is None) == (input is None):
        return _invalid(FieldError(field="channelSlug", message="give either channelSlug or input (not both)"))
    if channel_slug is not None:
        config = await context.services.store.channels.get(context.installation.id, _slug_or_refuse(channel_slug))
        if config is None:
            return _invalid(FieldError(field="channelSlug", message="this channel has no saved configuration"))
        store_id, base_url = config.store_id, config.gateway_base_url
    else:
        assert input is not None
        values = {"store_id": input.store_id, "gateway_base_url": input.gateway_base_url}
        checked = check_settings({name: value for name, value in values.items() if value is not None})
        if checked.settings is None:
            return _invalid(*checked.errors)
        store_id, base_url = checked.settings.store_id, checked.settings.gateway_base_url
    # a saved URL too: it may predate the rule, and the test would call it on a staff user's word
    problems = await _gateway_problems(context, base_url)
    if problems:
        return _invalid(*problems)
    # one attempt: the merchant is waiting, and a retry would only repeat the same answer
    client = RobotPaymentClient(
        context.services.gateway_http,
        base_url=base_url,
        timeouts=context.services.gateway_timeouts,
        read_retry=ReadRetryPolicy(attempts=1),
    )
    verdict = await run_connection_test(client, store_id)
    logger.info(
        "gateway connection tested",
        extra={
            "saleor_api_url": context.installation.saleor_api_url,
            "gateway": client.base_url,
            "store_id": store_id,
            "verdict": verdict.status.value,
            "code": verdict.error_code,
        },
    )
    return _result(verdict, store_id=store_id, base_url=client.base_url)


@strawberry.type
class Query:
    viewer: Viewer = strawberry.field(resolver=_viewer, description="Who is asking, and whether they may change.")
    installment_count_choices: list[int] = strawberry.field(
        resolver=_installment_count_choices, description="The instalment counts (pt) the gateway allows."
    )
    channel_settings_defaults: ChannelSettingsDefaults = strawberry.field(
        resolver=_channel_settings_defaults, description="The settings a new channel starts with."
    )
    channel_configurations: list[ChannelConfiguration] = strawberry.field(
        resolver=_channel_configurations, description="Every channel configured for this installation, by slug."
    )
    channel_configuration: ChannelConfiguration | None = strawberry.field(
        resolver=_channel_configuration, description="One channel's configuration; null when it is not configured."
    )
    kickback_url: str = strawberry.field(
        resolver=_kickback_url,
        description="Where the gateway sends result notifications: set it as 決済結果通知URL in the control panel.",
    )
    recent_payments: list[PaymentRecord] = strawberry.field(
        resolver=_recent_payments, description="The newest payment ledger rows first (first: 1-100)."
    )
    recent_kickbacks: list[KickbackRecord] = strawberry.field(
        resolver=_recent_kickbacks, description="The newest result notifications from the gateway first (first: 1-100)."
    )
    shop_channels: list[ShopChannel] = strawberry.field(
        resolver=_shop_channels,
        description="The shop's channels as Saleor lists them (pick one to configure), with their currency and "
        "transaction flow strategy, and what the app makes of each.",
    )
    unresolved_payments: list[UnresolvedPayment] = strawberry.field(
        resolver=_unresolved_payments,
        description="Calls whose outcome the app could not know, or frozen in conflict, oldest first: a person "
        "looks them up in the ROBOT PAYMENT control panel and settles them with resolvePayment.",
    )


@strawberry.type
class Mutation:
    save_channel_configuration: SaveChannelConfigurationResult = strawberry.mutation(
        resolver=_save_channel_configuration,
        description="Replace a channel's configuration. Refused values come back in `errors`; nothing is saved then.",
    )
    delete_channel_configuration: DeleteChannelConfigurationResult = strawberry.mutation(
        resolver=_delete_channel_configuration,
        description="Forget a channel's configuration: the app stops offering payments there.",
    )
    resolve_payment: ResolvePaymentResult = strawberry.mutation(
        resolver=_resolve_payment,
        description="Record what you found in the ROBOT PAYMENT control panel about an unresolved call: CHARGED "
        "(it went through; for a payment give its gid) or NOT_CHARGED, and why. Saleor is told the matching "
        "event; a call is resolved once.",
    )
    record_panel_refund: RecordPanelRefundResult = strawberry.mutation(
        resolver=_record_panel_refund,
        description="After refunding (part of) a payment in the ROBOT PAYMENT control panel (the gateway's API has "
        "no partial refund), record it in Saleor: REFUND_SUCCESS for `amount`, with who and why. Never more than "
        "the payment charged; a repeated requestId is the same refund.",
    )
    rotate_kickback_url: RotateKickbackUrlResult = strawberry.mutation(
        resolver=_rotate_kickback_url,
        description="Give the installation a new result notification URL; the old one is refused from now on.",
    )
    test_connection: ConnectionTestResult = strawberry.mutation(
        resolver=_test_connection,
        description="Call the gateway once (a harmless customer read) with a saved channel's store id and gateway, "
        "or with unsaved `input`, and explain the answer.",
    )


def _result(verdict: ConnectionVerdict, *, store_id: str, base_url: str) -> ConnectionTestResult:
    return ConnectionTestResult(
        ok=verdict.ok,
        status=verdict.status,
        store_id=store_id,
        gateway_base_url=base_url,
        error_code=verdict.error_code,
        message=verdict.message,
        advice=verdict.advice,
        errors=[],
    )


def _invalid(*errors: FieldError) -> ConnectionTestResult:
    return ConnectionTestResult(
        ok=False,
        status=ConnectionStatus.INVALID_INPUT,
        store_id=None,
        gateway_base_url=None,
        error_code=None,
        message="Nothing was sent to the gateway: " + "; ".join(f"{e.field}: {e.message}" for e in errors),
        advice=None,
        errors=list(errors),
    )


class ConfigApiSchema(strawberry.Schema):
    """Logs only unexpected resolver failures; refusals and bad documents are answers, not incidents."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        super().process_errors([error for error in errors if is_unexpected(error)], execution_context)


def is_unexpected(error: GraphQLError) -> bool:
    """A failure inside the app (a bug, the database), as opposed to a refusal or an invalid document."""
    return error.original_error is not None and not isinstance(error.original_error, ApiRefusal | GraphQLError)


def build_config_schema() -> ConfigApiSchema:
    return ConfigApiSchema(query=Query, mutation=Mutation)

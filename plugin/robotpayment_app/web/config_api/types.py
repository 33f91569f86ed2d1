"""The GraphQL types of the configuration API, and their conversions from the store's records.

GraphQL names are camelCase (strawberry derives them); gateway codes appear only in descriptions.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from robotpayment_app.store import records


@strawberry.enum(description="How a payment books the money (jb): authorise only, or authorise and capture at once.")
class JobType(Enum):
    AUTH = "AUTH"
    CAPTURE = "CAPTURE"


@strawberry.enum(
    description="Saleor's transaction flow strategy for a channel (Configuration → Channels → Transaction flow "
    "strategy): it reaches the app as action.actionType and decides 仮売上 or 即時売上."
)
class TransactionFlowStrategy(Enum):
    AUTHORIZATION = "AUTHORIZATION"  # 仮売上 (AUTH): captured later from the order
    CHARGE = "CHARGE"  # 即時売上 (CAPTURE)


@strawberry.type(description="A channel of the shop, as Saleor lists it, and what the app makes of it.")
class ShopChannel:
    slug: str
    name: str
    currency_code: str
    active: bool
    transaction_flow_strategy: TransactionFlowStrategy = strawberry.field(
        description="what Saleor asks for there: the app authorises or charges accordingly"
    )
    configured: bool = strawberry.field(description="the app has settings for it")
    problem: str | None = strawberry.field(description="why the app cannot take payments there (e.g. not yen)")
    former_job_type: JobType | None = strawberry.field(
        description="the app's own AUTH/CAPTURE setting from before it followed Saleor's strategy, when it differs"
    )


@strawberry.enum(description="How CPToken.js collects the card: the gateway's popup or the shop's own form.")
class TokenMode(Enum):
    POPUP = "popup"
    CUSTOMIZE = "customize"


@strawberry.enum(description="Payment method (md): 10 lump sum, 61 instalments, 80 revolving.")
class PaymentMethod(Enum):
    LUMP_SUM = "10"
    INSTALLMENTS = "61"
    REVOLVING = "80"


@strawberry.enum(description="What a money-moving gateway call did.")
class PaymentKind(Enum):
    PAYMENT = "payment"
    CAPTURE = "capture"
    CANCEL = "cancel"
    REFUND = "refund"
    CARD_REGISTRATION = "card_registration"


@strawberry.enum(description="PENDING and UNKNOWN are not final: check the gateway's control panel before acting.")
class PaymentStatus(Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    UNKNOWN = "unknown"
    FAILED_BEFORE_SEND = "failed_before_send"


@strawberry.enum(description="What told the app a call's outcome.")
class SettledBy(Enum):
    ANSWER = "answer"
    NOTIFICATION = "notification"
    STAFF = "staff"


@strawberry.enum(description="A person's finding in the ROBOT PAYMENT control panel: the call went through or not.")
class ResolutionDecision(Enum):
    CHARGED = "charged"
    NOT_CHARGED = "not_charged"


@strawberry.enum(description="What became of a result notification.")
class NotificationState(Enum):
    RECEIVED = "received"
    IGNORED = "ignored"
    HELD = "held"
    APPLIED = "applied"
    CONFIRMED = "confirmed"
    CONFLICT = "conflict"


@strawberry.enum(description="The verdict of a connection test.")
class ConnectionStatus(Enum):
    OK = "ok"
    IP_NOT_ALLOWED = "ip_not_allowed"
    UNKNOWN_STORE = "unknown_store"
    TOKEN_PAYMENTS_NOT_ENABLED = "token_payments_not_enabled"  # noqa: S105 (a status, not a password)
    ACCOUNT_SUSPENDED = "account_suspended"
    GATEWAY_BUSY = "gateway_busy"
    UNREACHABLE = "unreachable"
    NOT_A_GATEWAY = "not_a_gateway"
    REFUSED = "refused"
    INVALID_INPUT = "invalid_input"


@strawberry.type(description="A value refused, named by its input field.")
class FieldError:
    field: str
    message: str


@strawberry.type(description="The staff user the dashboard's token speaks for.")
class Viewer:
    email: str
    can_change_configuration: bool = strawberry.field(
        description="holds HANDLE_PAYMENTS: may save, delete and test configurations"
    )


@strawberry.type(description="ROBOT PAYMENT settings of one Saleor channel.")
class ChannelConfiguration:
    channel_slug: str
    store_id: str = strawberry.field(description="ROBOT PAYMENT store id (aid), six digits")
    gateway_base_url: str
    job_type: JobType = strawberry.field(
        description="no longer used: Saleor's transaction flow strategy (action.actionType) decides; kept so that "
        "shopChannels can say where it differs"
    )
    token_mode: TokenMode
    payment_methods: list[PaymentMethod]
    installment_counts: list[int]
    product_mode: bool = strawberry.field(description="charge a registered product (iid) instead of amounts")
    product_code_metadata_key: str = strawberry.field(
        description="product/variant metadata key holding the product code (iid) in product mode"
    )
    product_job_type: JobType | None = strawberry.field(
        description="product mode: what the product is set to in the control panel: AUTH 仮売上, CAPTURE 即時売上"
    )
    save_cards_allowed: bool
    cvv_required: bool
    split_tax_and_shipping: bool = strawberry.field(
        description="send tax (tx) and shipping (sf) apart; off: everything in the amount (am)"
    )
    updated_at: datetime

    @classmethod
    def from_record(cls, config: records.ChannelConfig) -> ChannelConfiguration:
        return cls(
            channel_slug=config.channel_slug,
            store_id=config.store_id,
            gateway_base_url=config.gateway_base_url,
            job_type=JobType(config.job_type.value),
            token_mode=TokenMode(config.token_mode.value),
            payment_methods=[PaymentMethod(method.value) for method in config.payment_methods],
            installment_counts=list(config.installment_counts),
            product_mode=config.product_mode,
            product_code_metadata_key=config.product_code_metadata_key,
            product_job_type=JobType(config.product_job_type.value) if config.product_job_type else None,
            save_cards_allowed=config.save_cards_allowed,
            cvv_required=config.cvv_required,
            split_tax_and_shipping=config.split_tax_and_shipping,
            updated_at=config.updated_at,
        )


@strawberry.type(description="What a channel's settings are when not given: the form of a new channel starts here.")
class ChannelSettingsDefaults:
    gateway_base_url: str
    job_type: JobType
    token_mode: TokenMode
    payment_methods: list[PaymentMethod]
    installment_counts: list[int]
    product_mode: bool
    product_code_metadata_key: str
    save_cards_allowed: bool
    cvv_required: bool
    split_tax_and_shipping: bool

    @classmethod
    def from_settings_model(cls) -> ChannelSettingsDefaults:
        """Read from `ChannelSettings` itself, so that the page never restates a default."""
        # store_id has no default; any valid one lets the model fill in the rest
        defaults = records.ChannelSettings(store_id="000000")
        return cls(
            gateway_base_url=defaults.gateway_base_url,
            job_type=JobType(defaults.job_type.value),
            token_mode=TokenMode(defaults.token_mode.value),
            payment_methods=[PaymentMethod(method.value) for method in defaults.payment_methods],
            installment_counts=list(defaults.installment_counts),
            product_mode=defaults.product_mode,
            product_code_metadata_key=defaults.product_code_metadata_key,
            save_cards_allowed=defaults.save_cards_allowed,
            cvv_required=defaults.cvv_required,
            split_tax_and_shipping=defaults.split_tax_and_shipping,
        )


@strawberry.input(
    description="Every setting of a channel; the whole configuration is replaced. An omitted (or null) optional "
    "field takes its default."
)
class ChannelConfigurationInput:
    store_id: str = strawberry.field(description="ROBOT PAYMENT store id (aid), six digits")
    gateway_base_url: str | None = strawberry.field(
        default=None, description="default: https://credit.j-payment.co.jp/gateway/"
    )
    job_type: JobType | None = strawberry.field(
        default=None,
        description="ignored for payments (Saleor's transaction flow strategy decides); kept as given",
    )
    token_mode: TokenMode | None = strawberry.field(default=None, description="default: POPUP")
    payment_methods: list[PaymentMethod] | None = strawberry.field(default=None, description="default: [LUMP_SUM]")
    installment_counts: list[int] | None = strawberry.field(
        default=None, description="needed with INSTALLMENTS; from 3, 5, 6, 10, 12, 15, 18, 20, 24"
    )
    product_mode: bool | None = strawberry.field(default=None, description="default: false")
    product_code_metadata_key: str | None = strawberry.field(default=None, description="default: robotpayment_iid")
    product_job_type: JobType | None = strawberry.field(
        default=None,
        description="required with productMode: what the product is set to in the ROBOT PAYMENT control panel "
        "(the product forms carry no jb): AUTH 仮売上, CAPTURE 即時売上 (仮実同時売上)",
    )
    save_cards_allowed: bool | None = strawberry.field(default=None, description="default: true")
    cvv_required: bool | None = strawberry.field(default=None, description="default: false")
    split_tax_and_shipping: bool | None = strawberry.field(default=None, description="default: false")

    def provided_settings(self) -> dict[str, object]:
        """The given fields by `ChannelSettings` name, as the store's values (omitted ones left out)."""
        values: dict[str, object] = {
            "store_id": self.store_id,
            "gateway_base_url": self.gateway_base_url,
            "job_type": records.JobType(self.job_type.value) if self.job_type else None,
            "token_mode": records.TokenMode(self.token_mode.value) if self.token_mode else None,
            "payment_methods": (
                tuple(records.PaymentMethodCode(method.value) for method in self.payment_methods)
                if self.payment_methods is not None
                else None
            ),
            "installment_counts": tuple(self.installment_counts) if self.installment_counts is not None else None,
            "product_mode": self.product_mode,
            "product_code_metadata_key": self.product_code_metadata_key,
            "product_job_type": records.JobType(self.product_job_type.value) if self.product_job_type else None,
            "save_cards_allowed": self.save_cards_allowed,
            "cvv_required": self.cvv_required,
            "split_tax_and_shipping": self.split_tax_and_shipping,
        }
        return {name: value for name, value in values.items() if value is not None}


@strawberry.input(description="A store id and gateway to test before saving them.")
class ConnectionInput:
    store_id: str = strawberry.field(description="ROBOT PAYMENT store id (aid), six digits")
    gateway_base_url: str | None = strawberry.field(
        default=None, description="default: https://credit.j-payment.co.jp/gateway/"
    )


@strawberry.type
class SaveChannelConfigurationResult:
    configuration: ChannelConfiguration | None = strawberry.field(description="null when anything was refused")
    errors: list[FieldError]


@strawberry.type
class DeleteChannelConfigurationResult:
    deleted: bool = strawberry.field(description="false when the channel had no configuration")


@strawberry.type(description="What one harmless gateway call told about a store id and gateway address.")
class ConnectionTestResult:
    ok: bool
    status: ConnectionStatus
    store_id: str | None
    gateway_base_url: str | None
    error_code: str | None = strawberry.field(description="the gateway's code (ec), when it answered one")
    message: str = strawberry.field(description="what happened")
    advice: str | None = strawberry.field(description="what to do about it")
    errors: list[FieldError]


@strawberry.type(description="A person's decision about a call whose outcome the app could not know.")
class Resolution:
    decision: ResolutionDecision
    psp_reference: str | None = strawberry.field(description="the gid they found, when it went through")
    reason: str
    resolved_by: str
    via: str = strawberry.field(description="cli or dashboard")
    resolved_at: datetime

    @classmethod
    def from_record(cls, resolution: records.PaymentResolution) -> Resolution:
        return cls(
            decision=ResolutionDecision(resolution.decision.value),
            psp_reference=resolution.psp_reference,
            reason=resolution.reason,
            resolved_by=resolution.resolved_by,
            via=resolution.via.value,
            resolved_at=resolution.resolved_at,
        )


@strawberry.type(description="One row of the payment ledger (one money-moving gateway call).")
class PaymentRecord:
    id: int = strawberry.field(description="the app's own payment id (`robotpayment-app payments`)")
    kind: PaymentKind
    status: PaymentStatus
    unresolved: bool = strawberry.field(
        description="no outcome yet (PENDING, UNKNOWN) or frozen in conflict: a person may have to settle it"
    )
    psp_reference: str | None = strawberry.field(description="the gateway's payment number (gid)")
    saleor_transaction_id: str | None
    channel_slug: str | None = strawberry.field(description="the Saleor channel the payment was made in")
    refunded_in_panel: int = strawberry.field(
        description="yen recorded as refunded in the ROBOT PAYMENT control panel (recordPanelRefund)"
    )
    shop_order_code: str | None = strawberry.field(description="the order code sent to the gateway (cod)")
    store_id: str | None = strawberry.field(description="the store id (aid) the call was made as")
    amount: int | None = strawberry.field(description="yen charged in all (am + tx + sf)")
    tax_amount: int | None
    shipping_amount: int | None
    currency: str | None
    job_type: str | None
    payment_method: str | None = strawberry.field(description="md code")
    installments: int | None = strawberry.field(description="pt")
    error_code: str | None = strawberry.field(description="the gateway's error code (ec)")
    failure_reason: str | None
    settled_by: SettledBy | None = strawberry.field(
        description="ANSWER (the gateway's answer), NOTIFICATION (a result notification: a claim, not the "
        "answer), STAFF (a person); null while open"
    )
    in_conflict: bool = strawberry.field(description="notifications disagreed: frozen until a person resolves it")
    conflict_reason: str | None
    report_pending: bool = strawberry.field(description="settled, but Saleor has not been told yet (retried)")
    resolution: Resolution | None
    created_at: datetime
    completed_at: datetime | None

    @classmethod
    def from_entry(
        cls,
        entry: records.LedgerEntry,
        resolution: records.PaymentResolution | None = None,
        refunded_in_panel: int = 0,
    ) -> PaymentRecord:
        return cls(
            id=entry.id,
            kind=PaymentKind(entry.kind.value),
            status=PaymentStatus(entry.status.value),
            unresolved=entry.unresolved and (resolution is None),
            psp_reference=entry.psp_reference,
            saleor_transaction_id=entry.saleor_transaction_id,
            channel_slug=entry.channel_slug,
            refunded_in_panel=refunded_in_panel,
            shop_order_code=entry.shop_order_code,
            store_id=entry.store_id,
            amount=entry.amount,
            tax_amount=entry.tax_amount,
            shipping_amount=entry.shipping_amount,
            currency=entry.currency,
            job_type=entry.job_type,
            payment_method=entry.payment_method,
            installments=entry.installments,
            error_code=entry.error_code,
            failure_reason=entry.failure_reason,
            settled_by=SettledBy(entry.settled_by.value) if entry.settled_by else None,
            in_conflict=entry.conflict_at is not None,
            conflict_reason=entry.conflict_reason,
            report_pending=entry.report_pending,
            resolution=Resolution.from_record(resolution) if resolution else None,
            created_at=entry.created_at,
            completed_at=entry.completed_at,
        )


@strawberry.type(description="A call a person has to settle, with what is known and what to look up.")
class UnresolvedPayment:
    payment: PaymentRecord
    overdue: bool = strawberry.field(description="unresolved for longer than the alert age (15 minutes by default)")
    in_flight: bool = strawberry.field(description="still waiting for its answer: not yet for a person")
    card: str | None = strawberry.field(description="the saved card it used, as shown to the shopper")
    lookup: str = strawberry.field(description="what to look up in the ROBOT PAYMENT control panel, and how to decide")
    notifications: list[KickbackRecord] = strawberry.field(description="the result notifications about it")


@strawberry.type
class ResolvePaymentResult:
    payment: PaymentRecord | None = strawberry.field(description="null when refused")
    event: str | None = strawberry.field(
        description="the event reported to Saleor (e.g. CHARGE_SUCCESS); null when Saleor already showed it"
    )
    reported_to_saleor: bool = strawberry.field(
        description="false: Saleor did not answer; the app keeps telling it until it does"
    )
    errors: list[FieldError]


@strawberry.type(description="A refund made in the ROBOT PAYMENT control panel, recorded in Saleor.")
class RecordPanelRefundResult:
    recorded: int | None = strawberry.field(description="yen recorded by this call (null when refused)")
    total_recorded: int | None = strawberry.field(description="yen recorded as refunded for the payment so far")
    remaining: int | None = strawberry.field(description="yen that could still be recorded")
    reported_to_saleor: bool
    repeated: bool = strawberry.field(description="this requestId was recorded before: nothing new was recorded")
    errors: list[FieldError]


@strawberry.type(description="The result notification URL after a rotation.")
class RotateKickbackUrlResult:
    kickback_url: str
    created_at: datetime
    message: str = strawberry.field(description="what the merchant must do now")


@strawberry.type(description="One result notification (kickback) the gateway sent.")
class KickbackRecord:
    id: int
    received_at: datetime
    psp_reference: str = strawberry.field(description="gid")
    result: str = strawberry.field(description="rst as sent: 1 success, 2 failure")
    error_code: str | None
    amount: int | None = strawberry.field(description="am")
    total_amount: int | None = strawberry.field(description="ta (am + tx + sf)")
    matched: bool = strawberry.field(description="whether it matched a payment the app made")
    payment_id: int | None
    state: NotificationState
    outcome: str | None = strawberry.field(description="what the app did with it")
    processed_at: datetime | None

    @classmethod
    def from_notification(cls, notification: records.KickbackNotification) -> KickbackRecord:
        return cls(
            id=notification.id,
            received_at=notification.received_at,
            psp_reference=notification.psp_reference,
            result=notification.result,
            error_code=notification.error_code,
            amount=notification.amount,
            total_amount=notification.total_amount,
            matched=notification.matched,
            payment_id=notification.payment_id,
            state=NotificationState(notification.state.value),
            outcome=notification.outcome,
            processed_at=notification.processed_at,
        )

"""Typed values the store hands out and takes in. Callers never see ORM rows.

Gateway names get English names here: `aid` → `store_id`, `uid` → `gateway_customer_id`,
`key` → `gateway_key`, `num` → `card_seq`, `gid` → `psp_reference`, `god` → `order_code`,
`cod` → `shop_order_code`, `ap` → `approval_number`, `ec` → `error_code`, `rst` → `result`,
`md` → `payment_method`, `pt` → `installments`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Self
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationInfo, field_validator, model_validator


class JobType(StrEnum):
    """How a payment books the money (`jb`): authorise only, or authorise and capture at once."""

    AUTH = "AUTH"
    CAPTURE = "CAPTURE"


class TokenMode(StrEnum):
    """How CPToken.js collects the card: the gateway's popup or the merchant's own form."""

    POPUP = "popup"
    CUSTOMIZE = "customize"


class PaymentMethodCode(StrEnum):
    """Payment method (`md`)."""

    LUMP_SUM = "10"
    INSTALLMENTS = "61"
    REVOLVING = "80"


# `pt` values the spec allows with md=61
INSTALLMENT_COUNTS = frozenset({3, 5, 6, 10, 12, 15, 18, 20, 24})


class LedgerKind(StrEnum):
    """What a money-moving gateway call does."""

    PAYMENT = "payment"
    CAPTURE = "capture"
    CANCEL = "cancel"
    REFUND = "refund"
    CARD_REGISTRATION = "card_registration"


class LedgerStatus(StrEnum):
    """pending → succeeded | declined | unknown | failed_before_send; unknown → succeeded | declined."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    UNKNOWN = "unknown"
    FAILED_BEFORE_SEND = "failed_before_send"


FINAL_LEDGER_STATUSES = frozenset(
    {LedgerStatus.SUCCEEDED, LedgerStatus.DECLINED, LedgerStatus.FAILED_BEFORE_SEND}
)
# the kinds that move money at the gateway (a card registration does not)
MONEY_KINDS = frozenset({LedgerKind.PAYMENT, LedgerKind.CAPTURE, LedgerKind.CANCEL, LedgerKind.REFUND})


class SettledBy(StrEnum):
    """What told the app a call's outcome."""

    ANSWER = "answer"  # the gateway's own answer to the call
    NOTIFICATION = "notification"  # a result notification (kickback): a claim, checked against the ledger
    STAFF = "staff"  # a person, after looking in the ROBOT PAYMENT control panel


class NotificationState(StrEnum):
    """What became of one result notification."""

    RECEIVED = "received"  # recorded; processing has not finished (a redelivery processes it again)
    IGNORED = "ignored"  # about no payment of this app, or not a notification at all
    HELD = "held"  # the payment's first claim, agreeing with the ledger: it settles the payment once held
    APPLIED = "applied"  # it settled the payment
    CONFIRMED = "confirmed"  # it agrees with what was already known
    CONFLICT = "conflict"  # it disagrees: the payment is frozen for a person


class ResolutionDecision(StrEnum):
    """A person's finding in the control panel: the call went through (charged, captured, cancelled) or not."""

    CHARGED = "charged"
    NOT_CHARGED = "not_charged"


# --------------------------------------------------------------------------------------- installations


@dataclass(frozen=True, slots=True)
class Installation:
    id: int
    saleor_api_url: str
    domain: str
    app_id: str
    app_token: SecretStr
    jwks: dict[str, Any] | None
    # part of the kickback URL path; knowing it is what lets a caller reach the kickback route
    kickback_secret: str = field(repr=False)
    created_at: datetime
    updated_at: datetime
    kickback_secret_created_at: datetime | None = None


# -------------------------------------------------------------------------------------- channel config

_STORE_ID = re.compile(r"^[0-9]{6}$")


class ChannelSettings(BaseModel):
    """What a merchant configures for one Saleor channel. Validated: a bad value names its field."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    store_id: str = Field(description="ROBOT PAYMENT store id (aid), six digits")
    gateway_base_url: str = Field(
        default="https://credit.j-payment.co.jp/gateway/",
        description="base URL under which the gateway's *.aspx and js/ live; the sandbox's in development",
    )
    job_type: JobType = JobType.AUTH
    token_mode: TokenMode = TokenMode.POPUP
    payment_methods: tuple[PaymentMethodCode, ...] = (PaymentMethodCode.LUMP_SUM,)
    installment_counts: tuple[int, ...] = ()
    product_mode: bool = Field(
        default=False, description="charge a registered product (iid) instead of amounts"
    )
    product_code_metadata_key: str = Field(default="robotpayment_iid", min_length=1, max_length=256)
    product_job_type: JobType | None = Field(
        default=None,
        description="product mode: what the product is set to in the ROBOT PAYMENT control panel (the product "
        "forms carry no jb): AUTH 仮売上, or CAPTURE 即時売上 (仮実同時売上)",
    )
    save_cards_allowed: bool = True
    cvv_required: bool = False
    split_tax_and_shipping: bool = Field(
        default=False, description="send tax (tx) and shipping (sf) apart; off = everything in am, tx=sf=0"
    )

    @field_validator("store_id")
    @classmethod
    def _six_digits(cls, value: str) -> str:
        if not _STORE_ID.fullmatch(value):
            raise ValueError("must be the six-digit store id (aid)")
        return value

    @field_validator("gateway_base_url")
    @classmethod
    def _http_base_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://credit.j-payment.co.jp/gateway/")
        if parts.query or parts.fragment:
            raise ValueError("must not have a query or fragment")
        normalized = value.strip()
        return normalized if normalized.endswith("/") else normalized + "/"

    @field_validator("payment_methods")
    @classmethod
    def _methods(cls, value: tuple[PaymentMethodCode, ...]) -> tuple[PaymentMethodCode, ...]:
        if not value:
            raise ValueError("must enable at least one payment method")
        if len(set(value)) != len(value):
            raise ValueError("lists a payment method twice")
        return value

    @field_validator("installment_counts")
    @classmethod
    def _counts(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        unknown = sorted(set(value) - INSTALLMENT_COUNTS)
        if unknown:
            allowed = ", ".join(str(count) for count in sorted(INSTALLMENT_COUNTS))
            raise ValueError(f"{unknown} not allowed; choose from {allowed}")
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _product_mode_needs_its_job_type(self) -> Self:
        if self.product_mode and self.product_job_type is None:
            raise ValueError(
                "product_job_type: say what the product is set to in the ROBOT PAYMENT control panel: 仮売上 (AUTH) "
                "or 即時売上 (CAPTURE); a wrong guess leaves authorised payments uncaptured"
            )
        return self

    @model_validator(mode="after")
    def _installments_need_counts(self) -> Self:
        if PaymentMethodCode.INSTALLMENTS in self.payment_methods and not self.installment_counts:
            raise ValueError("installment_counts: needed when payment method 61 (installments) is enabled")
        return self


class ChannelConfig(ChannelSettings):
    """Stored settings of one channel of one installation."""

    installation_id: int
    channel_slug: str
    updated_at: datetime


# ------------------------------------------------------------------------------------ customers, cards


@dataclass(frozen=True, slots=True)
class Customer:
    """A Saleor user's customer record at the gateway (one per installation and store id)."""

    id: int
    installation_id: int
    store_id: str
    saleor_user_id: str
    gateway_customer_id: str
    gateway_key: SecretStr
    email: str | None
    phone: str | None
    created_at: datetime


class CardDetails(BaseModel):
    """What we know about a registered card: never its number, only the masked form the gateway returns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    masked_number: str | None = Field(default=None, max_length=32)
    # derived from masked_number when not given
    last4: str | None = Field(default=None, validate_default=True)
    brand: str | None = Field(default=None, max_length=32)
    exp_month: int | None = Field(default=None, ge=1, le=12)
    exp_year: int | None = Field(default=None, ge=2000, le=2099)
    holder_name: str | None = Field(default=None, max_length=255)

    @field_validator("masked_number")
    @classmethod
    def _masked(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # a full card number must never be stored: require the gateway's masking (only the last four digits)
        if sum(char.isdigit() for char in value) > 4:
            raise ValueError("must be masked: at most the last four digits may be visible")
        return value

    @field_validator("last4")
    @classmethod
    def _last4(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            masked = info.data.get("masked_number")
            tail = masked[-4:] if isinstance(masked, str) else ""
            return tail if re.fullmatch(r"[0-9]{4}", tail) else None
        if not re.fullmatch(r"[0-9]{4}", value):
            raise ValueError("must be four digits")
        return value


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    # the id Saleor and storefronts see; random and unguessable
    public_id: str
    customer_id: int
    card_seq: int
    masked_number: str | None
    last4: str | None
    brand: str | None
    exp_month: int | None
    exp_year: int | None
    holder_name: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class OwnedCard:
    """A card together with its owner, as returned by the ownership-checked lookup."""

    card: Card
    customer: Customer


# -------------------------------------------------------------------------------------- payment ledger


class LedgerIntent(BaseModel):
    """What a money-moving call is about to do; written before the call."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: LedgerKind
    saleor_transaction_id: str | None = Field(default=None, max_length=255)
    psp_reference: str | None = Field(default=None, max_length=64)
    shop_order_code: str | None = Field(default=None, max_length=64)
    amount: int | None = Field(default=None, ge=0)
    tax_amount: int | None = Field(default=None, ge=0)
    shipping_amount: int | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    job_type: str | None = Field(default=None, max_length=16)
    payment_method: str | None = Field(default=None, max_length=2)
    installments: int | None = Field(default=None, ge=1)
    customer_id: int | None = None
    card_id: int | None = None
    saleor_user_id: str | None = Field(default=None, max_length=255)
    channel_slug: str | None = Field(default=None, max_length=255)
    store_id: str | None = Field(default=None, max_length=16)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    id: int
    installation_id: int
    dedup_key: str
    kind: LedgerKind
    status: LedgerStatus
    request_fingerprint: str
    saleor_transaction_id: str | None
    psp_reference: str | None
    order_code: str | None
    shop_order_code: str | None
    amount: int | None
    tax_amount: int | None
    shipping_amount: int | None
    currency: str | None
    job_type: str | None
    payment_method: str | None
    installments: int | None
    customer_id: int | None
    card_id: int | None
    approval_number: str | None
    error_code: str | None
    failure_reason: str | None
    saleor_response: dict[str, Any] | None
    created_at: datetime
    sent_at: datetime | None
    completed_at: datetime | None
    updated_at: datetime
    saleor_user_id: str | None = None
    channel_slug: str | None = None
    store_id: str | None = None
    settled_by: SettledBy | None = None
    claim_id: int | None = None
    conflict_at: datetime | None = None
    conflict_reason: str | None = None
    report_pending: bool = False
    reported_at: datetime | None = None
    alerted_at: datetime | None = None

    @property
    def unresolved(self) -> bool:
        """No outcome yet (in flight, or sent without an answer), or frozen by disagreeing notifications."""
        return self.status in (LedgerStatus.PENDING, LedgerStatus.UNKNOWN) or self.conflict_at is not None


@dataclass(frozen=True, slots=True)
class LedgerBegin:
    """Result of `PaymentLedger.begin`: the intent row, and whether this call created it."""

    entry: LedgerEntry
    created: bool


# ------------------------------------------------------------------------------------------- kickbacks


# amounts a notification may carry and the store can hold (a bigint); anything larger is no real notification
MAX_NOTIFIED_AMOUNT = 10**15


class KickbackNotice(BaseModel):
    """The parts of a gateway result notification the app keeps (never `key`, never free data)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    psp_reference: str = Field(min_length=1, max_length=64)
    result: str = Field(min_length=1, max_length=4)
    error_code: str | None = Field(default=None, max_length=32)
    order_code: str | None = Field(default=None, max_length=64)
    shop_order_code: str | None = Field(default=None, max_length=64)
    amount: int | None = Field(default=None, ge=0, le=MAX_NOTIFIED_AMOUNT)
    tax_amount: int | None = Field(default=None, ge=0, le=MAX_NOTIFIED_AMOUNT)
    shipping_amount: int | None = Field(default=None, ge=0, le=MAX_NOTIFIED_AMOUNT)
    total_amount: int | None = Field(default=None, ge=0, le=MAX_NOTIFIED_AMOUNT)
    store_id: str | None = Field(default=None, max_length=16)
    customer_id: str | None = Field(default=None, max_length=50)
    card_seq: str | None = Field(default=None, max_length=16)
    fingerprint: str = Field(min_length=64, max_length=64)


@dataclass(frozen=True, slots=True)
class KickbackNotification:
    id: int
    installation_id: int
    received_at: datetime
    psp_reference: str
    result: str
    error_code: str | None
    order_code: str | None
    shop_order_code: str | None
    amount: int | None
    tax_amount: int | None
    shipping_amount: int | None
    total_amount: int | None
    matched: bool
    payment_id: int | None
    outcome: str | None
    processed_at: datetime | None
    fingerprint: str = ""
    store_id: str | None = None
    customer_id: str | None = None
    card_seq: str | None = None
    state: NotificationState = NotificationState.RECEIVED
    processing_until: datetime | None = None

    @property
    def succeeded(self) -> bool:
        return self.result == "1"


@dataclass(frozen=True, slots=True)
class KickbackRecorded:
    """Result of `KickbackLog.record`: `first` is False when the same notification was received before."""

    notification: KickbackNotification
    first: bool


# ------------------------------------------------------------------------------------------ resolutions


class ResolutionVia(StrEnum):
    CLI = "cli"
    DASHBOARD = "dashboard"


@dataclass(frozen=True, slots=True)
class PaymentResolution:
    """What a person decided about a payment, and who, when and why."""

    id: int
    installation_id: int
    payment_id: int
    decision: ResolutionDecision
    psp_reference: str | None
    reason: str
    resolved_by: str
    via: ResolutionVia
    resolved_at: datetime

"""Plain records of the shop's state. Behaviour lives in services; calculations in `amounts`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from graphql import DocumentNode


def utc_now() -> datetime:
    return datetime.now(UTC)


class TransactionEventType(StrEnum):
    AUTHORIZATION_SUCCESS = "AUTHORIZATION_SUCCESS"
    AUTHORIZATION_FAILURE = "AUTHORIZATION_FAILURE"
    AUTHORIZATION_ADJUSTMENT = "AUTHORIZATION_ADJUSTMENT"
    AUTHORIZATION_REQUEST = "AUTHORIZATION_REQUEST"
    AUTHORIZATION_ACTION_REQUIRED = "AUTHORIZATION_ACTION_REQUIRED"
    CHARGE_ACTION_REQUIRED = "CHARGE_ACTION_REQUIRED"
    CHARGE_SUCCESS = "CHARGE_SUCCESS"
    CHARGE_FAILURE = "CHARGE_FAILURE"
    CHARGE_BACK = "CHARGE_BACK"
    CHARGE_REQUEST = "CHARGE_REQUEST"
    REFUND_SUCCESS = "REFUND_SUCCESS"
    REFUND_FAILURE = "REFUND_FAILURE"
    REFUND_REVERSE = "REFUND_REVERSE"
    REFUND_REQUEST = "REFUND_REQUEST"
    CANCEL_SUCCESS = "CANCEL_SUCCESS"
    CANCEL_FAILURE = "CANCEL_FAILURE"
    CANCEL_REQUEST = "CANCEL_REQUEST"
    INFO = "INFO"


class TransactionAction(StrEnum):
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    CANCEL = "CANCEL"


class TransactionFlowStrategy(StrEnum):
    AUTHORIZATION = "AUTHORIZATION"
    CHARGE = "CHARGE"


@dataclass
class Address:
    first_name: str = ""
    last_name: str = ""
    company_name: str = ""
    street_address_1: str = ""
    street_address_2: str = ""
    city: str = ""
    city_area: str = ""
    postal_code: str = ""
    country: str = "JP"
    country_area: str = ""
    phone: str | None = None


@dataclass
class Channel:
    pk: int
    slug: str
    name: str
    currency_code: str
    default_country: str
    default_transaction_flow: TransactionFlowStrategy
    is_active: bool = True


@dataclass
class ProductVariant:
    pk: int
    product_pk: int
    name: str
    sku: str
    # price per channel slug; the devshop has no taxes, so net == gross
    prices: dict[str, Decimal]
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass
class Product:
    pk: int
    name: str
    slug: str
    description: str
    variant_pks: list[int]
    metadata: dict[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=utc_now)


@dataclass
class User:
    pk: int
    email: str
    first_name: str
    last_name: str
    password_hash: bytes = field(repr=False)
    password_salt: bytes = field(repr=False)
    is_staff: bool
    permissions: frozenset[str]
    language_code: str = "JA"
    is_active: bool = True
    is_confirmed: bool = True
    note: str | None = None
    # rotated when the account changes in a way that must end old sessions
    jwt_token_key: str = field(default_factory=lambda: uuid.uuid4().hex, repr=False)
    metadata: dict[str, str] = field(default_factory=dict)
    private_metadata: dict[str, str] = field(default_factory=dict)
    default_billing_address: Address | None = None
    default_shipping_address: Address | None = None
    date_joined: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)


@dataclass
class CheckoutLine:
    pk: uuid.UUID
    variant_pk: int
    quantity: int
    unit_price: Decimal


@dataclass
class Checkout:
    token: uuid.UUID
    channel_slug: str
    currency: str
    user_pk: int | None
    email: str | None
    lines: list[CheckoutLine]
    language_code: str = "JA"
    billing_address: Address | None = None
    shipping_address: Address | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    private_metadata: dict[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)
    # set when checkoutComplete turned it into an order; the checkout then disappears
    order_pk: uuid.UUID | None = None


@dataclass
class OrderLine:
    pk: uuid.UUID
    variant_pk: int
    product_name: str
    variant_name: str
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass
class Order:
    pk: uuid.UUID
    number: int
    channel_slug: str
    currency: str
    user_pk: int | None
    user_email: str | None
    lines: list[OrderLine]
    total: Decimal
    checkout_token: uuid.UUID | None
    language_code: str = "JA"
    status: str = "UNFULFILLED"
    billing_address: Address | None = None
    shipping_address: Address | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    private_metadata: dict[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=utc_now)
    updated_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class Principal:
    """Who did something: a user or an app, by primary key."""

    kind: Literal["user", "app"]
    pk: int


@dataclass
class PaymentMethodDetails:
    type: Literal["CARD", "OTHER"]
    name: str
    brand: str | None = None
    first_digits: str | None = None
    last_digits: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None


@dataclass
class TransactionEvent:
    pk: int
    transaction_token: uuid.UUID
    type: TransactionEventType
    amount: Decimal
    currency: str
    psp_reference: str = ""
    message: str = ""
    external_url: str = ""
    created_at: datetime = field(default_factory=utc_now)
    created_by: Principal | None = None
    idempotency_key: str | None = None
    # request events from transactionInitialize start outside the amount calculations
    include_in_calculations: bool = True


@dataclass
class TransactionAmounts:
    authorized: Decimal = Decimal(0)
    authorize_pending: Decimal = Decimal(0)
    charged: Decimal = Decimal(0)
    charge_pending: Decimal = Decimal(0)
    refunded: Decimal = Decimal(0)
    refund_pending: Decimal = Decimal(0)
    canceled: Decimal = Decimal(0)
    cancel_pending: Decimal = Decimal(0)


@dataclass
class TransactionItem:
    token: uuid.UUID
    currency: str
    checkout_token: uuid.UUID | None
    order_pk: uuid.UUID | None
    # the payment app that owns the transaction and receives its action requests
    app_pk: int | None
    app_identifier: str | None
    created_by: Principal | None
    idempotency_key: str | None = None
    name: str = ""
    message: str = ""
    psp_reference: str = ""
    external_url: str = ""
    available_actions: list[TransactionAction] = field(default_factory=list)
    events: list[TransactionEvent] = field(default_factory=list)
    amounts: TransactionAmounts = field(default_factory=TransactionAmounts)
    payment_method_details: PaymentMethodDetails | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    private_metadata: dict[str, str] = field(default_factory=dict)
    created_at: datetime = field(default_factory=utc_now)
    modified_at: datetime = field(default_factory=utc_now)


@dataclass
class AppWebhook:
    pk: int
    name: str
    target_url: str
    query: str
    document: DocumentNode
    sync_events: frozenset[str]
    async_events: frozenset[str]
    is_active: bool = True


@dataclass
class InstalledApp:
    pk: int
    identifier: str
    name: str
    version: str | None
    permissions: frozenset[str]
    token_hash: bytes = field(repr=False)
    webhooks: list[AppWebhook]
    manifest_url: str
    app_url: str | None
    token_target_url: str
    author: str | None = None
    about: str | None = None
    homepage_url: str | None = None
    support_url: str | None = None
    data_privacy_url: str | None = None
    is_active: bool = True
    metadata: dict[str, str] = field(default_factory=dict)
    private_metadata: dict[str, str] = field(default_factory=dict)
    created: datetime = field(default_factory=utc_now)

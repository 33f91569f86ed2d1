"""What happened, as plain data: the root objects the apps' subscription documents run against.

The schema turns each of these into its GraphQL event type (`schema.events.event_root`), so the
services that raise events never depend on the schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from ..domain.records import Channel, Checkout, InstalledApp, Order, Principal, TransactionItem, User, utc_now

# events that reach apps only when they hold these permissions (Saleor's rules)
REQUIRED_PERMISSION: dict[str, str] = {
    "PAYMENT_GATEWAY_INITIALIZE_SESSION": "HANDLE_PAYMENTS",
    "TRANSACTION_INITIALIZE_SESSION": "HANDLE_PAYMENTS",
    "TRANSACTION_PROCESS_SESSION": "HANDLE_PAYMENTS",
    "TRANSACTION_CHARGE_REQUESTED": "HANDLE_PAYMENTS",
    "TRANSACTION_REFUND_REQUESTED": "HANDLE_PAYMENTS",
    "TRANSACTION_CANCELATION_REQUESTED": "HANDLE_PAYMENTS",
    "LIST_STORED_PAYMENT_METHODS": "HANDLE_PAYMENTS",
    "STORED_PAYMENT_METHOD_DELETE_REQUESTED": "HANDLE_PAYMENTS",
    "PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION": "HANDLE_PAYMENTS",
    "PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION": "HANDLE_PAYMENTS",
    "PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION": "HANDLE_PAYMENTS",
    "CUSTOMER_UPDATED": "MANAGE_USERS",
    "CUSTOMER_DELETED": "MANAGE_USERS",
    "CHECKOUT_FULLY_PAID": "MANAGE_CHECKOUTS",
    # Saleor sends this only to apps that manage apps, so an app rarely hears of its own removal
    "APP_DELETED": "MANAGE_APPS",
}
ASYNC_EVENTS = frozenset({"CUSTOMER_UPDATED", "CUSTOMER_DELETED", "CHECKOUT_FULLY_PAID", "APP_DELETED"})
SYNC_EVENTS = frozenset(REQUIRED_PERMISSION) - ASYNC_EVENTS


@dataclass(kw_only=True)
class ShopEvent:
    event_type: ClassVar[str]
    issuing_principal: Principal | None = None
    issued_at: datetime = field(default_factory=utc_now)


@dataclass(kw_only=True)
class PaymentGatewayInitializeSession(ShopEvent):
    event_type: ClassVar[str] = "PAYMENT_GATEWAY_INITIALIZE_SESSION"
    source: Checkout | Order
    data: Any
    amount: Decimal


@dataclass(frozen=True)
class SessionAction:
    amount: Decimal
    currency: str
    action_type: str  # CHARGE | AUTHORIZATION


@dataclass(kw_only=True)
class TransactionInitializeSession(ShopEvent):
    event_type: ClassVar[str] = "TRANSACTION_INITIALIZE_SESSION"
    transaction: TransactionItem
    source: Checkout | Order
    data: Any
    action: SessionAction
    idempotency_key: str
    customer_ip_address: str | None


@dataclass(kw_only=True)
class TransactionProcessSession(ShopEvent):
    event_type: ClassVar[str] = "TRANSACTION_PROCESS_SESSION"
    transaction: TransactionItem
    source: Checkout | Order
    data: Any
    action: SessionAction
    customer_ip_address: str | None


@dataclass(kw_only=True)
class TransactionActionRequested(ShopEvent):
    transaction: TransactionItem
    action_type: str  # CHARGE | REFUND | CANCEL
    amount: Decimal
    currency: str


@dataclass(kw_only=True)
class TransactionChargeRequested(TransactionActionRequested):
    event_type: ClassVar[str] = "TRANSACTION_CHARGE_REQUESTED"


@dataclass(kw_only=True)
class TransactionRefundRequested(TransactionActionRequested):
    event_type: ClassVar[str] = "TRANSACTION_REFUND_REQUESTED"


@dataclass(kw_only=True)
class TransactionCancelationRequested(TransactionActionRequested):
    event_type: ClassVar[str] = "TRANSACTION_CANCELATION_REQUESTED"


@dataclass(kw_only=True)
class ListStoredPaymentMethods(ShopEvent):
    event_type: ClassVar[str] = "LIST_STORED_PAYMENT_METHODS"
    user: User
    channel: Channel


@dataclass(kw_only=True)
class StoredPaymentMethodDeleteRequested(ShopEvent):
    event_type: ClassVar[str] = "STORED_PAYMENT_METHOD_DELETE_REQUESTED"
    user: User
    channel: Channel
    payment_method_id: str


@dataclass(kw_only=True)
class PaymentGatewayInitializeTokenizationSession(ShopEvent):
    event_type: ClassVar[str] = "PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION"
    user: User
    channel: Channel
    data: Any


@dataclass(kw_only=True)
class PaymentMethodInitializeTokenizationSession(ShopEvent):
    event_type: ClassVar[str] = "PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION"
    user: User
    channel: Channel
    data: Any
    payment_flow_to_support: str


@dataclass(kw_only=True)
class PaymentMethodProcessTokenizationSession(ShopEvent):
    event_type: ClassVar[str] = "PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION"
    user: User
    channel: Channel
    data: Any
    id: str


@dataclass(kw_only=True)
class CustomerUpdated(ShopEvent):
    event_type: ClassVar[str] = "CUSTOMER_UPDATED"
    user: User


@dataclass(kw_only=True)
class CustomerDeleted(ShopEvent):
    event_type: ClassVar[str] = "CUSTOMER_DELETED"
    user: User


@dataclass(kw_only=True)
class CheckoutFullyPaid(ShopEvent):
    event_type: ClassVar[str] = "CHECKOUT_FULLY_PAID"
    checkout: Checkout


@dataclass(kw_only=True)
class AppDeleted(ShopEvent):
    event_type: ClassVar[str] = "APP_DELETED"
    app: InstalledApp

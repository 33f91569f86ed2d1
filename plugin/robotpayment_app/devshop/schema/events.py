"""Saleor's webhook event types and the `Subscription.event` root the apps' documents select from."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

import strawberry

from ..config import DevshopConfig
from ..domain import records
from ..domain.store import ShopStore
from ..ids import to_global_id
from ..webhooks import events as shop_events
from .common import Channel
from .enums import TokenizedPaymentFlowEnum, TransactionActionEnum, TransactionFlowStrategyEnum
from .nodes import App, Checkout, Order, OrderOrCheckout, TransactionItem, User
from .scalars import JSON, PositiveDecimal

IssuingPrincipal = Annotated[App | User, strawberry.union("IssuingPrincipal")]


@strawberry.type(name="TransactionAction")
class TransactionAction:
    action_type: TransactionActionEnum
    amount: PositiveDecimal
    currency: str


@strawberry.type(name="TransactionProcessAction")
class TransactionProcessAction:
    amount: PositiveDecimal
    currency: str
    action_type: TransactionFlowStrategyEnum


@strawberry.type(name="OrderGrantedRefund")
class OrderGrantedRefund:
    id: strawberry.ID


@strawberry.interface(name="Event")
class Event:
    issued_at: datetime | None
    version: str | None
    issuing_principal: IssuingPrincipal | None
    recipient: App | None


@strawberry.type(name="PaymentGatewayInitializeSession")
class PaymentGatewayInitializeSession(Event):
    source_object: OrderOrCheckout
    data: JSON | None
    amount: PositiveDecimal | None


@strawberry.type(name="TransactionInitializeSession")
class TransactionInitializeSession(Event):
    transaction: TransactionItem
    source_object: OrderOrCheckout
    data: JSON | None
    merchant_reference: str
    customer_ip_address: str | None
    action: TransactionProcessAction
    idempotency_key: str


@strawberry.type(name="TransactionProcessSession")
class TransactionProcessSession(Event):
    transaction: TransactionItem
    source_object: OrderOrCheckout
    data: JSON | None
    merchant_reference: str
    customer_ip_address: str | None
    action: TransactionProcessAction


@strawberry.type(name="TransactionChargeRequested")
class TransactionChargeRequested(Event):
    transaction: TransactionItem | None
    action: TransactionAction


@strawberry.type(name="TransactionRefundRequested")
class TransactionRefundRequested(Event):
    transaction: TransactionItem | None
    action: TransactionAction
    granted_refund: OrderGrantedRefund | None


@strawberry.type(name="TransactionCancelationRequested")
class TransactionCancelationRequested(Event):
    transaction: TransactionItem | None
    action: TransactionAction


@strawberry.type(name="ListStoredPaymentMethods")
class ListStoredPaymentMethods(Event):
    user: User
    channel: Channel


@strawberry.type(name="StoredPaymentMethodDeleteRequested")
class StoredPaymentMethodDeleteRequested(Event):
    user: User
    payment_method_id: str
    channel: Channel


@strawberry.type(name="PaymentGatewayInitializeTokenizationSession")
class PaymentGatewayInitializeTokenizationSession(Event):
    user: User
    channel: Channel
    data: JSON | None


@strawberry.type(name="PaymentMethodInitializeTokenizationSession")
class PaymentMethodInitializeTokenizationSession(Event):
    user: User
    channel: Channel
    data: JSON | None
    payment_flow_to_support: TokenizedPaymentFlowEnum


@strawberry.type(name="PaymentMethodProcessTokenizationSession")
class PaymentMethodProcessTokenizationSession(Event):
    user: User
    channel: Channel
    data: JSON | None
    id: str


@strawberry.type(name="CustomerUpdated")
class CustomerUpdated(Event):
    user: User | None


@strawberry.type(name="CustomerDeleted")
class CustomerDeleted(Event):
    user: User | None


@strawberry.type(name="CheckoutFullyPaid")
class CheckoutFullyPaid(Event):
    checkout: Checkout | None


@strawberry.type(name="AppDeleted")
class AppDeleted(Event):
    app: App | None


EVENT_TYPES: tuple[type, ...] = (
    PaymentGatewayInitializeSession,
    TransactionInitializeSession,
    TransactionProcessSession,
    TransactionChargeRequested,
    TransactionRefundRequested,
    TransactionCancelationRequested,
    ListStoredPaymentMethods,
    StoredPaymentMethodDeleteRequested,
    PaymentGatewayInitializeTokenizationSession,
    PaymentMethodInitializeTokenizationSession,
    PaymentMethodProcessTokenizationSession,
    CustomerUpdated,
    CustomerDeleted,
    CheckoutFullyPaid,
    AppDeleted,
)


@strawberry.type(name="Subscription")
class Subscription:
    @strawberry.subscription
    async def event(self) -> AsyncGenerator[Event | None, None]:
        # Webhook payloads execute this field with the event object as root (see PayloadBuilder);
        # live subscriptions over websockets are not offered, so the stream ends at once.
        if isinstance(self, Event):
            yield self


# Saleor sends a granted refund id even without one: base64("OrderGrantedRefund:None")
_NO_GRANTED_REFUND = OrderGrantedRefund(id=strawberry.ID(to_global_id("OrderGrantedRefund", None)))


class EventRoots:
    """Turns a ShopEvent into its GraphQL event object for one recipient app."""

    def __init__(self, store: ShopStore, config: DevshopConfig) -> None:
        self._store = store
        self._config = config

    def _principal(self, principal: records.Principal | None) -> App | User | None:
        if principal is None:
            return None
        if principal.kind == "app":
            app = self._store.apps.get(principal.pk)
            return App(record=app) if app is not None else None
        user = self._store.users.get(principal.pk)
        return User(record=user) if user is not None else None

    def __call__(self, event: shop_events.ShopEvent, recipient: records.InstalledApp) -> Event:
        common: dict[str, Any] = {
            "issued_at": event.issued_at,
            "version": self._config.saleor_version,
            "issuing_principal": self._principal(event.issuing_principal),
            "recipient": App(record=recipient),
        }
        return _build(event, common)


def _source(source: records.Checkout | records.Order) -> Checkout | Order:
    return Checkout(record=source) if isinstance(source, records.Checkout) else Order(record=source)


def _action(action: shop_events.SessionAction) -> TransactionProcessAction:
    return TransactionProcessAction(
        amount=PositiveDecimal(action.amount),
        currency=action.currency,
        action_type=TransactionFlowStrategyEnum[action.action_type],
    )


def _request_action(event: shop_events.TransactionActionRequested) -> TransactionAction:
    return TransactionAction(
        action_type=TransactionActionEnum[event.action_type],
        amount=PositiveDecimal(Decimal(event.amount)),
        currency=event.currency,
    )


def _build(event: shop_events.ShopEvent, common: dict[str, Any]) -> Event:
    e = shop_events
    if isinstance(event, e.PaymentGatewayInitializeSession):
        return PaymentGatewayInitializeSession(
            **common,
            source_object=_source(event.source),
            data=event.data,
            amount=PositiveDecimal(event.amount),
        )
    if isinstance(event, e.TransactionInitializeSession):
        transaction = TransactionItem(record=event.transaction)
        return TransactionInitializeSession(
            **common,
            transaction=transaction,
            source_object=_source(event.source),
            data=event.data,
            merchant_reference=transaction.global_id(),
            customer_ip_address=event.customer_ip_address,
            action=_action(event.action),
            idempotency_key=event.idempotency_key,
        )
    if isinstance(event, e.TransactionProcessSession):
        transaction = TransactionItem(record=event.transaction)
        return TransactionProcessSession(
            **common,
            transaction=transaction,
            source_object=_source(event.source),
            data=event.data,
            merchant_reference=transaction.global_id(),
            customer_ip_address=event.customer_ip_address,
            action=_action(event.action),
        )
    if isinstance(event, e.TransactionChargeRequested):
        return TransactionChargeRequested(
            **common, transaction=TransactionItem(record=event.transaction), action=_request_action(event)
        )
    if isinstance(event, e.TransactionRefundRequested):
        return TransactionRefundRequested(
            **common,
            transaction=TransactionItem(record=event.transaction),
            action=_request_action(event),
            granted_refund=_NO_GRANTED_REFUND,
        )
    if isinstance(event, e.TransactionCancelationRequested):
        return TransactionCancelationRequested(
            **common, transaction=TransactionItem(record=event.transaction), action=_request_action(event)
        )
    if isinstance(event, e.ListStoredPaymentMethods):
        return ListStoredPaymentMethods(**common, user=User(record=event.user), channel=Channel(record=event.channel))
    if isinstance(event, e.StoredPaymentMethodDeleteRequested):
        return StoredPaymentMethodDeleteRequested(
            **common,
            user=User(record=event.user),
            channel=Channel(record=event.channel),
            payment_method_id=event.payment_method_id,
        )
    if isinstance(event, e.PaymentGatewayInitializeTokenizationSession):
        return PaymentGatewayInitializeTokenizationSession(
            **common, user=User(record=event.user), channel=Channel(record=event.channel), data=event.data
        )
    if isinstance(event, e.PaymentMethodInitializeTokenizationSession):
        return PaymentMethodInitializeTokenizationSession(
            **common,
            user=User(record=event.user),
            channel=Channel(record=event.channel),
            data=event.data,
            payment_flow_to_support=TokenizedPaymentFlowEnum[event.payment_flow_to_support],
        )
    if isinstance(event, e.PaymentMethodProcessTokenizationSession):
        return PaymentMethodProcessTokenizationSession(
            **common,
            user=User(record=event.user),
            channel=Channel(record=event.channel),
            data=event.data,
            id=event.id,
        )
    if isinstance(event, e.CustomerUpdated):
        return CustomerUpdated(**common, user=User(record=event.user))
    if isinstance(event, e.CustomerDeleted):
        return CustomerDeleted(**common, user=User(record=event.user))
    if isinstance(event, e.CheckoutFullyPaid):
        return CheckoutFullyPaid(**common, checkout=Checkout(record=event.checkout))
    if isinstance(event, e.AppDeleted):
        return AppDeleted(**common, app=App(record=event.app))
    raise TypeError(f"no GraphQL event type for {type(event).__name__}")

"""Payment sessions started by storefronts: gateway initialize, transaction initialize and process."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..answers import InvalidAnswer, parse_gateway_initialize_answer
from ..context import Requester
from ..domain.amounts import amount_still_to_pay, checkout_total, quantize
from ..domain.records import (
    Checkout,
    Order,
    Principal,
    TransactionEvent,
    TransactionFlowStrategy,
    TransactionItem,
)
from ..domain.records import TransactionEventType as T
from ..domain.store import ShopStore
from ..errors import PermissionDeniedError, ShopError
from ..ids import InvalidGlobalIdError, from_global_id
from ..webhooks.dispatcher import Subscriber, WebhookDispatcher
from ..webhooks.events import (
    PaymentGatewayInitializeSession,
    SessionAction,
    TransactionInitializeSession,
    TransactionProcessSession,
)
from .checkouts import CheckoutService
from .ledger import FINAL_SESSION_EVENTS, TransactionLedger
from .transactions import find_transaction

UNIQUE_KEY = "Different transaction with provided idempotency key already exists."


@dataclass(frozen=True)
class GatewayConfig:
    """One entry of paymentGatewayInitialize's `gatewayConfigs`."""

    identifier: str
    data: Any
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class SessionOutcome:
    transaction: TransactionItem
    event: TransactionEvent
    data: Any


class PaymentSessions:
    def __init__(
        self,
        store: ShopStore,
        webhooks: WebhookDispatcher,
        checkouts: CheckoutService,
        ledger: TransactionLedger,
    ) -> None:
        self._store = store
        self._webhooks = webhooks
        self._checkouts = checkouts
        self._ledger = ledger

    def _source(self, requester: Requester, global_id: str) -> Checkout | Order:
        try:
            type_name, raw = from_global_id(global_id)
        except InvalidGlobalIdError as exc:
            raise ShopError("INVALID", str(exc), "id") from None
        if type_name == "Checkout":
            return self._checkouts.find(requester, global_id)
        if type_name == "Order":
            try:
                order = self._store.orders.get(uuid.UUID(raw))
            except ValueError:
                order = None
            is_owner = order is not None and requester.user is not None and requester.user.pk == order.user_pk
            if order is None or not (is_owner or requester.has_any("MANAGE_ORDERS", "HANDLE_PAYMENTS")):
                raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {global_id}", "id")
            return order
        raise ShopError("INVALID", "Must receive a Checkout or Order id.", "id")

    def _total(self, source: Checkout | Order) -> Decimal:
        return checkout_total(source) if isinstance(source, Checkout) else source.total

    def _amounts_of(self, source: Checkout | Order) -> list[Any]:
        if isinstance(source, Checkout):
            return [t.amounts for t in self._store.transactions_of_checkout(source.token)]
        return [t.amounts for t in self._store.transactions_of_order(source.pk)]

    def _amount(self, source: Checkout | Order, amount: Decimal | None) -> Decimal:
        if amount is None:
            return amount_still_to_pay(self._total(source), self._amounts_of(source))
        return quantize(amount, source.currency)

    def _subscriber(self, identifier: str, event_type: str) -> Subscriber | None:
        app = self._store.app_by_identifier(identifier)
        return self._webhooks.subscriber(app, event_type) if app is not None else None

    # -- paymentGatewayInitialize ----------------------------------------------------------------

    async def initialize_gateways(
        self,
        requester: Requester,
        source_id: str,
        gateways: list[tuple[str, Any]] | None,
        amount: Decimal | None,
    ) -> list[GatewayConfig]:
        source = self._source(requester, source_id)
        value = self._amount(source, amount)
        event_type = PaymentGatewayInitializeSession.event_type
        if gateways is None:
            gateways = [(s.app.identifier, None) for s in self._webhooks.subscribers(event_type)]
        configs = []
        for identifier, data in gateways:
            subscriber = self._subscriber(identifier, event_type)
            if subscriber is None:
                message = "Active app with `HANDLE_PAYMENT` permissions or app webhook not found."
                configs.append(GatewayConfig(identifier, None, "NOT_FOUND", message))
                continue
            event = PaymentGatewayInitializeSession(
                source=source, data=data, amount=value, issuing_principal=requester.principal
            )
            delivery = await self._webhooks.call(subscriber, event)
            if not delivery.succeeded:
                configs.append(
                    GatewayConfig(identifier, None, "INVALID", "Unable to process a payment gateway response.")
                )
                continue
            parsed = parse_gateway_initialize_answer(delivery.answer)
            if isinstance(parsed, InvalidAnswer):
                configs.append(GatewayConfig(identifier, None, "INVALID", parsed.reason))
            else:
                configs.append(GatewayConfig(identifier, parsed))
        return configs

    # -- transactionInitialize -------------------------------------------------------------------

    async def initialize_transaction(
        self,
        requester: Requester,
        *,
        source_id: str,
        gateway_id: str,
        gateway_data: Any,
        amount: Decimal | None,
        action: TransactionFlowStrategy | None,
        idempotency_key: str | None,
        customer_ip_address: str | None,
    ) -> SessionOutcome:
        if action is not None and not (requester.app is not None and requester.has_any("HANDLE_PAYMENTS")):
            # Saleor: only a payment app may choose the flow; storefronts get the channel default
            raise PermissionDeniedError(("HANDLE_PAYMENTS",))
        source = self._source(requester, source_id)
        subscriber = self._subscriber(gateway_id, TransactionInitializeSession.event_type)
        if subscriber is None:
            raise ShopError(
                "NOT_FOUND",
                "Active app with `HANDLE_PAYMENTS` permission and subscribed to "
                "TRANSACTION_INITIALIZE_SESSION not found.",
                "paymentGateway",
            )
        flow = action or self._store.channels[source.channel_slug].default_transaction_flow
        value = self._amount(source, amount)
        key = idempotency_key or uuid.uuid4().hex
        transaction, request = self._transaction_for_key(subscriber, source, key, flow, value)
        event = TransactionInitializeSession(
            transaction=transaction,
            source=source,
            data=gateway_data,
            action=SessionAction(value, source.currency, flow.value),
            idempotency_key=key,
            customer_ip_address=customer_ip_address,
            issuing_principal=requester.principal,
        )
        delivery = await self._webhooks.call(subscriber, event)
        raw = delivery.answer if delivery.succeeded else None
        app_principal = Principal("app", subscriber.app.pk)
        result = await self._ledger.apply_session_answer(transaction, request, raw, app_principal)
        data = raw.get("data") if isinstance(raw, dict) else None
        return SessionOutcome(transaction, result, data)

    def _transaction_for_key(
        self,
        subscriber: Subscriber,
        source: Checkout | Order,
        key: str,
        flow: TransactionFlowStrategy,
        amount: Decimal,
    ) -> tuple[TransactionItem, TransactionEvent]:
        """The same key and input reuse the transaction (Saleor calls the app again); else UNIQUE."""
        request_type = T.CHARGE_REQUEST if flow is TransactionFlowStrategy.CHARGE else T.AUTHORIZATION_REQUEST
        known = self._store.idempotency_keys.get((subscriber.app.identifier, key))
        if known is not None:
            transaction = self._store.transactions[known]
            same_source = (
                transaction.checkout_token == source.token
                if isinstance(source, Checkout)
                else transaction.order_pk == source.pk
            )
            request = next((e for e in transaction.events if e.idempotency_key == key), None)
            if not same_source or request is None or request.type is not request_type or request.amount != amount:
                raise ShopError("UNIQUE", UNIQUE_KEY, "idempotencyKey")
            return transaction, request
        transaction = TransactionItem(
            token=uuid.uuid4(),
            currency=source.currency,
            checkout_token=source.token if isinstance(source, Checkout) else None,
            order_pk=source.pk if isinstance(source, Order) else None,
            app_pk=subscriber.app.pk,
            app_identifier=subscriber.app.identifier,
            created_by=Principal("app", subscriber.app.pk),
            idempotency_key=key,
        )
        self._store.transactions[transaction.token] = transaction
        self._store.idempotency_keys[(subscriber.app.identifier, key)] = transaction.token
        request = self._store.add_event(
            transaction, request_type, amount, idempotency_key=key, include_in_calculations=False
        )
        return transaction, request

    # -- transactionProcess ----------------------------------------------------------------------

    async def process_transaction(
        self,
        requester: Requester,
        *,
        transaction_id: str | None,
        token: uuid.UUID | None,
        data: Any,
        customer_ip_address: str | None,
    ) -> SessionOutcome:
        transaction = find_transaction(self._store, transaction_id, token)
        processed = next(
            (e for e in transaction.events if e.type in FINAL_SESSION_EVENTS and e.include_in_calculations),
            None,
        )
        if processed is not None:
            return SessionOutcome(transaction, processed, None)
        request = next(
            (
                e
                for e in transaction.events
                if e.type in (T.AUTHORIZATION_REQUEST, T.CHARGE_REQUEST) and not e.include_in_calculations
            ),
            None,
        )
        if request is None:
            raise ShopError("INVALID", "Missing call of `transactionInitialize` mutation.", "id")
        source = self._ledger.source_of(transaction)
        if source is None:
            raise ShopError("INVALID", "Transaction doesn't have attached order or checkout.", "id")
        if transaction.app_identifier is None:
            raise ShopError(
                "MISSING_PAYMENT_APP_RELATION",
                "Transaction doesn't have attached app that could process the request.",
                "id",
            )
        app = self._store.app_by_identifier(transaction.app_identifier)
        if app is None:
            raise ShopError("MISSING_PAYMENT_APP", "Payment app attached to the transaction, doesn't exist.", "id")
        flow = "CHARGE" if request.type is T.CHARGE_REQUEST else "AUTHORIZATION"
        subscriber = self._webhooks.subscriber(app, TransactionProcessSession.event_type)
        raw = None
        if subscriber is not None:
            event = TransactionProcessSession(
                transaction=transaction,
                source=source,
                data=data,
                action=SessionAction(request.amount, transaction.currency, flow),
                customer_ip_address=customer_ip_address,
                issuing_principal=requester.principal,
            )
            delivery = await self._webhooks.call(subscriber, event)
            raw = delivery.answer if delivery.succeeded else None
        result = await self._ledger.apply_session_answer(transaction, request, raw, Principal("app", app.pk))
        return SessionOutcome(transaction, result, raw.get("data") if isinstance(raw, dict) else None)

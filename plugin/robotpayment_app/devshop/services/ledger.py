"""Recording transaction events the way Saleor does: dedup, failure events, amounts, side effects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ..answers import MESSAGE_MAX_LENGTH, InvalidAnswer, parse_action_answer, parse_session_answer
from ..domain.amounts import charge_status, checkout_total, compute_transaction_amounts, quantize
from ..domain.records import (
    Checkout,
    Order,
    Principal,
    TransactionEvent,
    TransactionItem,
)
from ..domain.records import TransactionEventType as T
from ..domain.store import ShopStore
from ..webhooks.dispatcher import WebhookDispatcher
from ..webhooks.events import CheckoutFullyPaid
from .stored_methods import StoredMethodsService

# events that only record that the app wants more from the shopper: never deduplicated
_NEVER_DEDUPLICATED = frozenset({T.AUTHORIZATION_ACTION_REQUIRED, T.CHARGE_ACTION_REQUIRED, T.INFO})
# events after which Saleor forgets the cached stored-method list (a card may have been saved)
_PAYMENT_EVENTS = frozenset({T.AUTHORIZATION_REQUEST, T.AUTHORIZATION_SUCCESS, T.CHARGE_REQUEST, T.CHARGE_SUCCESS})
FINAL_SESSION_EVENTS = frozenset(
    {T.AUTHORIZATION_FAILURE, T.AUTHORIZATION_SUCCESS, T.AUTHORIZATION_REQUEST}
    | {T.CHARGE_FAILURE, T.CHARGE_SUCCESS, T.CHARGE_REQUEST}
)
_FAILURE_OF: dict[T, T] = {
    T.AUTHORIZATION_REQUEST: T.AUTHORIZATION_FAILURE,
    T.AUTHORIZATION_SUCCESS: T.AUTHORIZATION_FAILURE,
    T.AUTHORIZATION_ADJUSTMENT: T.AUTHORIZATION_FAILURE,
    T.CHARGE_REQUEST: T.CHARGE_FAILURE,
    T.CHARGE_SUCCESS: T.CHARGE_FAILURE,
    T.CHARGE_BACK: T.CHARGE_FAILURE,
    T.REFUND_REQUEST: T.REFUND_FAILURE,
    T.REFUND_SUCCESS: T.REFUND_FAILURE,
    T.REFUND_REVERSE: T.REFUND_FAILURE,
    T.CANCEL_REQUEST: T.CANCEL_FAILURE,
    T.CANCEL_SUCCESS: T.CANCEL_FAILURE,
}
DIFFERENT_AMOUNT = "The transaction with provided `pspReference` and `type` already exists with different amount."
SECOND_AUTHORIZATION = (
    "Event with `AUTHORIZATION_SUCCESS` already reported for the transaction. "
    "Use `AUTHORIZATION_ADJUSTMENT` to change the authorization amount."
)
NOT_DELIVERED = "Failed to delivery request."


@dataclass(frozen=True)
class Recorded:
    event: TransactionEvent | None
    already_existed: bool = False
    error: str | None = None


class TransactionLedger:
    def __init__(self, store: ShopStore, webhooks: WebhookDispatcher, stored_methods: StoredMethodsService) -> None:
        self._store = store
        self._webhooks = webhooks
        self._stored_methods = stored_methods

    def source_of(self, transaction: TransactionItem) -> Checkout | Order | None:
        if transaction.order_pk is not None:
            return self._store.orders.get(transaction.order_pk)
        if transaction.checkout_token is not None:
            return self._store.checkouts.get(transaction.checkout_token)
        return None

    def record(
        self,
        transaction: TransactionItem,
        event_type: T,
        amount: Decimal,
        *,
        psp_reference: str,
        created_by: Principal | None,
        message: str = "",
        external_url: str = "",
        time: datetime | None = None,
    ) -> Recorded:
        """Add an event unless the same (type, pspReference) exists; refuse a second authorization."""
        if event_type not in _NEVER_DEDUPLICATED:
            existing = next(
                (e for e in transaction.events if e.type is event_type and e.psp_reference == psp_reference),
                None,
            )
            if existing is not None:
                if existing.amount != amount:
                    return Recorded(None, error=DIFFERENT_AMOUNT)
                return Recorded(existing, already_existed=True)
            if event_type is T.AUTHORIZATION_SUCCESS and any(
                e.type is T.AUTHORIZATION_SUCCESS for e in transaction.events
            ):
                return Recorded(None, error=SECOND_AUTHORIZATION)
        event = self._store.add_event(
            transaction,
            event_type,
            amount,
            psp_reference=psp_reference,
            message=message[:MESSAGE_MAX_LENGTH],
            external_url=external_url,
            created_at=time,
            created_by=created_by,
        )
        return Recorded(event)

    def fail(self, transaction: TransactionItem, cause: TransactionEvent, reason: str) -> TransactionEvent:
        """Saleor's failure event for a request or event that could not be completed."""
        return self._store.add_event(
            transaction,
            _FAILURE_OF.get(cause.type, cause.type),
            cause.amount,
            psp_reference=cause.psp_reference,
            message=reason[:MESSAGE_MAX_LENGTH],
            include_in_calculations=False,
        )

    async def recalculate(self, transaction: TransactionItem, source: Checkout | Order | None) -> None:
        """New amounts from the events; CHECKOUT_FULLY_PAID when a checkout just became fully charged."""
        was_paid = isinstance(source, Checkout) and self._checkout_paid(source)
        transaction.amounts = compute_transaction_amounts(transaction.events)
        if isinstance(source, Checkout) and not was_paid and self._checkout_paid(source):
            await self._webhooks.publish(CheckoutFullyPaid(checkout=source))

    def _checkout_paid(self, checkout: Checkout) -> bool:
        amounts = [t.amounts for t in self._store.transactions_of_checkout(checkout.token)]
        return charge_status(checkout_total(checkout), amounts) in ("FULL", "OVERCHARGED")

    def forget_stored_methods_if_paid(
        self, event: TransactionEvent, source: Checkout | Order | None, app_identifier: str | None
    ) -> None:
        if event.type in _PAYMENT_EVENTS and source is not None and source.user_pk is not None and app_identifier:
            self._stored_methods.invalidate(app_identifier, source.user_pk, source.channel_slug)

    async def apply_session_answer(
        self, transaction: TransactionItem, request: TransactionEvent, raw: Any, app_principal: Principal
    ) -> TransactionEvent:
        """What Saleor does with a TRANSACTION_INITIALIZE/PROCESS_SESSION answer; returns the event."""
        parsed = parse_session_answer(raw) if raw is not None else InvalidAnswer(NOT_DELIVERED)
        if isinstance(parsed, InvalidAnswer) or parsed.result is None:
            reason = parsed.reason if isinstance(parsed, InvalidAnswer) else NOT_DELIVERED
            return self.fail(transaction, request, reason)
        amount = quantize(parsed.amount or request.amount, transaction.currency)
        if parsed.result in (T.AUTHORIZATION_REQUEST, T.CHARGE_REQUEST):
            # a pending answer turns the request itself into the counted event
            request.type = parsed.result
            request.amount = amount
            request.psp_reference = parsed.psp_reference or ""
            request.include_in_calculations = True
            request.created_by = app_principal
            request.message = parsed.message
            request.created_at = parsed.time or request.created_at
            request.external_url = parsed.external_url or request.external_url
            event = request
        else:
            recorded = self.record(
                transaction,
                parsed.result,
                amount,
                psp_reference=parsed.psp_reference or "",
                created_by=app_principal,
                message=parsed.message,
                external_url=parsed.external_url,
                time=parsed.time,
            )
            if recorded.event is None:
                return self.fail(transaction, request, recorded.error or "")
            event = recorded.event
            request.psp_reference = event.psp_reference
        if parsed.payment_method_details is not None:
            transaction.payment_method_details = parsed.payment_method_details
        if event.type in _PAYMENT_EVENTS:
            transaction.psp_reference = event.psp_reference
            if parsed.actions is not None:
                transaction.available_actions = list(parsed.actions)
        elif event.psp_reference:
            transaction.psp_reference = event.psp_reference
        source = self.source_of(transaction)
        await self.recalculate(transaction, source)
        self.forget_stored_methods_if_paid(event, source, transaction.app_identifier)
        return event

    async def apply_action_answer(
        self, transaction: TransactionItem, request: TransactionEvent, raw: Any, app_principal: Principal
    ) -> TransactionEvent | None:
        """What Saleor does with a charge/refund/cancel answer (sync result or async pspReference)."""
        parsed = parse_action_answer(raw, request.type) if raw is not None else InvalidAnswer(NOT_DELIVERED)
        source = self.source_of(transaction)
        if isinstance(parsed, InvalidAnswer):
            failure = self.fail(transaction, request, parsed.reason)
            await self.recalculate(transaction, source)
            return failure
        if parsed.psp_reference is not None:
            request.psp_reference = parsed.psp_reference
            request.include_in_calculations = True
        event: TransactionEvent | None = None
        if parsed.result is not None:
            recorded = self.record(
                transaction,
                parsed.result,
                quantize(parsed.amount or request.amount, transaction.currency),
                psp_reference=parsed.psp_reference or "",
                created_by=app_principal,
                message=parsed.message,
                external_url=parsed.external_url,
                time=parsed.time,
            )
            if recorded.event is None:
                failure = self.fail(transaction, request, recorded.error or "")
                await self.recalculate(transaction, source)
                return failure
            event = recorded.event
        if parsed.actions is not None:
            transaction.available_actions = list(parsed.actions)
        await self.recalculate(transaction, source)
        if event is not None:
            self.forget_stored_methods_if_paid(event, source, transaction.app_identifier)
        return event

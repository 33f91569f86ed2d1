"""Staff actions on transactions (charge/refund/cancel) and events reported later by apps."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ..answers import MESSAGE_MAX_LENGTH
from ..context import Requester
from ..domain.amounts import quantize
from ..domain.records import (
    PaymentMethodDetails,
    Principal,
    TransactionAction,
    TransactionEvent,
    TransactionItem,
)
from ..domain.records import TransactionEventType as T
from ..domain.store import ShopStore
from ..errors import PermissionDeniedError, ShopError
from ..ids import InvalidGlobalIdError, from_global_id
from ..webhooks.dispatcher import WebhookDispatcher
from ..webhooks.events import (
    TransactionActionRequested,
    TransactionCancelationRequested,
    TransactionChargeRequested,
    TransactionRefundRequested,
)
from .ledger import DIFFERENT_AMOUNT, SECOND_AUTHORIZATION, TransactionLedger

_REQUESTS: dict[TransactionAction, tuple[T, type[TransactionActionRequested]]] = {
    TransactionAction.CHARGE: (T.CHARGE_REQUEST, TransactionChargeRequested),
    TransactionAction.REFUND: (T.REFUND_REQUEST, TransactionRefundRequested),
    TransactionAction.CANCEL: (T.CANCEL_REQUEST, TransactionCancelationRequested),
}
# a missing amount is taken from an earlier event with the same pspReference
_AMOUNT_SOURCES: dict[T, tuple[T, ...]] = {
    T.AUTHORIZATION_FAILURE: (T.AUTHORIZATION_SUCCESS, T.AUTHORIZATION_REQUEST),
    T.CHARGE_FAILURE: (T.CHARGE_SUCCESS, T.CHARGE_REQUEST),
    T.REFUND_FAILURE: (T.REFUND_SUCCESS, T.REFUND_REQUEST),
    T.CANCEL_FAILURE: (T.CANCEL_SUCCESS, T.CANCEL_REQUEST),
    T.REFUND_REVERSE: (T.REFUND_SUCCESS,),
    T.CHARGE_BACK: (T.CHARGE_SUCCESS,),
}


def find_transaction(store: ShopStore, global_id: str | None, token: uuid.UUID | None) -> TransactionItem:
    if (global_id is None) == (token is None):
        raise ShopError("INVALID", "Argument 'id' or 'token' must be provided (exactly one).", "id")
    if global_id is not None:
        try:
            _, raw = from_global_id(global_id, "TransactionItem")
            token = uuid.UUID(raw)
        except (InvalidGlobalIdError, ValueError):
            raise ShopError("INVALID", f"Couldn't resolve id: {global_id!r}.", "id") from None
    found = store.transactions.get(token) if token is not None else None
    if found is None:
        raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {global_id or token}", "id")
    return found


@dataclass(frozen=True)
class ReportOutcome:
    already_processed: bool
    transaction: TransactionItem
    event: TransactionEvent


@dataclass(frozen=True)
class EventReport:
    """transactionEventReport's arguments, typed."""

    psp_reference: str
    type: T
    amount: Decimal | None = None
    available_actions: list[TransactionAction] | None = None
    message: str | None = None
    time: datetime | None = None
    external_url: str | None = None
    payment_method_details: PaymentMethodDetails | None = None


class TransactionActions:
    def __init__(self, store: ShopStore, webhooks: WebhookDispatcher, ledger: TransactionLedger) -> None:
        self._store = store
        self._webhooks = webhooks
        self._ledger = ledger

    async def request_action(
        self,
        requester: Requester,
        *,
        transaction_id: str | None,
        token: uuid.UUID | None,
        action: TransactionAction,
        amount: Decimal | None,
        refund_reason: str | None,
    ) -> TransactionItem:
        requester.require_any("HANDLE_PAYMENTS")
        if refund_reason and action is not TransactionAction.REFUND:
            raise ShopError("INVALID", "Reason can be set only for REFUND action.", "refundReason")
        transaction = find_transaction(self._store, transaction_id, token)
        request_type, event_class = _REQUESTS[action]
        app = self._store.apps.get(transaction.app_pk) if transaction.app_pk is not None else None
        subscriber = self._webhooks.subscriber(app, event_class.event_type) if app is not None else None
        if app is None or subscriber is None:
            raise ShopError(
                "MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK",
                "No app or plugin is configured to handle payment action requests.",
            )
        # Saleor's defaults and caps: charge/cancel the authorized amount, refund the charged one
        available = (
            transaction.amounts.charged if action is TransactionAction.REFUND else transaction.amounts.authorized
        )
        value = quantize(min(amount if amount is not None else available, available), transaction.currency)
        request = self._store.add_event(
            transaction,
            request_type,
            value,
            message=(refund_reason or "")[:MESSAGE_MAX_LENGTH],
            created_by=requester.principal,
            include_in_calculations=False,
        )
        event = event_class(
            transaction=transaction,
            action_type=action.value,
            amount=value,
            currency=transaction.currency,
            issuing_principal=requester.principal,
        )
        delivery = await self._webhooks.call_with_retries(subscriber, event)
        raw = delivery.answer if delivery.succeeded else None
        await self._ledger.apply_action_answer(transaction, request, raw, Principal("app", app.pk))
        return transaction

    async def report_event(
        self, requester: Requester, transaction_id: str | None, token: uuid.UUID | None, report: EventReport
    ) -> ReportOutcome:
        requester.require_any("HANDLE_PAYMENTS")
        transaction = find_transaction(self._store, transaction_id, token)
        owner_app = transaction.app_pk
        if requester.app is not None and owner_app is not None and requester.app.pk != owner_app:
            raise PermissionDeniedError(("OWNER", "HANDLE_PAYMENTS"))
        if requester.app is None and owner_app is not None:
            raise PermissionDeniedError(message="Staff user cannot update a transaction that is owned by the app.")
        amount = quantize(self._amount_of(transaction, report), transaction.currency)
        recorded = self._ledger.record(
            transaction,
            report.type,
            amount,
            psp_reference=report.psp_reference,
            created_by=requester.principal,
            message=report.message or "",
            external_url=report.external_url or "",
            time=report.time,
        )
        if recorded.event is None:
            probe = TransactionEvent(
                0, transaction.token, report.type, amount, transaction.currency, report.psp_reference
            )
            self._ledger.fail(transaction, probe, recorded.error or "")
            if recorded.error == DIFFERENT_AMOUNT:
                raise ShopError("INCORRECT_DETAILS", DIFFERENT_AMOUNT, "pspReference")
            raise ShopError("ALREADY_EXISTS", SECOND_AUTHORIZATION, "type")
        event = recorded.event
        if not recorded.already_existed:
            if event.type in (
                T.AUTHORIZATION_REQUEST,
                T.AUTHORIZATION_SUCCESS,
                T.CHARGE_REQUEST,
                T.CHARGE_SUCCESS,
            ):
                transaction.psp_reference = transaction.psp_reference or event.psp_reference
            if report.available_actions is not None:
                transaction.available_actions = list(dict.fromkeys(report.available_actions))
            if report.payment_method_details is not None:
                transaction.payment_method_details = report.payment_method_details
            source = self._ledger.source_of(transaction)
            await self._ledger.recalculate(transaction, source)
            self._ledger.forget_stored_methods_if_paid(event, source, transaction.app_identifier)
        return ReportOutcome(recorded.already_existed, transaction, event)

    @staticmethod
    def _amount_of(transaction: TransactionItem, report: EventReport) -> Decimal:
        if report.amount is not None:
            return report.amount
        if report.type is T.INFO:
            return Decimal(0)
        sources = _AMOUNT_SOURCES.get(report.type)
        if sources is None:
            raise ShopError("REQUIRED", f"The `amount` field is required for {report.type.value} event.", "amount")
        for wanted in sources:
            earlier = next(
                (e for e in transaction.events if e.type is wanted and e.psp_reference == report.psp_reference),
                None,
            )
            if earlier is not None:
                return earlier.amount
        raise ShopError(
            "REQUIRED",
            f"No earlier event with pspReference {report.psp_reference!r} to take the amount from; provide `amount`.",
            "amount",
        )

"""What capture (SALES), cancel and refund (both CANCEL) share: finding the payment in the ledger, refusing
what the gateway cannot do, and sending each request at most once.

Saleor re-sends these requests when the app answers 5xx, with no idempotency key: the ledger row of each
attempt (`<kind>:<transaction id>:<attempt>`) is written before the call, so a re-sent request finds the
first one and gets its answer. A new request after a failed attempt is a new attempt (staff pressing the
button again). An attempt whose answer never came is `unknown`: it answers the async form `{pspReference}`
and is never sent again by the app.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal

from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.errors import FlowError
from robotpayment_app.flows.event_payload import read_event
from robotpayment_app.flows.ledger_runs import settle_existing
from robotpayment_app.flows.money import yen
from robotpayment_app.flows.payment_answers import (
    ActionDeclined,
    ActionDone,
    ActionOutcome,
    ActionPending,
    ActionRefusedByApp,
    StaffAction,
    action_answer,
    log_gateway_refusal,
)
from robotpayment_app.gateway import (
    GatewayOutcomeUnknown,
    GatewayUnavailable,
    GatewayValidationError,
    JobType,
    PaymentResult,
    RobotPaymentClient,
    lookup_error,
)
from robotpayment_app.saleor.payloads import (
    EventEnvelope,
    InvalidPayload,
    PayloadT,
    TransactionCancelationRequested,
    TransactionChargeRequested,
    TransactionRefundRequested,
)
from robotpayment_app.store.errors import LedgerKeyConflict, LedgerTransitionError
from robotpayment_app.store.ledger import request_fingerprint
from robotpayment_app.store.records import LedgerEntry, LedgerIntent, LedgerKind, LedgerStatus

logger = logging.getLogger(__name__)

LEDGER_KINDS = {
    StaffAction.CAPTURE: LedgerKind.CAPTURE,
    StaffAction.CANCEL: LedgerKind.CANCEL,
    StaffAction.REFUND: LedgerKind.REFUND,
}
_VOIDS = (LedgerKind.CANCEL, LedgerKind.REFUND)  # both are the gateway's CANCEL of the payment


@dataclass(frozen=True)
class OriginalPayment:
    """The successful payment a staff action acts on, with what the ledger knows happened to it since."""

    entry: LedgerEntry
    gid: str
    charged: int  # yen the gateway took or holds (what the payment's answer told Saleor)
    captured: bool  # jb=CAPTURE, or an AUTH captured since (SALES succeeded)
    voided: bool  # cancelled or refunded (the gateway's CANCEL succeeded)

    @property
    def authorized_only(self) -> bool:
        return self.entry.job_type == JobType.AUTH.value and not self.captured


def _charged(entry: LedgerEntry) -> int:
    answered = (entry.saleor_response or {}).get("amount")
    if isinstance(answered, int | float) and not isinstance(answered, bool):
        return int(answered)
    return entry.amount or 0


def original_payment(rows: list[LedgerEntry]) -> OriginalPayment | None:
    payment = next(
        (row for row in rows if row.kind is LedgerKind.PAYMENT and row.status is LedgerStatus.SUCCEEDED), None
    )
    if payment is None or payment.psp_reference is None:
        return None
    succeeded = {row.kind for row in rows if row.status is LedgerStatus.SUCCEEDED}
    return OriginalPayment(
        entry=payment,
        gid=payment.psp_reference,
        charged=_charged(payment),
        captured=payment.job_type == JobType.CAPTURE.value or LedgerKind.CAPTURE in succeeded,
        voided=any(kind in succeeded for kind in _VOIDS),
    )


ActionRequestPayload = TransactionChargeRequested | TransactionCancelationRequested | TransactionRefundRequested

Check = Callable[[OriginalPayment, int], str | None]
"""(payment, requested yen) → why the app refuses to send the action, or None to send it."""

Call = Callable[[RobotPaymentClient, str, str], Awaitable[PaymentResult]]
"""(gateway, store id, gid) → the gateway's answer to SALES or CANCEL."""


@dataclass(frozen=True)
class StaffRequest:
    """The parts of TRANSACTION_*_REQUESTED a staff action needs."""

    transaction_id: str
    psp_reference: str | None
    channel_slug: str | None
    amount: Decimal
    currency: str


async def run_staff_action(
    context: WebhookContext,
    action: StaffAction,
    model: type[PayloadT],
    payload: JsonObject,
    *,
    check: Check,
    call: Call,
) -> JsonObject:
    try:
        event = read_event(model, payload)
    except InvalidPayload as error:
        logger.error("%s request payload unusable: %s", action.value, error)
        return _answer(action, ActionRefusedByApp("payload: " + "; ".join(error.problems), Decimal(0)))
    request = _request_of(event)
    ledger = context.deps.store.ledger
    rows = await ledger.find_by_transaction(context.installation.id, request.transaction_id)
    kind = LEDGER_KINDS[action]
    earlier = [row for row in rows if row.kind is kind]
    settled = await _earlier_answer(context, action, earlier, request)
    if settled is not None:
        return settled
    payment = original_payment(rows)
    try:
        requested = yen(request.amount, request.currency)
        config = await channel_config(context, request.channel_slug)
    except FlowError as error:
        return _refuse(action, error.merchant_text, request)
    if payment is None:
        return _refuse(action, "no successful payment of this app for this transaction", request)
    if payment.voided:
        return _refuse(action, f"payment {payment.gid} is already cancelled or refunded at the gateway", request)
    reason = check(payment, requested)
    if reason is not None:
        return _refuse(action, reason, request, payment.gid)
    attempt = len(earlier) + 1
    intent = LedgerIntent(
        kind=kind,
        saleor_transaction_id=request.transaction_id,
        psp_reference=payment.gid,
        amount=payment.charged,
        currency="JPY",
        job_type=(JobType.SALES if action is StaffAction.CAPTURE else JobType.CANCEL).value,
    )
    fingerprint = request_fingerprint({"kind": kind.value, "gid": payment.gid, "amount": str(request.amount)})
    key = f"{kind.value}:{request.transaction_id}:{attempt}"
    try:
        begun = await ledger.begin(context.installation.id, key, fingerprint, intent)
    except LedgerKeyConflict:
        reason = "another request for this transaction is being processed; try again"
        return _answer(action, ActionRefusedByApp(reason, request.amount, payment.gid))
    if not begun.created:
        return await _replay(context, action, begun.entry, request)
    gateway = context.deps.gateway(config.gateway_base_url)
    outcome = await _send(context, action, begun.entry, lambda: call(gateway, config.store_id, payment.gid), request)
    return await _record(context, action, begun.entry, outcome)


def _request_of(event: EventEnvelope) -> StaffRequest:
    if not isinstance(event, ActionRequestPayload):
        raise TypeError(f"not a staff action request: {type(event).__name__}")
    return StaffRequest(
        transaction_id=event.transaction.id,
        psp_reference=event.transaction.psp_reference,
        channel_slug=event.transaction.channel_slug,
        amount=event.action.amount,
        currency=event.action.currency,
    )


def _refuse(action: StaffAction, reason: str, request: StaffRequest, gid: str | None = None) -> JsonObject:
    """Nothing is sent: staff read `reason` on the transaction."""
    logger.warning("%s refused, nothing sent: %s", action.value, reason)
    return _answer(action, ActionRefusedByApp(reason, request.amount, gid or request.psp_reference))


async def _earlier_answer(
    context: WebhookContext, action: StaffAction, earlier: list[LedgerEntry], request: StaffRequest
) -> JsonObject | None:
    """The answer of an earlier attempt that stands (succeeded, unknown or still running); None when every
    earlier attempt failed or there was none (a new attempt may be sent)."""
    for entry in earlier:
        if entry.status in (LedgerStatus.SUCCEEDED, LedgerStatus.UNKNOWN, LedgerStatus.PENDING):
            return await _replay(context, action, entry, request)
    return None


async def _replay(
    context: WebhookContext, action: StaffAction, entry: LedgerEntry, request: StaffRequest
) -> JsonObject:
    ledger = context.deps.store.ledger
    entry = await settle_existing(ledger, entry, now=context.deps.clock())
    if entry.saleor_response is not None:
        return entry.saleor_response
    answer = _answer(action, ActionPending(entry.psp_reference or request.psp_reference or request.transaction_id))
    if entry.status is LedgerStatus.UNKNOWN:
        await ledger.save_saleor_response(entry.id, answer)
    return answer


async def _send(
    context: WebhookContext,
    action: StaffAction,
    entry: LedgerEntry,
    call: Callable[[], Awaitable[PaymentResult]],
    request: StaffRequest,
) -> ActionOutcome:
    gid = entry.psp_reference or ""
    await context.deps.store.ledger.mark_sent(entry.id)
    try:
        result = await call()
    except GatewayOutcomeUnknown as error:
        logger.warning("%s of %s: outcome unknown (%s); not sent again", action.value, gid, error.reason)
        return ActionPending(gid)
    except GatewayUnavailable as error:
        logger.warning("%s of %s: gateway unavailable, nothing processed (%s)", action.value, gid, error.reason)
        reason = "the gateway could not be reached; nothing was processed, try again"
        return ActionRefusedByApp(reason, request.amount, gid)
    except GatewayValidationError as error:
        return ActionRefusedByApp(f"{error.field}: {error.rule}", request.amount, gid)
    if result.succeeded:
        return ActionDone(gid, request.amount)
    failure = result.error or lookup_error("")
    log_gateway_refusal(failure, f"the {action.value} of payment {gid}")
    return ActionDeclined(failure, gid, request.amount)


async def _record(
    context: WebhookContext, action: StaffAction, entry: LedgerEntry, outcome: ActionOutcome
) -> JsonObject:
    ledger = context.deps.store.ledger
    answer = _answer(action, outcome)
    try:
        if isinstance(outcome, ActionPending):
            await ledger.mark_unknown(
                entry.id, failure_reason=f"{action.value}: no usable answer", saleor_response=answer
            )
        elif isinstance(outcome, ActionDone):
            await ledger.complete(entry.id, status=LedgerStatus.SUCCEEDED, saleor_response=answer)
        elif isinstance(outcome, ActionDeclined):
            await ledger.complete(
                entry.id,
                status=LedgerStatus.DECLINED,
                error_code=outcome.entry.code or None,
                failure_reason=str(answer.get("message") or ""),
                saleor_response=answer,
            )
        else:
            await ledger.complete(
                entry.id, status=LedgerStatus.DECLINED, failure_reason=outcome.reason, saleor_response=answer
            )
    except LedgerTransitionError:
        settled = await ledger.get(entry.id)
        if settled is not None and settled.saleor_response is not None:
            return settled.saleor_response
        raise
    return answer


def _answer(action: StaffAction, outcome: ActionOutcome) -> JsonObject:
    return action_answer(action, outcome).to_json()

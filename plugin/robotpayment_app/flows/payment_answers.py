"""The one place where payment outcomes and failures become Saleor answers.

Use cases describe what happened with a typed outcome (`Paid`, `Declined`, `Refused`, `Pending` for the
payment sessions; `ActionDone`, `ActionDeclined`, `ActionRefusedByApp`, `ActionPending` for capture, cancel
and refund); this module picks the response class (which fixes `actions`), the staff-facing `message` and the
storefront `data` (contract v1). It also logs gateway refusals the merchant must fix, once, here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from robotpayment_app.flows.errors import FlowError, merchant_text, shopper_text
from robotpayment_app.flows.language import Language
from robotpayment_app.flows.payment_errors import PaymentStillPending
from robotpayment_app.flows.storefront_data import PaymentOutcomeData, SavedCardRef, StorefrontError
from robotpayment_app.gateway import ErrorEntry, Fixer, JobType
from robotpayment_app.saleor.responses import (
    AuthorizationFailure,
    AuthorizationRequest,
    AuthorizationSuccess,
    CancelFailure,
    CancelRequestAccepted,
    CancelRequestedResult,
    CancelSuccess,
    CardDetails,
    ChargeFailure,
    ChargeRequest,
    ChargeRequestAccepted,
    ChargeRequestedResult,
    ChargeSuccess,
    RefundFailure,
    RefundRequestAccepted,
    RefundRequestedResult,
    RefundSuccess,
    SessionResult,
)

logger = logging.getLogger(__name__)

# paymentMethodDetails of a card the gateway told nothing about (a plain token payment)
UNKNOWN_CARD = CardDetails(name="Credit card")


class ResultFamily(Enum):
    """Which Saleor results a payment answers with: the channel's job type decides, not Saleor's action."""

    CHARGE = "CHARGE"  # jb=CAPTURE (and product mode)
    AUTHORIZATION = "AUTHORIZATION"  # jb=AUTH: captured later with TRANSACTION_CHARGE_REQUESTED

    @classmethod
    def of(cls, job: JobType | str | None) -> ResultFamily:
        return cls.AUTHORIZATION if job in (JobType.AUTH, JobType.AUTH.value) else cls.CHARGE


# ---- payment sessions (TRANSACTION_INITIALIZE_SESSION / TRANSACTION_PROCESS_SESSION) ---------------------


@dataclass(frozen=True)
class Paid:
    gid: str
    amount: Decimal
    card: CardDetails | None = None
    saved_card: SavedCardRef | None = None
    note: str | None = None  # for staff, e.g. "card saved" or an amount the catalogue decided
    # the pspReference Saleor already knows the payment by (a pending answer's cod); None: the gid. Saleor
    # matches results to pending requests, and dedupes events, by pspReference: it must not change.
    reference: str | None = None


@dataclass(frozen=True)
class Declined:
    """The gateway refused the payment (rst=2): nothing was charged."""

    entry: ErrorEntry
    amount: Decimal
    gid: str | None = None
    reference: str | None = None  # as for `Paid`


@dataclass(frozen=True)
class Refused:
    """The app refused before sending anything (bad data, not configured, not the owner's card...)."""

    error: FlowError
    amount: Decimal


@dataclass(frozen=True)
class NotCharged:
    """A person found the payment was not processed at the gateway (its answer never came): a failure that
    clears the pending request Saleor knows by `reference`."""

    error: FlowError
    amount: Decimal
    reference: str


@dataclass(frozen=True)
class Pending:
    """Sent, outcome unknown (timeout): never a failure; `reference` is the gid if known, else the cod."""

    reference: str
    amount: Decimal
    detail: str


SessionOutcome = Paid | Declined | Refused | Pending | NotCharged


def log_gateway_refusal(entry: ErrorEntry, what: str) -> None:
    """Merchant-fixable codes (ER003 IP, ER004 store id, ER565 token payments off...) are configuration
    problems: say so at WARNING. Card declines are everyday events."""
    if entry.fixer is Fixer.MERCHANT:
        logger.warning(
            "gateway refused %s with %s (%s): the merchant must fix this (configuration or contract)",
            what,
            entry.code,
            entry.english,
        )
    else:
        logger.info("gateway declined %s with %s (%s)", what, entry.code, entry.english)


def session_answer(family: ResultFamily, outcome: SessionOutcome, language: Language) -> SessionResult:
    """The answer to a payment session for `outcome`, with storefront data in `language`."""
    charge = family is ResultFamily.CHARGE
    if isinstance(outcome, Paid):
        data = PaymentOutcomeData(gid=outcome.gid, saved_card=outcome.saved_card).to_json()
        success = ChargeSuccess if charge else AuthorizationSuccess
        return success(
            psp_reference=outcome.reference or outcome.gid,
            amount=outcome.amount,
            message=outcome.note,
            data=data,
            payment_method_details=outcome.card,
        )
    if isinstance(outcome, Pending):
        waiting = PaymentStillPending(outcome.detail)
        data = PaymentOutcomeData(error=StorefrontError.of(waiting, language)).to_json()
        request = ChargeRequest if charge else AuthorizationRequest
        return request(psp_reference=outcome.reference, amount=outcome.amount, message=waiting.merchant_text, data=data)
    failure = ChargeFailure if charge else AuthorizationFailure
    if isinstance(outcome, Declined):
        error = StorefrontError(outcome.entry.code, shopper_text(outcome.entry, language), outcome.entry.retryable)
        return failure(
            psp_reference=outcome.reference or outcome.gid,
            amount=outcome.amount,
            message=merchant_text(outcome.entry),
            data=PaymentOutcomeData(gid=outcome.gid, error=error).to_json(),
        )
    return failure(
        psp_reference=outcome.reference if isinstance(outcome, NotCharged) else None,
        amount=outcome.amount,
        message=outcome.error.merchant_text,
        data=PaymentOutcomeData(error=StorefrontError.of(outcome.error, language)).to_json(),
    )


# ---- staff actions (TRANSACTION_CHARGE/CANCELATION/REFUND_REQUESTED) --------------------------------------


class StaffAction(Enum):
    CAPTURE = "capture"
    CANCEL = "cancel"
    REFUND = "refund"


@dataclass(frozen=True)
class ActionDone:
    psp_reference: str
    amount: Decimal
    note: str | None = None  # for staff, e.g. who settled an action whose answer never came


@dataclass(frozen=True)
class ActionDeclined:
    entry: ErrorEntry
    psp_reference: str | None
    amount: Decimal


@dataclass(frozen=True)
class ActionRefusedByApp:
    """Nothing sent: `reason` tells staff why (partial capture, not captured yet, unknown payment...)."""

    reason: str
    amount: Decimal
    psp_reference: str | None = None


@dataclass(frozen=True)
class ActionPending:
    """Sent, outcome unknown: Saleor keeps the *_REQUEST event until transactionEventReport settles it."""

    psp_reference: str


ActionOutcome = ActionDone | ActionDeclined | ActionRefusedByApp | ActionPending
ActionAnswer = ChargeRequestedResult | CancelRequestedResult | RefundRequestedResult


def _staff_message(outcome: ActionDeclined | ActionRefusedByApp) -> str:
    return merchant_text(outcome.entry) if isinstance(outcome, ActionDeclined) else outcome.reason


def capture_answer(outcome: ActionOutcome) -> ChargeRequestedResult:
    if isinstance(outcome, ActionPending):
        return ChargeRequestAccepted(psp_reference=outcome.psp_reference)
    if isinstance(outcome, ActionDone):
        return ChargeSuccess(psp_reference=outcome.psp_reference, amount=outcome.amount, message=outcome.note)
    return ChargeFailure(psp_reference=outcome.psp_reference, amount=outcome.amount, message=_staff_message(outcome))


def cancel_answer(outcome: ActionOutcome) -> CancelRequestedResult:
    if isinstance(outcome, ActionPending):
        return CancelRequestAccepted(psp_reference=outcome.psp_reference)
    if isinstance(outcome, ActionDone):
        return CancelSuccess(psp_reference=outcome.psp_reference, amount=outcome.amount, message=outcome.note)
    return CancelFailure(psp_reference=outcome.psp_reference, amount=outcome.amount, message=_staff_message(outcome))


def refund_answer(outcome: ActionOutcome) -> RefundRequestedResult:
    if isinstance(outcome, ActionPending):
        return RefundRequestAccepted(psp_reference=outcome.psp_reference)
    if isinstance(outcome, ActionDone):
        return RefundSuccess(psp_reference=outcome.psp_reference, amount=outcome.amount, message=outcome.note)
    return RefundFailure(psp_reference=outcome.psp_reference, amount=outcome.amount, message=_staff_message(outcome))


def action_answer(action: StaffAction, outcome: ActionOutcome) -> ActionAnswer:
    """The answer to a staff capture, cancel or refund request for `outcome`."""
    if action is StaffAction.CAPTURE:
        return capture_answer(outcome)
    if action is StaffAction.CANCEL:
        return cancel_answer(outcome)
    return refund_answer(outcome)

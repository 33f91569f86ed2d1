"""Recording in Saleor a refund the merchant made in the ROBOT PAYMENT control panel.

The gateway's API has no partial refund (flows/refund.py refuses one and says so). The merchant refunds in the
control panel, then records it here, from the configuration page: Saleor is told REFUND_SUCCESS for that amount
(`transactionEventReport`, the payment's gid), with who and why. Refused: a payment that is not captured, one
already cancelled or refunded in full through the app, an amount above what is left, a second recording of the
same form submission (it is the same refund).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.settlement import reason_problem
from robotpayment_app.flows.staff_actions import original_payment
from robotpayment_app.saleor.graphql_client import SaleorApiError
from robotpayment_app.store.recorded_refunds import RecordedRefund
from robotpayment_app.store.records import LedgerEntry

logger = logging.getLogger(__name__)

_REQUEST_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


class RefundRecordingError(Exception):
    """Refused: `field` names the input at fault, `message` the rule (precise English, for the merchant)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class RefundRecorded:
    amount: int
    total: int  # recorded for the payment so far, this one included
    remaining: int  # what could still be recorded
    reported: bool  # Saleor has it
    repeated: bool  # this submission had been recorded already: nothing new


async def record_panel_refund(
    context: WebhookContext,
    entry: LedgerEntry,
    *,
    amount: int,
    reason: str,
    recorded_by: str,
    request_id: str,
) -> RefundRecorded:
    text = " ".join(reason.split())
    problem = reason_problem(text)
    if problem is not None:
        raise RefundRecordingError("reason", problem)
    if not _REQUEST_ID.fullmatch(request_id):
        raise RefundRecordingError("requestId", "8 to 64 letters, digits, - or _")
    rows = await context.deps.store.ledger.find_by_transaction(
        context.installation.id, entry.saleor_transaction_id or ""
    )
    payment = original_payment(rows) if entry.saleor_transaction_id else None
    if payment is None or payment.entry.id != entry.id:
        raise RefundRecordingError("paymentId", "not a successful payment of this app")
    if not payment.captured:
        raise RefundRecordingError(
            "paymentId",
            f"payment {payment.gid} is only authorised: cancel it from the order instead",
        )
    if payment.voided:
        raise RefundRecordingError(
            "paymentId",
            f"payment {payment.gid} is cancelled or refunded in full already",
        )
    if not 1 <= amount <= payment.charged:
        raise RefundRecordingError(
            "amount",
            f"must be between 1 and {payment.charged:,} yen (what the payment charged)",
        )
    recording = await context.deps.store.recorded_refunds.record(
        installation_id=context.installation.id,
        payment_id=entry.id,
        amount=amount,
        limit=payment.charged,
        reason=text,
        recorded_by=recorded_by,
        request_id=request_id,
    )
    if recording.refund is None:
        left = payment.charged - recording.total
        raise RefundRecordingError(
            "amount",
            f"{recording.total:,} of {payment.charged:,} yen are recorded as refunded already: at most {left:,} more",
        )
    refund = recording.refund
    reported = refund.reported_at is not None
    if not reported:
        reported = await _tell_saleor(context, entry, payment.gid, refund.id, refund.amount, refund.recorded_by, text)
    return RefundRecorded(
        amount=refund.amount,
        total=recording.total,
        remaining=payment.charged - recording.total,
        reported=reported,
        repeated=not recording.created,
    )


async def report_recorded_refund(context: WebhookContext, refund: RecordedRefund) -> bool:
    """Tell Saleor a recorded refund it has not accepted yet (the watch's retry); True once it has it."""
    entry = await context.deps.store.ledger.get(refund.payment_id)
    if entry is None or entry.psp_reference is None or entry.saleor_transaction_id is None:
        return False
    return await _tell_saleor(
        context, entry, entry.psp_reference, refund.id, refund.amount, refund.recorded_by, refund.reason
    )


async def _tell_saleor(
    context: WebhookContext, entry: LedgerEntry, gid: str, refund_id: int, amount: int, by: str, reason: str
) -> bool:
    assert entry.saleor_transaction_id is not None
    try:
        await context.deps.saleor(context.installation).transaction_event_report(
            transaction_id=entry.saleor_transaction_id,
            # one reference per recorded refund: Saleor takes a repeated (type, reference, amount) as the same event
            psp_reference=f"{gid}-refund-{refund_id}",
            event_type="REFUND_SUCCESS",
            amount=Decimal(amount),
            message=f"refunded in the ROBOT PAYMENT control panel, recorded by {by}: {reason}",
            available_actions=None,
            payment_method_details=None,
        )
    except SaleorApiError as error:
        logger.error("recorded refund %s of payment %s: Saleor was not told (%s)", refund_id, entry.id, error)
        return False
    await context.deps.store.recorded_refunds.mark_reported(refund_id)
    logger.warning("payment %s: %s yen refunded in the control panel, recorded by %s", entry.id, amount, by)
    return True

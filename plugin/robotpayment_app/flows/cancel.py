"""TRANSACTION_CANCELATION_REQUESTED: void (取消, jb=CANCEL) an authorization that was not captured.

CANCEL voids the whole payment [official-old]; a captured payment is given back with a refund instead.
"""

from __future__ import annotations

from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.payment_answers import StaffAction
from robotpayment_app.flows.staff_actions import OriginalPayment, run_staff_action
from robotpayment_app.gateway import Cancellation, PaymentResult, RobotPaymentClient
from robotpayment_app.saleor.payloads import TransactionCancelationRequested


def cancel_refusal(payment: OriginalPayment, requested: int) -> str | None:
    if not payment.authorized_only:
        return f"payment {payment.gid} is captured: refund it instead of cancelling"
    if requested != payment.charged:
        return (
            f"a cancel voids the whole authorization ({payment.charged} yen, requested {requested}); "
            "partial cancels are not possible"
        )
    return None


async def void_payment(gateway: RobotPaymentClient, store_id: str, gid: str) -> PaymentResult:
    """The gateway's CANCEL of a payment: a cancel before capture, a (full) refund after."""
    return await gateway.cancel(Cancellation(store_id=store_id, gid=gid))


async def cancel_payment(context: WebhookContext, payload: JsonObject) -> JsonObject:
    return await run_staff_action(
        context, StaffAction.CANCEL, TransactionCancelationRequested, payload, check=cancel_refusal, call=void_payment
    )

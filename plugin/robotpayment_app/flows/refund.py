"""TRANSACTION_REFUND_REQUESTED: a full refund of a captured payment, by the gateway's CANCEL.

The gateway's API has no partial refund (RETURN/RETURNX exist by name only, see gateway-notes): a partial
refund is refused with a message telling staff to refund in the ROBOT PAYMENT control panel; nothing is sent.
"""

from __future__ import annotations

from robotpayment_app.flows.cancel import void_payment
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.payment_answers import StaffAction
from robotpayment_app.flows.staff_actions import OriginalPayment, run_staff_action
from robotpayment_app.saleor.payloads import TransactionRefundRequested


def refund_refusal(payment: OriginalPayment, requested: int) -> str | None:
    if not payment.captured:
        return f"payment {payment.gid} is only authorized: cancel the authorization instead of refunding it"
    if requested != payment.charged:
        return (
            f"partial refunds cannot be made through the gateway's API (refund requested: {requested} yen of "
            f"{payment.charged}): refund in the ROBOT PAYMENT control panel (管理画面) for payment {payment.gid}, "
            "then record the refund in Saleor"
        )
    return None


async def refund_payment(context: WebhookContext, payload: JsonObject) -> JsonObject:
    return await run_staff_action(
        context, StaffAction.REFUND, TransactionRefundRequested, payload, check=refund_refusal, call=void_payment
    )

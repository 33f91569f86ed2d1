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
        # shown to staff in the order (Saleor's event message): both languages, and the way to do it
        return (
            f"部分返金はAPIでは行えません({payment.charged:,}円中{requested:,}円)。ROBOT PAYMENT管理画面で決済 "
            f"{payment.gid} を返金し、アプリの設定画面(Apps → ROBOT PAYMENT → 最近の決済 → 管理画面での返金を記録)"
            f"で記録してください。 / Partial refunds cannot be made through the gateway's API ({requested:,} of "
            f"{payment.charged:,} yen): refund payment {payment.gid} in the ROBOT PAYMENT control panel, then "
            "record it on the app's page (Apps → ROBOT PAYMENT → Recent payments → Record a control-panel refund)"
        )
    return None


async def refund_payment(context: WebhookContext, payload: JsonObject) -> JsonObject:
    return await run_staff_action(
        context, StaffAction.REFUND, TransactionRefundRequested, payload, check=refund_refusal, call=void_payment
    )

"""TRANSACTION_CHARGE_REQUESTED: capture (実売上, jb=SALES) an authorization, in full.

SALES carries no amount [official-old]: it captures the whole authorization, so a partial capture is refused
with a message for staff, and nothing is sent.
"""

from __future__ import annotations

from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.payment_answers import StaffAction
from robotpayment_app.flows.staff_actions import OriginalPayment, run_staff_action
from robotpayment_app.gateway import Capture, PaymentResult, RobotPaymentClient
from robotpayment_app.saleor.payloads import TransactionChargeRequested


def capture_refusal(payment: OriginalPayment, requested: int) -> str | None:
    if payment.captured:
        return f"payment {payment.gid} is already captured"
    if requested != payment.charged:
        return (
            f"partial capture is not possible: ROBOT PAYMENT captures the whole authorization "
            f"({payment.charged} yen, requested {requested}); capture the full amount or cancel the authorization"
        )
    return None


async def _sales(gateway: RobotPaymentClient, store_id: str, gid: str) -> PaymentResult:
    return await gateway.capture(Capture(store_id=store_id, gid=gid))


async def capture_payment(context: WebhookContext, payload: JsonObject) -> JsonObject:
    return await run_staff_action(
        context, StaffAction.CAPTURE, TransactionChargeRequested, payload, check=capture_refusal, call=_sales
    )

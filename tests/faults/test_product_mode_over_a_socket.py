"""Product mode against the sandbox served on a real socket: a product set to 仮売上 in the control panel is paid
as an authorization (the product forms carry no jb) and captured later; one set to 即時売上 is charged."""

from __future__ import annotations

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.faults.conftest import ServedGateway
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    action_payload,
    deliver,
    pay_with_new_card,
    variant,
)

KEY = "robotpayment_iid"


@pytest.mark.parametrize(
    ("item", "product_job", "amount", "result"),
    [
        ("PREORDER001", JobType.AUTH, 5500.0, "AUTHORIZATION_SUCCESS"),
        ("ITEM001", JobType.CAPTURE, 3300.0, "CHARGE_SUCCESS"),
    ],
)
async def test_a_products_own_job_type_decides_what_is_recorded(
    served_gateway: ServedGateway, item: str, product_job: JobType, amount: float, result: str
) -> None:
    harness = served_gateway.harness
    await served_gateway.configure_channel(product_mode=True, product_job_type=product_job)
    checkout = Checkout(user_id=None, amount=amount, lines=[{"quantity": 1, "variant": variant({KEY: item})}])
    transaction = Transaction()

    answer = await pay_with_new_card(harness, checkout, transaction)

    [payment] = harness.sandbox.payments()
    assert (answer["result"], payment.job) == (result, product_job.value)
    if product_job is JobType.AUTH:
        captured = await deliver(
            harness,
            SaleorEvent.TRANSACTION_CHARGE_REQUESTED,
            action_payload(transaction.id, answer["pspReference"], "CHARGE", amount, authorized=amount),
        )
        assert captured["result"] == "CHARGE_SUCCESS"
        assert harness.sandbox.payment(payment.gid).state.value == "SALES"

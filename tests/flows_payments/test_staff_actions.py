"""Flow 4: capture (SALES), cancel and refund (CANCEL) from the dashboard, each sent at most once."""

from __future__ import annotations

import asyncio
from typing import Any

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.records import JobType
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import Checkout, Transaction, action_payload, deliver, pay_with_new_card
from tests.support.app_harness import AppHarness

CHARGE = SaleorEvent.TRANSACTION_CHARGE_REQUESTED
CANCEL = SaleorEvent.TRANSACTION_CANCELATION_REQUESTED
REFUND = SaleorEvent.TRANSACTION_REFUND_REQUESTED


async def _paid(harness: AppHarness, job: JobType) -> tuple[Transaction, str]:
    """Paid in a channel whose Saleor flow strategy authorises (AUTH) or charges (CAPTURE)."""
    await harness.configure_channel()
    transaction = Transaction()
    flow = "AUTHORIZATION" if job is JobType.AUTH else "CHARGE"
    answer = await pay_with_new_card(harness, Checkout(user_id=None, flow=flow), transaction)
    assert answer["result"] in ("AUTHORIZATION_SUCCESS", "CHARGE_SUCCESS")
    return transaction, answer["pspReference"]


def _state(harness: AppHarness, gid: str) -> str:
    payment = harness.sandbox.payment(int(gid))
    assert payment is not None
    return payment.state.value


async def test_auth_then_capture_then_refund(app_harness: AppHarness, network: GatewayNetwork) -> None:
    transaction, gid = await _paid(app_harness, JobType.AUTH)

    captured = await deliver(
        app_harness, CHARGE, action_payload(transaction.id, gid, "CHARGE", 3500.0, authorized=3500.0)
    )
    assert captured == {"result": "CHARGE_SUCCESS", "pspReference": gid, "amount": 3500, "actions": ["REFUND"]}
    assert _state(app_harness, gid) == "SALES"

    refunded = await deliver(app_harness, REFUND, action_payload(transaction.id, gid, "REFUND", 3500.0, charged=3500.0))
    assert refunded == {"result": "REFUND_SUCCESS", "pspReference": gid, "amount": 3500}
    assert _state(app_harness, gid) == "CANCEL"
    assert network.calls["gateway.aspx"] == 2


async def test_auth_then_cancel(app_harness: AppHarness) -> None:
    transaction, gid = await _paid(app_harness, JobType.AUTH)

    answer = await deliver(
        app_harness, CANCEL, action_payload(transaction.id, gid, "CANCEL", 3500.0, authorized=3500.0)
    )

    assert answer == {"result": "CANCEL_SUCCESS", "pspReference": gid, "amount": 3500, "actions": []}
    assert _state(app_harness, gid) == "CANCEL"


async def test_capture_resent_by_saleor_is_sent_to_the_gateway_once(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    transaction, gid = await _paid(app_harness, JobType.AUTH)
    payload = action_payload(transaction.id, gid, "CHARGE", 3500.0, authorized=3500.0)

    answers = await asyncio.gather(*(deliver(app_harness, CHARGE, payload) for _ in range(5)))
    later = await deliver(app_harness, CHARGE, payload)

    assert all(answer == later for answer in answers)
    assert later["result"] == "CHARGE_SUCCESS"
    assert network.calls["gateway.aspx"] == 1


async def test_partial_capture_is_refused_with_a_message_and_nothing_is_sent(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    transaction, gid = await _paid(app_harness, JobType.AUTH)

    answer = await deliver(
        app_harness, CHARGE, action_payload(transaction.id, gid, "CHARGE", 1000.0, authorized=3500.0)
    )

    assert answer["result"] == "CHARGE_FAILURE"
    assert "partial capture is not possible" in answer["message"]
    assert network.calls["gateway.aspx"] == 0
    assert _state(app_harness, gid) == "AUTH"


async def test_partial_refund_tells_staff_to_use_the_control_panel(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    transaction, gid = await _paid(app_harness, JobType.CAPTURE)

    answer = await deliver(app_harness, REFUND, action_payload(transaction.id, gid, "REFUND", 1500.0, charged=3500.0))

    assert answer["result"] == "REFUND_FAILURE"
    assert "ROBOT PAYMENT control panel" in answer["message"] and "管理画面での返金を記録" in answer["message"]
    assert network.calls["gateway.aspx"] == 0
    assert _state(app_harness, gid) == "CAPTURE"


RECORD = """mutation Record($id: Int!, $amount: Int!, $reason: String!, $request: String!) {
  recordPanelRefund(paymentId: $id, amount: $amount, reason: $reason, requestId: $request) {
    recorded totalRecorded remaining reportedToSaleor repeated errors { field message }
  }
}"""


async def test_a_refund_made_in_the_control_panel_is_recorded_never_beyond_the_charge_nor_twice(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    from tests.web.dashboard import graphql_data

    transaction, _gid = await _paid(app_harness, JobType.CAPTURE)
    [entry] = await app_harness.services.store.ledger.find_by_transaction(app_harness.installation.id, transaction.id)

    async def record(amount: int, request: str, reason: str = "管理画面で返金 (12/4 10:00)") -> dict[str, object]:
        variables = {"id": entry.id, "amount": amount, "reason": reason, "request": request}
        result: dict[str, object] = (await graphql_data(app_harness, RECORD, variables))["recordPanelRefund"]
        return result

    first = await record(1500, "form-000001")
    again = await record(1500, "form-000001")  # a double click: the same refund
    too_much = await record(2001, "form-000002")
    rest = await record(2000, "form-000003")
    beyond = await record(1, "form-000004")
    no_reason = await record(1, "form-000005", reason="  ")

    assert first == {
        "recorded": 1500, "totalRecorded": 1500, "remaining": 2000, "reportedToSaleor": True, "repeated": False,
        "errors": [],
    }  # fmt: skip
    assert again["repeated"] is True and again["totalRecorded"] == 1500
    assert too_much["errors"] == [
        {"field": "amount", "message": "1,500 of 3,500 yen are recorded as refunded already: at most 2,000 more"}
    ]
    assert rest["remaining"] == 0 and beyond["errors"][0]["field"] == "amount"  # type: ignore[index]
    assert no_reason["errors"][0]["field"] == "reason"  # type: ignore[index]
    reports = [event["variables"] for event in app_harness.saleor.reported_events]
    assert [(r["type"], r["amount"], r["id"]) for r in reports] == [
        ("REFUND_SUCCESS", 1500, transaction.id),
        ("REFUND_SUCCESS", 2000, transaction.id),
    ]
    assert reports[0]["pspReference"] != reports[1]["pspReference"]
    assert "recorded by staff@example.com" in reports[0]["message"]
    assert network.calls["gateway.aspx"] == 0  # nothing is sent to the gateway: the refund happened there


async def test_an_authorised_payment_cannot_be_recorded_as_refunded(app_harness: AppHarness) -> None:
    from tests.web.dashboard import graphql_data

    transaction, _gid = await _paid(app_harness, JobType.AUTH)
    [entry] = await app_harness.services.store.ledger.find_by_transaction(app_harness.installation.id, transaction.id)
    variables = {"id": entry.id, "amount": 100, "reason": "x", "request": "form-000009"}

    refused = (await graphql_data(app_harness, RECORD, variables))["recordPanelRefund"]

    assert refused["errors"][0]["field"] == "paymentId" and "only authorised" in refused["errors"][0]["message"]
    assert app_harness.saleor.reported_events == []


async def test_full_refund_of_a_captured_payment(app_harness: AppHarness) -> None:
    transaction, gid = await _paid(app_harness, JobType.CAPTURE)

    answer = await deliver(app_harness, REFUND, action_payload(transaction.id, gid, "REFUND", 3500.0, charged=3500.0))

    assert answer["result"] == "REFUND_SUCCESS"
    assert _state(app_harness, gid) == "CANCEL"


async def test_actions_the_payment_state_forbids_are_refused(app_harness: AppHarness, network: GatewayNetwork) -> None:
    transaction, gid = await _paid(app_harness, JobType.CAPTURE)
    checks: list[tuple[SaleorEvent, dict[str, Any], str]] = [
        (CHARGE, action_payload(transaction.id, gid, "CHARGE", 3500.0), "CHARGE_FAILURE"),
        (CANCEL, action_payload(transaction.id, gid, "CANCEL", 3500.0), "CANCEL_FAILURE"),
        (REFUND, action_payload("VHJhbnNhY3Rpb25JdGVtOm5vbmU=", gid, "REFUND", 3500.0), "REFUND_FAILURE"),
    ]

    for event, payload, result in checks:
        answer = await deliver(app_harness, event, payload)
        assert answer["result"] == result, answer
        assert answer["message"]

    assert network.calls["gateway.aspx"] == 0


async def test_a_failed_attempt_can_be_tried_again_by_staff(app_harness: AppHarness, network: GatewayNetwork) -> None:
    transaction, gid = await _paid(app_harness, JobType.AUTH)
    payload = action_payload(transaction.id, gid, "CHARGE", 3500.0, authorized=3500.0)
    network.refuse("gateway.aspx")

    first = await deliver(app_harness, CHARGE, payload)
    second = await deliver(app_harness, CHARGE, payload)

    assert first["result"] == "CHARGE_FAILURE" and "could not be reached" in first["message"]
    assert second["result"] == "CHARGE_SUCCESS"
    assert network.calls["gateway.aspx"] == 1


async def test_capture_with_a_lost_answer_is_accepted_and_not_resent(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    transaction, gid = await _paid(app_harness, JobType.AUTH)
    payload = action_payload(transaction.id, gid, "CHARGE", 3500.0, authorized=3500.0)
    app_harness.sandbox.faults.add(Fault(endpoint="gateway.aspx", mode=FaultMode.STATUS, status=502))

    first = await deliver(app_harness, CHARGE, payload)
    again = await deliver(app_harness, CHARGE, payload)

    assert first == again == {"pspReference": gid}  # Saleor keeps CHARGE_REQUEST until a report settles it
    assert network.calls["gateway.aspx"] == 1


async def test_a_recorded_refund_saleor_did_not_take_is_reported_by_the_watch(app_harness: AppHarness) -> None:
    from tests.web.dashboard import graphql_data

    transaction, _gid = await _paid(app_harness, JobType.CAPTURE)
    [entry] = await app_harness.services.store.ledger.find_by_transaction(app_harness.installation.id, transaction.id)
    variables = {"id": entry.id, "amount": 500, "reason": "管理画面で返金", "request": "form-000020"}
    app_harness.saleor.unavailable = True

    recorded = (await graphql_data(app_harness, RECORD, variables))["recordPanelRefund"]
    app_harness.saleor.unavailable = False
    first_round = await app_harness.run_watch()
    second_round = await app_harness.run_watch()

    assert (recorded["recorded"], recorded["reportedToSaleor"]) == (500, False)
    assert len(first_round.reported_refunds) == 1 and second_round.reported_refunds == []
    [report] = [event["variables"] for event in app_harness.saleor.reported_events]
    assert (report["type"], report["amount"]) == ("REFUND_SUCCESS", 500)

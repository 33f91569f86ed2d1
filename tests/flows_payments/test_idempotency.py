"""Never twice: a repeated or concurrent TRANSACTION_INITIALIZE_SESSION makes one gateway call and gets the
same answer; a crash leaves an unknown outcome, never a retry; a call that never reached the gateway fails
with a retryable error."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from robotpayment_app.flows.event_payload import read_event
from robotpayment_app.flows.transaction_initialize import request_fingerprint_of
from robotpayment_app.saleor.payloads import TransactionInitializeSession
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType, LedgerIntent, LedgerKind, LedgerStatus
from tests.flows_payments.conftest import GatewayNetwork, second_process
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    authenticated_token,
    deliver,
    gateway_config,
    initialize_payload,
    validate_answer,
)
from tests.support.app_harness import AppHarness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION


async def _ready_payload(harness: AppHarness, transaction: Transaction, checkout: Checkout) -> dict[str, object]:
    config = await gateway_config(harness, checkout)
    token = await authenticated_token(harness, config["threeDS"]["payment"])
    return initialize_payload(transaction, {"tkn": token}, checkout)


async def test_repeated_idempotency_key_replays_the_answer_without_a_second_call(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()
    payload = await _ready_payload(app_harness, transaction, checkout)

    first = await deliver(app_harness, INITIALIZE, payload)
    transaction.psp_reference = first["pspReference"]  # as Saleor's repeat carries it
    second = await deliver(app_harness, INITIALIZE, initialize_payload(transaction, payload["data"], checkout))

    assert first["result"] == "CHARGE_SUCCESS"
    assert second == first
    assert network.calls["gateway_token.aspx"] == 1
    assert len(app_harness.sandbox.payments()) == 1


async def test_twenty_concurrent_duplicates_make_one_charge_and_get_identical_answers(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    payload = await _ready_payload(app_harness, Transaction(), Checkout(user_id=None))

    responses = await asyncio.gather(*(app_harness.deliver(INITIALIZE, payload) for _ in range(20)))

    answers = [response.json() for response in responses]
    assert {response.status_code for response in responses} == {200}
    for answer in answers:
        validate_answer(INITIALIZE, answer)
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["result"] == "CHARGE_SUCCESS"
    assert network.calls["gateway_token.aspx"] == 1
    assert len(app_harness.sandbox.payments()) == 1


async def test_duplicates_spread_over_two_app_processes_make_one_charge(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"
    payload = await _ready_payload(app_harness, Transaction(), Checkout(user_id=None, flow="AUTHORIZATION"))

    async with second_process(app_harness) as other:
        responses = await asyncio.gather(
            *(app_harness.deliver(INITIALIZE, payload) for _ in range(5)),
            *(other.deliver(INITIALIZE, payload) for _ in range(5)),
        )

    answers = [response.json() for response in responses]
    assert {response.status_code for response in responses} == {200}
    assert all(answer == answers[0] for answer in answers)
    assert answers[0]["result"] == "AUTHORIZATION_SUCCESS"
    assert len(app_harness.sandbox.payments()) == 1


async def test_a_row_left_pending_by_a_crash_is_unknown_and_never_sent(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()
    payload = await _ready_payload(app_harness, transaction, checkout)
    ledger = app_harness.services.store.ledger
    # what a process that died right after sending leaves behind
    begun = await ledger.begin(
        app_harness.installation.id,
        "initialize:" + transaction.id,
        request_fingerprint_of(read_event(TransactionInitializeSession, payload)),
        LedgerIntent(
            kind=LedgerKind.PAYMENT,
            saleor_transaction_id=transaction.id,
            shop_order_code=transaction.token,
            amount=3500,
            tax_amount=0,
            shipping_amount=0,
            currency="JPY",
            job_type="CAPTURE",
        ),
    )
    await ledger.mark_sent(begun.entry.id)
    real_clock = app_harness.services.clock
    app_harness.services.clock = lambda: real_clock() + timedelta(minutes=5)

    answer = await deliver(app_harness, INITIALIZE, payload)

    assert answer["result"] == "CHARGE_REQUEST"
    assert answer["pspReference"] == transaction.token
    assert answer["data"]["error"]["code"] == "PAYMENT_PENDING"
    assert answer["data"]["error"]["retryable"] is False
    entry = await ledger.get(begun.entry.id)
    assert entry is not None and entry.status is LedgerStatus.UNKNOWN
    assert sum(network.calls.values()) == 0


async def test_gateway_not_reached_fails_retryably_and_the_repeat_replays_it(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    payload = await _ready_payload(app_harness, Transaction(), Checkout(user_id=None))
    network.refuse("gateway_token.aspx")

    first = await deliver(app_harness, INITIALIZE, payload)
    repeat = await deliver(app_harness, INITIALIZE, payload)

    assert first["result"] == "CHARGE_FAILURE"
    assert first["data"]["error"] == {
        "code": "GATEWAY_UNAVAILABLE",
        "message": "決済サービスに接続できませんでした。しばらくしてからもう一度お試しください。",
        "retryable": True,
    }
    assert repeat == first
    assert network.calls["gateway_token.aspx"] == 0
    assert app_harness.sandbox.payments() == []


async def test_same_transaction_asking_for_something_else_is_refused(
    app_harness: AppHarness, network: GatewayNetwork
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()
    payload = await _ready_payload(app_harness, transaction, checkout)
    first = await deliver(app_harness, INITIALIZE, payload)

    other = await deliver(
        app_harness, INITIALIZE, initialize_payload(transaction, payload["data"], checkout, amount=9900.0)
    )

    assert first["result"] == "CHARGE_SUCCESS"
    assert other["result"] == "CHARGE_FAILURE"
    assert other["data"]["error"]["code"] == "REQUEST_CONFLICT"
    assert network.calls["gateway_token.aspx"] == 1

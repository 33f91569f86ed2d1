"""Real `robotpayment-app serve` processes: killed between the gateway's charge and the app's commit, and two of
them receiving 100 concurrent copies of one payment. Nothing is charged twice, and a charge made while the app
died is never lost: the ledger keeps it (pending, then unknown), Saleor is told "pending", never "failed", and the
gateway's notification settles it, even when the process handling that notification dies too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import LedgerEntry, LedgerStatus, NotificationState, SettledBy
from tests.faults.processes import AppProcess, World, world
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    gateway_initialize_payload,
    initialize_payload,
    process_payload,
    validate_answer,
)
from tests.operations.support import parse_exposition, sample
from tests.support.app_harness import STORE_ID

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION
PROCESS = SaleorEvent.TRANSACTION_PROCESS_SESSION
SLOW_CARD = "4000000000000994"  # processed at once, answered after the sandbox's slow delay
APPROVED_CARD = "4444333322221111"
IN_FLIGHT_WINDOW_SECONDS = 120  # beyond any gateway call (the app treats older pending rows as abandoned)


async def _payment(w: World, app: AppProcess, card: str) -> tuple[dict[str, Any], Transaction, Checkout]:
    """A guest's token payment for `card`: the app's gateway config, then CPToken and 3-D Secure."""
    checkout = Checkout(user_id=None)
    config = await w.deliver(app, SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION, gateway_initialize_payload(checkout))
    assert config.status_code == 200, config.text
    shopper = w.shopper()
    token = await shopper.create_token(STORE_ID, card, "3012", "HANAKO", "SUZUKI")
    assert await shopper.authenticate(config.json()["data"]["threeDS"]["payment"], token) == "Success"
    transaction = Transaction()
    return initialize_payload(transaction, {"tkn": token}, checkout), transaction, checkout


async def _until(condition: Callable[[], Any], *, seconds: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await condition():
        assert loop.time() < deadline, "condition not reached in time"
        await asyncio.sleep(0.02)


async def _row(w: World, transaction: Transaction) -> LedgerEntry:
    [row] = await w.store.ledger.find_by_transaction(w.installation.id, transaction.id)
    return row


def _charges(w: World, transaction: Transaction) -> list[Any]:
    return [payment for payment in w.sandbox.payments() if payment.order_code == transaction.token]


async def _answer(w: World, app: AppProcess, event: SaleorEvent, payload: dict[str, Any]) -> dict[str, Any]:
    response = await w.deliver(app, event, payload)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    validate_answer(event, answer)
    return answer


async def _killed_after_the_charge(w: World) -> tuple[Transaction, Checkout, dict[str, Any]]:
    """The first app process sends a slow card's payment and dies once the gateway has charged it."""
    first = await w.start_app()
    payload, transaction, checkout = await _payment(w, first, SLOW_CARD)
    in_flight = asyncio.create_task(w.deliver(first, INITIALIZE, payload))

    async def charged_and_sent() -> bool:
        rows = await w.store.ledger.find_by_transaction(w.installation.id, transaction.id)
        return bool(_charges(w, transaction)) and bool(rows) and rows[0].sent_at is not None

    await _until(charged_and_sent)
    first.kill()
    with pytest.raises(httpx.TransportError):
        await in_flight
    row = await _row(w, transaction)
    assert (row.status, row.psp_reference) == (LedgerStatus.PENDING, None)  # sent, and no answer recorded
    assert len(_charges(w, transaction)) == 1 and w.saleor.reported_events == []
    assert len(w.kickbacks.queries) == 1  # the gateway's notification, not delivered yet
    return transaction, checkout, payload


async def test_crash_between_charge_and_commit_is_unknown_after_restart_then_settled_by_the_kickback(
    database_url: str, tmp_path: Path
) -> None:
    async with world(database_url, tmp_path) as w:
        transaction, checkout, payload = await _killed_after_the_charge(w)
        second = await w.start_app()
        await w.let_time_pass((await _row(w, transaction)).id, IN_FLIGHT_WINDOW_SECONDS)

        # Saleor asks again (the storefront's process call, or the same initialize): pending, nothing resent
        transaction.psp_reference = ""
        processed = await _answer(w, second, PROCESS, process_payload(transaction, checkout))
        repeated = await _answer(w, second, INITIALIZE, payload)
        unknown = await _row(w, transaction)
        async with httpx.AsyncClient() as client:
            metrics = parse_exposition((await client.get(second.base_url + "/metrics")).text)

        assert (processed["result"], processed["data"]["error"]["code"]) == ("CHARGE_REQUEST", "PAYMENT_PENDING")
        assert repeated["result"] == "CHARGE_REQUEST"
        assert unknown.status is LedgerStatus.UNKNOWN
        assert sample(metrics, "robotpayment_ledger_open_entries", status="unknown") == 1
        assert len(_charges(w, transaction)) == 1

        # the gateway's retried notification reaches the restarted app: settled and reported, once
        assert [(r.status_code, r.text) for r in await w.deliver_kickbacks(second)] == [(200, "ok")]
        [charge] = _charges(w, transaction)
        settled = await _row(w, transaction)
        assert (settled.status, settled.psp_reference) == (LedgerStatus.SUCCEEDED, str(charge.gid))
        [report] = [event["variables"] for event in w.saleor.reported_events]
        assert (report["id"], report["type"], report["amount"]) == (transaction.id, "CHARGE_SUCCESS", 3500)
        after = await _answer(w, second, PROCESS, process_payload(transaction, checkout))
        assert after["result"] == "CHARGE_SUCCESS"
        assert len(w.sandbox.payments()) == 1


async def test_kickback_for_a_payment_a_dead_process_left_pending_settles_it(database_url: str, tmp_path: Path) -> None:
    async with world(database_url, tmp_path) as w:
        transaction, _, _ = await _killed_after_the_charge(w)
        second = await w.start_app()
        await w.let_time_pass((await _row(w, transaction)).id, IN_FLIGHT_WINDOW_SECONDS)

        # the gateway retries its notification until the app is back, before Saleor asks anything
        assert [(r.status_code, r.text) for r in await w.deliver_kickbacks(second)] == [(200, "ok")]

        settled = await _row(w, transaction)
        assert settled.status is LedgerStatus.SUCCEEDED
        assert [event["variables"]["type"] for event in w.saleor.reported_events] == ["CHARGE_SUCCESS"]


async def test_a_crash_while_a_notification_is_processed_then_its_redelivery_settles_the_payment_once(
    database_url: str, tmp_path: Path
) -> None:
    async with world(database_url, tmp_path) as w:
        transaction, _, _ = await _killed_after_the_charge(w)
        second = await w.start_app()
        url = f"{second.base_url}/api/kickback/{w.installation.kickback_secret}?{w.kickbacks.queries[0]}"
        async with httpx.AsyncClient(timeout=30.0) as client:
            # the payment is still in flight for the app, so processing waits for its answer: the process dies then
            delivery = asyncio.create_task(client.get(url))

            async def being_processed() -> bool:
                logged = await w.store.kickbacks.list_recent(w.installation.id)
                return any(notification.processing_until is not None for notification in logged)

            await _until(being_processed)
            second.kill()
            with pytest.raises(httpx.TransportError):
                await delivery
        [unfinished] = await w.store.kickbacks.list_recent(w.installation.id)
        assert unfinished.processed_at is None and (await _row(w, transaction)).status is LedgerStatus.PENDING

        third = await w.start_app()
        await w.let_time_pass((await _row(w, transaction)).id, IN_FLIGHT_WINDOW_SECONDS)
        assert await w.expire_notification_leases() == 1
        # the gateway delivers it again (it got no answer): processed now, and only once however often it comes
        answers = [await w.deliver_kickbacks(third) for _ in range(3)]
        assert [(r.status_code, r.text) for [r] in answers] == [(200, "ok")] * 3

        [charge] = _charges(w, transaction)
        settled = await _row(w, transaction)
        assert (settled.status, settled.psp_reference, settled.settled_by) == (
            LedgerStatus.SUCCEEDED,
            str(charge.gid),
            SettledBy.NOTIFICATION,
        )
        assert [event["variables"]["type"] for event in w.saleor.reported_events] == ["CHARGE_SUCCESS"]
        [finished] = await w.store.kickbacks.list_recent(w.installation.id)
        assert finished.id == unfinished.id and finished.state is NotificationState.APPLIED
        assert len(w.sandbox.payments()) == 1


async def test_a_hundred_concurrent_duplicates_across_two_app_processes_make_one_charge(
    database_url: str, tmp_path: Path
) -> None:
    async with world(database_url, tmp_path) as w:
        apps = [await w.start_app(), await w.start_app()]
        payload, transaction, _ = await _payment(w, apps[0], APPROVED_CARD)
        # the gateway takes a while, so that every copy arrives while the first is in flight
        fault = {"endpoint": "gateway_token.aspx", "mode": "slow", "delay_seconds": 0.5}
        assert (await w.sandbox_http.post("/sandbox/faults", json=fault)).status_code == 201
        path, body, headers = w.signed(INITIALIZE, payload)
        limits = httpx.Limits(max_connections=100)

        async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
            responses = await asyncio.gather(
                *(client.post(apps[copy % 2].base_url + path, content=body, headers=headers) for copy in range(100))
            )

        assert [response.status_code for response in responses] == [200] * 100
        answers = [response.json() for response in responses]
        assert all(answer == answers[0] for answer in answers)
        assert answers[0]["result"] == "CHARGE_SUCCESS"
        [charge] = _charges(w, transaction)
        assert len(w.sandbox.payments()) == 1
        row = await _row(w, transaction)
        assert (row.status, row.psp_reference) == (LedgerStatus.SUCCEEDED, str(charge.gid))

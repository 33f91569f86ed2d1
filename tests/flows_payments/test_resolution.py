"""A person settles what no answer and no notification did: `robotpayment-app payments list --unresolved` shows the
call with what to look up, `payments resolve` records the finding (who, when, why) once, and Saleor is told the
matching event through transactionEventReport. The sandbox here notifies only after rt=0 calls, as the spec
describes: nothing but a person settles a lost answer."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from robotpayment_app import cli
from robotpayment_app.gateway import GatewayTimeouts
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.store.records import JobType, LedgerKind, LedgerStatus, ResolutionDecision, SettledBy
from robotpayment_app.web.payments_command import list_payments, resolve_from_shell
from tests.flows_payments.claims import entry_of, reported, unknown_payment
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    action_payload,
    deliver,
    pay_with_new_card,
    process_payload,
)
from tests.support.app_harness import AppHarness

DROPPED_AFTER_CHARGING = "4000000000000978"  # charged, then the connection drops unanswered
DROPPED_BEFORE_CHARGING = "4000000000000986"  # the connection drops, nothing processed
ALERT_SECONDS = 15 * 60


async def _listed(harness: AppHarness, *, unresolved: bool = True) -> list[dict[str, Any]]:
    out = io.StringIO()
    assert await list_payments(harness.services.settings, unresolved=unresolved, as_json=True, out=out) == 0
    listed: list[dict[str, Any]] = json.loads(out.getvalue())
    return listed


async def _text(harness: AppHarness) -> str:
    out = io.StringIO()
    clock = harness.services.clock
    assert await list_payments(harness.services.settings, unresolved=True, out=out, clock=clock) == 0
    return out.getvalue()


async def _resolve(
    harness: AppHarness, payment: str, *, gid: str | None = None, reason: str = "checked the control panel"
) -> tuple[int, str]:
    out = io.StringIO()
    status = await resolve_from_shell(
        harness.services.settings,
        payment,
        gid=gid,
        charged=gid is not None,
        reason=reason,
        resolved_by="yamada@shop.example",
        saleor_transport=harness.saleor.transport(),
        out=out,
    )
    return status, out.getvalue()


async def _lost_payment(harness: AppHarness, card: str) -> tuple[Checkout, Transaction]:
    await harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()
    answer = await pay_with_new_card(harness, checkout, transaction, card=card)
    assert answer["result"] == "CHARGE_REQUEST"
    await harness.sandbox.kickbacks.wait_idle()
    assert harness.sandbox.kickbacks.deliveries == []  # rt=1: no notification comes
    return checkout, transaction


async def test_a_charge_whose_answer_was_lost_is_listed_and_resolved_as_charged_once(app_harness: AppHarness) -> None:
    checkout, transaction = await _lost_payment(app_harness, DROPPED_AFTER_CHARGING)
    [charge] = app_harness.sandbox.payments()
    entry = await entry_of(app_harness, transaction)

    [listed] = await _listed(app_harness)
    assert (listed["id"], listed["kind"], listed["status"], listed["state"]) == (
        entry.id,
        "payment",
        "unknown",
        "no outcome",
    )
    assert (listed["transactionId"], listed["shopOrderCode"], listed["amount"]) == (
        transaction.id,
        transaction.token,
        3500,
    )
    assert transaction.token in listed["lookup"] and "店舗オーダー番号" in listed["lookup"]
    app_harness.pass_time(ALERT_SECONDS + 1)
    assert "no outcome (overdue)" in await _text(app_harness)

    # a payment number that is not a number, or no reason, is refused naming the option; nothing is recorded
    assert await _resolve(app_harness, str(entry.id), gid="12-34") == (
        1,
        "payments resolve: --charged: the gateway's payment number (決済番号): 1 to 20 ASCII digits\n",
    )
    status, output = await _resolve(app_harness, transaction.id, gid=str(charge.gid), reason="   ")
    assert status == 1 and output.startswith("payments resolve: --reason: must say what you found")
    assert (await entry_of(app_harness, transaction)).status is LedgerStatus.UNKNOWN

    status, output = await _resolve(app_harness, transaction.id, gid=str(charge.gid), reason="listed as 成功 at 10:02")
    assert status == 0, output
    assert output.splitlines() == [
        f"payment {entry.id} resolved as charged (gid {charge.gid}) by yamada@shop.example",
        f"saleor: told CHARGE_SUCCESS on transaction {transaction.id}",
    ]
    settled = await entry_of(app_harness, transaction)
    assert (settled.status, settled.settled_by, settled.psp_reference) == (
        LedgerStatus.SUCCEEDED,
        SettledBy.STAFF,
        str(charge.gid),
    )
    assert reported(app_harness) == [("CHARGE_SUCCESS", transaction.token, 3500)]
    [event] = [event["variables"] for event in app_harness.saleor.reported_events]
    assert event["id"] == transaction.id and "resolved by yamada@shop.example (cli)" in event["message"]
    resolution = await app_harness.services.store.settlements.resolution_of(entry.id)
    assert resolution is not None
    assert (resolution.decision, resolution.psp_reference, resolution.resolved_by, resolution.reason) == (
        ResolutionDecision.CHARGED,
        str(charge.gid),
        "yamada@shop.example",
        "listed as 成功 at 10:02",
    )

    # it cannot be applied twice; the list no longer shows it; the storefront's process call replays the result
    status, output = await _resolve(app_harness, str(entry.id), gid=str(charge.gid))
    assert status == 1 and "cannot be resolved: a person has resolved it already" in output
    assert await _listed(app_harness) == []
    [recent] = await _listed(app_harness, unresolved=False)
    assert recent["settledBy"] == "staff" and recent["resolution"]["resolvedBy"] == "yamada@shop.example"
    transaction.psp_reference = transaction.token
    processed = await deliver(
        app_harness, SaleorEvent.TRANSACTION_PROCESS_SESSION, process_payload(transaction, checkout)
    )
    assert processed["result"] == "CHARGE_SUCCESS" and processed["data"]["gid"] == str(charge.gid)
    assert len(app_harness.sandbox.payments()) == 1 and len(reported(app_harness)) == 1


async def test_a_payment_that_never_reached_the_gateway_is_resolved_as_not_charged(app_harness: AppHarness) -> None:
    _, transaction = await _lost_payment(app_harness, DROPPED_BEFORE_CHARGING)
    assert app_harness.sandbox.payments() == []

    status, output = await _resolve(app_harness, transaction.id, reason="not in the control panel's list")

    assert status == 0, output
    assert reported(app_harness) == [("CHARGE_FAILURE", transaction.token, 3500)]
    entry = await entry_of(app_harness, transaction)
    assert (entry.status, entry.settled_by, entry.psp_reference) == (LedgerStatus.DECLINED, SettledBy.STAFF, None)


async def test_a_gid_another_payment_has_is_refused(app_harness: AppHarness) -> None:
    _, first = await _lost_payment(app_harness, DROPPED_AFTER_CHARGING)
    [charge] = app_harness.sandbox.payments()
    assert (await _resolve(app_harness, first.id, gid=str(charge.gid)))[0] == 0
    second = Transaction()
    await unknown_payment(app_harness, second)

    status, output = await _resolve(app_harness, second.id, gid=str(charge.gid))

    assert (status, output) == (
        1,
        f"payments resolve: --charged: payment number {charge.gid} belongs to another payment of this app\n",
    )


async def test_a_capture_whose_answer_was_lost_is_resolved_as_captured(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()  # Saleor's channel authorises: flow="AUTHORIZATION"
    checkout, transaction = Checkout(user_id=None, flow="AUTHORIZATION"), Transaction()
    authorized = await pay_with_new_card(app_harness, checkout, transaction)
    assert authorized["result"] == "AUTHORIZATION_SUCCESS"
    gid = authorized["pspReference"]
    app_harness.services.gateway_timeouts = GatewayTimeouts(connect=0.5, read=0.5, write=0.5, pool=0.5, total=0.5)
    app_harness.sandbox.faults.add(Fault(endpoint="gateway.aspx", mode=FaultMode.DROP_AFTER))
    capture = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_CHARGE_REQUESTED,
        action_payload(transaction.id, gid, "CHARGE", 3500.0, authorized=3500.0),
    )
    assert "result" not in capture and capture["pspReference"] == gid  # Saleor's way of saying "pending"
    [listed] = await _listed(app_harness)
    assert listed["kind"] == "capture" and "実売上" in listed["lookup"]

    # the payment number must be the one of the payment it captures
    status, output = await _resolve(app_harness, str(listed["id"]), gid="1")
    assert status == 1 and "must be the number of the payment this capture is for" in output
    status, output = await _resolve(app_harness, transaction.id, gid=gid, reason="shown as 実売上")

    assert status == 0, output
    assert "capture" in output and "resolved as captured" in output
    assert reported(app_harness) == [("CHARGE_SUCCESS", gid, 3500)]
    rows = await app_harness.services.store.ledger.find_by_transaction(app_harness.installation.id, transaction.id)
    assert [(row.kind, row.status) for row in rows] == [
        (LedgerKind.PAYMENT, LedgerStatus.SUCCEEDED),
        (LedgerKind.CAPTURE, LedgerStatus.SUCCEEDED),
    ]


async def test_a_payment_still_in_flight_or_settled_is_refused(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout, transaction = Checkout(user_id=None), Transaction()
    paid = await pay_with_new_card(app_harness, checkout, transaction)
    assert paid["result"] == "CHARGE_SUCCESS"

    status, output = await _resolve(app_harness, transaction.id, reason="double check")

    assert status == 1 and "cannot be resolved: it is settled (succeeded) and not in conflict" in output
    assert reported(app_harness) == []
    assert await _resolve(app_harness, "999999") == (
        2,
        "payments resolve: PAYMENT: no payment has the app id 999999 (see `payments list`)\n",
    )


def test_the_commands_are_registered(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ROBOTPAYMENT_APP_ENCRYPTION_KEY", generate_key())
    cli.main(["migrate"])
    capsys.readouterr()
    assert cli.main(["payments", "list", "--unresolved"]) == 2
    assert capsys.readouterr().out.strip() == "payments list: no installation"
    with pytest.raises(SystemExit):  # one of --charged / --not-charged is required
        cli.main(["payments", "resolve", "12", "--reason", "x"])
    assert "one of the arguments --charged --not-charged is required" in capsys.readouterr().err

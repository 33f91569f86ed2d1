"""The kickback log: one row per distinct notification, processed by one delivery at a time, until finished."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime, timedelta

from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.kickbacks import KickbackLog
from robotpayment_app.store.records import (
    Installation,
    KickbackNotice,
    LedgerIntent,
    LedgerKind,
    NotificationState,
)
from robotpayment_app.store.repositories import Store


def _notice(**changes: object) -> KickbackNotice:
    fields: dict[str, object] = {
        "psp_reference": "10000001",
        "result": "1",
        "order_code": "10000002",
        "shop_order_code": "test",
        "amount": 1000,
        "tax_amount": 80,
        "shipping_amount": 500,
        "total_amount": 1580,
        **changes,
    }
    fields.setdefault("fingerprint", hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest())
    return KickbackNotice(**fields)  # type: ignore[arg-type]


NOTICE = _notice()


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_a_redelivery_is_the_same_notification(store: Store, installation: Installation) -> None:
    first = await store.kickbacks.record(installation.id, NOTICE)
    repeat = await store.kickbacks.record(installation.id, NOTICE)

    assert first.first is True
    assert repeat.first is False
    assert repeat.notification.id == first.notification.id
    assert first.notification.total_amount == 1580
    assert first.notification.processed_at is None
    assert first.notification.state is NotificationState.RECEIVED


async def test_the_same_gid_with_other_content_is_another_notification(
    store: Store, installation: Installation
) -> None:
    """A second claim about one payment (another amount, another result) is kept apart, to be compared."""
    await store.kickbacks.record(installation.id, NOTICE)
    other_amount = await store.kickbacks.record(installation.id, _notice(amount=1, total_amount=581))
    failed = await store.kickbacks.record(installation.id, _notice(result="2", error_code="ER030"))

    assert other_amount.first is True and failed.first is True
    assert len({other_amount.notification.id, failed.notification.id}) == 2


async def test_concurrent_deliveries_yield_one_first(store: Store, installation: Installation) -> None:
    results = await asyncio.gather(*(store.kickbacks.record(installation.id, NOTICE) for _ in range(10)))
    assert sum(result.first for result in results) == 1


async def test_one_delivery_processes_at_a_time_and_a_dead_ones_lease_runs_out(
    session_factory: SessionFactory, secret_box: SecretBox, installation: Installation
) -> None:
    clock = Clock()
    log = KickbackLog(session_factory, clock=clock)
    recorded = await log.record(installation.id, NOTICE)
    lease = timedelta(seconds=40)

    takes = await asyncio.gather(*(log.take(recorded.notification.id, lease=lease) for _ in range(5)))
    assert sorted(takes) == [False, False, False, False, True]
    clock.now += timedelta(seconds=39)
    assert await log.take(recorded.notification.id, lease=lease) is False
    clock.now += timedelta(seconds=2)  # the holder died: its lease has run out
    assert await log.take(recorded.notification.id, lease=lease) is True

    await log.release(recorded.notification.id)  # it failed: the next delivery may try at once
    assert await log.take(recorded.notification.id, lease=lease) is True


async def test_a_finished_notification_is_never_taken_again(store: Store, installation: Installation) -> None:
    entry = (
        await store.ledger.begin(
            installation.id, "init:k", "f", LedgerIntent(kind=LedgerKind.PAYMENT, psp_reference="10000001")
        )
    ).entry
    recorded = await store.kickbacks.record(installation.id, NOTICE)
    assert await store.kickbacks.take(recorded.notification.id, lease=timedelta(seconds=30))

    finished = await store.kickbacks.finish(
        recorded.notification.id,
        state=NotificationState.CONFIRMED,
        matched=True,
        payment_id=entry.id,
        outcome="agrees with what was recorded",
    )

    assert (finished.state, finished.matched, finished.payment_id) == (NotificationState.CONFIRMED, True, entry.id)
    assert finished.processed_at is not None and finished.processing_until is None
    assert await store.kickbacks.take(finished.id, lease=timedelta(seconds=30)) is False
    assert await store.kickbacks.get(finished.id) == finished
    assert await store.kickbacks.list_recent(installation.id) == [finished]
    assert await store.kickbacks.for_payment(entry.id) == [finished]


async def test_held_claims_are_listed_oldest_first_until_their_state_changes(
    session_factory: SessionFactory, installation: Installation
) -> None:
    clock = Clock()
    log = KickbackLog(session_factory, clock=clock)
    ids = []
    for gid in ("1", "2"):
        recorded = await log.record(installation.id, _notice(psp_reference=gid))
        await log.finish(
            recorded.notification.id, state=NotificationState.HELD, matched=True, payment_id=None, outcome="held"
        )
        ids.append(recorded.notification.id)
        clock.now += timedelta(seconds=10)

    assert [n.id for n in await log.held()] == ids
    assert [n.id for n in await log.held(received_before=clock.now - timedelta(seconds=15))] == ids[:1]
    await log.set_state(ids[0], NotificationState.APPLIED, "settled payment 1")
    assert [n.id for n in await log.held()] == ids[1:]
    applied = await log.get(ids[0])
    assert applied is not None and (applied.state, applied.outcome) == (NotificationState.APPLIED, "settled payment 1")

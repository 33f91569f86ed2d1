from __future__ import annotations

import asyncio

from robotpayment_app.store.records import Installation, KickbackNotice, LedgerIntent, LedgerKind
from robotpayment_app.store.repositories import Store

NOTICE = KickbackNotice(
    psp_reference="10000001",
    result="1",
    order_code="10000002",
    shop_order_code="test",
    amount=1000,
    tax_amount=80,
    shipping_amount=500,
    total_amount=1580,
)


async def test_a_notification_is_processed_once(store: Store, installation: Installation) -> None:
    first = await store.kickbacks.record(installation.id, NOTICE)
    repeat = await store.kickbacks.record(installation.id, NOTICE)

    assert first.first is True
    assert repeat.first is False
    assert repeat.notification.id == first.notification.id
    assert first.notification.total_amount == 1580
    assert first.notification.processed_at is None


async def test_another_result_for_the_same_payment_is_a_new_notification(
    store: Store, installation: Installation
) -> None:
    await store.kickbacks.record(installation.id, NOTICE)
    failed = await store.kickbacks.record(
        installation.id, NOTICE.model_copy(update={"result": "2", "error_code": "ER030"})
    )
    assert failed.first is True


async def test_concurrent_deliveries_yield_one_first(store: Store, installation: Installation) -> None:
    results = await asyncio.gather(*(store.kickbacks.record(installation.id, NOTICE) for _ in range(10)))
    assert sum(result.first for result in results) == 1


async def test_processing_outcome_is_recorded(store: Store, installation: Installation) -> None:
    entry = (
        await store.ledger.begin(
            installation.id, "init:k", "f", LedgerIntent(kind=LedgerKind.PAYMENT, psp_reference="10000001")
        )
    ).entry
    recorded = await store.kickbacks.record(installation.id, NOTICE)

    finished = await store.kickbacks.finish(
        recorded.notification.id, matched=True, payment_id=entry.id, outcome="reported CHARGE_SUCCESS"
    )

    assert (finished.matched, finished.payment_id, finished.outcome) == (
        True,
        entry.id,
        "reported CHARGE_SUCCESS",
    )
    assert finished.processed_at is not None
    assert await store.kickbacks.get(finished.id) == finished
    assert await store.kickbacks.list_recent(installation.id) == [finished]

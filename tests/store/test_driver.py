"""Prebuilt statements on the driver's own connection (store/driver.py): values go in and come out as through
SQLAlchemy, writes are committed at once, and SQLite writers still take turns."""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.dialects import postgresql, sqlite

from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.driver import DriverStatement
from robotpayment_app.store.records import Installation, LedgerIntent, LedgerKind, LedgerStatus
from robotpayment_app.store.repositories import Store
from robotpayment_app.store.tables import PaymentRow

PAYMENTS = PaymentRow.__table__
DIALECTS = [postgresql.psycopg.dialect(), sqlite.aiosqlite.dialect()]  # type: ignore[no-untyped-call]


async def test_what_the_ledger_writes_there_reads_back_the_same_through_sqlalchemy(
    store: Store, installation: Installation
) -> None:
    intent = LedgerIntent(
        kind=LedgerKind.PAYMENT,
        saleor_transaction_id="VHJhbnNhY3Rpb25JdGVtOjk=",
        shop_order_code="ord-9",
        amount=12_800,
        currency="JPY",
        job_type="CAPTURE",
        saleor_user_id="VXNlcjo5",
        channel_slug="default-channel",
    )
    begun = await store.ledger.begin(installation.id, "initialize:9", "fp-9", intent)
    answer = {"result": "CHARGE_FAILURE", "message": "カードの有効期限が切れています", "amount": 12800, "data": None}
    done = await store.ledger.complete(
        begun.entry.id, status=LedgerStatus.DECLINED, error_code="ER003", saleor_response=answer
    )

    read = await store.ledger.get(begun.entry.id)  # through an ORM session, on any pooled connection
    assert read == done
    assert read is not None and read.saleor_response == answer
    assert read.created_at == begun.entry.created_at and read.created_at.tzinfo == UTC
    assert read.completed_at is not None and read.completed_at >= read.created_at


async def test_a_write_is_committed_when_its_connection_goes_back_to_the_pool(
    session_factory: SessionFactory, store: Store, installation: Installation
) -> None:
    intent = LedgerIntent(kind=LedgerKind.PAYMENT, amount=100, currency="JPY", job_type="CAPTURE")
    entry = (await store.ledger.begin(installation.id, "initialize:10", "fp-10", intent)).entry
    await store.ledger.mark_sent(entry.id)

    async with session_factory() as session:
        sent_at = await session.scalar(text("SELECT sent_at FROM payments WHERE id = :id"), {"id": entry.id})
    assert sent_at is not None


async def test_driver_writes_take_turns_with_session_writes_on_sqlite_only(
    session_factory: SessionFactory, database_backend: str
) -> None:
    order: list[str] = []
    session_open = asyncio.Event()
    release = asyncio.Event()

    async def session_writer() -> None:
        async with session_factory.begin() as session:
            await session.execute(text("SELECT 1"))
            order.append("session began")
            session_open.set()
            await release.wait()
            order.append("session ends")

    async def driver_writer() -> None:
        await session_open.wait()
        async with session_factory.driver(write=True) as connection:
            order.append("driver began")
            await connection.fetch_one(select(PAYMENTS.c.id).where(PAYMENTS.c.id == bindparam("id")), {"id": 0})

    tasks = [asyncio.create_task(session_writer()), asyncio.create_task(driver_writer())]
    await session_open.wait()
    await asyncio.sleep(0.2)
    release.set()
    await asyncio.gather(*tasks)

    if database_backend == "sqlite":
        assert order == ["session began", "session ends", "driver began"]
    else:
        assert order == ["session began", "driver began", "session ends"]


@pytest.mark.parametrize("dialect", DIALECTS, ids=["pg", "sqlite"])
def test_a_statement_sqlalchemy_must_render_per_call_is_refused(dialect: object) -> None:
    statement = select(PAYMENTS.c.id).where(PAYMENTS.c.status.in_(["pending", "unknown"]))
    with pytest.raises(TypeError, match="expanding parameters cannot be prebuilt"):
        DriverStatement(statement, dialect)  # type: ignore[arg-type]


@pytest.mark.parametrize("dialect", DIALECTS, ids=["pg", "sqlite"])
def test_values_fixed_in_the_statement_are_sent_with_the_callers(dialect: object) -> None:
    statement = select(PAYMENTS.c.id).where(PAYMENTS.c.id == bindparam("id"), PAYMENTS.c.status == "pending")
    prepared = DriverStatement(statement, dialect)  # type: ignore[arg-type]

    parameters = prepared.parameters({"id": 7})

    values = list(parameters.values()) if isinstance(parameters, dict) else list(parameters)
    assert sorted(map(str, values)) == ["7", "pending"]
    assert prepared.row((7,)).id == 7

"""PostgreSQL's connection pool: sized by `DatabasePool` (the app's ROBOTPAYMENT_APP_DATABASE_POOL_* settings), and
sessions up to its size reuse their connections. With a pool of 5, 50 concurrent payments made each extra session
open a server connection and close it again, which cost more CPU than the payments' own statements."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import event, literal, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import Pool

from robotpayment_app.settings import load_settings
from robotpayment_app.store import database
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.store.database import DatabasePool, SessionFactory, create_engine_from_url, create_session_factory
from robotpayment_app.web.services import open_services


@pytest.fixture(autouse=True)
def _postgresql_only(database_backend: str) -> None:
    if database_backend != "postgresql":
        pytest.skip("SQLite keeps no server connections (this file runs in the PostgreSQL pass)")


@pytest.fixture
def connections_opened() -> Iterator[list[Any]]:
    """Every new database connection any pool opens while the test runs."""
    opened: list[Any] = []

    def on_connect(_dbapi_connection: Any, record: Any) -> None:
        opened.append(record)

    event.listen(Pool, "connect", on_connect)
    yield opened
    event.remove(Pool, "connect", on_connect)


@pytest.fixture
async def one_connection(database_url: str) -> AsyncIterator[SessionFactory]:
    """Sessions over a pool of exactly one connection."""
    engine = create_engine_from_url(database_url, pool=DatabasePool(size=1, overflow=0))
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def _backend_pid(sessions: SessionFactory) -> int:
    async with sessions() as session:
        pid: int = await session.scalar(text("SELECT pg_backend_pid()"))
        return pid


async def _hold_at_once(sessions: SessionFactory, count: int) -> None:
    """`count` sessions, each with a connection, all open at the same moment."""
    together = asyncio.Barrier(count)

    async def one() -> None:
        async with sessions() as session:
            await session.execute(text("SELECT 1"))
            await together.wait()

    await asyncio.wait_for(asyncio.gather(*(one() for _ in range(count))), timeout=20)


async def _terminate(database_url: str, backend: int) -> None:
    """What a server restart, an idle timeout or a proxy does to a connection sitting in the pool."""
    engine = create_engine_from_url(database_url)
    try:
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    finally:
        await engine.dispose()


async def test_sessions_up_to_the_pool_size_reuse_their_connections(
    database_url: str, connections_opened: list[Any]
) -> None:
    engine = create_engine_from_url(database_url, pool=DatabasePool(size=4, overflow=3))
    try:
        sessions = create_session_factory(engine)
        for _ in range(3):
            await _hold_at_once(sessions, 4)
        assert len(connections_opened) == 4

        # beyond the size, overflow connections are opened for the moment and closed again
        for _ in range(2):
            await _hold_at_once(sessions, 6)
        assert len(connections_opened) == 4 + 2 + 2
    finally:
        await engine.dispose()


@pytest.mark.parametrize(("size", "overflow"), [(2, 0), (6, 2)])
async def test_the_app_sizes_its_pool_from_the_settings(
    database_url: str, tmp_path: Path, connections_opened: list[Any], size: int, overflow: int
) -> None:
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path,
        encryption_key=SecretStr(generate_key()),
        apply_migrations_on_start=False,
        card_list_cache=False,
        database_pool_size=size,
        database_pool_overflow=overflow,
    )
    async with open_services(settings) as services:
        ledger = services.store.ledger
        # each read asks for a connection before any of them has one: as many are opened as the pool allows
        await asyncio.gather(*(ledger.find_by_dedup_key(1, f"initialize:{number}") for number in range(30)))

    assert len(connections_opened) == size + overflow


async def test_a_connection_the_server_dropped_while_idle_is_replaced_unseen(
    database_url: str, one_connection: SessionFactory, connections_opened: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "IDLE_BEFORE_PING_SECONDS", 0.05)
    backend = await _backend_pid(one_connection)
    await _terminate(database_url, backend)
    await asyncio.sleep(0.1)

    replaced_by = await _backend_pid(one_connection)

    assert replaced_by != backend
    assert len(connections_opened) == 3  # the first, the other engine's, the replacement


async def test_a_connection_tested_after_idling_is_handed_out_without_a_transaction_open(
    one_connection: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database, "IDLE_BEFORE_PING_SECONDS", 0.05)
    for _ in range(2):
        async with one_connection.single_statement() as session:  # autocommit: refused if a transaction is open
            await session.execute(text("SELECT 1"))
        await asyncio.sleep(0.1)
        async with one_connection.driver(write=False) as connection:
            assert await connection.fetch_one(select(literal(1).label("one")), {}) == (1,)
        await asyncio.sleep(0.1)


async def test_a_connection_reused_within_the_idle_time_is_not_tested_first(
    database_url: str, one_connection: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the busy case: no test round trip before each statement (so a server restart under load fails the statements
    # in flight, once; the pool then replaces every connection)
    monkeypatch.setattr(database, "IDLE_BEFORE_PING_SECONDS", 60.0)
    backend = await _backend_pid(one_connection)
    await _terminate(database_url, backend)

    with pytest.raises(DBAPIError) as raised:
        async with one_connection() as session:
            await session.execute(text("SELECT 1"))
    assert raised.value.connection_invalidated

    assert await _backend_pid(one_connection) != backend  # replaced after the failure


async def test_a_connection_used_for_prebuilt_statements_goes_back_ready_for_transactions(
    one_connection: SessionFactory,
) -> None:
    # the driver path turns autocommit on for its statements: left on, a later session's rollback would undo nothing
    async with one_connection.begin() as session:
        await session.execute(text("CREATE TEMP TABLE probe (x integer)"))
    async with one_connection.driver(write=True) as connection:
        assert await connection.fetch_one(select(literal(1).label("one")), {}) == (1,)

    with pytest.raises(RuntimeError, match="undo"):
        async with one_connection.begin() as session:
            await session.execute(text("INSERT INTO probe VALUES (1)"))
            raise RuntimeError("undo")

    async with one_connection() as session:
        assert await session.scalar(text("SELECT count(*) FROM probe")) == 0

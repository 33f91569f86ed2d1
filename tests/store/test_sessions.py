"""The session factory's write turns: on SQLite one writer per process at a time (waiting on an asyncio lock, not in
SQLite's busy handler); on PostgreSQL writers do not wait for each other."""

from __future__ import annotations

import asyncio

from sqlalchemy import text

from robotpayment_app.store.database import SessionFactory


async def test_writes_of_one_process_take_turns_on_sqlite_only(
    session_factory: SessionFactory, database_backend: str
) -> None:
    order: list[str] = []
    first_open = asyncio.Event()
    release_first = asyncio.Event()

    async def first() -> None:
        async with session_factory.begin() as session:
            await session.execute(text("SELECT 1"))
            order.append("first began")
            first_open.set()
            await release_first.wait()
            order.append("first ends")

    async def second() -> None:
        await first_open.wait()
        async with session_factory.single_statement() as session:
            order.append("second began")
            await session.execute(text("SELECT 1"))

    first_task = asyncio.create_task(first())
    second_task = asyncio.create_task(second())
    await first_open.wait()
    await asyncio.sleep(0.2)  # room for the second writer to begin, if it is allowed to
    release_first.set()
    await asyncio.gather(first_task, second_task)

    if database_backend == "sqlite":
        assert order == ["first began", "first ends", "second began"]
    else:
        assert order == ["first began", "second began", "first ends"]

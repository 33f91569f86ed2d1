"""Small shared helpers of the repositories: the clock, dialect-specific INSERT … ON CONFLICT."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


async def conflict_aware_insert(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that supports `on_conflict_do_nothing/do_update` on the session's backend.

    Both backends resolve a conflicting insert inside the database, which is what makes the callers safe when
    several processes insert the same key at once (no read-then-write window).
    """
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return postgresql.insert(table)
    if connection.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database backend {connection.dialect.name!r}")

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
    return insert_for(connection.dialect.name, table)


def insert_for(dialect: str, table: Any) -> postgresql.Insert | sqlite.Insert:
    """`conflict_aware_insert` for a backend named in advance (statements built once and reused)."""
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database backend {dialect!r}")

"""Prebuilt statements run on the database driver's own connection (psycopg or aiosqlite), for the payment path.

A payment runs four statements (the saved card's ownership read; the ledger's begin, mark_sent and complete). Through
an `AsyncSession` each cost about 0.8 ms of CPU while the statement itself, on psycopg's connection, cost under
0.1 ms: the rest was SQLAlchemy's work per call (session and transaction objects, greenlet hops, the compiled-cache
lookup, result objects). Here a Core statement is compiled once per dialect, together with SQLAlchemy's own bind and
result processors for its columns, so values are written and read exactly as through SQLAlchemy (UTC datetimes on
SQLite, JSON documents, bind casts on PostgreSQL) and each call is one `execute` on the driver.

Connections come from the engine's pool (`SessionFactory.driver`), in autocommit: each statement here is atomic on
its own (INSERT … ON CONFLICT, conditional UPDATE, SELECT).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, ReturnsRows

Processor = Callable[[Any], Any]


class DriverStatement:
    """One Core statement compiled for one dialect: its SQL text, how to turn named values into the driver's
    parameters, and how to turn the driver's rows into named rows of Python values."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError(f"not a SQL statement: {statement!r}")
        self.sql = compiled.string
        self._defaults: dict[str, Any] = {}  # values fixed in the statement (status = 'pending')
        self._bind_processors: dict[str, Processor] = {}
        for bind, name in compiled.bind_names.items():
            if bind.expanding:  # `IN (…)` is rendered per call by SQLAlchemy: write it as `=` … OR … here
                raise TypeError(f"{name}: expanding parameters cannot be prebuilt")
            if not bind.required:
                self._defaults[name] = bind.effective_value
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                self._bind_processors[name] = processor
        self._positions: tuple[str, ...] | None = tuple(compiled.positiontup or ()) if compiled.positional else None
        columns = list(statement.exported_columns) if isinstance(statement, ReturnsRows) else []
        self._row: Any = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
        self._result_processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        ]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        merged = {**self._defaults, **values}
        for name, processor in self._bind_processors.items():
            if name in merged:
                merged[name] = processor(merged[name])
        if self._positions is None:
            return merged
        return tuple(merged[name] for name in self._positions)

    def row(self, values: tuple[Any, ...]) -> Any:
        """A named row (attribute access by column key, `_asdict()`) of processed values."""
        return self._row._make(
            value if processor is None else processor(value)
            for value, processor in zip(values, self._result_processors, strict=True)
        )


class DriverConnection:
    """A pooled connection's driver object (psycopg `AsyncConnection` or aiosqlite `Connection`), in autocommit."""

    def __init__(self, driver: Any, statements: Callable[[ClauseElement], DriverStatement], *, sqlite: bool) -> None:
        self._driver = driver
        self._statements = statements
        self._sqlite = sqlite

    async def fetch_all(self, statement: ClauseElement, values: Mapping[str, Any]) -> list[Any]:
        prepared = self._statements(statement)
        parameters = prepared.parameters(values)
        # every prebuilt statement returns rows (SELECT, RETURNING)
        if self._sqlite:  # aiosqlite runs each call on its thread: one hop instead of execute, fetch and close
            rows = await self._driver.execute_fetchall(prepared.sql, parameters)
        else:
            cursor = await self._driver.execute(prepared.sql, parameters)
            try:
                rows = await cursor.fetchall()
            finally:
                await cursor.close()
        return [prepared.row(tuple(row)) for row in rows]

    async def fetch_one(self, statement: ClauseElement, values: Mapping[str, Any]) -> Any | None:
        """The first row, or None (an UPDATE whose condition did not hold, a SELECT that found nothing)."""
        rows = await self.fetch_all(statement, values)
        return rows[0] if rows else None

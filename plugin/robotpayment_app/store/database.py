"""Engines and sessions for the two supported databases.

SQLite (embedded default): WAL journal so readers never wait for the writer, a busy timeout so writers queue
instead of failing, foreign keys on (cascading deletes depend on it), and every transaction started with
`BEGIN IMMEDIATE`: a deferred transaction that reads and then writes can fail at once with "database is
locked" when another connection wrote in between, while an immediate one simply waits its turn.
PostgreSQL (production, several processes): a modest pool with pre-ping, so a restarted server is survived.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from robotpayment_app.store.database_urls import (
    is_sqlite_url,
    normalize_database_url,
    sqlite_file_path,
    sync_database_url,
)

SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRESQL_POOL_SIZE = 5
POSTGRESQL_MAX_OVERFLOW = 10
POSTGRESQL_CONNECT_TIMEOUT_S = 5

SessionFactory = async_sessionmaker[AsyncSession]

# Every engine hides bound parameters from its log lines and exception texts: they carry sealed keys and tokens,
# kickback secrets and shoppers' contact details.


def create_engine_from_url(url: str, *, echo: bool = False) -> AsyncEngine:
    """An async engine for `url` (plain `sqlite:///`/`postgresql://` forms are accepted and normalised).

    For SQLite, the database file's folder is created when missing.
    """
    normalized = normalize_database_url(url)
    if is_sqlite_url(normalized):
        _ensure_parent_folder(sqlite_file_path(normalized))
        engine = create_async_engine(normalized, echo=echo, hide_parameters=True)
        _configure_sqlite(engine.sync_engine)
        return engine
    return create_async_engine(normalized, echo=echo, hide_parameters=True, **_postgresql_options())


def create_sync_engine_from_url(url: str, *, echo: bool = False, sqlite_foreign_keys: bool = True) -> Engine:
    """The same database through a synchronous driver (migrations, command-line tools, test housekeeping).

    `sqlite_foreign_keys=False` is for migrations only (see `store.migrations`).
    """
    normalized = normalize_database_url(url)
    sync_url = sync_database_url(normalized)
    if is_sqlite_url(normalized):
        _ensure_parent_folder(sqlite_file_path(normalized))
        engine = create_engine(sync_url, echo=echo, hide_parameters=True)
        _configure_sqlite(engine, foreign_keys=sqlite_foreign_keys)
        return engine
    return create_engine(sync_url, echo=echo, hide_parameters=True, **_postgresql_options())


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions whose loaded values stay readable after commit (records are built after the transaction)."""
    return async_sessionmaker(engine, expire_on_commit=False)


def _postgresql_options() -> dict[str, Any]:
    return {
        "pool_size": POSTGRESQL_POOL_SIZE,
        "max_overflow": POSTGRESQL_MAX_OVERFLOW,
        "pool_pre_ping": True,
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_S},
    }


def _ensure_parent_folder(path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)


def _configure_sqlite(engine: Engine, *, foreign_keys: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # take transaction control away from the driver; `_on_begin` issues BEGIN IMMEDIATE itself
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

"""Schema migrations (Alembic), driven from code: no alembic.ini, the database URL is passed in.

`upgrade_to_head(url)` is safe to call from several processes at once: on PostgreSQL the upgrade runs in one
transaction holding an advisory lock, so the second process waits and then finds the schema current; on SQLite
the write lock (BEGIN IMMEDIATE) serialises them the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from robotpayment_app.store.database import create_sync_engine_from_url
from robotpayment_app.store.database_urls import is_sqlite_url, normalize_database_url, sqlite_file_path

if TYPE_CHECKING:
    from robotpayment_app.store.crypto import SecretBox

MIGRATIONS_FOLDER = Path(__file__).resolve().parent
# arbitrary constant naming "the app's schema migration" among PostgreSQL advisory locks ("RPAM")
_MIGRATION_LOCK_KEY = 0x5250414D


class MigrationError(RuntimeError):
    """The schema could not be brought to the expected state."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_FOLDER))
    return config


def head_revision() -> str:
    """The newest revision this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise MigrationError("no migration revisions found")
    return head


def current_revision(database_url: str) -> str | None:
    """The revision the database is at (None for an empty database)."""
    engine = create_sync_engine_from_url(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@contextlib.contextmanager
def _serialized(database_url: str) -> Iterator[None]:
    """One migration at a time. PostgreSQL takes an advisory lock inside the transaction; for SQLite a lock file
    beside the database does it (an flock on another file: SQLite's own locks on the database stay untouched), as
    two connections switching a new file to WAL at once can fail with "database is locked"."""
    normalized = normalize_database_url(database_url)
    if not is_sqlite_url(normalized):
        yield
        return
    lock_path = os.path.abspath(sqlite_file_path(normalized)) + ".migrate-lock"
    os.makedirs(os.path.dirname(lock_path), exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade_to_head(database_url: str, *, secret_box: SecretBox | None = None) -> str:
    """Apply every pending migration; returns the revision the database is now at.

    `secret_box`: the app's encryption keys, for revisions that seal stored values (0003 seals the kickback
    secrets); a database holding such values cannot be upgraded past them without it.
    """
    # SQLite: foreign keys off while migrating, since rebuilding a table in batch mode drops the old copy,
    # and a DROP with foreign keys on would cascade-delete the rows that point at it; checked again below
    with _serialized(database_url):
        return _upgrade_to_head(database_url, secret_box)


def _upgrade_to_head(database_url: str, secret_box: SecretBox | None) -> str:
    engine = create_sync_engine_from_url(database_url, sqlite_foreign_keys=False)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY})
            config = alembic_config()
            config.attributes["connection"] = connection
            config.attributes["secret_box"] = secret_box
            command.upgrade(config, "head")
            if connection.dialect.name == "sqlite":
                _check_sqlite_foreign_keys(connection)
            revision = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    if revision != head_revision():
        raise MigrationError(f"database is at {revision!r} after upgrading, expected {head_revision()!r}")
    return revision


async def upgrade_to_head_async(database_url: str, *, secret_box: SecretBox | None = None) -> str:
    """`upgrade_to_head` for async callers (runs on a worker thread; Alembic is synchronous)."""
    return await asyncio.to_thread(upgrade_to_head, database_url, secret_box=secret_box)


def _check_sqlite_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({str(row[0]) for row in broken})
        raise MigrationError(f"migration left rows with dangling foreign keys in {', '.join(tables)}")

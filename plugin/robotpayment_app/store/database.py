"""Engines and sessions for the two supported databases.

SQLite (embedded default): WAL journal so readers never wait for the writer, a busy timeout so writers queue
instead of failing, foreign keys on (cascading deletes depend on it), and every transaction started with
`BEGIN IMMEDIATE`: a deferred transaction that reads and then writes can fail at once with "database is
locked" when another connection wrote in between, while an immediate one simply waits its turn. Reads (a session
opened with `factory()` rather than `factory.begin()`) start with a plain deferred BEGIN instead: in WAL mode
they need no lock at all, and taking the write lock for every read made every webhook wait for every other
process's writes (the saved-card list answered 214 requests/s where the floor answered 1,353).
PostgreSQL (production, several processes): a pool whose connections are tested before use when they sat idle for a
second or more, so a restarted server is survived (SQLAlchemy's `pool_pre_ping` tested every checkout: a round trip
per statement on the payment path, where connections are reused within milliseconds), and sized for the requests
one process serves at once (`DatabasePool`): when more sessions are open than the pool keeps, each extra
one opens a new server connection and closes it again, and at 50 concurrent payments that churn cost more CPU than
the payments' own statements (docs/evidence.md).
The app's SQLite file (`SqliteFile`): a process keeps its connections open, and a file deleted or replaced under it
would take every later write to a file nobody will ever read again. The app remembers the file it opened (device and
inode), never creates one through its connections (only migrations do), and refuses a connection once the file at
the path is no longer that one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import time
import urllib.parse
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.sql.expression import ClauseElement
from sqlalchemy.util import greenlet_spawn

from robotpayment_app.store.database_urls import (
    is_sqlite_url,
    normalize_database_url,
    sqlite_file_path,
    sync_database_url,
)
from robotpayment_app.store.driver import DriverConnection, DriverStatement

SQLITE_BUSY_TIMEOUT_MS = 10_000
POSTGRESQL_CONNECT_TIMEOUT_S = 5


@dataclass(frozen=True)
class DatabasePool:
    """PostgreSQL connections per process: `size` kept open, up to `overflow` more opened (and closed again) while
    more sessions than that are open at once. Every replica and worker has its own pool, plus one LISTEN connection
    for the card-list cache: replicas × workers × (size + overflow + 1) must stay under the server's
    `max_connections`."""

    size: int = 20
    overflow: int = 10


IDLE_BEFORE_PING_SECONDS = 1.0
_IDLE_SINCE = "robotpayment_idle_since"

# the engine option that marks a SQLite connection as read-only (see `_configure_sqlite`)
_READS_OPTION = "robotpayment_reads"

class DatabaseFileError(Exception):
    """The SQLite file is missing, not a database, or no longer the one the app opened. `problem` names which, in a
    word or two (`missing`, `replaced`, `empty`, `not a database`)."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def _not_a_database(path: str) -> bool:
    """Whether SQLite refuses the file's header. Read through SQLite itself, never with open()/close(): closing any
    descriptor of a file drops every POSIX lock the process holds on it, the app's connections' included, and two
    processes writing without their locks corrupt the database."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{urllib.parse.quote(path)}?mode=ro", uri=True, timeout=1)) as db:
            db.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        return "not a database" in str(error)  # a busy or locked file is a database
    return False


def check_not_foreign(path: str) -> None:
    """Refuses a file at `path` that is not a SQLite database; a missing or empty one is no database yet."""
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        return
    if size and _not_a_database(path):
        raise DatabaseFileError("not a database", f"{path} is not a SQLite database")


@dataclass(frozen=True)
class SqliteFile:
    """The SQLite file the app serves from, as found at start: its path and identity (device, inode)."""

    path: str
    device: int
    inode: int

    @classmethod
    def at(cls, url: str) -> SqliteFile:
        """The existing database file of a SQLite `url`; raises `DatabaseFileError` when there is none."""
        path = os.path.abspath(sqlite_file_path(url))
        try:
            status = os.stat(path)
        except FileNotFoundError:
            raise DatabaseFileError("missing", f"there is no SQLite database at {path}") from None
        check_not_foreign(path)
        return cls(path, status.st_dev, status.st_ino)

    def check_identity(self) -> None:
        """Raises `DatabaseFileError` when the path no longer leads to this file (deleted, or another put there)."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            raise DatabaseFileError("missing", f"the SQLite database {self.path} was deleted") from None
        if (status.st_dev, status.st_ino) != (self.device, self.inode):
            raise DatabaseFileError("replaced", f"{self.path} is no longer the SQLite file the app opened at start")

    def check(self) -> None:
        """`check_identity`, then the file's header: a file overwritten in place keeps its identity, and open
        connections may keep answering from their page cache; a database the app serves is never empty."""
        self.check_identity()
        try:
            size = os.stat(self.path).st_size
        except FileNotFoundError:
            raise DatabaseFileError("missing", f"the SQLite database {self.path} was deleted") from None
        if not size:
            raise DatabaseFileError("empty", f"{self.path} is empty: it holds no schema")
        if _not_a_database(self.path):
            raise DatabaseFileError("not a database", f"{self.path} is no longer a SQLite database")


class SessionFactory(async_sessionmaker[AsyncSession]):
    """Three kinds of session, so that each costs only the round trips it needs:

    - `factory()` for reads. SQLite: a deferred BEGIN (module docstring). PostgreSQL: autocommit, one round trip per
      statement instead of BEGIN, statement, ROLLBACK (under READ COMMITTED each statement saw its own snapshot
      anyway);
    - `factory.single_statement()` for a write that is one atomic statement (INSERT … ON CONFLICT, a conditional
      UPDATE … RETURNING), with at most a read after it: autocommit on PostgreSQL, BEGIN IMMEDIATE on SQLite;
    - `factory.begin()` for a transaction of several writes, committed on exit;
    - `factory.driver(write=…)` for the payment path's prebuilt statements on the driver's own connection, in
      autocommit (store/driver.py), each statement atomic on its own.

    On SQLite, the writes of one process also take turns on an asyncio lock before asking SQLite for its write lock.
    SQLite admits one writer at a time anyway; without the lock every waiting connection sleeps in SQLite's busy
    handler (1, 2, 5 … 100 ms naps), and at 50 concurrent payments the slowest waited seconds.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine, expire_on_commit=False)
        self._sqlite = engine.dialect.name == "sqlite"
        self._writers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()
        if self._sqlite:
            reads = engine.execution_options(**{_READS_OPTION: True})
            single = engine
        else:
            reads = single = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._reads = async_sessionmaker(reads, expire_on_commit=False)
        self._single = async_sessionmaker(single, expire_on_commit=False)
        self._sync_engine = engine.sync_engine
        self._dialect = engine.dialect
        self._compiled: dict[ClauseElement, DriverStatement] = {}

    @property
    def dialect_name(self) -> str:
        return self._dialect.name

    def __call__(self, **local_kw: Any) -> AsyncSession:
        return self._reads(**local_kw)

    def single_statement(self) -> AbstractAsyncContextManager[AsyncSession]:
        return self._one_writer(self._single.begin()) if self._sqlite else self._single.begin()

    def begin(self) -> AbstractAsyncContextManager[AsyncSession]:  # type: ignore[override]
        manager = super().__call__()._maker_context_manager()
        return self._one_writer(manager) if self._sqlite else manager

    @asynccontextmanager
    async def driver(self, *, write: bool) -> AsyncIterator[DriverConnection]:
        """A pooled connection's driver object for prebuilt statements; `write=True` takes this process's write turn
        on SQLite, as `single_statement()` does."""
        turn = self._write_turn() if write and self._sqlite else nullcontext()
        async with turn:
            # straight from the pool, without an engine Connection around it: that object's set-up and tear-down
            # (events, isolation level set and reset) cost more than the statement
            pooled = await greenlet_spawn(self._sync_engine.raw_connection)
            driver: Any = pooled.driver_connection
            try:
                if not self._sqlite:  # SQLite connections are in autocommit already (`_configure_sqlite`)
                    await driver.set_autocommit(True)
                yield DriverConnection(driver, self._driver_statement, sqlite=self._sqlite)
            finally:
                if not self._sqlite:
                    # back as sessions expect it; a connection that cannot be is not returned to the pool
                    try:
                        await driver.set_autocommit(False)
                    except Exception as error:
                        pooled.invalidate(error)
                await greenlet_spawn(pooled.close)

    def _driver_statement(self, statement: ClauseElement) -> DriverStatement:
        compiled = self._compiled.get(statement)
        if compiled is None:
            compiled = self._compiled[statement] = DriverStatement(statement, self._dialect)
        return compiled

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        writer = self._writers.get(loop)
        if writer is None:
            writer = self._writers[loop] = asyncio.Lock()
        # bounded like SQLite's own wait, so that a mistake (a write opened inside another) fails instead of hanging
        async with asyncio.timeout(SQLITE_BUSY_TIMEOUT_MS / 1000):
            await writer.acquire()
        try:
            yield
        finally:
            writer.release()

    @asynccontextmanager
    async def _one_writer(self, manager: AbstractAsyncContextManager[AsyncSession]) -> AsyncIterator[AsyncSession]:
        async with self._write_turn(), manager as session:
            yield session


# Every engine hides bound parameters from its log lines and exception texts: they carry sealed keys and tokens,
# kickback secrets and shoppers' contact details.


def create_engine_from_url(
    url: str, *, echo: bool = False, pool: DatabasePool = DatabasePool(), sqlite_file: SqliteFile | None = None
) -> AsyncEngine:
    """An async engine for `url` (plain `sqlite:///`/`postgresql://` forms are accepted and normalised).

    For SQLite, the database file's folder is created when missing; with `sqlite_file` (the file found at start),
    connections open only that file, never creating one, and a connection is refused (`DatabaseFileError`) once the
    path leads elsewhere. `pool` is for PostgreSQL.
    """
    normalized = normalize_database_url(url)
    if is_sqlite_url(normalized):
        _ensure_parent_folder(sqlite_file_path(normalized))
        engine = create_async_engine(normalized, echo=echo, hide_parameters=True)
        _configure_sqlite(engine.sync_engine)
        if sqlite_file is not None:
            _keep_to_file(engine.sync_engine, sqlite_file)
        return engine
    engine = create_async_engine(normalized, echo=echo, hide_parameters=True, **_postgresql_options(pool))
    _ping_connections_after_idling(engine.sync_engine)
    return engine


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
    engine = create_engine(sync_url, echo=echo, hide_parameters=True, **_postgresql_options(DatabasePool(size=5)))
    _ping_connections_after_idling(engine)
    return engine


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions whose loaded values stay readable after commit (records are built after the transaction)."""
    return SessionFactory(engine)


def _postgresql_options(pool: DatabasePool) -> dict[str, Any]:
    return {
        "pool_size": pool.size,
        "max_overflow": pool.overflow,
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": POSTGRESQL_CONNECT_TIMEOUT_S},
    }


def _ping_connections_after_idling(engine: Engine) -> None:
    """Test a pooled connection before handing it out if it sat idle `IDLE_BEFORE_PING_SECONDS` or more: a dead one
    (the server restarted, a proxy closed it) is replaced, and the caller never sees the failure."""
    errors = engine.dialect.loaded_dbapi.Error

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get(_IDLE_SINCE)
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
            # the driver opened a transaction for the test: end it, or the next user finds one under way (and an
            # autocommit session cannot even start)
            dbapi_connection.rollback()
        except errors as error:
            raise DisconnectionError("a pooled connection did not answer after idling") from error


def _keep_to_file(engine: Engine, sqlite_file: SqliteFile) -> None:
    @event.listens_for(engine, "do_connect")
    def _open_existing(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        # SQLite creates a missing file on connect; `mode=rw` makes that an error instead
        cargs[0] = f"file:{urllib.parse.quote(sqlite_file.path)}?mode=rw"
        cparams["uri"] = True

    @event.listens_for(engine, "checkout")
    def _same_file(_dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        # one stat per checkout; the refused connection is closed by the pool, not handed out again
        sqlite_file.check_identity()


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
        reads_only = connection.get_execution_options().get(_READS_OPTION, False)
        connection.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")

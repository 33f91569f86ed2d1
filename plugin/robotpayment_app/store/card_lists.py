"""Saved-card lists kept per process for LIST_STORED_PAYMENT_METHODS, dropped whenever any card changes anywhere.

Saleor asks for a shopper's saved cards on every checkout it has not cached, and the answer almost never changes,
while reading it costs a database round trip (most of the list's CPU time; see docs/evidence.md). So each process
keeps the lists it has read, and forgets all of them as soon as a card or customer is written by any process:

- a writer announces the change inside its transaction (`within`) and after its commit (`committed`);
- each process hears every announcement through a change feed: PostgreSQL's LISTEN/NOTIFY (delivered at commit,
  to every replica), or for SQLite (processes on one host) a stamp file next to the database that every commit
  replaces and every read checks;
- a list read from the database is kept only if no change was heard while it was being read (`generation`), so a
  read racing a write never keeps the old list;
- while the feed is not connected (PostgreSQL restarting, the listener reconnecting) nothing is served from the
  cache, and every entry is also dropped after `ttl_seconds` in case an announcement is ever lost.

Nothing about money is decided from the cache: paying with a saved card always checks ownership in the database.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Protocol

import psycopg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.database_urls import is_sqlite_url, libpq_url, sqlite_file_path
from robotpayment_app.store.records import Card

logger = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 30.0
DEFAULT_MAX_ENTRIES = 10_000
NOTIFY_CHANNEL = "robotpayment_card_changes"
RECONNECT_SECONDS = 1.0

ListKey = tuple[int, str, str]  # installation id, store id (aid), Saleor user id


def card_changes_for(database_url: str) -> CardChanges:
    """The change feed (and cache) for a database: a stamp file beside a SQLite file, LISTEN/NOTIFY on PostgreSQL."""
    cache = CardListCache()
    if is_sqlite_url(database_url):
        return SqliteCardChanges(Path(sqlite_file_path(database_url) + ".card-changes"), cache)
    return PostgresCardChanges(libpq_url(database_url), cache)


class CardListCache:
    def __init__(
        self,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds <= 0 or max_entries < 1:
            raise ValueError("CardListCache: ttl_seconds > 0 and max_entries >= 1")
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._monotonic = monotonic
        self._entries: dict[ListKey, tuple[float, tuple[Card, ...]]] = {}
        self._generation = 0
        self._live = False

    @property
    def generation(self) -> int:
        """Changes heard so far; read it before reading a list from the database, and give it to `put`."""
        return self._generation

    @property
    def live(self) -> bool:
        return self._live

    def get(self, key: ListKey) -> tuple[Card, ...] | None:
        if not self._live:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        stored_at, cards = entry
        if self._monotonic() - stored_at > self._ttl:
            del self._entries[key]
            return None
        return cards

    def put(self, key: ListKey, cards: tuple[Card, ...], generation: int) -> None:
        """Keep `cards`, read from the database when `generation` was current, unless a change was heard since."""
        if not self._live or generation != self._generation:
            return
        if len(self._entries) >= self._max_entries:
            self._entries.clear()  # a full cache is cheaper to refill than to age out entry by entry
        self._entries[key] = (self._monotonic(), cards)

    def invalidate(self) -> None:
        """Some card changed somewhere: forget every list."""
        self._generation += 1
        self._entries.clear()

    def go_live(self) -> None:
        """The feed is hearing changes (again): start from nothing, then serve."""
        self.invalidate()
        self._live = True

    def go_deaf(self) -> None:
        """The feed stopped hearing changes: serve nothing until it hears again."""
        self._live = False
        self.invalidate()


class CardChanges(Protocol):
    """How writers announce a change to cards or customers, and how readers hear it."""

    cache: CardListCache | None

    async def within(self, session: AsyncSession) -> None:
        """Inside the writing transaction."""

    def committed(self) -> None:
        """After the writing transaction committed."""

    def refresh(self) -> None:
        """Before serving a list from the cache: take in any change not heard yet."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class NoCardChanges:
    """No cache: every list is read from the database (tools, tests, and the default)."""

    cache: CardListCache | None = None

    async def within(self, session: AsyncSession) -> None:
        return None

    def committed(self) -> None:
        return None

    def refresh(self) -> None:
        return None

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None


class PostgresCardChanges:
    """Announces with NOTIFY in the writing transaction (PostgreSQL delivers it at commit, to every listener) and
    hears through one LISTEN connection per process, reconnected after a failure."""

    def __init__(self, conninfo: str, cache: CardListCache, *, reconnect_seconds: float = RECONNECT_SECONDS) -> None:
        self.cache: CardListCache | None = cache
        self._cache = cache
        self._conninfo = conninfo
        self._reconnect_seconds = reconnect_seconds
        self._task: asyncio.Task[None] | None = None
        self._listening = asyncio.Event()

    async def within(self, session: AsyncSession) -> None:
        await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": NOTIFY_CHANNEL})

    def committed(self) -> None:
        self._cache.invalidate()  # this process at once, without waiting for its own notification

    def refresh(self) -> None:
        return None

    async def start(self) -> None:
        """Start listening; waits (briefly) for the first connection so that a new process serves from the start."""
        self._task = asyncio.create_task(self._listen(), name="card-changes-listener")
        try:
            await asyncio.wait_for(self._listening.wait(), timeout=5.0)
        except TimeoutError:
            logger.warning("saved-card list cache: not listening yet; lists are read from the database meanwhile")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._cache.go_deaf()

    async def _listen(self) -> None:
        while True:
            try:
                # keepalives: a connection that silently died (a network partition) is noticed within ~30 s
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo,
                    autocommit=True,
                    connect_timeout=5,
                    keepalives=1,
                    keepalives_idle=15,
                    keepalives_interval=5,
                    keepalives_count=3,
                ) as connection:
                    await connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._cache.go_live()
                    self._listening.set()
                    async for _notification in connection.notifies():
                        self._cache.invalidate()
            except (psycopg.Error, OSError) as error:
                logger.warning(
                    "saved-card list cache: change feed lost (%s); lists are read from the database until it is back",
                    type(error).__name__,
                )
            finally:
                self._listening.clear()
                self._cache.go_deaf()
            await asyncio.sleep(self._reconnect_seconds)


class SqliteCardChanges:
    """For processes sharing one SQLite file on one host: every commit that changes cards replaces a stamp file
    beside the database with a new random token; a reader compares the token with the last one it saw."""

    def __init__(self, stamp_path: Path, cache: CardListCache) -> None:
        self.cache: CardListCache | None = cache
        self._cache = cache
        self._stamp = stamp_path
        self._seen: bytes | None = None

    async def within(self, session: AsyncSession) -> None:
        return None

    def committed(self) -> None:
        self._cache.invalidate()
        try:
            self._write_stamp()
        except OSError as error:
            # the other processes would not hear this change: stop serving lists from the cache here too
            logger.error("saved-card list cache: cannot write %s (%s); cache off", self._stamp, error)
            self._cache.go_deaf()

    def refresh(self) -> None:
        try:
            token = self._stamp.read_bytes()
        except OSError:
            token = None
        if token != self._seen:
            self._seen = token
            self._cache.invalidate()

    async def start(self) -> None:
        try:
            if not self._stamp.exists():
                self._write_stamp()
        except OSError as error:
            logger.error("saved-card list cache: cannot write %s (%s); cache off", self._stamp, error)
            return
        self.refresh()
        self._cache.go_live()

    async def stop(self) -> None:
        self._cache.go_deaf()

    def _write_stamp(self) -> None:
        # a new file renamed over the old one: a reader sees the old token or the new one, never half of one
        temporary = self._stamp.with_name(f"{self._stamp.name}.{os.getpid()}.{secrets.token_hex(4)}")
        temporary.write_bytes(secrets.token_bytes(16))
        os.replace(temporary, self._stamp)


@asynccontextmanager
async def changing_cards(sessions: SessionFactory, changes: CardChanges) -> AsyncIterator[AsyncSession]:
    """A write transaction that may change what a shopper's saved-card list shows: announced (store/card_lists.py)
    inside the transaction and after its commit; nothing is announced when it fails."""
    async with sessions.begin() as session:
        yield session
        await changes.within(session)
    changes.committed()

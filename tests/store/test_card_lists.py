"""The saved-card list cache: served while nothing changed, dropped when any process changes a card."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from robotpayment_app.store.card_lists import (
    CardChanges,
    CardListCache,
    PostgresCardChanges,
    SqliteCardChanges,
    card_changes_for,
)
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.records import Card, CardDetails, Customer, Installation
from robotpayment_app.store.repositories import Store

STORE_ID = "000123"
ALICE = "VXNlcjox"


@dataclass
class FakeMonotonic:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def _card(number: int) -> Card:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return Card(
        id=number,
        public_id=f"card_{number}",
        customer_id=1,
        card_seq=number,
        masked_number=None,
        last4="1111",
        brand="VISA",
        exp_month=1,
        exp_year=2030,
        holder_name=None,
        created_at=now,
        updated_at=now,
    )


# ---- the cache alone -------------------------------------------------------------------------------------------


def test_nothing_is_served_until_the_feed_is_live_nor_after_it_went_deaf() -> None:
    cache = CardListCache()
    key = (1, STORE_ID, ALICE)
    cache.put(key, (_card(1),), cache.generation)
    assert cache.get(key) is None
    cache.go_live()
    cache.put(key, (_card(1),), cache.generation)
    assert cache.get(key) == (_card(1),)
    cache.go_deaf()
    assert cache.get(key) is None
    cache.go_live()
    assert cache.get(key) is None  # going live starts from nothing


def test_a_list_read_while_a_change_was_heard_is_not_kept() -> None:
    cache = CardListCache()
    cache.go_live()
    key = (1, STORE_ID, ALICE)
    before_the_read = cache.generation
    cache.invalidate()  # a card changed while the list was being read from the database
    cache.put(key, (_card(1),), before_the_read)
    assert cache.get(key) is None
    cache.put(key, (_card(2),), cache.generation)
    assert cache.get(key) == (_card(2),)


def test_entries_expire_and_a_full_cache_starts_over() -> None:
    clock = FakeMonotonic()
    cache = CardListCache(ttl_seconds=30.0, max_entries=2, monotonic=clock)
    cache.go_live()
    cache.put((1, STORE_ID, "a"), (), cache.generation)
    clock.now += 30.5
    assert cache.get((1, STORE_ID, "a")) is None
    cache.put((1, STORE_ID, "a"), (), cache.generation)
    cache.put((1, STORE_ID, "b"), (), cache.generation)
    cache.put((1, STORE_ID, "c"), (), cache.generation)
    assert cache.get((1, STORE_ID, "a")) is None and cache.get((1, STORE_ID, "c")) == ()


@pytest.mark.parametrize("ttl, entries", [(0.0, 10), (-1.0, 10), (30.0, 0)])
def test_bad_limits_are_refused(ttl: float, entries: int) -> None:
    with pytest.raises(ValueError, match="ttl_seconds > 0 and max_entries >= 1"):
        CardListCache(ttl_seconds=ttl, max_entries=entries)


# ---- two processes on one database -------------------------------------------------------------------------------


@asynccontextmanager
async def _process(
    database_url: str, session_factory: SessionFactory, secret_box: SecretBox
) -> AsyncIterator[tuple[Store, CardChanges]]:
    """What one app process has: its own store and change feed (and so its own cache) on the shared database."""
    changes = card_changes_for(database_url)
    await changes.start()
    try:
        yield Store.create(session_factory, secret_box, card_changes=changes), changes
    finally:
        await changes.stop()


async def _eventually(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> bool:
    """A notification crosses a connection: give it a moment (SQLite's stamp is seen at once)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        if await check():
            return True
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.02)


async def _alice(store: Store, installation: Installation) -> Customer:
    return await store.customers.create(
        installation_id=installation.id,
        store_id=STORE_ID,
        saleor_user_id=ALICE,
        gateway_customer_id="rp-alice",
        gateway_key=SecretStr("k" * 16),
        email="alice@example.com",
    )


def test_the_feed_matches_the_database(database_url: str, database_backend: str) -> None:
    changes = card_changes_for(database_url)
    expected = SqliteCardChanges if database_backend == "sqlite" else PostgresCardChanges
    assert isinstance(changes, expected)


async def test_a_card_saved_or_deleted_in_another_process_is_listed_here(
    database_url: str, session_factory: SessionFactory, secret_box: SecretBox, installation: Installation
) -> None:
    async with (
        _process(database_url, session_factory, secret_box) as (here, here_changes),
        _process(database_url, session_factory, secret_box) as (elsewhere, _),
    ):
        assert here_changes.cache is not None and here_changes.cache.live
        alice = await _alice(elsewhere, installation)
        first = await elsewhere.cards.add(alice.id, 1, CardDetails(masked_number="************1111", brand="VISA"))

        async def lists(*public_ids: str) -> bool:
            cards = await here.cards.list_for_webhook(installation.id, STORE_ID, ALICE)
            return [card.public_id for card in cards] == list(public_ids)

        assert await _eventually(lambda: lists(first.public_id))
        second = await elsewhere.cards.add(alice.id, 2, CardDetails(masked_number="************4242", brand="VISA"))
        assert await _eventually(lambda: lists(first.public_id, second.public_id))
        assert await elsewhere.cards.delete(first.id)
        assert await _eventually(lambda: lists(second.public_id))
        assert await elsewhere.customers.delete(alice.id)
        assert await _eventually(lists)


async def test_lists_come_from_the_cache_until_a_change_is_announced(
    database_url: str, session_factory: SessionFactory, secret_box: SecretBox, installation: Installation
) -> None:
    quiet = Store.create(session_factory, secret_box)  # writes without announcing (like an operator's SQL)
    alice = await _alice(quiet, installation)
    card = await quiet.cards.add(alice.id, 1, CardDetails(masked_number="************1111", brand="VISA"))
    async with _process(database_url, session_factory, secret_box) as (here, changes):
        listed = await here.cards.list_for_webhook(installation.id, STORE_ID, ALICE)
        # a change nobody announces is not seen: the list really is served from memory
        async with session_factory.begin() as session:
            await session.execute(text("DELETE FROM cards"))
        assert await here.cards.list_for_webhook(installation.id, STORE_ID, ALICE) == listed == [card]
        assert await here.cards.list_for_user(installation.id, STORE_ID, ALICE) == []

        await changes.stop()  # the feed is gone: nothing is served from the cache any more
        assert await here.cards.list_for_webhook(installation.id, STORE_ID, ALICE) == []


async def test_a_lost_listener_connection_turns_the_cache_off_until_it_is_back(
    database_url: str, database_backend: str, session_factory: SessionFactory, secret_box: SecretBox
) -> None:
    if database_backend != "postgresql":
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only (the SQLite feed has no connection to lose)")
    changes = card_changes_for(database_url)
    cache = changes.cache
    assert cache is not None
    await changes.start()
    try:
        assert cache.live
        # what a PostgreSQL restart or a dropped connection looks like from the listener's side
        async with session_factory.begin() as session:
            await session.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE query LIKE 'LISTEN %' AND datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

        async def deaf() -> bool:
            return not cache.live

        async def live_again() -> bool:
            return cache.live

        assert await _eventually(deaf)
        assert await _eventually(live_again)  # reconnected after RECONNECT_SECONDS
    finally:
        await changes.stop()
    assert not cache.live

"""Per-channel configuration (store id, job type, token mode, payment methods, …).

Every webhook reads its channel's configuration, which changes only when the merchant saves it, while a database
round trip costs about as much CPU as the rest of a saved-card list. `get_for_webhook` therefore serves a copy up to
`cache_seconds` old (0 turns it off): a change saved through this repository is seen at once in this process, and
in the other processes after at most `cache_seconds`. The configuration API always reads the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Table, bindparam, delete, select

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.records import ChannelConfig, ChannelSettings
from robotpayment_app.store.tables import ChannelConfigRow

MAX_CACHED_CHANNELS = 1024
_CHANNELS: Table = ChannelConfigRow.__table__  # type: ignore[assignment]
_ONE_CHANNEL = select(_CHANNELS).where(
    _CHANNELS.c.installation_id == bindparam("installation_id"), _CHANNELS.c.channel_slug == bindparam("channel_slug")
)


class ChannelConfigRepository:
    def __init__(
        self,
        sessions: SessionFactory,
        *,
        clock: Clock = utc_now,
        cache_seconds: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if cache_seconds < 0:
            raise ValueError("cache_seconds: must be >= 0")
        self._sessions = sessions
        self._clock = clock
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._cached: dict[tuple[int, str], tuple[float, ChannelConfig | None]] = {}

    async def get_for_webhook(self, installation_id: int, channel_slug: str) -> ChannelConfig | None:
        """`get`, served from this process's copy when it is at most `cache_seconds` old."""
        if self._cache_seconds == 0:
            return await self.get(installation_id, channel_slug)
        key = (installation_id, channel_slug)
        now = self._monotonic()
        cached = self._cached.get(key)
        if cached is not None and now - cached[0] <= self._cache_seconds:
            return cached[1]
        config = await self.get(installation_id, channel_slug)
        if len(self._cached) >= MAX_CACHED_CHANNELS:
            self._cached.clear()  # only bounds a misuse: a shop has a handful of channels
        self._cached[key] = (now, config)
        return config

    def _forget(self, installation_id: int, channel_slug: str) -> None:
        self._cached.pop((installation_id, channel_slug), None)

    async def get(self, installation_id: int, channel_slug: str) -> ChannelConfig | None:
        parameters = {"installation_id": installation_id, "channel_slug": channel_slug}
        async with self._sessions() as session:
            row = (await session.execute(_ONE_CHANNEL, parameters)).one_or_none()
            return _record(row) if row is not None else None

    async def list_for_installation(self, installation_id: int) -> list[ChannelConfig]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ChannelConfigRow)
                .where(ChannelConfigRow.installation_id == installation_id)
                .order_by(ChannelConfigRow.channel_slug)
            )
            return [_record(row) for row in rows]

    async def elsewhere_with_store(self, installation_id: int, store_id: str) -> list[ChannelConfig]:
        """Channels of other installations connected to the same gateway store (aid)."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ChannelConfigRow)
                .where(ChannelConfigRow.store_id == store_id, ChannelConfigRow.installation_id != installation_id)
                .order_by(ChannelConfigRow.installation_id, ChannelConfigRow.channel_slug)
            )
            return [_record(row) for row in rows]

    async def upsert(
        self, installation_id: int, channel_slug: str, settings: ChannelSettings
    ) -> ChannelConfig:
        values = {
            "store_id": settings.store_id,
            "gateway_base_url": settings.gateway_base_url,
            "job_type": settings.job_type.value,
            "token_mode": settings.token_mode.value,
            "payment_methods": [method.value for method in settings.payment_methods],
            "installment_counts": list(settings.installment_counts),
            "product_mode": settings.product_mode,
            "product_code_metadata_key": settings.product_code_metadata_key,
            "product_job_type": settings.product_job_type.value if settings.product_job_type else None,
            "save_cards_allowed": settings.save_cards_allowed,
            "cvv_required": settings.cvv_required,
            "split_tax_and_shipping": settings.split_tax_and_shipping,
            "updated_at": self._clock(),
        }
        self._forget(installation_id, channel_slug)
        async with self._sessions.begin() as session:
            insert = await conflict_aware_insert(session, ChannelConfigRow)
            await session.execute(
                insert.values(
                    installation_id=installation_id, channel_slug=channel_slug, **values
                ).on_conflict_do_update(
                    index_elements=[ChannelConfigRow.installation_id, ChannelConfigRow.channel_slug],
                    set_=values,
                )
            )
            row = await session.scalar(
                select(ChannelConfigRow).where(
                    ChannelConfigRow.installation_id == installation_id,
                    ChannelConfigRow.channel_slug == channel_slug,
                )
            )
            assert row is not None  # just written in this transaction
            config = _record(row)
        self._forget(installation_id, channel_slug)  # again: a webhook may have read the old row meanwhile
        return config

    async def delete(self, installation_id: int, channel_slug: str) -> bool:
        self._forget(installation_id, channel_slug)
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(ChannelConfigRow)
                .where(
                    ChannelConfigRow.installation_id == installation_id,
                    ChannelConfigRow.channel_slug == channel_slug,
                )
                .returning(ChannelConfigRow.id)
            )
            deleted = result.scalar_one_or_none() is not None
        self._forget(installation_id, channel_slug)
        return deleted


def _record(row: Any) -> ChannelConfig:
    """A configuration from a channel_configs row (an ORM object or a Core row)."""
    return ChannelConfig.model_validate(
        {
            "installation_id": row.installation_id,
            "channel_slug": row.channel_slug,
            "updated_at": row.updated_at,
            "store_id": row.store_id,
            "gateway_base_url": row.gateway_base_url,
            "job_type": row.job_type,
            "token_mode": row.token_mode,
            "payment_methods": tuple(row.payment_methods),
            "installment_counts": tuple(row.installment_counts),
            "product_mode": row.product_mode,
            "product_code_metadata_key": row.product_code_metadata_key,
            "product_job_type": row.product_job_type,
            "save_cards_allowed": row.save_cards_allowed,
            "cvv_required": row.cvv_required,
            "split_tax_and_shipping": row.split_tax_and_shipping,
        }
    )

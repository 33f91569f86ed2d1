"""Per-channel configuration (store id, job type, token mode, payment methods, …)."""

from __future__ import annotations

from sqlalchemy import delete, select

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.records import ChannelConfig, ChannelSettings
from robotpayment_app.store.tables import ChannelConfigRow


class ChannelConfigRepository:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def get(self, installation_id: int, channel_slug: str) -> ChannelConfig | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(ChannelConfigRow).where(
                    ChannelConfigRow.installation_id == installation_id,
                    ChannelConfigRow.channel_slug == channel_slug,
                )
            )
            return _record(row) if row is not None else None

    async def list_for_installation(self, installation_id: int) -> list[ChannelConfig]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(ChannelConfigRow)
                .where(ChannelConfigRow.installation_id == installation_id)
                .order_by(ChannelConfigRow.channel_slug)
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
            "save_cards_allowed": settings.save_cards_allowed,
            "cvv_required": settings.cvv_required,
            "split_tax_and_shipping": settings.split_tax_and_shipping,
            "updated_at": self._clock(),
        }
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
            return _record(row)

    async def delete(self, installation_id: int, channel_slug: str) -> bool:
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(ChannelConfigRow)
                .where(
                    ChannelConfigRow.installation_id == installation_id,
                    ChannelConfigRow.channel_slug == channel_slug,
                )
                .returning(ChannelConfigRow.id)
            )
            return result.scalar_one_or_none() is not None


def _record(row: ChannelConfigRow) -> ChannelConfig:
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
            "save_cards_allowed": row.save_cards_allowed,
            "cvv_required": row.cvv_required,
            "split_tax_and_shipping": row.split_tax_and_shipping,
        }
    )

"""What paymentGatewayInitialize last handed a checkout's browser for `ThreeDSAdapter.authenticate`.

One row per (installation, checkout or order), replaced by each new offer: the browser authenticates with the
newest one. transactionInitialize compares its own parameters with it (`flows/three_ds_offer.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.tables import ThreeDsOfferRow

Params = Mapping[str, Any]


@dataclass(frozen=True)
class ThreeDsOffer:
    payment: dict[str, Any] | None  # threeDS.payment: paying without saving
    save_card: dict[str, Any] | None  # threeDS.saveCard: paying and saving


class ThreeDsOffers:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def remember(
        self, installation_id: int, source_id: str, *, payment: Params | None, save_card: Params | None
    ) -> None:
        values = {
            "payment_params": dict(payment) if payment is not None else None,
            "save_card_params": dict(save_card) if save_card is not None else None,
            "updated_at": self._clock(),
        }
        async with self._sessions.begin() as session:
            insert = await conflict_aware_insert(session, ThreeDsOfferRow)
            await session.execute(
                insert.values(installation_id=installation_id, source_id=source_id, **values).on_conflict_do_update(
                    index_elements=[ThreeDsOfferRow.installation_id, ThreeDsOfferRow.source_id], set_=values
                )
            )

    async def get(self, installation_id: int, source_id: str) -> ThreeDsOffer | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(ThreeDsOfferRow).where(
                    ThreeDsOfferRow.installation_id == installation_id, ThreeDsOfferRow.source_id == source_id
                )
            )
            return ThreeDsOffer(row.payment_params, row.save_card_params) if row is not None else None

    async def forget_older_than(self, before: datetime) -> int:
        """Drop offers no browser can still be using (a checkout abandoned, or paid long ago)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                delete(ThreeDsOfferRow).where(ThreeDsOfferRow.updated_at < before).returning(ThreeDsOfferRow.id)
            )
            return len(result.scalars().all())

"""The kickback log: every gateway result notification, one row per distinct notification.

Record → process → finish. `record` keeps the notification (a redelivery of the same content finds the same
row); `take` gives one delivery at a time the right to process it, for a while (`processing_until`), so that a
redelivery while it runs waits, and a redelivery after its process died takes over; `finish` records what
processing did. A row never finished is processed again when the gateway delivers it again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import RecordNotFound
from robotpayment_app.store.records import (
    KickbackNotice,
    KickbackNotification,
    KickbackRecorded,
    NotificationState,
)
from robotpayment_app.store.tables import KickbackNotificationRow


def _record(row: KickbackNotificationRow) -> KickbackNotification:
    return KickbackNotification(
        id=row.id,
        installation_id=row.installation_id,
        received_at=row.received_at,
        psp_reference=row.psp_reference,
        result=row.result,
        error_code=row.error_code,
        order_code=row.order_code,
        shop_order_code=row.shop_order_code,
        amount=row.amount,
        tax_amount=row.tax_amount,
        shipping_amount=row.shipping_amount,
        total_amount=row.total_amount,
        matched=row.matched,
        payment_id=row.payment_id,
        outcome=row.outcome,
        processed_at=row.processed_at,
        fingerprint=row.fingerprint,
        store_id=row.store_id,
        customer_id=row.customer_id,
        card_seq=row.card_seq,
        state=NotificationState(row.state),
        processing_until=row.processing_until,
    )


class KickbackLog:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record(self, installation_id: int, notice: KickbackNotice) -> KickbackRecorded:
        """Keep a notification. `first` is True for exactly one caller per (installation, content), even when
        the gateway delivers it several times at once."""
        async with self._sessions.begin() as session:
            insert = await conflict_aware_insert(session, KickbackNotificationRow)
            inserted = await session.execute(
                insert.values(
                    installation_id=installation_id,
                    received_at=self._clock(),
                    matched=False,
                    state=NotificationState.RECEIVED.value,
                    **notice.model_dump(),
                )
                .on_conflict_do_nothing(
                    index_elements=[KickbackNotificationRow.installation_id, KickbackNotificationRow.fingerprint]
                )
                .returning(KickbackNotificationRow.id)
            )
            first = inserted.scalar_one_or_none() is not None
            row = await session.scalar(
                select(KickbackNotificationRow).where(
                    KickbackNotificationRow.installation_id == installation_id,
                    KickbackNotificationRow.fingerprint == notice.fingerprint,
                )
            )
            if row is None:
                raise RuntimeError("kickback row vanished between insert and read")
            return KickbackRecorded(notification=_record(row), first=first)

    async def take(self, notification_id: int, *, lease: timedelta) -> bool:
        """Take the right to process an unfinished notification for `lease`; False while another delivery holds
        it (or when it is finished)."""
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(KickbackNotificationRow)
                .where(
                    KickbackNotificationRow.id == notification_id,
                    KickbackNotificationRow.processed_at.is_(None),
                    or_(
                        KickbackNotificationRow.processing_until.is_(None),
                        KickbackNotificationRow.processing_until < now,
                    ),
                )
                .values(processing_until=now + lease)
                .returning(KickbackNotificationRow.id)
            )
            return result.scalar_one_or_none() is not None

    async def release(self, notification_id: int) -> None:
        """Give up processing (it failed): the next delivery may try at once."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(KickbackNotificationRow)
                .where(KickbackNotificationRow.id == notification_id, KickbackNotificationRow.processed_at.is_(None))
                .values(processing_until=None)
            )

    async def finish(
        self,
        notification_id: int,
        *,
        state: NotificationState,
        matched: bool,
        payment_id: int | None,
        outcome: str,
    ) -> KickbackNotification:
        """Record what processing the notification did."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(KickbackNotificationRow)
                .where(KickbackNotificationRow.id == notification_id)
                .values(
                    state=state.value,
                    matched=matched,
                    payment_id=payment_id,
                    outcome=outcome,
                    processed_at=self._clock(),
                    processing_until=None,
                )
                .returning(KickbackNotificationRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no kickback notification {notification_id}")
            return _record(row)

    async def set_state(self, notification_id: int, state: NotificationState, outcome: str) -> None:
        """A held claim's later fate (applied, confirmed, conflict), decided after the delivery finished."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(KickbackNotificationRow)
                .where(KickbackNotificationRow.id == notification_id)
                .values(state=state.value, outcome=outcome)
            )

    async def get(self, notification_id: int) -> KickbackNotification | None:
        async with self._sessions() as session:
            row = await session.get(KickbackNotificationRow, notification_id)
            return _record(row) if row is not None else None

    async def held(self, *, received_before: datetime | None = None, limit: int = 100) -> list[KickbackNotification]:
        """Held claims (every installation), oldest first; only those received before `received_before`."""
        condition = KickbackNotificationRow.state == NotificationState.HELD.value
        if received_before is not None:
            condition = and_(condition, KickbackNotificationRow.received_at < received_before)
        async with self._sessions() as session:
            rows = await session.scalars(
                select(KickbackNotificationRow)
                .where(condition)
                .order_by(KickbackNotificationRow.received_at, KickbackNotificationRow.id)
                .limit(limit)
            )
            return [_record(row) for row in rows]

    async def for_payment(self, payment_id: int) -> list[KickbackNotification]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(KickbackNotificationRow)
                .where(KickbackNotificationRow.payment_id == payment_id)
                .order_by(KickbackNotificationRow.received_at, KickbackNotificationRow.id)
            )
            return [_record(row) for row in rows]

    async def list_recent(self, installation_id: int, *, limit: int = 50) -> list[KickbackNotification]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(KickbackNotificationRow)
                .where(KickbackNotificationRow.installation_id == installation_id)
                .order_by(KickbackNotificationRow.received_at.desc(), KickbackNotificationRow.id.desc())
                .limit(limit)
            )
            return [_record(row) for row in rows]

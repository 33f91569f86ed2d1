"""The kickback log: every gateway result notification, processed once per (installation, gid, rst)."""

from __future__ import annotations

from sqlalchemy import select, update

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import RecordNotFound
from robotpayment_app.store.records import KickbackNotice, KickbackNotification, KickbackRecorded
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
    )


class KickbackLog:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record(self, installation_id: int, notice: KickbackNotice) -> KickbackRecorded:
        """Log a notification. `first` is True for exactly one caller per (installation, gid, rst), even when
        the gateway delivers it several times at once; only that caller processes it."""
        async with self._sessions.begin() as session:
            insert = await conflict_aware_insert(session, KickbackNotificationRow)
            inserted = await session.execute(
                insert.values(
                    installation_id=installation_id,
                    received_at=self._clock(),
                    matched=False,
                    **notice.model_dump(),
                )
                .on_conflict_do_nothing(
                    index_elements=[
                        KickbackNotificationRow.installation_id,
                        KickbackNotificationRow.psp_reference,
                        KickbackNotificationRow.result,
                    ]
                )
                .returning(KickbackNotificationRow.id)
            )
            first = inserted.scalar_one_or_none() is not None
            row = await session.scalar(
                select(KickbackNotificationRow).where(
                    KickbackNotificationRow.installation_id == installation_id,
                    KickbackNotificationRow.psp_reference == notice.psp_reference,
                    KickbackNotificationRow.result == notice.result,
                )
            )
            if row is None:
                raise RuntimeError("kickback row vanished between insert and read")
            return KickbackRecorded(notification=_record(row), first=first)

    async def finish(
        self, notification_id: int, *, matched: bool, payment_id: int | None, outcome: str
    ) -> KickbackNotification:
        """Record what processing the notification did (matched a ledger entry or not, and why)."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(KickbackNotificationRow)
                .where(KickbackNotificationRow.id == notification_id)
                .values(matched=matched, payment_id=payment_id, outcome=outcome, processed_at=self._clock())
                .returning(KickbackNotificationRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no kickback notification {notification_id}")
            return _record(row)

    async def get(self, notification_id: int) -> KickbackNotification | None:
        async with self._sessions() as session:
            row = await session.get(KickbackNotificationRow, notification_id)
            return _record(row) if row is not None else None

    async def list_recent(self, installation_id: int, *, limit: int = 50) -> list[KickbackNotification]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(KickbackNotificationRow)
                .where(KickbackNotificationRow.installation_id == installation_id)
                .order_by(KickbackNotificationRow.received_at.desc(), KickbackNotificationRow.id.desc())
                .limit(limit)
            )
            return [_record(row) for row in rows]

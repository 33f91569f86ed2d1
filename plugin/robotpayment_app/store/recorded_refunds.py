"""Refunds made in the ROBOT PAYMENT control panel and recorded in Saleor by a staff user (`flows/recorded_refund.py`).

`record` adds one under a lock on the payment's ledger row, so that two staff users (or a double click) can never
record more than the payment charged: the same request id is the same refund, and the sum is checked in the same
transaction as the insert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from robotpayment_app.store._sql import Clock, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.tables import PaymentRow, RecordedRefundRow


@dataclass(frozen=True)
class RecordedRefund:
    id: int
    payment_id: int
    amount: int
    reason: str
    recorded_by: str
    recorded_at: datetime
    reported_at: datetime | None


@dataclass(frozen=True)
class RefundRecording:
    refund: RecordedRefund | None  # None: refused, the total would pass `limit`
    created: bool  # False: this request id was recorded before (the same refund)
    total: int  # yen recorded for the payment, this refund included when it was recorded


def _refund(row: RecordedRefundRow) -> RecordedRefund:
    return RecordedRefund(
        id=row.id,
        payment_id=row.payment_id,
        amount=row.amount,
        reason=row.reason,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        reported_at=row.reported_at,
    )


class RecordedRefunds:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record(
        self,
        *,
        installation_id: int,
        payment_id: int,
        amount: int,
        limit: int,
        reason: str,
        recorded_by: str,
        request_id: str,
    ) -> RefundRecording:
        async with self._sessions.begin() as session:
            # the payment row is the lock: concurrent recordings for one payment run one after the other
            await session.execute(select(PaymentRow.id).where(PaymentRow.id == payment_id).with_for_update())
            existing = await session.scalar(
                select(RecordedRefundRow).where(
                    RecordedRefundRow.payment_id == payment_id, RecordedRefundRow.request_id == request_id
                )
            )
            total = int(
                await session.scalar(
                    select(func.coalesce(func.sum(RecordedRefundRow.amount), 0)).where(
                        RecordedRefundRow.payment_id == payment_id
                    )
                )
                or 0
            )
            if existing is not None:
                return RefundRecording(_refund(existing), created=False, total=total)
            if total + amount > limit:
                return RefundRecording(None, created=False, total=total)
            row = RecordedRefundRow(
                installation_id=installation_id,
                payment_id=payment_id,
                amount=amount,
                reason=reason,
                recorded_by=recorded_by,
                request_id=request_id,
                recorded_at=self._clock(),
            )
            session.add(row)
            await session.flush()
            return RefundRecording(_refund(row), created=True, total=total + amount)

    async def mark_reported(self, refund_id: int) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(RecordedRefundRow).where(RecordedRefundRow.id == refund_id).values(reported_at=self._clock())
            )

    async def unreported(self, *, limit: int = 100) -> list[tuple[int, RecordedRefund]]:
        """(installation id, refund) of recorded refunds Saleor has not accepted yet, oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(RecordedRefundRow)
                .where(RecordedRefundRow.reported_at.is_(None))
                .order_by(RecordedRefundRow.recorded_at, RecordedRefundRow.id)
                .limit(limit)
            )
            return [(row.installation_id, _refund(row)) for row in rows]

    async def totals_of(self, payment_ids: list[int]) -> dict[int, int]:
        """Yen recorded as refunded, per payment (payments without any are left out)."""
        if not payment_ids:
            return {}
        async with self._sessions() as session:
            rows = await session.execute(
                select(RecordedRefundRow.payment_id, func.sum(RecordedRefundRow.amount))
                .where(RecordedRefundRow.payment_id.in_(payment_ids))
                .group_by(RecordedRefundRow.payment_id)
            )
            return {int(payment_id): int(total) for payment_id, total in rows.all()}

    async def for_payment(self, payment_id: int) -> list[RecordedRefund]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(RecordedRefundRow)
                .where(RecordedRefundRow.payment_id == payment_id)
                .order_by(RecordedRefundRow.recorded_at, RecordedRefundRow.id)
            )
            return [_refund(row) for row in rows]

"""Settling what the gateway's answers left open: claims (result notifications), conflicts and people's decisions.

The payment path (`ledger.py`) records what the gateway answered. This repository is the slow path around it,
for calls whose answer never came:

- `attach_claim` makes a notification the payment's first claim (one wins, whatever runs at once);
- `flag_conflict` freezes a payment when claims disagree: no notification may settle it from then on;
- `settle_by_claim` records the outcome a held claim says, only while the payment is still open, unfrozen and
  that claim is its first;
- `resolve` records a person's decision together with who, when and why, once per payment;
- a settlement Saleor has not been told of stays `report_pending` until `mark_reported`.

Every change is one conditional UPDATE (and INSERT), so two processes can never both settle one payment.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from robotpayment_app.store._sql import Clock, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import LedgerTransitionError, RecordNotFound, ResolutionRefused
from robotpayment_app.store.ledger import ledger_entry
from robotpayment_app.store.records import (
    MONEY_KINDS,
    LedgerEntry,
    LedgerStatus,
    PaymentResolution,
    ResolutionDecision,
    ResolutionVia,
    SettledBy,
)
from robotpayment_app.store.tables import PaymentResolutionRow, PaymentRow

_OPEN = (LedgerStatus.PENDING.value, LedgerStatus.UNKNOWN.value)


def _resolution(row: PaymentResolutionRow) -> PaymentResolution:
    return PaymentResolution(
        id=row.id,
        installation_id=row.installation_id,
        payment_id=row.payment_id,
        decision=ResolutionDecision(row.decision),
        psp_reference=row.psp_reference,
        reason=row.reason,
        resolved_by=row.resolved_by,
        via=ResolutionVia(row.via),
        resolved_at=row.resolved_at,
    )


class Settlements:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    # ---- claims -----------------------------------------------------------------------------------------

    async def attach_claim(self, entry_id: int, notification_id: int) -> bool:
        """Make the notification the payment's first claim; False when another one is already its first."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(PaymentRow)
                .where(PaymentRow.id == entry_id, PaymentRow.claim_id.is_(None))
                .values(claim_id=notification_id, updated_at=self._clock())
                .returning(PaymentRow.id)
            )
            return result.scalar_one_or_none() is not None

    async def flag_conflict(self, entry_id: int, reason: str) -> tuple[LedgerEntry, bool]:
        """Freeze the payment (the first reason is kept); the flag is True when this call froze it."""
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(PaymentRow)
                .where(PaymentRow.id == entry_id, PaymentRow.conflict_at.is_(None))
                .values(conflict_at=now, conflict_reason=reason, updated_at=now)
                .returning(PaymentRow)
            )
            row = result.scalar_one_or_none()
            if row is not None:
                return ledger_entry(row), True
            current = await session.get(PaymentRow, entry_id)
            if current is None:
                raise RecordNotFound(f"no ledger entry {entry_id}")
            return ledger_entry(current), False

    async def settle_by_claim(
        self,
        entry_id: int,
        claim_id: int,
        *,
        status: LedgerStatus,
        psp_reference: str,
        order_code: str | None,
        approval_number: str | None,
        error_code: str | None,
        saleor_response: Mapping[str, Any],
    ) -> LedgerEntry:
        """Settle an open, unfrozen payment from its first claim. Raises `LedgerTransitionError` when the
        payment was settled, frozen or given another first claim meanwhile."""
        if status not in (LedgerStatus.SUCCEEDED, LedgerStatus.DECLINED):
            raise ValueError(f"status: a claim settles as succeeded or declined, not {status.value!r}")
        now = self._clock()
        values: dict[str, Any] = {
            "status": status.value,
            "psp_reference": psp_reference,
            "settled_by": SettledBy.NOTIFICATION.value,
            "saleor_response": dict(saleor_response),
            "report_pending": True,
            "completed_at": now,
            "updated_at": now,
        }
        optional = {"order_code": order_code, "approval_number": approval_number, "error_code": error_code}
        values.update({name: value for name, value in optional.items() if value})
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(PaymentRow)
                .where(
                    PaymentRow.id == entry_id,
                    PaymentRow.status.in_(_OPEN),
                    PaymentRow.conflict_at.is_(None),
                    PaymentRow.claim_id == claim_id,
                )
                .values(values)
                .returning(PaymentRow)
            )
            row = result.scalar_one_or_none()
            if row is not None:
                return ledger_entry(row)
            current = await session.get(PaymentRow, entry_id)
        if current is None:
            raise RecordNotFound(f"no ledger entry {entry_id}")
        detail = "it is frozen by a conflict" if current.conflict_at is not None else "it is settled or claimed"
        raise LedgerTransitionError(entry_id, LedgerStatus(current.status), status, detail)

    # ---- people --------------------------------------------------------------------------------------------

    async def resolve(
        self,
        entry_id: int,
        *,
        decision: ResolutionDecision,
        status: LedgerStatus,
        psp_reference: str | None,
        reason: str,
        resolved_by: str,
        via: ResolutionVia,
        saleor_response: Mapping[str, Any] | None,
    ) -> tuple[LedgerEntry, PaymentResolution]:
        """Record a person's decision: the payment takes `status` (and `psp_reference`), the conflict is cleared,
        and Saleor is to be told `saleor_response` (None: Saleor already shows this outcome; a report still
        pending stays pending). Once per payment,
        and only for an open or frozen payment: otherwise `ResolutionRefused`."""
        now = self._clock()
        values: dict[str, Any] = {
            "status": status.value,
            "settled_by": SettledBy.STAFF.value,
            "conflict_at": None,
            "updated_at": now,
        }
        if saleor_response is not None:
            values["saleor_response"] = dict(saleor_response)
            values["report_pending"] = True
        if psp_reference is not None:
            values["psp_reference"] = psp_reference
        try:
            async with self._sessions.begin() as session:
                result = await session.execute(
                    update(PaymentRow)
                    .where(
                        PaymentRow.id == entry_id,
                        or_(PaymentRow.status.in_(_OPEN), PaymentRow.conflict_at.is_not(None)),
                        or_(PaymentRow.settled_by.is_(None), PaymentRow.settled_by != SettledBy.STAFF.value),
                    )
                    .values({**values, "completed_at": now})
                    .returning(PaymentRow)
                )
                row = result.scalar_one_or_none()
                if row is None:
                    raise ResolutionRefused(entry_id, "it is settled already (nothing is open or in conflict)")
                resolution = PaymentResolutionRow(
                    installation_id=row.installation_id,
                    payment_id=entry_id,
                    decision=decision.value,
                    psp_reference=psp_reference,
                    reason=reason,
                    resolved_by=resolved_by,
                    via=via.value,
                    resolved_at=now,
                )
                session.add(resolution)
                await session.flush()
                return ledger_entry(row), _resolution(resolution)
        except IntegrityError:
            raise ResolutionRefused(entry_id, "a person has resolved it already") from None

    async def resolution_of(self, entry_id: int) -> PaymentResolution | None:
        async with self._sessions() as session:
            row = await session.scalar(select(PaymentResolutionRow).where(PaymentResolutionRow.payment_id == entry_id))
            return _resolution(row) if row is not None else None

    async def resolutions_of(self, entry_ids: list[int]) -> dict[int, PaymentResolution]:
        if not entry_ids:
            return {}
        async with self._sessions() as session:
            rows = await session.scalars(
                select(PaymentResolutionRow).where(PaymentResolutionRow.payment_id.in_(entry_ids))
            )
            return {row.payment_id: _resolution(row) for row in rows}

    # ---- telling Saleor ------------------------------------------------------------------------------------

    async def mark_reported(self, entry_id: int) -> None:
        now = self._clock()
        async with self._sessions.begin() as session:
            await session.execute(
                update(PaymentRow)
                .where(PaymentRow.id == entry_id)
                .values(report_pending=False, reported_at=now, updated_at=now)
            )

    async def report_pending(self, *, limit: int = 100) -> list[LedgerEntry]:
        """Settlements Saleor has not been told of yet, oldest first."""
        return await self._list(PaymentRow.report_pending.is_(True), limit=limit)

    # ---- attention ----------------------------------------------------------------------------------------

    async def needing_attention(self, *, installation_id: int | None = None, limit: int = 500) -> list[LedgerEntry]:
        """Money-moving calls a person may have to settle: open ones (in flight included; callers tell them
        apart by age) and frozen ones no person has resolved yet. Oldest first."""
        condition = and_(
            PaymentRow.kind.in_([kind.value for kind in MONEY_KINDS]),
            or_(
                PaymentRow.status.in_(_OPEN),
                and_(
                    PaymentRow.conflict_at.is_not(None),
                    or_(PaymentRow.settled_by.is_(None), PaymentRow.settled_by != SettledBy.STAFF.value),
                ),
            ),
        )
        if installation_id is not None:
            condition = and_(condition, PaymentRow.installation_id == installation_id)
        return await self._list(condition, limit=limit)

    async def mark_alerted(self, entry_id: int) -> bool:
        """True for the one caller that records the payment's "unresolved for too long" alert."""
        now = self._clock()
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(PaymentRow)
                .where(PaymentRow.id == entry_id, PaymentRow.alerted_at.is_(None))
                .values(alerted_at=now)
                .returning(PaymentRow.id)
            )
            return result.scalar_one_or_none() is not None

    async def count_unresolved_older_than(self, before: datetime) -> dict[str, int]:
        """Money-moving calls created before `before` that still need a person: frozen ones (`conflict`) and
        open ones (`no_outcome`)."""
        money = PaymentRow.kind.in_([kind.value for kind in MONEY_KINDS])
        not_by_staff = or_(PaymentRow.settled_by.is_(None), PaymentRow.settled_by != SettledBy.STAFF.value)
        frozen = and_(PaymentRow.conflict_at.is_not(None), not_by_staff)
        open_only = and_(PaymentRow.status.in_(_OPEN), PaymentRow.conflict_at.is_(None))
        async with self._sessions() as session:
            counts = {}
            for name, condition in (("no_outcome", open_only), ("conflict", frozen)):
                counts[name] = int(
                    await session.scalar(
                        select(func.count())
                        .select_from(PaymentRow)
                        .where(money, condition, PaymentRow.created_at < before)
                    )
                    or 0
                )
            return counts

    async def _list(self, condition: Any, *, limit: int) -> list[LedgerEntry]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(PaymentRow).where(condition).order_by(PaymentRow.created_at, PaymentRow.id).limit(limit)
            )
            return [ledger_entry(row) for row in rows]

"""The payment ledger: one row per money-moving gateway call, written before the call and completed after.

How flows use it, so that a repeated or concurrent request never moves money twice:

1. `begin(dedup_key, fingerprint, intent)` inserts the intent row, or returns the row already there. Only the
   caller that got `created=True` may call the gateway; the others answer from the existing row (its stored
   Saleor answer, or "still in progress"). A key reused for a different request raises `LedgerKeyConflict`.
2. `mark_sent` just before the request leaves: from then on a crash means "outcome unknown", not "not sent".
3. `complete(status=succeeded|declined|failed_before_send, …)` with the gateway's answer, or `mark_unknown`
   after a timeout once the request was sent. An unknown entry is resolved later (kickback, operator) with
   `complete(status=succeeded|declined)`; it is never retried blindly. Only a failed_before_send entry may be
   retried, after `reopen` (which one caller wins).

Race safety comes from the unique constraint (installation, dedup_key) and INSERT … ON CONFLICT DO NOTHING,
so it holds across processes; status changes are conditional UPDATEs, so two completions cannot both win.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Table, Update, and_, bindparam, or_, select, update

from robotpayment_app.store._sql import Clock, insert_for, utc_now
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import LedgerKeyConflict, LedgerTransitionError, RecordNotFound
from robotpayment_app.store.records import (
    LedgerBegin,
    LedgerEntry,
    LedgerIntent,
    LedgerKind,
    LedgerStatus,
    SettledBy,
)
from robotpayment_app.store.tables import PaymentRow


def request_fingerprint(fields: Mapping[str, object]) -> str:
    """A stable hash of what a request asks for (amount, currency, card, …), to spot a dedup key reused for a
    different request. Never put secrets (tokens, keys) in `fields`: leave them out, they add nothing."""
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The money-moving path (begin, mark_sent, complete) runs three of these per payment: they are built once, as Core
# statements with bound parameters, and run on the driver's own connection (store/driver.py): through the ORM
# session each cost about ten times the statement itself (docs/evidence.md).
_PAYMENTS: Table = PaymentRow.__table__  # type: ignore[assignment]
_INTENT_COLUMNS = tuple(LedgerIntent.model_fields)
_BEGIN_COLUMNS = (
    "installation_id",
    "dedup_key",
    "request_fingerprint",
    "status",
    "created_at",
    "updated_at",
    "report_pending",
)
_ALLOWED_FROM: dict[str, ColumnElement[bool]] = {
    "pending": _PAYMENTS.c.status == LedgerStatus.PENDING.value,
    "pending_unsent": and_(_PAYMENTS.c.status == LedgerStatus.PENDING.value, _PAYMENTS.c.sent_at.is_(None)),
    "pending_or_unknown": or_(
        _PAYMENTS.c.status == LedgerStatus.PENDING.value, _PAYMENTS.c.status == LedgerStatus.UNKNOWN.value
    ),
    "failed_before_send": _PAYMENTS.c.status == LedgerStatus.FAILED_BEFORE_SEND.value,
}


@functools.cache
def _begin_statement(dialect: str) -> Any:
    """INSERT … ON CONFLICT (installation, dedup key) DO NOTHING RETURNING the row, for one backend."""
    columns = _BEGIN_COLUMNS + _INTENT_COLUMNS
    return (
        insert_for(dialect, _PAYMENTS)
        .values({name: bindparam(f"v_{name}") for name in columns})
        .on_conflict_do_nothing(index_elements=[_PAYMENTS.c.installation_id, _PAYMENTS.c.dedup_key])
        .returning(*_PAYMENTS.c)
    )


@functools.cache
def _transition_statement(allowed_from: str, columns: tuple[str, ...]) -> Update:
    """UPDATE the entry's `columns` only while its status is `allowed_from`, RETURNING the row."""
    return (
        update(_PAYMENTS)
        .where(_PAYMENTS.c.id == bindparam("entry_id"), _ALLOWED_FROM[allowed_from])
        .values({name: bindparam(f"v_{name}") for name in columns})
        .returning(*_PAYMENTS.c)
    )


_FIND_BY_KEY = select(_PAYMENTS).where(
    _PAYMENTS.c.installation_id == bindparam("installation_id"), _PAYMENTS.c.dedup_key == bindparam("dedup_key")
)
_BY_ID = select(_PAYMENTS).where(_PAYMENTS.c.id == bindparam("entry_id"))


def ledger_entry(row: Any) -> LedgerEntry:
    """A ledger entry from a payments row (an ORM object or a Core row: both name their columns)."""
    return LedgerEntry(
        id=row.id,
        installation_id=row.installation_id,
        dedup_key=row.dedup_key,
        kind=LedgerKind(row.kind),
        status=LedgerStatus(row.status),
        request_fingerprint=row.request_fingerprint,
        saleor_transaction_id=row.saleor_transaction_id,
        psp_reference=row.psp_reference,
        order_code=row.order_code,
        shop_order_code=row.shop_order_code,
        amount=row.amount,
        tax_amount=row.tax_amount,
        shipping_amount=row.shipping_amount,
        currency=row.currency,
        job_type=row.job_type,
        payment_method=row.payment_method,
        installments=row.installments,
        customer_id=row.customer_id,
        card_id=row.card_id,
        approval_number=row.approval_number,
        error_code=row.error_code,
        failure_reason=row.failure_reason,
        saleor_response=row.saleor_response,
        created_at=row.created_at,
        sent_at=row.sent_at,
        completed_at=row.completed_at,
        updated_at=row.updated_at,
        saleor_user_id=row.saleor_user_id,
        channel_slug=row.channel_slug,
        store_id=row.store_id,
        settled_by=SettledBy(row.settled_by) if row.settled_by else None,
        claim_id=row.claim_id,
        conflict_at=row.conflict_at,
        conflict_reason=row.conflict_reason,
        report_pending=bool(row.report_pending),
        reported_at=row.reported_at,
        alerted_at=row.alerted_at,
    )


class PaymentLedger:
    def __init__(self, sessions: SessionFactory, *, clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def begin(
        self, installation_id: int, dedup_key: str, fingerprint: str, intent: LedgerIntent
    ) -> LedgerBegin:
        """Insert the intent row for `dedup_key`, or return the one already there (`created=False`).

        Raises `LedgerKeyConflict` when the existing row was written for a different fingerprint.
        """
        if not dedup_key:
            raise ValueError("dedup_key: must not be empty")
        now = self._clock()
        values = {
            "installation_id": installation_id,
            "dedup_key": dedup_key,
            "request_fingerprint": fingerprint,
            "status": LedgerStatus.PENDING.value,
            "created_at": now,
            "updated_at": now,
            "report_pending": False,
            **intent.model_dump(mode="json"),
        }
        parameters = {f"v_{name}": value for name, value in values.items()}
        async with self._sessions.driver(write=True) as connection:
            row = await connection.fetch_one(_begin_statement(self._sessions.dialect_name), parameters)
            created = row is not None
            if row is None:
                # READ COMMITTED (PostgreSQL) / the write turn (SQLite): this sees the winner's committed row
                row = await connection.fetch_one(
                    _FIND_BY_KEY, {"installation_id": installation_id, "dedup_key": dedup_key}
                )
            if row is None:
                raise RuntimeError("ledger row vanished between insert and read")
            entry = ledger_entry(row)
        if not created and entry.request_fingerprint != fingerprint:
            raise LedgerKeyConflict(entry)
        return LedgerBegin(entry=entry, created=created)

    async def mark_sent(self, entry_id: int) -> LedgerEntry:
        """The request is about to leave: a later crash leaves the entry 'sent, outcome unknown'."""
        now = self._clock()
        return await self._transition(
            entry_id, LedgerStatus.PENDING, allowed_from="pending", values={"sent_at": now, "updated_at": now}
        )

    async def complete(
        self,
        entry_id: int,
        *,
        status: LedgerStatus,
        psp_reference: str | None = None,
        order_code: str | None = None,
        approval_number: str | None = None,
        error_code: str | None = None,
        failure_reason: str | None = None,
        saleor_response: Mapping[str, Any] | None = None,
    ) -> LedgerEntry:
        """Record the outcome the gateway answered. Fields left None keep their stored value.

        succeeded/declined: from pending or unknown. failed_before_send: from pending, and only if
        `mark_sent` was not called (a sent request's outcome is unknown, not failed).
        """
        if status is LedgerStatus.FAILED_BEFORE_SEND:
            allowed = "pending_unsent"
        elif status in (LedgerStatus.SUCCEEDED, LedgerStatus.DECLINED):
            allowed = "pending_or_unknown"
        else:
            raise ValueError(f"status: complete() records a final outcome, not {status.value!r}")
        now = self._clock()
        values: dict[str, Any] = {"status": status.value, "completed_at": now, "updated_at": now}
        if status is not LedgerStatus.FAILED_BEFORE_SEND:
            values["settled_by"] = SettledBy.ANSWER.value
        optional = {
            "psp_reference": psp_reference,
            "order_code": order_code,
            "approval_number": approval_number,
            "error_code": error_code,
            "failure_reason": failure_reason,
            "saleor_response": dict(saleor_response) if saleor_response is not None else None,
        }
        values.update({name: value for name, value in optional.items() if value is not None})
        return await self._transition(entry_id, status, allowed_from=allowed, values=values)

    async def mark_unknown(
        self,
        entry_id: int,
        *,
        failure_reason: str,
        error_code: str | None = None,
        saleor_response: Mapping[str, Any] | None = None,
    ) -> LedgerEntry:
        """The request may have reached the gateway but no answer came (timeout after sending)."""
        now = self._clock()
        values: dict[str, Any] = {
            "status": LedgerStatus.UNKNOWN.value,
            "failure_reason": failure_reason,
            "updated_at": now,
        }
        if error_code is not None:
            values["error_code"] = error_code
        if saleor_response is not None:
            values["saleor_response"] = dict(saleor_response)
        return await self._transition(
            entry_id,
            LedgerStatus.UNKNOWN,
            allowed_from="pending_or_unknown",
            values=values,
        )

    async def reopen(self, entry_id: int) -> LedgerEntry:
        """Make a failed_before_send entry pending again, to retry a request that provably never left.

        Only one of several concurrent callers succeeds; the others get `LedgerTransitionError`.
        """
        now = self._clock()
        return await self._transition(
            entry_id,
            LedgerStatus.PENDING,
            allowed_from="failed_before_send",
            values={
                "status": LedgerStatus.PENDING.value,
                "error_code": None,
                "failure_reason": None,
                "saleor_response": None,
                "sent_at": None,
                "completed_at": None,
                "updated_at": now,
            },
        )

    async def save_saleor_response(self, entry_id: int, saleor_response: Mapping[str, Any]) -> LedgerEntry:
        """Keep the answer given to Saleor, to replay it on a repeated request."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(PaymentRow)
                .where(PaymentRow.id == entry_id)
                .values(saleor_response=dict(saleor_response), updated_at=self._clock())
                .returning(PaymentRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no ledger entry {entry_id}")
            return ledger_entry(row)

    async def get(self, entry_id: int) -> LedgerEntry | None:
        async with self._sessions() as session:
            row = await session.get(PaymentRow, entry_id)
            return ledger_entry(row) if row is not None else None

    async def find_by_dedup_key(self, installation_id: int, dedup_key: str) -> LedgerEntry | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(PaymentRow).where(
                    PaymentRow.installation_id == installation_id, PaymentRow.dedup_key == dedup_key
                )
            )
            return ledger_entry(row) if row is not None else None

    async def find_by_psp_reference(self, installation_id: int, psp_reference: str) -> list[LedgerEntry]:
        """Every entry about one gateway payment (`gid`): the payment, then its capture/cancel/refunds."""
        return await self._list(
            and_(PaymentRow.installation_id == installation_id, PaymentRow.psp_reference == psp_reference)
        )

    async def find_payments_by_order_ref(self, installation_id: int, shop_order_code: str) -> list[LedgerEntry]:
        """The payments (kind payment) sent with this `cod` (one per Saleor transaction)."""
        return await self._list(
            and_(
                PaymentRow.installation_id == installation_id,
                PaymentRow.shop_order_code == shop_order_code,
                PaymentRow.kind == LedgerKind.PAYMENT.value,
            )
        )

    async def find_by_transaction(
        self, installation_id: int, saleor_transaction_id: str
    ) -> list[LedgerEntry]:
        return await self._list(
            and_(
                PaymentRow.installation_id == installation_id,
                PaymentRow.saleor_transaction_id == saleor_transaction_id,
            )
        )

    async def list_unresolved(
        self, *, pending_before: datetime, installation_id: int | None = None
    ) -> list[LedgerEntry]:
        """Entries needing attention: unknown ones, and pending ones older than `pending_before` (a process
        died mid-call; `sent_at` tells whether the request may have left)."""
        condition = or_(
            PaymentRow.status == LedgerStatus.UNKNOWN.value,
            and_(PaymentRow.status == LedgerStatus.PENDING.value, PaymentRow.created_at < pending_before),
        )
        if installation_id is not None:
            condition = and_(condition, PaymentRow.installation_id == installation_id)
        return await self._list(condition)

    async def list_recent(self, installation_id: int, *, limit: int = 50) -> list[LedgerEntry]:
        """The installation's newest entries first (for the merchant's configuration page)."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(PaymentRow)
                .where(PaymentRow.installation_id == installation_id)
                .order_by(PaymentRow.created_at.desc(), PaymentRow.id.desc())
                .limit(limit)
            )
            return [ledger_entry(row) for row in rows]

    async def _list(self, condition: ColumnElement[bool]) -> list[LedgerEntry]:
        async with self._sessions() as session:
            rows = await session.scalars(select(PaymentRow).where(condition).order_by(PaymentRow.id))
            return [ledger_entry(row) for row in rows]

    async def _transition(
        self,
        entry_id: int,
        requested: LedgerStatus,
        *,
        allowed_from: str,
        values: Mapping[str, Any],
    ) -> LedgerEntry:
        """Change the entry only while its status is `allowed_from` (a key of `_ALLOWED_FROM`)."""
        statement = _transition_statement(allowed_from, tuple(sorted(values)))
        parameters = {"entry_id": entry_id, **{f"v_{name}": value for name, value in values.items()}}
        async with self._sessions.driver(write=True) as connection:
            row = await connection.fetch_one(statement, parameters)
            if row is not None:
                return ledger_entry(row)
            current = await connection.fetch_one(_BY_ID, {"entry_id": entry_id})
            if current is None:
                raise RecordNotFound(f"no ledger entry {entry_id}")
            detail = "the request was already sent" if current.sent_at is not None else ""
            raise LedgerTransitionError(entry_id, LedgerStatus(current.status), requested, detail)

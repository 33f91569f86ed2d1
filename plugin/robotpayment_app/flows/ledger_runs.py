"""Waiting for a ledger entry another request is working on, and spotting entries a crash left behind.

The ledger row of a money-moving call is written before the call (`PaymentLedger.begin`), so a repeated or
concurrent request finds it. While the first request still waits for the gateway the row is `pending`: the
repeat polls it, bounded well under Saleor's 18 s, and then answers from the settled row. A row still
`pending` long after any gateway call could have ended belongs to a process that died mid-call: its outcome
is unknown (never failed, never retried blindly).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from robotpayment_app.store.ledger import PaymentLedger
from robotpayment_app.store.records import LedgerEntry, LedgerStatus

# A repeat waits at most this long for the first request to settle (Saleor gives a sync webhook 18 s).
IN_FLIGHT_WAIT_SECONDS = 14.0
POLL_INTERVAL_SECONDS = 0.1
# Longer than any gateway call may last: the settings cap the gateway's total timeout at 60 s.
STALE_PENDING_AFTER = timedelta(seconds=75)


def is_stale(entry: LedgerEntry, now: datetime) -> bool:
    """A pending row no live request can still be working on (its process stopped mid-call)."""
    return entry.status is LedgerStatus.PENDING and now - entry.created_at > STALE_PENDING_AFTER


async def wait_until_settled(
    ledger: PaymentLedger, entry: LedgerEntry, *, wait_seconds: float = IN_FLIGHT_WAIT_SECONDS
) -> LedgerEntry:
    """The entry once it has left `pending`, or as it is when `wait_seconds` have passed."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while entry.status is LedgerStatus.PENDING and loop.time() < deadline:
        await asyncio.sleep(POLL_INTERVAL_SECONDS)
        entry = await ledger.get(entry.id) or entry
    return entry


async def settle_existing(ledger: PaymentLedger, entry: LedgerEntry, *, now: datetime) -> LedgerEntry:
    """For a repeat: a crashed row becomes `unknown`; an in-flight one is waited for."""
    if is_stale(entry, now):
        return await ledger.mark_unknown(
            entry.id, failure_reason="no outcome recorded: the app stopped while the call was in flight"
        )
    return await wait_until_settled(ledger, entry)

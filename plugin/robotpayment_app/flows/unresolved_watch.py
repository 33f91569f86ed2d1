"""The watch over outcomes the gateway's answers left open, run in every app process every few seconds.

Each round:
1. settles held claims whose hold has passed without contradiction (`flows/kickback.py`);
2. tells Saleor the settlements and the recorded control-panel refunds it has not accepted yet (Saleor was down
   when they were made);
3. logs, once per payment, at WARNING, every money-moving call still without an outcome (or frozen in
   conflict) after `alert_after`: it needs a person (`robotpayment-app payments list --unresolved`);
4. forgets 3-D Secure offers older than a day (`flows/three_ds_offer.py`).

Several processes may run it at once: every change it makes is a conditional update that one of them wins.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from robotpayment_app.flows.context import Dependencies, WebhookContext
from robotpayment_app.flows.kickback import settle_held_claim
from robotpayment_app.flows.recorded_refund import report_recorded_refund
from robotpayment_app.flows.settlement import tell_saleor
from robotpayment_app.store.records import Installation, LedgerEntry, NotificationState

logger = logging.getLogger(__name__)

WATCH_INTERVAL_SECONDS = 5.0
OFFER_LIFETIME = timedelta(days=1)  # a checkout's browser authenticates within minutes


@dataclass
class WatchRound:
    """What one round did (for tests and the debug log)."""

    settled: list[int] = field(default_factory=list)  # notification ids that settled their payment
    reported: list[int] = field(default_factory=list)  # payment ids Saleor was told of
    alerted: list[int] = field(default_factory=list)  # payment ids logged as unresolved for too long
    reported_refunds: list[int] = field(default_factory=list)  # recorded refunds Saleor accepted this round


class UnresolvedWatch:
    def __init__(self, deps: Dependencies) -> None:
        self._deps = deps
        self._installations: dict[int, Installation | None] = {}

    async def _context(self, installation_id: int) -> WebhookContext | None:
        if installation_id not in self._installations:
            self._installations[installation_id] = await self._deps.store.installations.get(installation_id)
        installation = self._installations[installation_id]
        return WebhookContext(self._deps, installation, request_id="watch") if installation else None

    async def run_once(self) -> WatchRound:
        self._installations.clear()  # a round sees re-installed tokens
        done = WatchRound()
        await self._each("settling a held notification", self._settle_held, done)
        await self._each("telling Saleor a settlement", self._report, done)
        await self._each("telling Saleor a recorded refund", self._report_refunds, done)
        await self._each("checking unresolved payments", self._alert, done)
        await self._each("forgetting old 3-D Secure offers", self._forget_offers, done)
        return done

    async def _forget_offers(self, done: WatchRound) -> None:
        await self._deps.store.three_ds_offers.forget_older_than(self._deps.clock() - OFFER_LIFETIME)

    async def _each(self, what: str, step: Callable[[WatchRound], Awaitable[None]], done: WatchRound) -> None:
        try:
            await step(done)
        except Exception:  # one failing step (database down) must not stop the others or the loop
            logger.exception("unresolved-payments watch: %s failed; trying again next round", what)

    async def _settle_held(self, done: WatchRound) -> None:
        for notification in await self._deps.store.kickbacks.held():
            context = await self._context(notification.installation_id)
            if context is None:
                continue
            if await settle_held_claim(context, notification) is NotificationState.APPLIED:
                done.settled.append(notification.id)

    async def _report(self, done: WatchRound) -> None:
        for entry in await self._deps.store.settlements.report_pending():
            context = await self._context(entry.installation_id)
            if context is not None and await tell_saleor(context, entry):
                done.reported.append(entry.id)

    async def _report_refunds(self, done: WatchRound) -> None:
        for installation_id, refund in await self._deps.store.recorded_refunds.unreported():
            context = await self._context(installation_id)
            if context is not None and await report_recorded_refund(context, refund):
                done.reported_refunds.append(refund.id)

    async def _alert(self, done: WatchRound) -> None:
        settlements = self._deps.store.settlements
        before = self._deps.clock() - self._deps.settlement_policy.alert_after
        for entry in await settlements.needing_attention():
            if entry.alerted_at is not None or entry.created_at >= before:
                continue
            if await settlements.mark_alerted(entry.id):
                _log_unresolved(entry, self._deps.settlement_policy.alert_after.total_seconds() / 60)
                done.alerted.append(entry.id)

    async def run(self, stop: asyncio.Event, *, interval: float = WATCH_INTERVAL_SECONDS) -> None:
        """Rounds until `stop` is set."""
        while not stop.is_set():
            await self.run_once()
            try:
                await asyncio.wait_for(stop.wait(), timeout=interval)
            except TimeoutError:
                continue


def _log_unresolved(entry: LedgerEntry, minutes: float) -> None:
    what = "is frozen in conflict" if entry.conflict_at is not None else "has had no outcome"
    logger.warning(
        "%s %s (transaction %s, order code %s, %s yen) %s for over %g minutes: look it up in the ROBOT PAYMENT "
        "control panel and resolve it (robotpayment-app payments resolve %s --charged GID | --not-charged "
        "--reason TEXT, or the app's configuration page)",
        entry.kind.value,
        entry.id,
        entry.saleor_transaction_id,
        entry.shop_order_code,
        entry.amount,
        what,
        minutes,
        entry.id,
    )

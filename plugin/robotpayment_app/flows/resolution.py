"""A person settles what the gateway's answers left open: `payments resolve` and the configuration page.

A payment, capture, cancel or refund whose answer never came (and that no notification settled), or one frozen by
disagreeing notifications, waits for a person. They look it up in the ROBOT PAYMENT control panel (`describe`
says what is known and what to look for) and record what they found: it went through (for a payment, with the
gateway's payment number) or it did not. The decision is kept with who, when and why, once per call; Saleor is
told the matching result (charge or authorization, capture, cancel, refund; success or failure) through
`transactionEventReport`, unless it already shows it. A call that is settled and not in conflict is refused.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.ledger_runs import is_stale
from robotpayment_app.flows.payment_answers import (
    UNKNOWN_CARD,
    ActionDone,
    ActionRefusedByApp,
    NotCharged,
    Paid,
    ResultFamily,
    StaffAction,
    action_answer,
    session_answer,
)
from robotpayment_app.flows.payment_errors import PaymentNotCompleted
from robotpayment_app.flows.settlement import (
    CONTROL_PANEL,
    answer_language,
    card_of,
    known_reference,
    reason_problem,
    tell_saleor,
)
from robotpayment_app.store.errors import ResolutionRefused
from robotpayment_app.store.records import (
    MONEY_KINDS,
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    PaymentResolution,
    ResolutionDecision,
    ResolutionVia,
    SettledBy,
)

logger = logging.getLogger(__name__)

JAPAN = timezone(timedelta(hours=9), "JST")
_GID = re.compile(r"[0-9]{1,20}", re.ASCII)
_ACTIONS = {
    LedgerKind.CAPTURE: StaffAction.CAPTURE,
    LedgerKind.CANCEL: StaffAction.CANCEL,
    LedgerKind.REFUND: StaffAction.REFUND,
}
# what "it went through" / "it did not" mean for each kind, in the words a person checks for
DONE_WORDS = {
    LedgerKind.PAYMENT: ("charged", "not charged"),
    LedgerKind.CAPTURE: ("captured", "not captured"),
    LedgerKind.CANCEL: ("cancelled", "not cancelled"),
    LedgerKind.REFUND: ("refunded", "not refunded"),
}


class ResolutionError(Exception):
    """The decision is refused: `field` names the input at fault (or "payment"), the message says the rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Resolved:
    entry: LedgerEntry
    resolution: PaymentResolution
    event: str | None  # the event Saleor was (or is to be) told; None: it already showed this outcome
    reported: bool  # Saleor has it (False: it will be told when it answers again)


def japan_time(moment: datetime) -> str:
    return moment.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M:%S JST")


def lookup_advice(entry: LedgerEntry) -> str:
    """What to look up in the control panel, and how the finding maps to a decision."""
    store = f"store {entry.store_id}" if entry.store_id else "the store"
    when = japan_time(entry.sent_at or entry.created_at)
    amount = f"{entry.amount:,} yen" if entry.amount is not None else "its amount"
    if entry.kind is LedgerKind.PAYMENT:
        return (
            f"In {CONTROL_PANEL}, search the payments of {store} for the order code (店舗オーダー番号) "
            f"{entry.shop_order_code}, made around {when} for {amount}. Listed as successful: resolve as charged "
            "with its payment number (決済番号, gid). Not listed, or failed: resolve as not charged."
        )
    state = {
        LedgerKind.CAPTURE: "実売上 (captured): resolve as captured; still 仮売上 (authorised): not captured",
        LedgerKind.CANCEL: "取消 (cancelled): resolve as cancelled; otherwise: not cancelled",
        LedgerKind.REFUND: "取消 (cancelled, the refund): resolve as refunded; otherwise: not refunded",
    }[entry.kind]
    return (
        f"In {CONTROL_PANEL}, open payment {entry.psp_reference} ({store}, {amount}), whose "
        f"{entry.kind.value} was sent around {when}. Shown as {state}."
    )


def _checked_reason(reason: str) -> str:
    text = " ".join(reason.split())
    problem = reason_problem(text)
    if problem is not None:
        raise ResolutionError("reason", problem)
    return text


def _refusal(entry: LedgerEntry, now: datetime) -> str | None:
    if entry.kind not in MONEY_KINDS:
        return f"it is a {entry.kind.value}, which moves no money (run robotpayment-app recover for cards)"
    if entry.settled_by is SettledBy.STAFF:
        return "a person has resolved it already"
    if entry.status is LedgerStatus.PENDING and not is_stale(entry, now):
        return "it is still in flight (its answer may still come): wait a minute and look again"
    if not entry.unresolved:
        return f"it is settled ({entry.status.value}) and not in conflict"
    return None


async def _gid_in_use(context: WebhookContext, entry: LedgerEntry, gid: str) -> bool:
    rows = await context.deps.store.ledger.find_by_psp_reference(context.installation.id, gid)
    return any(row.id != entry.id and row.kind is LedgerKind.PAYMENT for row in rows)


async def _new_answer(
    context: WebhookContext, entry: LedgerEntry, decision: ResolutionDecision, gid: str | None, note: str
) -> dict[str, Any]:
    amount = Decimal(entry.amount or 0)
    reference = known_reference(entry, gid)
    if entry.kind is LedgerKind.PAYMENT:
        family = ResultFamily.of(entry.job_type)
        if decision is ResolutionDecision.CHARGED:
            assert gid is not None
            card = await card_of(context, entry) or UNKNOWN_CARD
            outcome: Paid | NotCharged = Paid(gid, amount, card=card, note=note, reference=reference)
        else:
            outcome = NotCharged(PaymentNotCompleted(note), amount, reference)
        return session_answer(family, outcome, answer_language(entry)).to_json()
    action = _ACTIONS[entry.kind]
    if decision is ResolutionDecision.CHARGED:
        return action_answer(action, ActionDone(reference, amount, note=note)).to_json()
    return action_answer(action, ActionRefusedByApp(note, amount, reference)).to_json()


def _already_shown(entry: LedgerEntry, decision: ResolutionDecision) -> bool:
    """Saleor already shows this outcome (a frozen call whose recorded result the person confirms)."""
    wanted = LedgerStatus.SUCCEEDED if decision is ResolutionDecision.CHARGED else LedgerStatus.DECLINED
    return entry.status is wanted


async def resolve_payment(
    context: WebhookContext,
    entry: LedgerEntry,
    *,
    decision: ResolutionDecision,
    gid: str | None,
    reason: str,
    resolved_by: str,
    via: ResolutionVia,
) -> Resolved:
    """Record a person's finding about `entry` (a row of `context.installation`'s ledger) and tell Saleor."""
    if entry.installation_id != context.installation.id:
        raise ResolutionError("payment", "belongs to another installation")
    text = _checked_reason(reason)
    refusal = _refusal(entry, context.deps.clock())
    if refusal is not None:
        raise ResolutionError("payment", f"{entry.kind.value} {entry.id} cannot be resolved: {refusal}")
    if decision is ResolutionDecision.CHARGED:
        if gid is None or not _GID.fullmatch(gid):
            raise ResolutionError("gid", "the gateway's payment number (決済番号): 1 to 20 ASCII digits")
        if entry.kind is LedgerKind.PAYMENT and await _gid_in_use(context, entry, gid):
            raise ResolutionError("gid", f"payment number {gid} belongs to another payment of this app")
        if entry.kind is not LedgerKind.PAYMENT and gid != entry.psp_reference:
            raise ResolutionError("gid", f"must be the number of the payment this {entry.kind.value} is for")
    elif gid is not None:
        raise ResolutionError("gid", f"only given when the {entry.kind.value} went through")
    done, not_done = DONE_WORDS[entry.kind]
    finding = done if decision is ResolutionDecision.CHARGED else not_done
    note = f"resolved by {resolved_by} ({via.value}): {finding}" + (f" as gid {gid}" if gid else "") + f": {text}"
    answer = None if _already_shown(entry, decision) else await _new_answer(context, entry, decision, gid, note)
    status = LedgerStatus.SUCCEEDED if decision is ResolutionDecision.CHARGED else LedgerStatus.DECLINED
    try:
        settled, resolution = await context.deps.store.settlements.resolve(
            entry.id,
            decision=decision,
            status=status,
            psp_reference=gid if entry.kind is LedgerKind.PAYMENT else None,
            reason=text,
            resolved_by=resolved_by,
            via=via,
            saleor_response=answer,
        )
    except ResolutionRefused as refused:
        raise ResolutionError(
            "payment", f"{entry.kind.value} {entry.id} cannot be resolved: {refused.reason}"
        ) from None
    logger.warning(
        "%s %s resolved as %s by %s (%s): %s", entry.kind.value, entry.id, finding, resolved_by, via.value, text
    )
    if answer is None:
        return Resolved(settled, resolution, event=None, reported=True)
    reported = await tell_saleor(context, settled)
    return Resolved(settled, resolution, event=str(answer.get("result")), reported=reported)

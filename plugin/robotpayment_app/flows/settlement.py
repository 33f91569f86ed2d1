"""Settling a call whose answer never came, and telling Saleor: what claims and people's decisions share.

A settlement (by a result notification or by a person) is written to the ledger together with the exact answer
the app would have given Saleor had the gateway answered (`saleor_response`), and flagged `report_pending`.
`tell_saleor` then reports that answer as a `transactionEventReport` event (the answer's `result`, amount,
pspReference and actions) and clears the flag; until Saleor accepts it, the watch (`flows/unresolved_watch.py`)
tries again. So the event Saleor records is always the stored answer, and the storefront's
TRANSACTION_PROCESS_SESSION replays the same one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.customers import card_payment_method_details
from robotpayment_app.flows.language import Language
from robotpayment_app.flows.payment_errors import PaymentStillPending
from robotpayment_app.saleor.graphql_client import SaleorApiError
from robotpayment_app.saleor.responses import CardDetails, InvalidResponse, TransactionActionName
from robotpayment_app.store.records import LedgerEntry, LedgerKind

logger = logging.getLogger(__name__)

CONTROL_PANEL = "the ROBOT PAYMENT control panel (管理画面)"
MAX_REASON_CHARS = 500  # why a person decided (a resolution, a recorded refund): kept with the decision


def reason_problem(text: str) -> str | None:
    """What is wrong with a person's reason (whitespace already collapsed), or None."""
    if not text:
        return "must say what you found (e.g. where you looked and what it showed)"
    if len(text) > MAX_REASON_CHARS:
        return f"must be at most {MAX_REASON_CHARS} characters"
    if not text.isprintable():
        return "must be printable text"
    return None


_ACTIONS: frozenset[str] = frozenset({"CHARGE", "REFUND", "CANCEL"})


@dataclass(frozen=True)
class EventReport:
    """What `transactionEventReport` carries for one stored answer."""

    psp_reference: str
    event_type: str
    amount: Decimal
    message: str | None
    available_actions: tuple[TransactionActionName, ...] | None
    card: CardDetails | None


def _card(details: Any) -> CardDetails | None:
    if not isinstance(details, Mapping) or not isinstance(details.get("name"), str):
        return None
    try:
        return CardDetails(
            name=details["name"],
            brand=details.get("brand"),
            first_digits=details.get("firstDigits"),
            last_digits=details.get("lastDigits"),
            exp_month=details.get("expMonth"),
            exp_year=details.get("expYear"),
        )
    except InvalidResponse:
        return None


def event_report(answer: Mapping[str, Any], *, fallback_amount: int) -> EventReport | None:
    """The event for a stored answer; None when it is no settled result (no pspReference, or a *_REQUEST)."""
    result, reference = answer.get("result"), answer.get("pspReference")
    if not isinstance(result, str) or not isinstance(reference, str) or not reference:
        return None
    if not result.endswith(("_SUCCESS", "_FAILURE")):
        return None
    try:
        amount = Decimal(str(answer.get("amount", fallback_amount)))
    except InvalidOperation:
        amount = Decimal(fallback_amount)
    raw_actions = answer.get("actions")
    actions = tuple(action for action in raw_actions if action in _ACTIONS) if isinstance(raw_actions, list) else None
    message = answer.get("message")
    return EventReport(
        psp_reference=reference,
        event_type=result,
        amount=amount,
        message=message if isinstance(message, str) else None,
        available_actions=actions,
        card=_card(answer.get("paymentMethodDetails")),
    )


async def tell_saleor(context: WebhookContext, entry: LedgerEntry) -> bool:
    """Report the entry's settled answer to Saleor; True once Saleor has it (or there is nothing to tell)."""
    settlements = context.deps.store.settlements
    report = event_report(entry.saleor_response or {}, fallback_amount=entry.amount or 0)
    if entry.saleor_transaction_id is None or report is None:
        logger.warning("payment %s: settled, but there is no Saleor transaction or answer to report", entry.id)
        await settlements.mark_reported(entry.id)
        return True
    try:
        await context.deps.saleor(context.installation).transaction_event_report(
            transaction_id=entry.saleor_transaction_id,
            psp_reference=report.psp_reference,
            event_type=report.event_type,
            amount=report.amount,
            message=report.message,
            available_actions=report.available_actions,
            payment_method_details=report.card,
        )
    except SaleorApiError as error:
        logger.error(
            "payment %s: settled (%s) but Saleor was not told yet (%s); the app tries again",
            entry.id,
            report.event_type,
            error,
        )
        return False
    await settlements.mark_reported(entry.id)
    logger.info("payment %s: Saleor told %s %s", entry.id, report.event_type, report.amount)
    return True


def known_reference(entry: LedgerEntry, gid: str | None) -> str:
    """The pspReference Saleor already knows the call by: the pending answer's (the cod for a payment whose gid
    never arrived); for a payment no answer was kept for, the cod; else the gid. Saleor matches a result to its
    pending request by it."""
    answered = (entry.saleor_response or {}).get("pspReference")
    if isinstance(answered, str) and answered:
        return answered
    if entry.kind is LedgerKind.PAYMENT and entry.shop_order_code:
        # no answer was kept (the process died mid-call): a repeat would have been answered pending by the cod
        return entry.shop_order_code
    return gid or entry.psp_reference or entry.dedup_key


def answer_language(entry: LedgerEntry) -> Language:
    """The shopper's language, as the pending answer was written in (a notification or a person carries none)."""
    data = (entry.saleor_response or {}).get("data")
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    english = PaymentStillPending("").shopper_text(Language.EN)
    return Language.EN if message == english else Language.JA


async def card_of(context: WebhookContext, entry: LedgerEntry) -> CardDetails | None:
    """`paymentMethodDetails` of the saved card a payment used, when it used one the app still has."""
    if entry.card_id is None:
        return None
    card = await context.deps.store.cards.get(entry.card_id)
    return card_payment_method_details(card) if card is not None else None

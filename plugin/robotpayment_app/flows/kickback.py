"""The gateway's result notification (kickback): settle payments whose answer never came, and tell Saleor.

Nothing signs a kickback and no source addresses are published, so it is a hint, checked against the app's
own record: the ledger row must exist (found by `gid`, or by `cod` for a payment whose answer was lost), and
`gid`, `cod` and the amounts must all agree with it. Only then may it settle a row whose outcome is unknown;
it never creates a payment, never changes a settled one, and each (gid, result) is processed once. What it
could not match is logged for the merchant. The route always answers a non-empty body.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from pydantic import ValidationError

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.customers import Shopper, gateway_customer_id_for, remember_registered_card
from robotpayment_app.flows.language import Language
from robotpayment_app.flows.ledger_runs import is_stale, wait_until_settled
from robotpayment_app.flows.payment_answers import (
    UNKNOWN_CARD,
    Declined,
    Paid,
    ResultFamily,
    SessionOutcome,
    session_answer,
)
from robotpayment_app.flows.payment_errors import PaymentStillPending
from robotpayment_app.gateway import GatewayAnswerError, KickbackNotification, lookup_error, parse_kickback
from robotpayment_app.saleor.graphql_client import SaleorApiError
from robotpayment_app.store.errors import LedgerTransitionError, StoreError
from robotpayment_app.store.ledger import PaymentLedger
from robotpayment_app.store.records import KickbackNotice, LedgerEntry, LedgerKind, LedgerStatus

logger = logging.getLogger(__name__)

ACKNOWLEDGEMENT = "ok"  # the gateway counts a notification as delivered when the body is not empty
# How long a notification waits for a payment still in flight (its request may wait for the gateway's answer
# up to the configured total, 15 s by default). Not bounded by Saleor: the gateway is waiting, not Saleor.
KICKBACK_WAIT_SECONDS = 30.0
IN_FLIGHT = "in_flight"  # processing found the payment still in flight: a redelivery is processed again


@dataclass(frozen=True)
class KickbackOutcome:
    """What processing did, as kept in the kickback log."""

    matched: bool
    payment_id: int | None
    outcome: str


async def receive_kickback(context: WebhookContext, query: str) -> str:
    """Process one notification (the raw query string); answers the body the route returns."""
    try:
        notice = parse_kickback(query)
    except GatewayAnswerError as error:
        logger.warning("kickback ignored: not a result notification (%s)", error.reason)
        return ACKNOWLEDGEMENT
    if notice.gid is None:
        logger.warning("kickback ignored: it names no payment (gid), cod %r", notice.order_ref)
        return ACKNOWLEDGEMENT
    try:
        record = _log_record(notice, notice.gid)
    except ValidationError:
        logger.warning("kickback ignored: fields out of range for gid %s", notice.gid)
        return ACKNOWLEDGEMENT
    log = context.deps.store.kickbacks
    recorded = await log.record(context.installation.id, record)
    if not recorded.first and recorded.notification.outcome != IN_FLIGHT:
        logger.info("kickback for gid %s (rst %s) seen before: nothing to do", notice.gid, record.result)
        return ACKNOWLEDGEMENT
    result = await _process(context, notice, notice.gid)
    await log.finish(
        recorded.notification.id, matched=result.matched, payment_id=result.payment_id, outcome=result.outcome
    )
    return ACKNOWLEDGEMENT


def _log_record(notice: KickbackNotification, gid: str) -> KickbackNotice:
    return KickbackNotice(
        psp_reference=gid,
        result="1" if notice.succeeded else "2",
        error_code=notice.error.code if notice.error else None,
        order_code=notice.order_code or None,
        shop_order_code=notice.order_ref or None,
        amount=notice.amount,
        tax_amount=notice.tax,
        shipping_amount=notice.shipping,
        total_amount=notice.total,
    )


async def _process(context: WebhookContext, notice: KickbackNotification, gid: str) -> KickbackOutcome:
    candidates = await _payments_with_gid(context, gid) or await _unresolved_with_order_ref(context, notice.order_ref)
    if not candidates:
        # The payment's own answer may have been recorded between the two reads above (it then left the
        # unresolved rows and gained this gid): look it up by gid once more before calling it unknown.
        candidates = await _payments_with_gid(context, gid)
    if len(candidates) != 1:
        what = "no payment" if not candidates else "several payments"
        logger.warning(
            "kickback for gid %s (cod %r) matches %s of this app: nothing changed; check the payment in the "
            "ROBOT PAYMENT control panel",
            gid,
            notice.order_ref,
            what,
        )
        return KickbackOutcome(matched=False, payment_id=None, outcome="unknown_payment")
    entry = candidates[0]
    mismatch = _mismatch(entry, notice, gid)
    if mismatch is not None:
        logger.warning(
            "kickback for gid %s does not match the app's payment %s (%s): nothing changed; check it in the "
            "ROBOT PAYMENT control panel",
            gid,
            entry.id,
            mismatch,
        )
        return KickbackOutcome(matched=False, payment_id=entry.id, outcome=f"mismatch:{mismatch}")
    ledger = context.deps.store.ledger
    if is_stale(entry, context.deps.clock()):
        # no live request can still be waiting for this answer (its process stopped mid-call): the outcome is
        # unknown, and this notification is what settles it
        entry = await _mark_unknown(ledger, entry)
    else:
        # the request may still be waiting for its own answer: let it settle first
        entry = await wait_until_settled(ledger, entry, wait_seconds=KICKBACK_WAIT_SECONDS)
    if entry.status is LedgerStatus.PENDING:
        logger.warning("kickback for gid %s: payment %s still in flight; a redelivery will settle it", gid, entry.id)
        return KickbackOutcome(matched=True, payment_id=entry.id, outcome=IN_FLIGHT)
    if entry.status is not LedgerStatus.UNKNOWN:
        agrees = (entry.status is LedgerStatus.SUCCEEDED) == notice.succeeded
        if not agrees:
            logger.warning(
                "kickback for gid %s says %s but the app recorded %s: nothing changed; check the payment in "
                "the ROBOT PAYMENT control panel",
                gid,
                "success" if notice.succeeded else "failure",
                entry.status.value,
            )
        return KickbackOutcome(matched=True, payment_id=entry.id, outcome="settled" if agrees else "disagrees")
    return await _resolve(context, entry, notice, gid)


async def _keep_card_saved_by_payment(
    context: WebhookContext, entry: LedgerEntry, notice: KickbackNotification
) -> None:
    """A bulk registration payment (the shopper's first saved card, registered with the charge) whose answer was
    lost: its kickback carries the uid, key and num the answer would have, so the card is kept as the answer
    would have kept it. Best effort: the payment stands either way (`recover` finds a card left behind)."""
    if not (notice.succeeded and notice.customer_id and notice.customer_key and notice.card_seq):
        return  # not a registration (a token or one-touch payment), or it failed
    if entry.customer_id is not None or entry.saleor_user_id is None or entry.channel_slug is None:
        return  # the app already had the customer, or the row predates payments remembering their payer
    installation = context.installation
    if notice.customer_id != gateway_customer_id_for(installation, entry.saleor_user_id):
        logger.warning("kickback for payment %s names another gateway customer: card not kept", entry.id)
        return
    config = await context.deps.store.channels.get(installation.id, entry.channel_slug)
    if config is None:
        logger.warning("kickback for payment %s: channel no longer configured; card not kept", entry.id)
        return
    shopper = Shopper(user_id=entry.saleor_user_id)
    try:
        card = await remember_registered_card(
            context, config, shopper, notice.customer_id, notice.customer_key, notice.card_seq
        )
    except (ValueError, StoreError) as error:
        logger.error("paid (settled by kickback), but the saved card could not be kept: %s", error)
        return
    logger.info("kickback for payment %s kept the card the payment saved (card %s)", entry.id, card.public_id)


async def _mark_unknown(ledger: PaymentLedger, entry: LedgerEntry) -> LedgerEntry:
    try:
        return await ledger.mark_unknown(
            entry.id, failure_reason="no outcome recorded: the app stopped while the call was in flight"
        )
    except LedgerTransitionError:  # settled meanwhile by its own request or another notification
        return await ledger.get(entry.id) or entry


async def _payments_with_gid(context: WebhookContext, gid: str) -> list[LedgerEntry]:
    entries = await context.deps.store.ledger.find_by_psp_reference(context.installation.id, gid)
    return [entry for entry in entries if entry.kind is LedgerKind.PAYMENT]


async def _unresolved_with_order_ref(context: WebhookContext, order_ref: str) -> list[LedgerEntry]:
    """Payments without a known gid (their answer was lost) that carry this `cod`."""
    if not order_ref:
        return []
    # every unknown row, and pending ones of any age (`pending_before` in the future)
    horizon = context.deps.clock() + timedelta(days=1)
    unresolved = await context.deps.store.ledger.list_unresolved(
        pending_before=horizon, installation_id=context.installation.id
    )
    return [
        entry
        for entry in unresolved
        if entry.kind is LedgerKind.PAYMENT and entry.shop_order_code == order_ref and entry.psp_reference is None
    ]


def _mismatch(entry: LedgerEntry, notice: KickbackNotification, gid: str) -> str | None:
    """Why the notification is not about this payment as the app sent it, or None."""
    if entry.psp_reference is not None and entry.psp_reference != gid:
        return "gid"
    if entry.shop_order_code != notice.order_ref:
        return "cod"
    if not notice.succeeded and not any((notice.amount, notice.tax, notice.shipping, notice.total)):
        return None  # failures may come with zero amounts (the official failure sample)
    if entry.tax_amount is None or entry.shipping_amount is None:
        # product mode: the catalogue sets am/tx/sf; what was charged in all must be what Saleor asked
        return None if notice.total == entry.amount else "amount"
    expected = ((entry.amount or 0) - entry.tax_amount - entry.shipping_amount, entry.tax_amount, entry.shipping_amount)
    return None if (notice.amount, notice.tax, notice.shipping) == expected else "amount"


def _answer_language(entry: LedgerEntry) -> Language:
    """The shopper's language, as the pending answer was written in (the kickback carries none)."""
    data = (entry.saleor_response or {}).get("data")
    error = data.get("error") if isinstance(data, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    english = PaymentStillPending("").shopper_text(Language.EN)
    return Language.EN if message == english else Language.JA


async def _resolve(
    context: WebhookContext, entry: LedgerEntry, notice: KickbackNotification, gid: str
) -> KickbackOutcome:
    """Settle an unknown payment from a matching notification, then report it to Saleor."""
    ledger = context.deps.store.ledger
    known_as = (entry.saleor_response or {}).get("pspReference")
    reference = known_as if isinstance(known_as, str) and known_as else gid
    amount = Decimal(entry.amount or 0)
    outcome: SessionOutcome
    if notice.succeeded:
        outcome = Paid(gid, amount, card=UNKNOWN_CARD, note=f"settled by kickback: gid {gid}", reference=reference)
    else:
        outcome = Declined(notice.error or lookup_error(""), amount, gid=gid, reference=reference)
    family = ResultFamily.of(entry.job_type)
    answer = session_answer(family, outcome, _answer_language(entry))
    try:
        await ledger.complete(
            entry.id,
            status=LedgerStatus.SUCCEEDED if notice.succeeded else LedgerStatus.DECLINED,
            psp_reference=gid,
            order_code=notice.order_code or None,
            approval_number=notice.approval_number or None,
            error_code=notice.error.code if notice.error and not notice.succeeded else None,
            saleor_response=answer.to_json(),
        )
    except LedgerTransitionError:
        logger.info("kickback for gid %s: payment %s was settled meanwhile", gid, entry.id)
        return KickbackOutcome(matched=True, payment_id=entry.id, outcome="settled")
    logger.info("kickback settled payment %s (gid %s) as %s", entry.id, gid, answer.RESULT)
    await _keep_card_saved_by_payment(context, entry, notice)
    if entry.saleor_transaction_id is None:
        return KickbackOutcome(matched=True, payment_id=entry.id, outcome="resolved_without_transaction")
    try:
        await context.deps.saleor(context.installation).transaction_event_report(
            transaction_id=entry.saleor_transaction_id,
            psp_reference=reference,
            event_type=answer.RESULT,
            amount=amount,
            message=answer.message,
            available_actions=answer.ACTIONS,
            payment_method_details=answer.payment_method_details,
        )
    except SaleorApiError as error:
        logger.error(
            "payment %s settled by kickback but not reported to Saleor (%s); TRANSACTION_PROCESS_SESSION or the "
            "recover command will tell it",
            entry.id,
            error,
        )
        return KickbackOutcome(matched=True, payment_id=entry.id, outcome="resolved_not_reported")
    return KickbackOutcome(matched=True, payment_id=entry.id, outcome="resolved")

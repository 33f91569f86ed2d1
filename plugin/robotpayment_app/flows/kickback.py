"""The gateway's result notification (kickback): a claim about a payment, checked and recorded, never proof.

Nothing signs a notification and no source addresses are published: whoever holds the URL can send any claim.
The spec describes notifications only for `rt=0` calls (the app sends `rt=1`), so the app never waits for one;
when one comes it is handled thus:

1. **Record → process → finish.** The notification is kept (a redelivery of the same content is the same row);
   one delivery at a time processes it; only a finished one is "seen before". A delivery whose processing
   failed (crash, exception, database down) leaves it unfinished, and the next delivery processes it again.
2. **Matched to the ledger** by `gid`, else by `cod`: a notification about no payment of this app changes
   nothing. The first notification for a payment becomes its claim.
3. **Checked.** gid, cod, aid (where sent), the amounts and the result must agree with the ledger, and every
   later notification for the payment with the first. Any disagreement freezes the payment *in conflict*:
   nothing more is reported to Saleor, and the merchant is told; a person settles it (`flows/resolution.py`).
4. **Held, then settled.** A first claim that agrees may settle a payment whose outcome is unknown, once it has
   been held `notification_hold` without a contradiction (`flows/unresolved_watch.py` settles it later when the
   hold has not passed yet). It never creates, raises or reverses money: it only fills in the outcome of a
   call the app made, and a payment its own answer settled is only compared with it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from pydantic import ValidationError

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.customers import Shopper, gateway_customer_id_for, remember_registered_card
from robotpayment_app.flows.ledger_runs import is_stale, wait_until_settled
from robotpayment_app.flows.payment_answers import (
    UNKNOWN_CARD,
    Declined,
    Paid,
    ResultFamily,
    SessionOutcome,
    session_answer,
)
from robotpayment_app.flows.settlement import CONTROL_PANEL, answer_language, card_of, known_reference, tell_saleor
from robotpayment_app.gateway import (
    CustomerLookup,
    GatewayAnswerError,
    GatewayError,
    KickbackNotification,
    lookup_error,
    parse_kickback,
)
from robotpayment_app.store.errors import LedgerTransitionError, StoreError
from robotpayment_app.store.records import (
    KickbackNotice,
    LedgerEntry,
    LedgerKind,
    LedgerStatus,
    NotificationState,
    SettledBy,
)
from robotpayment_app.store.records import KickbackNotification as LoggedNotification

logger = logging.getLogger(__name__)

ACKNOWLEDGEMENT = "ok"  # the gateway counts a notification as delivered when the body is not empty
# How long a notification waits for a payment still in flight to get its own answer (the request waits for the
# gateway up to the configured total, 15 s by default), so that it is compared with the answer, not held.
KICKBACK_WAIT_SECONDS = 20.0
# A delivery processing a notification holds it this long; a redelivery after that (its process died) takes over.
PROCESSING_LEASE = timedelta(seconds=KICKBACK_WAIT_SECONDS + 20)
# A redelivery while another delivery processes the same notification waits this long for it, then asks the
# gateway to deliver it again later (503).
DUPLICATE_WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Verdict:
    """What processing a notification concluded, as kept in the kickback log."""

    state: NotificationState
    outcome: str
    payment_id: int | None = None


async def receive_kickback(context: WebhookContext, query: str) -> bool:
    """Process one notification (the raw query string). True: processed or judged irrelevant (answer `ok`);
    False: another delivery of it is still being processed (answer 503, the gateway delivers it again).
    Failures of the app itself raise: the route answers 5xx, and the notification stays unfinished."""
    try:
        notice = parse_kickback(query)
    except GatewayAnswerError as error:
        logger.warning("kickback ignored: not a result notification (%s)", error.reason)
        return True
    if notice.gid is None:
        logger.warning("kickback ignored: it names no payment (gid), cod %r", notice.order_ref[:64])
        return True
    try:
        record = _log_record(notice, notice.gid)
    except ValidationError as error:
        fields = ", ".join(sorted({str(detail["loc"][0]) for detail in error.errors() if detail.get("loc")}))
        logger.warning("kickback ignored: fields out of range (%s) for gid %s", fields or "?", notice.gid)
        return True
    log = context.deps.store.kickbacks
    recorded = await log.record(context.installation.id, record)
    notification = recorded.notification
    if notification.processed_at is not None:
        logger.info("kickback #%s (gid %s) seen before: nothing to do", notification.id, notice.gid)
        return True
    if not await log.take(notification.id, lease=PROCESSING_LEASE):
        return await _wait_for_other_delivery(context, notification.id)
    try:
        verdict = await _process(context, notice, notification)
    except BaseException:
        await _release(context, notification.id)
        raise
    finished = await log.finish(
        notification.id,
        state=verdict.state,
        matched=verdict.payment_id is not None,
        payment_id=verdict.payment_id,
        outcome=verdict.outcome,
    )
    if finished.state is NotificationState.HELD:
        try:
            await settle_held_claim(context, finished)
        except Exception:  # processing is finished and kept: the watch settles the claim later
            logger.exception("kickback #%s: held, but settling it failed; the app tries again", notification.id)
    return True


async def _wait_for_other_delivery(context: WebhookContext, notification_id: int) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DUPLICATE_WAIT_SECONDS
    while loop.time() < deadline:
        await asyncio.sleep(POLL_SECONDS)
        current = await context.deps.store.kickbacks.get(notification_id)
        if current is None or current.processed_at is not None:
            return True
    logger.info("kickback #%s: another delivery is still processing it; asked for it again later", notification_id)
    return False


async def _release(context: WebhookContext, notification_id: int) -> None:
    try:
        await context.deps.store.kickbacks.release(notification_id)
    except Exception:  # the database may be what failed: the lease then simply runs out
        logger.warning(
            "kickback #%s: could not release it after a failure; it is retried once its lease ends", notification_id
        )


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
        store_id=notice.store_id,
        customer_id=notice.customer_id,
        card_seq=notice.card_seq,
        fingerprint=notice.fingerprint,
    )


# ---- matching and checking ------------------------------------------------------------------------------


async def _payment_of(context: WebhookContext, notice: KickbackNotification, gid: str) -> LedgerEntry | None:
    """The app's payment the notification is about: the one with its gid, else the one with its cod."""
    ledger = context.deps.store.ledger
    installation_id = context.installation.id
    by_gid = [e for e in await ledger.find_by_psp_reference(installation_id, gid) if e.kind is LedgerKind.PAYMENT]
    if by_gid:
        return by_gid[0]
    if not notice.order_ref:
        return None
    by_cod = await ledger.find_payments_by_order_ref(installation_id, notice.order_ref)
    return by_cod[0] if len(by_cod) == 1 else None


def _amounts_disagree(entry: LedgerEntry, notice: LoggedNotification) -> bool:
    if not notice.succeeded and not any(
        (notice.amount, notice.tax_amount, notice.shipping_amount, notice.total_amount)
    ):
        return False  # failures may come with zero amounts (the official failure sample)
    if entry.tax_amount is None or entry.shipping_amount is None:
        # product mode: the catalogue sets am/tx/sf; what was charged in all must be what Saleor asked
        return notice.total_amount != entry.amount
    expected = ((entry.amount or 0) - entry.tax_amount - entry.shipping_amount, entry.tax_amount, entry.shipping_amount)
    return (notice.amount, notice.tax_amount, notice.shipping_amount) != expected


def _disagreement_with_ledger(entry: LedgerEntry, notice: LoggedNotification) -> str | None:
    """Why the notification is not about this payment as the app sent it and knows it, or None."""
    if entry.psp_reference is not None and entry.psp_reference != notice.psp_reference:
        return f"gid {notice.psp_reference}, but the payment's gid is {entry.psp_reference}"
    if entry.shop_order_code != notice.shop_order_code:
        return "another order code (cod)"
    if notice.store_id is not None and entry.store_id is not None and notice.store_id != entry.store_id:
        return f"store id (aid) {notice.store_id}, but the payment was made as {entry.store_id}"
    if _amounts_disagree(entry, notice):
        return "other amounts than the payment's"
    if entry.status is LedgerStatus.FAILED_BEFORE_SEND:
        return "the payment was never sent"
    if entry.status in (LedgerStatus.SUCCEEDED, LedgerStatus.DECLINED):
        known = entry.status is LedgerStatus.SUCCEEDED
        if known != notice.succeeded:
            said = "success" if notice.succeeded else "failure"
            return f"{said}, but the app recorded {entry.status.value} ({_settled_how(entry)})"
    return None


def _disagreement_between(first: LoggedNotification, later: LoggedNotification) -> str | None:
    """Why a later notification contradicts the payment's first one, or None (the same claim, resent)."""
    if later.psp_reference != first.psp_reference:
        return f"gid {later.psp_reference}, but the first notification #{first.id} said gid {first.psp_reference}"
    if later.result != first.result:
        return f"result {later.result}, but the first notification #{first.id} said {first.result}"
    amounts = ("amount", "tax_amount", "shipping_amount", "total_amount")
    if any(getattr(later, name) != getattr(first, name) for name in amounts):
        return f"other amounts than the first notification #{first.id}"
    if later.shop_order_code != first.shop_order_code:
        return f"another order code (cod) than the first notification #{first.id}"
    return None


_SETTLED_HOW = {
    SettledBy.ANSWER: "from the gateway's answer",
    SettledBy.NOTIFICATION: "from an earlier notification",
    SettledBy.STAFF: "by a person",
}


def _settled_how(entry: LedgerEntry) -> str:
    return _SETTLED_HOW.get(entry.settled_by, "unsettled") if entry.settled_by else "unsettled"


async def _process(context: WebhookContext, notice: KickbackNotification, notification: LoggedNotification) -> Verdict:
    gid = notification.psp_reference
    entry = await _payment_of(context, notice, gid)
    if entry is None:
        logger.warning(
            "kickback #%s for gid %s (cod %r) matches no payment of this app: nothing changed; check it in %s",
            notification.id,
            gid,
            notification.shop_order_code,
            CONTROL_PANEL,
        )
        return Verdict(NotificationState.IGNORED, "unknown_payment")
    settlements = context.deps.store.settlements
    first = await settlements.attach_claim(entry.id, notification.id)
    entry = await context.deps.store.ledger.get(entry.id) or entry
    first = first or entry.claim_id == notification.id
    reason = _disagreement_with_ledger(entry, notification)
    if not first and reason is None and entry.claim_id is not None:
        earlier = await context.deps.store.kickbacks.get(entry.claim_id)
        if earlier is not None:
            reason = _disagreement_between(earlier, notification)
    if reason is not None:
        return await _conflict(context, entry, notification, reason)
    if not first:
        return Verdict(NotificationState.CONFIRMED, f"agrees with the first notification #{entry.claim_id}", entry.id)
    if entry.status is LedgerStatus.PENDING and not is_stale(entry, context.deps.clock()):
        # the request may still be waiting for its own answer: compare with that rather than hold
        entry = await wait_until_settled(context.deps.store.ledger, entry, wait_seconds=KICKBACK_WAIT_SECONDS)
        reason = _disagreement_with_ledger(entry, notification)
        if reason is not None:
            return await _conflict(context, entry, notification, reason)
    if entry.status in (LedgerStatus.SUCCEEDED, LedgerStatus.DECLINED):
        return Verdict(NotificationState.CONFIRMED, f"agrees with what was recorded {_settled_how(entry)}", entry.id)
    logger.info("kickback #%s for gid %s: held as the claim of payment %s", notification.id, gid, entry.id)
    return Verdict(NotificationState.HELD, "held: the payment's first claim, agreeing with the ledger", entry.id)


async def _conflict(
    context: WebhookContext, entry: LedgerEntry, notification: LoggedNotification, reason: str
) -> Verdict:
    """Freeze the payment: notifications disagree with each other or with the ledger."""
    log = context.deps.store.kickbacks
    if entry.settled_by is SettledBy.STAFF:
        logger.warning(
            "kickback #%s disagrees with payment %s, which a person resolved (%s): their decision stands",
            notification.id,
            entry.id,
            reason,
        )
        return Verdict(NotificationState.CONFLICT, f"conflict (resolved by a person): {reason}", entry.id)
    _, froze = await context.deps.store.settlements.flag_conflict(
        entry.id, f"notification #{notification.id}: {reason}"
    )
    if entry.claim_id is not None and entry.claim_id != notification.id:
        held = await log.get(entry.claim_id)
        if held is not None and held.state is NotificationState.HELD:
            await log.set_state(held.id, NotificationState.CONFLICT, f"frozen by notification #{notification.id}")
    if froze:
        logger.warning(
            "payment %s (transaction %s) is frozen in conflict: notification #%s says %s. Nothing more is reported "
            "to Saleor. Look the payment up in %s (order code %s) and resolve it: robotpayment-app payments resolve "
            "%s, or the app's configuration page. If no genuine notification explains this, the kickback URL may "
            "have leaked: rotate it there.",
            entry.id,
            entry.saleor_transaction_id,
            notification.id,
            reason,
            CONTROL_PANEL,
            entry.shop_order_code,
            entry.id,
        )
    return Verdict(NotificationState.CONFLICT, f"conflict: {reason}", entry.id)


# ---- settling held claims ----------------------------------------------------------------------------------


async def settle_held_claim(context: WebhookContext, notification: LoggedNotification) -> NotificationState:
    """Look at a held claim again: settle its payment once the hold has passed without contradiction and the
    outcome is still unknown; compare it when the payment was settled meanwhile. Returns its state now."""
    log = context.deps.store.kickbacks
    ledger = context.deps.store.ledger
    entry = await ledger.get(notification.payment_id) if notification.payment_id is not None else None
    if entry is None:
        await log.set_state(notification.id, NotificationState.IGNORED, "its payment no longer exists")
        return NotificationState.IGNORED
    if entry.conflict_at is not None:
        await log.set_state(notification.id, NotificationState.CONFLICT, "its payment is frozen in conflict")
        return NotificationState.CONFLICT
    now = context.deps.clock()
    if entry.status is LedgerStatus.PENDING:
        if not is_stale(entry, now):
            return NotificationState.HELD  # still in flight: its own answer may come
        entry = await _mark_unknown(context, entry)
    reason = _disagreement_with_ledger(entry, notification)
    if reason is not None:
        verdict = await _conflict(context, entry, notification, reason)
        await log.set_state(notification.id, verdict.state, verdict.outcome)
        return verdict.state
    if entry.status is not LedgerStatus.UNKNOWN:
        await log.set_state(
            notification.id, NotificationState.CONFIRMED, f"agrees with what was recorded {_settled_how(entry)}"
        )
        return NotificationState.CONFIRMED
    if now < notification.received_at + context.deps.settlement_policy.notification_hold:
        return NotificationState.HELD
    return await _apply(context, entry, notification)


async def _apply(context: WebhookContext, entry: LedgerEntry, notification: LoggedNotification) -> NotificationState:
    gid = notification.psp_reference
    reference = known_reference(entry, gid)
    amount = Decimal(entry.amount or 0)
    outcome: SessionOutcome
    if notification.succeeded:
        note = f"settled by ROBOT PAYMENT's result notification (gid {gid}), not by the gateway's answer"
        card = await card_of(context, entry) or UNKNOWN_CARD
        outcome = Paid(gid, amount, card=card, note=note, reference=reference)
    else:
        outcome = Declined(lookup_error(notification.error_code or ""), amount, gid=gid, reference=reference)
    answer = session_answer(ResultFamily.of(entry.job_type), outcome, answer_language(entry))
    try:
        settled = await context.deps.store.settlements.settle_by_claim(
            entry.id,
            notification.id,
            status=LedgerStatus.SUCCEEDED if notification.succeeded else LedgerStatus.DECLINED,
            psp_reference=gid,
            order_code=notification.order_code,
            approval_number=None,
            error_code=notification.error_code if not notification.succeeded else None,
            saleor_response=answer.to_json(),
        )
    except LedgerTransitionError:
        # settled, frozen or answered meanwhile: look again from what is there now
        current = await context.deps.store.kickbacks.get(notification.id)
        if current is None or current.state is not NotificationState.HELD:
            return current.state if current else NotificationState.IGNORED
        fresh = await context.deps.store.ledger.get(entry.id)
        if fresh is None or fresh.status is LedgerStatus.UNKNOWN:
            return NotificationState.HELD
        return await settle_held_claim(context, current)
    await context.deps.store.kickbacks.set_state(
        notification.id, NotificationState.APPLIED, f"settled payment {entry.id} as {answer.RESULT}"
    )
    logger.warning(
        "payment %s (gid %s) settled as %s by a result notification, not by the gateway's answer",
        entry.id,
        gid,
        answer.RESULT,
    )
    await _keep_card_saved_by_payment(context, settled, notification)
    await tell_saleor(context, settled)
    return NotificationState.APPLIED


async def _mark_unknown(context: WebhookContext, entry: LedgerEntry) -> LedgerEntry:
    ledger = context.deps.store.ledger
    try:
        return await ledger.mark_unknown(
            entry.id, failure_reason="no outcome recorded: the app stopped while the call was in flight"
        )
    except LedgerTransitionError:  # settled meanwhile by its own request
        return await ledger.get(entry.id) or entry


async def _keep_card_saved_by_payment(
    context: WebhookContext, entry: LedgerEntry, notification: LoggedNotification
) -> None:
    """A bulk registration payment (the shopper's first saved card, registered with the charge) whose answer was
    lost: the notification names the uid and num the answer would have; the key is read from the gateway itself
    (cmd 3), so the card is kept only if the gateway knows that customer. Best effort: the payment stands either
    way (`recover` finds a card left behind)."""
    uid, num = notification.customer_id, notification.card_seq
    if not (notification.succeeded and uid and num):
        return  # not a registration (a token or one-touch payment), or it failed
    if entry.customer_id is not None or entry.saleor_user_id is None or entry.channel_slug is None:
        return  # the app already had the customer, or the row predates payments remembering their payer
    installation = context.installation
    if uid != gateway_customer_id_for(installation, entry.saleor_user_id):
        logger.warning("notification for payment %s names another gateway customer: card not kept", entry.id)
        return
    config = await context.deps.store.channels.get(installation.id, entry.channel_slug)
    if config is None:
        logger.warning("payment %s: channel no longer configured; the card it saved is not kept", entry.id)
        return
    try:
        customer = await context.deps.gateway(config.gateway_base_url).read_customer(
            CustomerLookup(store_id=config.store_id, customer_id=uid)
        )
        if not customer.succeeded or not customer.customer_key:
            raise ValueError("the gateway does not know this customer")
        card = await remember_registered_card(
            context, config, Shopper(user_id=entry.saleor_user_id), uid, customer.customer_key, num
        )
    except (GatewayError, ValueError, StoreError) as error:
        logger.error("payment %s settled, but the card it saved could not be kept (%s); run recover", entry.id, error)
        return
    logger.info("payment %s: kept the card it saved (card %s)", entry.id, card.public_id)

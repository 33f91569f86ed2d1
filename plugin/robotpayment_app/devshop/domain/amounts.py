"""Pure money calculations: transaction amounts from events, and payment statuses.

The transaction rules follow Saleor's: events are grouped by (action, pspReference); a request
counts as pending until a success or failure with the same pspReference arrives; a success
counts unless a newer failure with the same pspReference exists; charges move money out of
the authorized amount, refunds out of the charged amount, cancels out of the authorized amount;
events without a pspReference count directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from .records import Checkout, TransactionAmounts, TransactionEvent
from .records import TransactionEventType as T

_ZERO = Decimal(0)

_GROUP_OF: dict[T, tuple[str, str]] = {
    T.AUTHORIZATION_REQUEST: ("authorization", "request"),
    T.AUTHORIZATION_SUCCESS: ("authorization", "success"),
    T.AUTHORIZATION_FAILURE: ("authorization", "failure"),
    T.AUTHORIZATION_ADJUSTMENT: ("authorization", "adjustment"),
    T.CHARGE_REQUEST: ("charge", "request"),
    T.CHARGE_SUCCESS: ("charge", "success"),
    T.CHARGE_FAILURE: ("charge", "failure"),
    T.CHARGE_BACK: ("charge", "back"),
    T.REFUND_REQUEST: ("refund", "request"),
    T.REFUND_SUCCESS: ("refund", "success"),
    T.REFUND_FAILURE: ("refund", "failure"),
    T.REFUND_REVERSE: ("refund", "reverse"),
    T.CANCEL_REQUEST: ("cancel", "request"),
    T.CANCEL_SUCCESS: ("cancel", "success"),
    T.CANCEL_FAILURE: ("cancel", "failure"),
}


@dataclass
class _Group:
    slots: dict[str, TransactionEvent] = field(default_factory=dict)


def _success_counts(group: _Group) -> bool:
    success = group.slots.get("success")
    failure = group.slots.get("failure")
    if success is None:
        return False
    return failure is None or success.created_at > failure.created_at


def _pending(group: _Group) -> Decimal:
    request = group.slots.get("request")
    if request is None or "success" in group.slots or "failure" in group.slots:
        return _ZERO
    return request.amount


def _apply_without_psp_reference(amounts: TransactionAmounts, event: TransactionEvent) -> None:
    kind = event.type
    if kind is T.AUTHORIZATION_SUCCESS:
        amounts.authorized += event.amount
    elif kind is T.AUTHORIZATION_ADJUSTMENT:
        amounts.authorized = event.amount
    elif kind is T.CHARGE_SUCCESS:
        amounts.charged += event.amount
    elif kind is T.CHARGE_BACK:
        amounts.charged -= event.amount
    elif kind is T.REFUND_SUCCESS:
        amounts.refunded += event.amount
    elif kind is T.REFUND_REVERSE:
        amounts.charged += event.amount
    elif kind is T.CANCEL_SUCCESS:
        amounts.canceled += event.amount


def compute_transaction_amounts(events: Iterable[TransactionEvent]) -> TransactionAmounts:
    """Amounts of a transaction from its events (only those included in calculations)."""
    counted = sorted((e for e in events if e.include_in_calculations), key=lambda e: (e.created_at, e.pk))
    authorization = [e for e in counted if _GROUP_OF.get(e.type, ("", ""))[0] == "authorization"]
    adjustments = [i for i, e in enumerate(authorization) if e.type is T.AUTHORIZATION_ADJUSTMENT]
    if adjustments:
        # the newest adjustment overrides every older authorization event
        authorization = authorization[adjustments[-1] :]
    others = [e for e in counted if _GROUP_OF.get(e.type, ("", ""))[0] != "authorization"]

    amounts = TransactionAmounts()
    groups: dict[tuple[str, str], _Group] = {}
    for event in [*authorization, *others]:
        if not event.psp_reference or event.type not in _GROUP_OF:
            _apply_without_psp_reference(amounts, event)
            continue
        action, slot = _GROUP_OF[event.type]
        groups.setdefault((action, event.psp_reference), _Group()).slots[slot] = event

    for (action, _), group in groups.items():
        success = group.slots.get("success")
        counts = _success_counts(group)
        if action == "authorization":
            if "adjustment" in group.slots:
                amounts.authorized = group.slots["adjustment"].amount
            amounts.authorize_pending += _pending(group)
            if counts and success is not None:
                amounts.authorized += success.amount
    for (action, _), group in groups.items():
        if action == "authorization":
            continue
        success = group.slots.get("success")
        counts = _success_counts(group)
        pending = _pending(group)
        moved = success.amount if counts and success is not None else _ZERO
        if action == "charge":
            if "back" in group.slots:
                amounts.charged -= group.slots["back"].amount
            amounts.charge_pending += pending
            amounts.charged += moved
            amounts.authorized -= pending + moved
        elif action == "refund":
            if "reverse" in group.slots:
                reverse = group.slots["reverse"].amount
                amounts.charged += reverse
                amounts.refunded -= reverse
            amounts.refund_pending += pending
            amounts.refunded += moved
            amounts.charged -= pending + moved
        elif action == "cancel":
            amounts.cancel_pending += pending
            amounts.canceled += moved
            amounts.authorized -= pending + moved

    amounts.authorized = max(amounts.authorized, _ZERO)
    amounts.authorize_pending = max(amounts.authorize_pending, _ZERO)
    return amounts


ChargeStatus = Literal["NONE", "PARTIAL", "FULL", "OVERCHARGED"]
AuthorizeStatus = Literal["NONE", "PARTIAL", "FULL"]


def charge_status(total: Decimal, transactions: Sequence[TransactionAmounts]) -> ChargeStatus:
    charged = sum((t.charged for t in transactions), _ZERO)
    if charged > total:
        return "OVERCHARGED"
    if charged == total:
        return "FULL"
    return "PARTIAL" if charged > 0 else "NONE"


def authorize_status(total: Decimal, transactions: Sequence[TransactionAmounts]) -> AuthorizeStatus:
    covered = sum((t.authorized + t.charged for t in transactions), _ZERO)
    if covered >= total:
        return "FULL"
    return "PARTIAL" if covered > 0 else "NONE"


def amount_still_to_pay(total: Decimal, transactions: Sequence[TransactionAmounts]) -> Decimal:
    """What paymentGatewayInitialize/transactionInitialize use when no amount is given."""
    covered = sum((t.authorized + t.charged + t.authorize_pending + t.charge_pending for t in transactions), _ZERO)
    return max(total - covered, _ZERO)


def checkout_total(checkout: Checkout) -> Decimal:
    """The devshop has no shipping, taxes or discounts: the total is the sum of the lines."""
    return sum((line.unit_price * line.quantity for line in checkout.lines), _ZERO)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's precision as Saleor does (JPY: whole yen)."""
    places = Decimal(1) if currency == "JPY" else Decimal("0.01")
    return amount.quantize(places, rounding=ROUND_HALF_UP)

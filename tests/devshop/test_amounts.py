"""Transaction amounts and payment statuses computed from events, as Saleor computes them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from robotpayment_app.devshop.domain.amounts import (
    amount_still_to_pay,
    authorize_status,
    charge_status,
    compute_transaction_amounts,
    quantize,
)
from robotpayment_app.devshop.domain.records import TransactionAmounts, TransactionEvent
from robotpayment_app.devshop.domain.records import TransactionEventType as T

_T0 = datetime(2026, 11, 28, tzinfo=UTC)
_TOKEN = uuid.uuid4()


def event(pk: int, kind: T, amount: int, psp: str = "p1", *, counted: bool = True) -> TransactionEvent:
    return TransactionEvent(
        pk=pk,
        transaction_token=_TOKEN,
        type=kind,
        amount=Decimal(amount),
        currency="JPY",
        psp_reference=psp,
        created_at=_T0 + timedelta(seconds=pk),
        include_in_calculations=counted,
    )


def test_a_charge_success_is_charged() -> None:
    amounts = compute_transaction_amounts(
        [event(1, T.CHARGE_REQUEST, 3500, counted=False), event(2, T.CHARGE_SUCCESS, 3500)]
    )
    assert (amounts.charged, amounts.charge_pending, amounts.authorized) == (3500, 0, 0)


def test_a_counted_request_without_result_is_pending() -> None:
    amounts = compute_transaction_amounts([event(1, T.CHARGE_REQUEST, 3500)])
    assert (amounts.charged, amounts.charge_pending) == (0, 3500)


def test_action_required_moves_no_money() -> None:
    amounts = compute_transaction_amounts(
        [event(1, T.CHARGE_REQUEST, 3500, counted=False), event(2, T.CHARGE_ACTION_REQUIRED, 3500)]
    )
    assert amounts == TransactionAmounts()


def test_charging_an_authorization_moves_it_to_charged() -> None:
    amounts = compute_transaction_amounts(
        [
            event(1, T.AUTHORIZATION_SUCCESS, 3500),
            event(2, T.CHARGE_REQUEST, 3500),
            event(3, T.CHARGE_SUCCESS, 3500),
        ]
    )
    assert (amounts.authorized, amounts.charged, amounts.charge_pending) == (0, 3500, 0)


def test_a_partial_refund_leaves_the_rest_charged() -> None:
    amounts = compute_transaction_amounts(
        [
            event(1, T.CHARGE_SUCCESS, 3500),
            event(2, T.REFUND_REQUEST, 1500, "r1"),
            event(3, T.REFUND_SUCCESS, 1500, "r1"),
        ]
    )
    assert (amounts.charged, amounts.refunded, amounts.refund_pending) == (2000, 1500, 0)


def test_a_pending_refund_is_already_taken_from_charged() -> None:
    amounts = compute_transaction_amounts([event(1, T.CHARGE_SUCCESS, 3500), event(2, T.REFUND_REQUEST, 1000, "r1")])
    assert (amounts.charged, amounts.refund_pending) == (2500, 1000)


def test_a_cancel_releases_the_authorization() -> None:
    amounts = compute_transaction_amounts([event(1, T.AUTHORIZATION_SUCCESS, 2000), event(2, T.CANCEL_SUCCESS, 2000)])
    assert (amounts.authorized, amounts.canceled) == (0, 2000)


def test_a_newer_failure_cancels_a_success_with_the_same_reference() -> None:
    amounts = compute_transaction_amounts([event(1, T.CHARGE_SUCCESS, 3500), event(2, T.CHARGE_FAILURE, 3500)])
    assert amounts.charged == 0
    amounts = compute_transaction_amounts([event(1, T.CHARGE_FAILURE, 3500), event(2, T.CHARGE_SUCCESS, 3500)])
    assert amounts.charged == 3500


def test_failure_events_saleor_adds_itself_do_not_count() -> None:
    amounts = compute_transaction_amounts(
        [event(1, T.CHARGE_SUCCESS, 3500), event(2, T.CHARGE_FAILURE, 3500, counted=False)]
    )
    assert amounts.charged == 3500


def test_an_adjustment_replaces_older_authorizations() -> None:
    amounts = compute_transaction_amounts(
        [event(1, T.AUTHORIZATION_SUCCESS, 3500), event(2, T.AUTHORIZATION_ADJUSTMENT, 3000, "p2")]
    )
    assert amounts.authorized == 3000


def test_events_without_reference_count_directly() -> None:
    amounts = compute_transaction_amounts([event(1, T.CHARGE_SUCCESS, 1000, ""), event(2, T.CHARGE_SUCCESS, 500, "")])
    assert amounts.charged == 1500


def test_statuses_and_what_is_left_to_pay() -> None:
    half = TransactionAmounts(charged=Decimal(1500))
    full = TransactionAmounts(charged=Decimal(3500))
    authorized = TransactionAmounts(authorized=Decimal(3500))
    assert charge_status(Decimal(3500), []) == "NONE"
    assert charge_status(Decimal(3500), [half]) == "PARTIAL"
    assert charge_status(Decimal(3500), [full]) == "FULL"
    assert charge_status(Decimal(3500), [full, half]) == "OVERCHARGED"
    assert authorize_status(Decimal(3500), [authorized]) == "FULL"
    assert authorize_status(Decimal(3500), [half]) == "PARTIAL"
    assert amount_still_to_pay(Decimal(3500), [half]) == 2000
    assert amount_still_to_pay(Decimal(3500), [full, half]) == 0


def test_yen_amounts_are_whole() -> None:
    assert quantize(Decimal("3500.5"), "JPY") == Decimal(3501)
    assert quantize(Decimal("3500.4"), "JPY") == Decimal(3500)

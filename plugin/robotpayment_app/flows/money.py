"""Amounts: the gateway takes whole yen only."""

from __future__ import annotations

from decimal import Decimal

from robotpayment_app.flows.errors import UnsupportedAmount

CURRENCY = "JPY"


def yen(amount: Decimal, currency: str | None) -> int:
    """A positive whole-yen amount, or `UnsupportedAmount` naming the rule it breaks."""
    if (currency or "").upper() != CURRENCY:
        raise UnsupportedAmount(f"currency must be JPY, got {currency!r}")
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise UnsupportedAmount(f"must be a whole number of yen, got {amount}")
    if amount <= 0:
        raise UnsupportedAmount(f"must be positive, got {amount}")
    return int(amount)

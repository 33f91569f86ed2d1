"""Amounts: the gateway takes whole yen only, and at most `MAX_YEN` in one payment.

The spec gives am/tx/sf as 半角数字 without a length and names ER018 (above the maximum amount) among its
errors; card payments in Japan are bounded by 7-digit amounts, and the store's contract may set a lower limit
(the gateway answers ER018 then). Anything above is refused before it is recorded or sent, so that an absurd
amount (1e20 from a hostile payload) never reaches the database or the gateway.
"""

from __future__ import annotations

from decimal import Decimal

from robotpayment_app.flows.errors import AmountAboveGatewayMaximum, UnsupportedAmount

CURRENCY = "JPY"
MAX_YEN = 9_999_999


def yen(amount: Decimal, currency: str | None) -> int:
    """A positive whole-yen amount, or `UnsupportedAmount` naming the rule it breaks."""
    if (currency or "").upper() != CURRENCY:
        raise UnsupportedAmount(f"currency must be JPY, got {currency!r}")
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise UnsupportedAmount(f"must be a whole number of yen, got {amount}")
    if amount <= 0:
        raise UnsupportedAmount(f"must be positive, got {amount}")
    if amount > MAX_YEN:
        raise AmountAboveGatewayMaximum(amount, MAX_YEN)
    return int(amount)

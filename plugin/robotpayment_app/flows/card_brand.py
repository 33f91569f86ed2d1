"""The card brand a storefront may send with a token (`data.brand`): the gateway never tells it (its card read
gives only `*****1111` and the expiry), the shopper's browser knows it from the number's prefix in customize
mode. Not sensitive; used only to name and describe the card. One rule for every event that accepts it.
"""

from __future__ import annotations

CARD_BRANDS = ("VISA", "MASTERCARD", "JCB", "AMEX", "DINERS")
BRAND_RULE = "one of " + ", ".join(CARD_BRANDS) + " (any case)"


class UnknownCardBrand(ValueError):
    """Not one of `CARD_BRANDS` (a ValueError so that pydantic reports it as the field's rule)."""

    def __init__(self) -> None:
        super().__init__(BRAND_RULE)


def card_brand(value: object) -> str | None:
    """`data.brand` as kept: None when absent, a known brand in upper case; `UnknownCardBrand` otherwise."""
    if value is None:
        return None
    if isinstance(value, str) and value.isascii() and value.upper() in CARD_BRANDS:
        return value.upper()
    raise UnknownCardBrand()

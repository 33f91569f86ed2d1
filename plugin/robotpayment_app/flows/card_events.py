"""What the saved-card events share: payload parsing, the storefront's tokenization `data`, shopper messages.

The saved-card payloads carry no language, so shopper messages are Japanese followed by English.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from robotpayment_app.flows.card_brand import UnknownCardBrand, card_brand
from robotpayment_app.flows.context import JsonObject
from robotpayment_app.flows.errors import ChannelNotConfigured, FlowError, GatewayRefused, InvalidPaymentData
from robotpayment_app.flows.language import Language
from robotpayment_app.gateway import Fixer
from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from robotpayment_app.saleor.payloads import EventEnvelope, bare_stored_method_id, parse_payload

EventT = TypeVar("EventT", bound=EventEnvelope)


def parse_event(model: type[EventT], payload: JsonObject) -> EventT:
    """The verified payload as its typed model; `InvalidPayload` names each bad field (never a value)."""
    return parse_payload(model, json.dumps(dict(payload)))


def has_user(payload: JsonObject) -> bool:
    """Saleor sends `user: null` for anonymous callers (and when it withholds the user)."""
    return isinstance(payload.get("user"), Mapping)


def shopper_message(error: FlowError) -> str:
    """The shopper's text in Japanese, then English (the saved-card events do not say the language)."""
    return f"{error.shopper_text(Language.JA)} {error.shopper_text(Language.EN)}"


def log_refusal(logger: logging.Logger, what: str, error: FlowError) -> None:
    """Merchant-fixable refusals (configuration, contract) at WARNING so they are seen; the rest at INFO."""
    merchant = isinstance(error, ChannelNotConfigured) or (
        isinstance(error, GatewayRefused) and error.entry.fixer is Fixer.MERCHANT
    )
    logger.log(
        logging.WARNING if merchant else logging.INFO,
        "%s: %s",
        what,
        error.merchant_text,
        extra={"code": error.code, "merchant_fixable": merchant},
    )


@dataclass(frozen=True)
class TokenizationData:
    """The storefront's `data` for saving a card (contract v1): `tkn`, optionally `replaces` and `brand`.

    `brand` is an addition to v1: the card brand as the storefront saw it (customize mode), only for display;
    checked by the same rule as a payment's (`card_brand`), kept in upper case.
    """

    token: str | None = field(default=None, repr=False)
    replaces: str | None = None
    brand: str | None = None


_FIELDS = ("tkn", "replaces", "brand")


def _optional_text(data: Mapping[str, object], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidPaymentData(name, "must be a non-empty string")
    return value.strip()


def parse_tokenization_data(data: object, *, token_required: bool) -> TokenizationData:
    """Check the storefront's `data`; `InvalidPaymentData` names the first field that breaks a rule."""
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise InvalidPaymentData("data", "must be a JSON object")
    unknown = sorted(str(name) for name in data if name not in _FIELDS)
    if unknown:
        raise InvalidPaymentData(unknown[0], f"unknown field (allowed: {', '.join(_FIELDS)})")
    token = _optional_text(data, "tkn")
    if token_required and token is None:
        raise InvalidPaymentData("tkn", "required: the token CPToken.js put in #tkn")
    replaces = _optional_text(data, "replaces")
    try:
        brand = card_brand(data.get("brand"))
    except UnknownCardBrand as error:
        raise InvalidPaymentData("brand", str(error)) from None
    return TokenizationData(
        token=token,
        replaces=bare_stored_method_id(replaces, APP_IDENTIFIER) if replaces else None,
        brand=brand,
    )

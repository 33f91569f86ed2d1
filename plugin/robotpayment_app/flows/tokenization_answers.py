"""The answers of the two payment-method tokenization events, built in one place from a card or an error."""

from __future__ import annotations

from robotpayment_app.flows.card_errors import CardOutcomeUnknown
from robotpayment_app.flows.card_events import shopper_message
from robotpayment_app.flows.context import JsonObject
from robotpayment_app.flows.customers import card_display_name
from robotpayment_app.flows.errors import FlowError
from robotpayment_app.saleor.responses import (
    FailedToTokenize,
    JsonValue,
    PaymentMethodTokenized,
    TokenizationPending,
)
from robotpayment_app.store.records import Card

CONTRACT_VERSION = 1


def card_saved(card: Card) -> JsonObject:
    """SUCCESSFULLY_TOKENIZED with the card's public id; `data` names the card for the storefront."""
    data: JsonValue = {
        "version": CONTRACT_VERSION,
        "savedCard": {"id": card.public_id, "name": card_display_name(card)},
    }
    return PaymentMethodTokenized(card.public_id, data=data).to_json()


def card_not_saved(error: FlowError) -> JsonObject:
    """FAILED_TO_TOKENIZE with the shopper's message; PENDING (with the session id) when the outcome is unknown,
    so that paymentMethodProcessTokenization can settle it: an unknown outcome is never reported as failed."""
    if isinstance(error, CardOutcomeUnknown):
        data: JsonValue = {
            "version": CONTRACT_VERSION,
            "error": {"code": error.code, "message": shopper_message(error), "retryable": False},
        }
        return TokenizationPending(error.session_id, data=data).to_json()
    return FailedToTokenize(shopper_message(error)).to_json()

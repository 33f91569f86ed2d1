"""LIST_STORED_PAYMENT_METHODS: the shopper's saved cards for the channel's store id, from the app's store.

No gateway call (Saleor asks often) and never a new gateway customer. Ids are the cards' random public ids.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from robotpayment_app.flows.card_events import parse_event
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import card_display_name
from robotpayment_app.saleor.payloads import InvalidPayload, ListStoredPaymentMethods
from robotpayment_app.saleor.responses import JsonValue, StoredCard
from robotpayment_app.store.records import Card

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredCardWithoutDetails:
    """A saved card whose brand or expiry is unknown: Saleor drops a partial `creditCardInfo`, so it is left
    out and the name alone describes the card."""

    id: str
    name: str

    def to_json(self) -> dict[str, JsonValue]:
        return {"id": self.id, "supportedPaymentFlows": ["INTERACTIVE"], "type": "card", "name": self.name}


def stored_method(card: Card) -> StoredCard | StoredCardWithoutDetails:
    name = card_display_name(card)
    if card.brand and card.last4 and card.exp_month is not None and card.exp_year is not None:
        return StoredCard(
            id=card.public_id,
            name=name,
            brand=card.brand,
            last_digits=card.last4,
            exp_month=card.exp_month,
            exp_year=card.exp_year,
        )
    return StoredCardWithoutDetails(id=card.public_id, name=name)


async def list_stored_payment_methods(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        event = parse_event(ListStoredPaymentMethods, payload)
    except InvalidPayload as error:
        logger.warning("stored payment methods: unusable payload, listing none", extra={"reason": str(error)})
        return {"paymentMethods": []}
    store = context.deps.store
    config = await store.channels.get_for_webhook(context.installation.id, event.channel.slug)
    if config is None:
        return {"paymentMethods": []}
    cards = await store.cards.list_for_webhook(context.installation.id, config.store_id, event.user.id)
    return {"paymentMethods": [stored_method(card).to_json() for card in cards]}

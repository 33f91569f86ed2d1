"""PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION: save the card behind a 3-D Secure-authenticated token.

`data: {tkn}` registers a new card (cmd 4, then cmd 6); `data: {tkn, replaces: <card id>}` puts the token's card
in place of one of the shopper's own cards (cmd 4 with `num`), keeping its id. Ownership is checked before any
gateway call. An answer that never came gives PENDING with a session id (settled by the process event).
"""

from __future__ import annotations

import logging

from robotpayment_app.flows.card_events import (
    has_user,
    log_refusal,
    parse_event,
    parse_tokenization_data,
)
from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import Shopper, ensure_customer, register_card, replace_card
from robotpayment_app.flows.errors import (
    FlowError,
    InvalidPaymentData,
    SavedCardNotFound,
    SavingCardsDisabled,
    SignInRequired,
)
from robotpayment_app.flows.tokenization_answers import card_not_saved, card_saved
from robotpayment_app.saleor.payloads import InvalidPayload, PaymentMethodInitializeTokenizationSession
from robotpayment_app.store.errors import CardNotFound
from robotpayment_app.store.records import Card, ChannelConfig, OwnedCard

logger = logging.getLogger(__name__)


async def initialize_tokenization(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        card = await _save_card(context, payload)
    except FlowError as error:
        log_refusal(logger, "card not saved", error)
        return card_not_saved(error)
    return card_saved(card)


async def _save_card(context: WebhookContext, payload: JsonObject) -> Card:
    if not has_user(payload):
        raise SignInRequired("saving a card")
    try:
        event = parse_event(PaymentMethodInitializeTokenizationSession, payload)
    except InvalidPayload as error:
        raise InvalidPaymentData("payload", "; ".join(error.problems)) from None
    request = parse_tokenization_data(event.data, token_required=True)
    config = await channel_config(context, event.channel.slug)
    if not config.save_cards_allowed:
        raise SavingCardsDisabled()
    assert request.token is not None  # required above
    return await save_or_replace(
        context, config, Shopper.of(event.user), request.token, replaces=request.replaces, brand=request.brand
    )


async def owned_card(context: WebhookContext, config: ChannelConfig, user_id: str, public_id: str) -> OwnedCard:
    """The card only if it is this user's under the channel's store id; `SavedCardNotFound` otherwise."""
    try:
        return await context.deps.store.cards.get_owned(
            installation_id=context.installation.id,
            store_id=config.store_id,
            saleor_user_id=user_id,
            public_id=public_id,
        )
    except CardNotFound:
        raise SavedCardNotFound() from None


async def save_or_replace(
    context: WebhookContext,
    config: ChannelConfig,
    shopper: Shopper,
    token: str,
    *,
    replaces: str | None,
    brand: str | None,
) -> Card:
    """A new card, or the token's card in place of the shopper's card `replaces` (ownership checked first)."""
    if replaces is not None:
        owned = await owned_card(context, config, shopper.user_id, replaces)
        return await replace_card(context, config, owned, token, brand=brand)
    customer = await ensure_customer(context, config, shopper)
    return await register_card(context, config, customer, token, brand=brand)

"""PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION: finish what the initialize answer left open.

- `id` = a pending session (`tks_…`, from a PENDING answer): its outcome is settled by reading the cards at the
  gateway (an answer that never came is never reported as a failure).
- `id` = one of the shopper's cards (`card_…`) with `data: {tkn}`: the token's card replaces it (cmd 4 with
  `num`); without a token the card is confirmed as it is.
Sessions and cards are found only among this shopper's own, before any gateway call.
"""

from __future__ import annotations

import logging

from robotpayment_app.flows.card_errors import CardSessionNotFound
from robotpayment_app.flows.card_events import has_user, log_refusal, parse_event, parse_tokenization_data
from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import (
    SESSION_ID_PREFIX,
    existing_customer,
    replace_card,
    session_dedup_key,
    settle_card_session,
)
from robotpayment_app.flows.errors import FlowError, InvalidPaymentData, SignInRequired
from robotpayment_app.flows.tokenization_answers import card_not_saved, card_saved
from robotpayment_app.flows.tokenization_initialize import owned_card
from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from robotpayment_app.saleor.payloads import (
    InvalidPayload,
    PaymentMethodProcessTokenizationSession,
    bare_stored_method_id,
)
from robotpayment_app.store.customers import CARD_ID_PREFIX
from robotpayment_app.store.records import Card, ChannelConfig, LedgerKind, LedgerStatus

logger = logging.getLogger(__name__)


class CardNotSaved(FlowError):
    """A pending session turned out not to have saved a card (the gateway has no new card)."""

    code = "CARD_NOT_SAVED"

    def __init__(self) -> None:
        super().__init__(
            "the pending card registration did not register a card at the gateway",
            japanese="カードは保存されませんでした。もう一度お試しください。",
            english="The card was not saved. Please try again.",
        )


async def process_tokenization(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        card = await _process(context, payload)
    except FlowError as error:
        log_refusal(logger, "tokenization session not completed", error)
        return card_not_saved(error)
    return card_saved(card)


async def _process(context: WebhookContext, payload: JsonObject) -> Card:
    if not has_user(payload):
        raise SignInRequired("saving a card")
    try:
        event = parse_event(PaymentMethodProcessTokenizationSession, payload)
    except InvalidPayload as error:
        raise InvalidPaymentData("payload", "; ".join(error.problems)) from None
    config = await channel_config(context, event.channel.slug)
    method_id = bare_stored_method_id(event.id, APP_IDENTIFIER)
    if method_id.startswith(SESSION_ID_PREFIX):
        return await _settle_session(context, config, event.user.id, method_id)
    if method_id.startswith(CARD_ID_PREFIX):
        request = parse_tokenization_data(event.data, token_required=False)
        if request.replaces is not None:
            raise InvalidPaymentData("replaces", "not used here: the id names the card to replace")
        owned = await owned_card(context, config, event.user.id, method_id)
        if request.token is None:
            return owned.card
        return await replace_card(context, config, owned, request.token, brand=request.brand)
    raise CardSessionNotFound()


async def _settle_session(context: WebhookContext, config: ChannelConfig, user_id: str, session_id: str) -> Card:
    customer = await existing_customer(context, config, user_id)
    ledger = context.deps.store.ledger
    entry = await ledger.find_by_dedup_key(context.installation.id, session_dedup_key(session_id))
    if (
        customer is None
        or entry is None
        or entry.kind is not LedgerKind.CARD_REGISTRATION
        or entry.customer_id != customer.id
    ):
        raise CardSessionNotFound()
    if entry.status is LedgerStatus.SUCCEEDED:
        return await _session_card(context, customer.id, entry.saleor_response)
    if entry.status in (LedgerStatus.DECLINED, LedgerStatus.FAILED_BEFORE_SEND):
        raise CardNotSaved()
    card = await settle_card_session(context, config, entry, customer)
    if card is None:
        raise CardNotSaved()
    return card


async def _session_card(context: WebhookContext, customer_id: int, answer: object) -> Card:
    public_id = answer.get("id") if isinstance(answer, dict) else None
    cards = await context.deps.store.cards.list_for_customer(customer_id)
    card = next((card for card in cards if card.public_id == public_id), None)
    if card is None:  # the session's card was deleted since
        raise CardSessionNotFound()
    return card

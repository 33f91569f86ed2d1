"""STORED_PAYMENT_METHOD_DELETE_REQUESTED: delete one of the shopper's own cards (cmd 5) and the app's row.

Saleor does not check that the card is the requester's: the ownership-checked lookup does, before any call.
"""

from __future__ import annotations

import logging

from robotpayment_app.flows.card_events import has_user, log_refusal, parse_event, shopper_message
from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import delete_card
from robotpayment_app.flows.errors import FlowError, InvalidPaymentData, SavedCardNotFound, SignInRequired
from robotpayment_app.saleor.payloads import InvalidPayload, StoredPaymentMethodDeleteRequested
from robotpayment_app.saleor.responses import DeleteFailed, DeleteSucceeded
from robotpayment_app.store.errors import CardNotFound

logger = logging.getLogger(__name__)


async def delete_stored_payment_method(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        await _delete(context, payload)
    except FlowError as error:
        log_refusal(logger, "stored payment method not deleted", error)
        return DeleteFailed(shopper_message(error)).to_json()
    return DeleteSucceeded().to_json()


async def _delete(context: WebhookContext, payload: JsonObject) -> None:
    if not has_user(payload):
        raise SignInRequired("deleting a saved card")
    try:
        event = parse_event(StoredPaymentMethodDeleteRequested, payload)
    except InvalidPayload as error:
        raise InvalidPaymentData("payload", "; ".join(error.problems)) from None
    config = await channel_config(context, event.channel.slug)
    try:
        owned = await context.deps.store.cards.get_owned(
            installation_id=context.installation.id,
            store_id=config.store_id,
            saleor_user_id=event.user.id,
            public_id=event.payment_method_id,
        )
    except CardNotFound:
        raise SavedCardNotFound() from None
    await delete_card(context, config, owned)

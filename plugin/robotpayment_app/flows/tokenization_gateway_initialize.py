"""PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION: what the save-card page needs (storefront contract v1).

`{"version": 1, "aid", "scripts", "tokenMode", "cvv", "threeDS": {"aid", "uid"}}`: the browser runs CPToken.js,
then `ThreeDSAdapter.authenticate(threeDS + tkn)`, then sends the token to paymentMethodInitializeTokenization.
The gateway customer (`uid`) is created here when needed, because 3-D Secure for a card registration names it.
No secret goes out: the customer key stays on the server.
"""

from __future__ import annotations

import logging

from robotpayment_app.flows.card_events import has_user, log_refusal, parse_event, shopper_message
from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import Shopper, ensure_customer
from robotpayment_app.flows.errors import FlowError, InvalidPaymentData, SavingCardsDisabled, SignInRequired
from robotpayment_app.saleor.payloads import InvalidPayload, PaymentGatewayInitializeTokenizationSession
from robotpayment_app.saleor.responses import JsonValue, TokenizationFailedToInitialize, TokenizationInitialized
from robotpayment_app.store.records import ChannelConfig

logger = logging.getLogger(__name__)

CONTRACT_VERSION = 1
CPTOKEN_SCRIPT = "js/CPToken.js"
THREE_DS_SCRIPT = "js/EMV3DSAdapter.js"


def save_card_page_data(config: ChannelConfig, customer_id: str) -> dict[str, JsonValue]:
    return {
        "version": CONTRACT_VERSION,
        "aid": config.store_id,
        "scripts": {
            "cpToken": config.gateway_base_url + CPTOKEN_SCRIPT,
            "threeDS": config.gateway_base_url + THREE_DS_SCRIPT,
        },
        "tokenMode": config.token_mode.value,
        "cvv": config.cvv_required,
        "threeDS": {"aid": config.store_id, "uid": customer_id},
    }


async def initialize_tokenization_gateway(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        data = await _initialize(context, payload)
    except FlowError as error:
        log_refusal(logger, "save-card page not initialized", error)
        return TokenizationFailedToInitialize(shopper_message(error)).to_json()
    return TokenizationInitialized(data).to_json()


async def _initialize(context: WebhookContext, payload: JsonObject) -> dict[str, JsonValue]:
    if not has_user(payload):
        raise SignInRequired("saving a card")
    try:
        event = parse_event(PaymentGatewayInitializeTokenizationSession, payload)
    except InvalidPayload as error:
        raise InvalidPaymentData("payload", "; ".join(error.problems)) from None
    config = await channel_config(context, event.channel.slug)
    if not config.save_cards_allowed:
        raise SavingCardsDisabled()
    customer = await ensure_customer(context, config, Shopper.of(event.user))
    return save_card_page_data(config, customer.gateway_customer_id)

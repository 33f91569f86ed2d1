"""PAYMENT_GATEWAY_INITIALIZE_SESSION: the channel's gateway configuration for the storefront (contract v1).

Besides the store id, script URLs, token mode and payment methods, the answer carries **the exact parameters
the browser must give `ThreeDSAdapter.authenticate`** (besides `tkn`): `threeDS.payment` for paying without
saving the card, `threeDS.saveCard` for paying and saving it. They come from `payment_terms`, which
TRANSACTION_INITIALIZE_SESSION uses to build the payment, so 3-D Secure always authenticates what is then
charged. Never a secret in it: no user key, no token, no app token.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import existing_customer
from robotpayment_app.flows.errors import ChannelNotConfigured, FlowError, InvalidPaymentData
from robotpayment_app.flows.event_payload import read_event
from robotpayment_app.flows.language import Language, language_of
from robotpayment_app.flows.money import yen
from robotpayment_app.flows.payment_errors import GatewayRequestInvalid
from robotpayment_app.flows.payment_terms import (
    SourceObject,
    payment_charge,
    shopper_contact,
    three_ds_card_params,
    three_ds_payment_params,
)
from robotpayment_app.flows.storefront_data import (
    GatewayConfigData,
    GatewayUnavailableData,
    OfferedMethod,
    StorefrontError,
)
from robotpayment_app.flows.three_ds_offer import remember_offer
from robotpayment_app.gateway import GatewayValidationError, JobType
from robotpayment_app.saleor.payloads import InvalidPayload, PaymentGatewayInitializeSession
from robotpayment_app.saleor.responses import GatewayInitialized
from robotpayment_app.store.records import ChannelConfig, PaymentMethodCode

logger = logging.getLogger(__name__)

CP_TOKEN_SCRIPT = "js/CPToken.js"  # noqa: S105 (a path, not a password)
THREE_DS_SCRIPT = "js/EMV3DSAdapter.js"


async def initialize_gateway(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        event = read_event(PaymentGatewayInitializeSession, payload)
    except InvalidPayload as error:
        logger.error("PAYMENT_GATEWAY_INITIALIZE_SESSION payload unusable: %s", error)
        invalid = InvalidPaymentData("payload", "; ".join(error.problems))
        return _unavailable(invalid, Language.JA)
    source = event.source_object
    language = language_of(source.language)
    try:
        config = await channel_config(context, source.channel.slug)
    except ChannelNotConfigured as error:
        logger.warning("payment gateway initialize: %s", error.merchant_text)
        return _unavailable(error, language)
    data = await _gateway_config(context, config, source, event.amount, language)
    return GatewayInitialized(data.to_json()).to_json()


def _unavailable(error: FlowError, language: Language) -> JsonObject:
    return GatewayInitialized(GatewayUnavailableData(StorefrontError.of(error, language)).to_json()).to_json()


def offered_methods(config: ChannelConfig) -> tuple[OfferedMethod, ...]:
    """The channel's `md` values; 61 with its instalment counts. 61 and 80 exist only on the one-touch call."""
    return tuple(
        OfferedMethod(
            md=method.value,
            installments=config.installment_counts if method is PaymentMethodCode.INSTALLMENTS else (),
            saved_card_only=method is not PaymentMethodCode.LUMP_SUM,
        )
        for method in config.payment_methods
    )


async def _gateway_config(
    context: WebhookContext,
    config: ChannelConfig,
    source: SourceObject,
    requested: Decimal | None,
    language: Language,
) -> GatewayConfigData:
    user = source.user
    save_allowed = user is not None and config.save_cards_allowed
    customer = await existing_customer(context, config, user.id) if user is not None else None
    has_saved_cards = False
    if user is not None:
        cards = await context.deps.store.cards.list_for_user(context.installation.id, config.store_id, user.id)
        has_saved_cards = bool(cards)
    error: StorefrontError | None = None
    payment_params: dict[str, str | int] | None = None
    try:
        # the amount the storefront asked to initialize for, else the whole checkout/order
        amount = yen(requested if requested is not None else source.total.amount, source.total.currency)
        payment_params = three_ds_payment_params(
            # the job type is not part of what 3-D Secure authenticates (am, tx, sf or iid): any will do here
            config.store_id,
            payment_charge(config, source, amount, JobType.CAPTURE),
            shopper_contact(source),
        )
    except GatewayValidationError as invalid:
        error = StorefrontError.of(GatewayRequestInvalid(invalid.field, invalid.rule), language)
    except FlowError as failure:
        logger.info("payment gateway initialize: no payment parameters: %s", failure.merchant_text)
        error = StorefrontError.of(failure, language)
    save_params: dict[str, str | int] | None = None
    if save_allowed:
        # an existing gateway customer registers the card (cmd 4: 3DS with uid), else the bulk registration
        # payment authenticates like the payment itself (its 3DS takes no uid)
        save_params = (
            three_ds_card_params(config.store_id, customer.gateway_customer_id) if customer else payment_params
        )
    # kept, so that transactionInitialize charges only what the browser authenticates with these
    await remember_offer(context, source.id, payment=payment_params, save_card=save_params)
    base = config.gateway_base_url
    return GatewayConfigData(
        store_id=config.store_id,
        cp_token_url=base + CP_TOKEN_SCRIPT,
        three_ds_url=base + THREE_DS_SCRIPT,
        token_mode=config.token_mode.value,
        cvv=config.cvv_required,
        methods=offered_methods(config),
        save_card_allowed=save_allowed,
        has_saved_cards=has_saved_cards,
        three_ds_payment=payment_params,
        three_ds_save_card=save_params,
        error=error,
    )

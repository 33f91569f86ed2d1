"""TRANSACTION_PROCESS_SESSION: the current state of a payment this app started, from the ledger.

Nothing is sent to the gateway here. A final state (paid, declined, refused) is answered again exactly as
stored; a payment whose outcome is still unknown answers *_REQUEST (pending) until a result notification or a
person settles it.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.errors import InvalidPaymentData
from robotpayment_app.flows.event_payload import read_event
from robotpayment_app.flows.language import Language, language_of
from robotpayment_app.flows.payment_answers import Refused, ResultFamily, session_answer
from robotpayment_app.flows.payment_errors import PaymentNotFound
from robotpayment_app.flows.transaction_initialize import dedup_key, replay_payment
from robotpayment_app.saleor.payloads import InvalidPayload, TransactionProcessSession

logger = logging.getLogger(__name__)


async def process_transaction(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        event = read_event(TransactionProcessSession, payload)
    except InvalidPayload as error:
        logger.error("TRANSACTION_PROCESS_SESSION payload unusable: %s", error)
        refused = Refused(InvalidPaymentData("payload", "; ".join(error.problems)), Decimal(0))
        return session_answer(ResultFamily.CHARGE, refused, Language.JA).to_json()
    language = language_of(event.source_object.language)
    entry = await context.deps.store.ledger.find_by_dedup_key(context.installation.id, dedup_key(event.transaction.id))
    if entry is None:
        logger.warning("process session for a transaction without a payment of this app")
        family = ResultFamily.AUTHORIZATION if event.action.action_type == "AUTHORIZATION" else ResultFamily.CHARGE
        return session_answer(family, Refused(PaymentNotFound(), event.action.amount), language).to_json()
    return await replay_payment(context, entry, event.action.amount, language)

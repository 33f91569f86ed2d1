"""CUSTOMER_UPDATED and CUSTOMER_DELETED (async): keep the gateway's user records in step with Saleor's users.

- Updated: the gateway user gets the new e-mail/phone (cmd 1) only when they differ from what it has; anything
  else (the app's own private-metadata write fires this event too) changes nothing, so the two never loop.
- Deleted: each gateway user of the Saleor user is deleted (cmd 2), then the app's customer and card rows.
  A gateway that cannot be reached raises, so the delivery fails and Saleor sends it again later.
Saleor ignores async answers: both answer `{}`. Users the app has no gateway customer for cost nothing.
"""

from __future__ import annotations

import logging

from robotpayment_app.flows.card_events import parse_event
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import config_for_store_id, gateway_contact, read_gateway_customer
from robotpayment_app.flows.errors import GatewayNotReachable
from robotpayment_app.gateway import (
    CustomerDeletion,
    CustomerUpdate,
    GatewayAnswerError,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayUnavailable,
)
from robotpayment_app.saleor.payloads import CustomerDeleted, CustomerUpdated, InvalidPayload
from robotpayment_app.store.records import Customer

logger = logging.getLogger(__name__)

_TRANSIENT = (GatewayUnavailable, GatewayOutcomeUnknown, GatewayAnswerError)


async def sync_updated_customer(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        event = parse_event(CustomerUpdated, payload)
    except InvalidPayload as error:
        logger.warning("customer update: unusable payload, nothing synced", extra={"reason": str(error)})
        return {}
    if event.user is None:
        return {}
    user = event.user
    customers = await context.deps.store.customers.list_for_user(context.installation.id, user.id)
    wanted = gateway_contact(user.email, user.phone)
    for customer in customers:
        email_changed = wanted.email is not None and wanted.email != customer.email
        phone_changed = wanted.phone is not None and wanted.phone != customer.phone
        if email_changed or phone_changed:
            await _update_contact(context, customer, wanted.email, wanted.phone)
    return {}


async def _update_contact(context: WebhookContext, customer: Customer, email: str | None, phone: str | None) -> None:
    config = await config_for_store_id(context, customer.store_id)
    if config is None:
        logger.warning(
            "customer update: no channel uses store id %s any more; gateway user not updated",
            customer.store_id,
            extra={"uid": customer.gateway_customer_id},
        )
        return
    gateway = context.deps.gateway(config.gateway_base_url)
    request = CustomerUpdate(
        store_id=customer.store_id,
        customer_id=customer.gateway_customer_id,
        customer_key=customer.gateway_key.get_secret_value(),
        email=email,
        phone=phone,
    )
    try:
        await gateway.update_customer(request)
    except _TRANSIENT:
        raise GatewayNotReachable("customer update") from None
    except GatewayRejected as error:
        logger.warning(
            "customer update refused by the gateway: %s",
            error.entry.code,
            extra={"uid": customer.gateway_customer_id},
        )
        return
    # the gateway keeps a value that was not sent (cmd 1 only sets what it is given)
    await context.deps.store.customers.update_contact(
        customer.id, email=email or customer.email, phone=phone or customer.phone
    )


async def purge_deleted_customer(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        event = parse_event(CustomerDeleted, payload)
    except InvalidPayload as error:
        logger.warning("customer deletion: unusable payload, nothing purged", extra={"reason": str(error)})
        return {}
    if event.user is None:
        return {}
    customers = await context.deps.store.customers.list_for_user(context.installation.id, event.user.id)
    for customer in customers:
        await _delete_gateway_user(context, customer)
        await context.deps.store.customers.delete(customer.id)  # its cards go with it
    return {}


async def _delete_gateway_user(context: WebhookContext, customer: Customer) -> None:
    config = await config_for_store_id(context, customer.store_id)
    if config is None:
        # The key can be read again (cmd 3) once a channel reaches this store id: the merchant can finish it.
        logger.error(
            "customer deletion: no channel uses store id %s any more; delete gateway user %s in the control panel",
            customer.store_id,
            customer.gateway_customer_id,
        )
        return
    gateway = context.deps.gateway(config.gateway_base_url)
    request = CustomerDeletion(
        store_id=customer.store_id,
        customer_id=customer.gateway_customer_id,
        customer_key=customer.gateway_key.get_secret_value(),
    )
    try:
        await gateway.delete_customer(request)
    except _TRANSIENT:
        raise GatewayNotReachable("customer deletion") from None
    except GatewayRejected as error:
        if await read_gateway_customer(gateway, customer.store_id, customer.gateway_customer_id) is None:
            return  # already gone (a repeated delivery, or deleted in the control panel)
        logger.error(
            "customer deletion refused by the gateway (%s): delete gateway user %s in the control panel",
            error.entry.code,
            customer.gateway_customer_id,
        )

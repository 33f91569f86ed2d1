"""APP_DELETED: the merchant uninstalled the app; forget the installation and everything stored for it."""

from __future__ import annotations

import logging

from robotpayment_app.flows.context import JsonObject, WebhookContext

logger = logging.getLogger(__name__)


async def forget_installation(context: WebhookContext, payload: JsonObject) -> JsonObject:
    removed = await context.deps.store.installations.delete(context.installation.saleor_api_url)
    logger.info(
        "app uninstalled: installation removed",
        extra={"saleor_api_url": context.installation.saleor_api_url, "removed": removed},
    )
    return {}

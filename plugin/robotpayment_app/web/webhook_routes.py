"""One POST route per manifest webhook: authenticate, hand the payload to its use case, answer JSON.

Declines and shopper-facing failures are HTTP 200 answers built by the use cases; a non-2xx status here
means the delivery itself was refused (401/403/4xx) or the app failed (5xx, which Saleor retries).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from robotpayment_app.flows.context import EventHandler, WebhookContext
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent, WebhookDefinition
from robotpayment_app.web.body_limits import BodyLimit
from robotpayment_app.web.installation_cache import InstallationCache
from robotpayment_app.web.services import AppServices
from robotpayment_app.web.webhook_auth import VerifiedDelivery, WebhookRejected, authenticate_delivery

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BODY_BYTES = 256 * 1024
# enforced while the body is read (web/body_limits.py); its refusal, `{"error": reason}`, reads as the route's own
BODY_LIMIT = BodyLimit(MAX_WEBHOOK_BODY_BYTES)


def _endpoint(webhook: WebhookDefinition, handler: EventHandler, cache: InstallationCache):  # type: ignore[no-untyped-def]
    async def receive_webhook(request: Request) -> Response:
        services: AppServices = request.app.state.services
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        api_url = (request.headers.get("saleor-api-url") or "").strip()
        try:
            raw_body = await request.body()

            async def authenticate() -> VerifiedDelivery:
                return await authenticate_delivery(
                    webhook=webhook,
                    headers=request.headers,
                    raw_body=raw_body,
                    installations=cache.in_front_of(services.store.installations),
                    jwks=services.jwks,
                )

            try:
                delivery = await authenticate()
            except WebhookRejected as rejected:
                # refused against a cached installation: it may have been re-installed elsewhere; ask the database
                if rejected.status_code not in (401, 403) or not cache.forget(api_url):
                    raise
                delivery = await authenticate()
        except WebhookRejected as rejected:
            logger.warning(
                "webhook refused",
                extra={"event": webhook.event.value, "status": rejected.status_code, "reason": rejected.reason},
            )
            return JSONResponse({"error": rejected.reason}, status_code=rejected.status_code)
        context = WebhookContext(services, delivery.installation, request_id)
        answer = await handler(context, delivery.payload)
        if webhook.event is SaleorEvent.APP_DELETED:
            cache.forget(delivery.installation.saleor_api_url)
        return JSONResponse(dict(answer))

    receive_webhook.__name__ = f"webhook_{webhook.event.value.lower()}"
    return receive_webhook


def webhook_router(
    handlers: Mapping[SaleorEvent, EventHandler], *, installation_cache: InstallationCache | None = None
) -> APIRouter:
    """Routes for every webhook in the manifest table; each must have a use case. The routes share one cache
    of installations (see web/installation_cache.py)."""
    router = APIRouter()
    cache = installation_cache or InstallationCache()
    for webhook in WEBHOOKS:
        handler = handlers.get(webhook.event)
        if handler is None:
            raise LookupError(f"no use case answers {webhook.event.value}")
        router.add_api_route(
            webhook.path,
            _endpoint(webhook, handler, cache),
            methods=["POST"],
            include_in_schema=False,
        )
    return router

"""The gateway's result notification (決済結果通知URL): `GET /api/kickback/{secret}`.

The merchant pastes this URL, with the installation's own secret, into the ROBOT PAYMENT control panel. The
secret only picks the installation: the notification itself is checked against the ledger by the use case.
Whatever happens, the answer is HTTP 200 with a non-empty body, or the gateway counts the delivery as failed.
The query string (it may carry a user key after a bulk registration) is never logged.
"""

from __future__ import annotations

import logging
import re
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.kickback import ACKNOWLEDGEMENT, receive_kickback
from robotpayment_app.web.services import AppServices

logger = logging.getLogger(__name__)

KICKBACK_PATH = "/api/kickback/{secret}"
# the form `new_kickback_secret` gives out (URL-safe base64); anything else is no secret of ours
_SECRET = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")


def kickback_router() -> APIRouter:
    router = APIRouter()

    @router.get(KICKBACK_PATH, include_in_schema=False)
    async def kickback(secret: str, request: Request) -> PlainTextResponse:
        services: AppServices = request.app.state.services
        installation = (
            await services.store.installations.get_by_kickback_secret(secret)
            if _SECRET.fullmatch(secret)
            else None
        )
        if installation is None:
            logger.warning("kickback to an unknown secret ignored (not a URL this app gave out)")
            return PlainTextResponse(ACKNOWLEDGEMENT)
        context = WebhookContext(services, installation, request.headers.get("x-request-id") or uuid.uuid4().hex)
        query = request.scope.get("query_string", b"").decode("latin-1")
        try:
            body = await receive_kickback(context, query)
        except Exception:  # the gateway must always get a non-empty body; the failure is ours to look into
            logger.exception("kickback processing failed; the notification is kept in the kickback log if it got there")
            body = ACKNOWLEDGEMENT
        return PlainTextResponse(body or ACKNOWLEDGEMENT)

    return router

"""The gateway's result notification (決済結果通知URL): `GET /api/kickback/{secret}`.

The merchant pastes this URL, with the installation's own secret, into the ROBOT PAYMENT control panel. The
secret only picks the installation: the notification itself is a claim the use case checks against the ledger.

Answers: `200 ok` once the notification is processed or judged irrelevant (an unknown secret, not a
notification, no payment of this app); `503` with an empty body while another delivery of it is still being
processed; `500` with an empty body when the app itself failed (the database is down, a bug). The gateway
counts an empty body as a failed delivery and delivers it again, and a notification whose processing did not
finish is processed again then. The query string (it may carry a user key after a bulk registration) is never
logged.
"""

from __future__ import annotations

import logging
import re
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.kickback import ACKNOWLEDGEMENT, receive_kickback
from robotpayment_app.web.services import AppServices

logger = logging.getLogger(__name__)

KICKBACK_PATH = "/api/kickback/{secret}"
# the form `new_kickback_secret` gives out (URL-safe base64); anything else is no secret of ours
_SECRET = re.compile(r"^[A-Za-z0-9_\-]{1,128}$")


def _redeliver(status_code: int) -> Response:
    """An empty body: the gateway counts the delivery as failed and sends the notification again."""
    return Response(b"", status_code=status_code, media_type="text/plain")


def kickback_router() -> APIRouter:
    router = APIRouter()

    @router.get(KICKBACK_PATH, include_in_schema=False)
    async def kickback(secret: str, request: Request) -> Response:
        services: AppServices = request.app.state.services
        try:
            installation = (
                await services.store.installations.get_by_kickback_secret(secret) if _SECRET.fullmatch(secret) else None
            )
            if installation is None:
                logger.warning("kickback to an unknown secret ignored (not a URL this app gave out, or rotated)")
                return PlainTextResponse(ACKNOWLEDGEMENT)
            context = WebhookContext(services, installation, request.headers.get("x-request-id") or uuid.uuid4().hex)
            query = request.scope.get("query_string", b"").decode("latin-1")
            processed = await receive_kickback(context, query)
        except Exception:
            logger.exception("kickback processing failed; it stays unfinished and is processed again when redelivered")
            return _redeliver(500)
        return PlainTextResponse(ACKNOWLEDGEMENT) if processed else _redeliver(503)

    return router

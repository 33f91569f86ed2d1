"""Authenticity of a Saleor webhook delivery, checked before any other work.

Order matters: the cheapest refusals first (headers; the body's size was bounded while it was read, see
web/body_limits.py), then the installation, then the RS256 signature over the raw bytes, and only then is the body
parsed and its recipient compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from robotpayment_app.saleor.jwks import JwksProvider
from robotpayment_app.saleor.signature import InvalidSignature
from robotpayment_app.saleor.webhooks import WebhookDefinition
from robotpayment_app.store.records import Installation
from robotpayment_app.web.installation_cache import InstallationLookup
from robotpayment_app.web.json_body import InvalidJson, parse_json


class WebhookRejected(Exception):
    """The delivery is refused; `status_code` is what Saleor (or an attacker) gets, with a short reason."""

    def __init__(self, status_code: int, reason: str) -> None:
        super().__init__(reason)
        self.status_code = status_code
        self.reason = reason


@dataclass(frozen=True)
class VerifiedDelivery:
    installation: Installation
    payload: dict[str, Any]


def _first_error(errors: Any) -> str:
    first = errors[0] if isinstance(errors, list) and errors else errors
    message = first.get("message") if isinstance(first, dict) else None
    return str(message)[:200] if message else "no message"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    value = headers.get(name)
    return value.strip() if value and value.strip() else None


async def authenticate_delivery(
    *,
    webhook: WebhookDefinition,
    headers: Mapping[str, str],
    raw_body: bytes,
    installations: InstallationLookup,
    jwks: JwksProvider,
) -> VerifiedDelivery:
    event = _header(headers, "saleor-event")
    api_url = _header(headers, "saleor-api-url")
    signature = _header(headers, "saleor-signature")
    if api_url is None or signature is None or event is None:
        raise WebhookRejected(401, "missing Saleor-Api-Url, Saleor-Event or Saleor-Signature header")
    if event.lower() != webhook.event.header_value:
        raise WebhookRejected(400, f"Saleor-Event {event!r} does not belong to this route")
    installation = await installations.get_by_api_url(api_url)
    if installation is None:
        raise WebhookRejected(401, "unknown Saleor-Api-Url: the app is not installed there")
    try:
        refreshed = await jwks.verify_webhook(api_url, installation.jwks, raw_body, signature)
    except InvalidSignature as error:
        raise WebhookRejected(401, f"invalid signature: {error}") from None
    if refreshed is not None:
        installation = await installations.update_jwks(installation.id, refreshed)
    try:
        payload = parse_json(raw_body)
    except InvalidJson as invalid:
        raise WebhookRejected(400, f"body is {invalid.reason}") from None
    if not isinstance(payload, dict):
        raise WebhookRejected(400, "body is not a JSON object")
    recipient = payload.get("recipient")
    recipient_id = recipient.get("id") if isinstance(recipient, dict) else None
    if recipient_id is None and payload.get("errors"):
        # Saleor could not build the event (a field the app may not read nulled it): say so, blame no one
        raise WebhookRejected(422, f"Saleor sent errors instead of the event: {_first_error(payload['errors'])}")
    if recipient_id != installation.app_id:
        raise WebhookRejected(403, "recipient.id is not this installation's app")
    if payload.get("__typename") != webhook.event.typename:
        # the signature covers the body only: this is how a genuine body of another event is told apart
        raise WebhookRejected(400, f"payload is not a {webhook.event.typename} event")
    return VerifiedDelivery(installation, payload)

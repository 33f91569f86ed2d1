"""The app manifest Saleor fetches at installation (`GET /api/manifest`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from .documents import GraphQLDocuments
from .errors import SaleorLayerError
from .webhooks import WEBHOOKS, WebhookDefinition

APP_IDENTIFIER = "jp.robotpayment.saleor"
APP_NAME = "ROBOT PAYMENT"
# MANAGE_USERS: CUSTOMER_* events and writing the gateway uid into the user's private metadata.
PERMISSIONS = ("HANDLE_PAYMENTS", "MANAGE_USERS")
# The stored-payment-method events need 3.16, but the CUSTOMER_DELETED subscription type (`... on
# CustomerDeleted`) exists only since 3.23, and Saleor refuses an app whose subscription query does not
# validate. A test derives the lowest possible version from every document and keeps this in step.
REQUIRED_SALEOR_VERSION = ">=3.23"

DASHBOARD_PATH = "/dashboard"
REGISTER_PATH = "/api/register"
MANIFEST_PATH = "/api/manifest"
LOGO_PATH = "/static/logo.png"
DATA_PRIVACY_PATH = "/privacy"
SUPPORT_PATH = "/support"


class InvalidPublicUrl(SaleorLayerError):
    """The public URL the manifest is built for is not an absolute http(s) URL without query or fragment."""


def normalize_public_url(public_url: str) -> str:
    """`https://pay.example.com/app/` -> `https://pay.example.com/app` (no trailing slash)."""
    parts = urlsplit(public_url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidPublicUrl("public_url: must be an absolute http(s) URL")
    if parts.query or parts.fragment:
        raise InvalidPublicUrl("public_url: must not carry a query or fragment")
    if "@" in parts.netloc:
        raise InvalidPublicUrl("public_url: must not carry credentials")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def webhook_target_url(public_url: str, webhook: WebhookDefinition) -> str:
    return normalize_public_url(public_url) + webhook.path


def build_manifest(
    public_url: str,
    *,
    app_id: str = APP_IDENTIFIER,
    version: str = __version__,
    name: str = APP_NAME,
    documents: GraphQLDocuments | None = None,
    homepage_url: str | None = None,
    support_url: str | None = None,
    data_privacy_url: str | None = None,
) -> dict[str, Any]:
    """The manifest as a JSON-ready dict. Every URL is absolute under `public_url`, webhook targets exact."""
    base = normalize_public_url(public_url)
    docs = documents or GraphQLDocuments()
    return {
        "id": app_id,
        "name": name,
        "version": version,
        "about": (
            "Card payments through ROBOT PAYMENT (credit.j-payment.co.jp): token method, 3-D Secure 2.0 and "
            "saved cards charged in one touch. Card numbers never reach the app server."
        ),
        "permissions": list(PERMISSIONS),
        "appUrl": base + DASHBOARD_PATH,
        "tokenTargetUrl": base + REGISTER_PATH,
        "requiredSaleorVersion": REQUIRED_SALEOR_VERSION,
        "author": "ROBOT PAYMENT for Saleor contributors",
        "brand": {"logo": {"default": base + LOGO_PATH}},
        "dataPrivacyUrl": data_privacy_url or base + DATA_PRIVACY_PATH,
        "homepageUrl": homepage_url or base + "/",
        "supportUrl": support_url or base + SUPPORT_PATH,
        "webhooks": [
            {
                "name": hook.name,
                ("syncEvents" if hook.is_sync else "asyncEvents"): [hook.event.value],
                "query": docs.load(hook.document),
                "targetUrl": base + hook.path,
                "isActive": True,
            }
            for hook in WEBHOOKS
        ],
    }

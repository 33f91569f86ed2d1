"""Who is calling the configuration API: a staff user of one installation, proven by the dashboard's token.

The Saleor dashboard hands the app page a JWT (App Bridge); the page sends it as `Authorization: Bearer <jwt>`
together with `Saleor-Api-Url`, which names the installation. The token is checked against that installation's
JWKS (one rate-limited refetch when Saleor may have rotated its key); it must be the app token Saleor issues
(`type: thirdparty`) and its `app` claim the stored app id. Every failure is an `ApiAuthenticationError` (401):
the caller learns why, never any data.

Then the rule Saleor's own payment apps apply: the staff user must hold MANAGE_APPS and HANDLE_PAYMENTS in
`user_permissions` (the `permissions` claim is only their intersection with the app's own permissions, and never
holds MANAGE_APPS). Every call needs both, reading included: the page shows the kickback URL (a secret) and the
payments. A user without them gets an `ApiPermissionError` (403) naming what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from robotpayment_app.saleor.dashboard_token import DashboardUser, verify_dashboard_token
from robotpayment_app.saleor.errors import KeyCheckError
from robotpayment_app.store.records import Installation
from robotpayment_app.web.services import AppServices

BEARER_PREFIX = "bearer "


REQUIRED_PERMISSIONS = ("MANAGE_APPS", "HANDLE_PAYMENTS")


class ApiAuthenticationError(Exception):
    """The request does not prove a staff user of an installation (answer 401)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ApiPermissionError(Exception):
    """A proven staff user who lacks a permission every call of the API needs (answer 403)."""

    def __init__(self, email: str, missing: list[str]) -> None:
        names = " and ".join(missing)
        super().__init__(
            f"the ROBOT PAYMENT configuration needs the {' and '.join(REQUIRED_PERMISSIONS)} permissions; staff user "
            f"{email} lacks {names} (a Saleor administrator grants it under Configuration → Staff Members or "
            "Permission Groups)"
        )
        self.missing = missing


@dataclass(frozen=True)
class StaffSession:
    """A verified dashboard user acting on one installation."""

    installation: Installation
    user: DashboardUser


def bearer_token(headers: Mapping[str, str]) -> str:
    value = (headers.get("authorization") or "").strip()
    if not value.lower().startswith(BEARER_PREFIX) or not value[len(BEARER_PREFIX) :].strip():
        raise ApiAuthenticationError("Authorization: Bearer <token from the Saleor dashboard> is required")
    return value[len(BEARER_PREFIX) :].strip()


async def authenticate_staff(headers: Mapping[str, str], services: AppServices) -> StaffSession:
    token = bearer_token(headers)
    api_url = (headers.get("saleor-api-url") or "").strip()
    if not api_url:
        raise ApiAuthenticationError("the Saleor-Api-Url header is required")
    installations = services.store.installations
    installation = await installations.get_by_api_url(api_url)
    if installation is None:
        raise ApiAuthenticationError("the app is not installed for this Saleor-Api-Url")

    app_id = installation.app_id

    def check(jwks: Mapping[str, Any]) -> DashboardUser:
        return verify_dashboard_token(
            token,
            jwks=jwks,
            app_id=app_id,
            clock=lambda: services.clock().timestamp(),
        )

    try:
        result = await services.jwks.run(api_url, installation.jwks, check)
    except KeyCheckError as error:
        # the reasons name the failed check (expired, other app, bad signature), never the token
        raise ApiAuthenticationError(f"dashboard token refused: {error.reason}") from None
    if result.refreshed_jwks is not None:
        installation = await installations.update_jwks(installation.id, result.refreshed_jwks)
    user = result.value
    missing = [permission for permission in REQUIRED_PERMISSIONS if not user.has_permission(permission)]
    if missing:
        raise ApiPermissionError(user.email, missing)
    return StaffSession(installation, user)

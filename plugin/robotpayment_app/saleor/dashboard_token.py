"""Verification of the JWT the Saleor dashboard hands the app page (App Bridge `token`).

Saleor signs it RS256 with the key published in its JWKS; it carries `type: "thirdparty"` (the kind Saleor
issues for apps: `App.accessToken`), `app` (the app's global id), `email`, `user_id`, `exp`, `permissions` (the
user's permissions intersected with the app's) and `user_permissions` (all of the staff user's permissions). A
staff user's own `access` or `refresh` token is refused: it proves a login, not that the dashboard opened
this app for them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt

from .errors import KeyCheckError
from .signature import ALGORITHM, find_public_key, read_protected_header, require_rs256_kid

DEFAULT_LEEWAY_SECONDS = 10.0
APP_TOKEN_TYPE = "thirdparty"  # noqa: S105 (a token kind, not a password)


class DashboardTokenError(KeyCheckError):
    """The dashboard token cannot be trusted (malformed, wrong key or algorithm, expired, other app)."""


class DashboardTokenUnknownKey(DashboardTokenError):
    stale_keys_possible = True


class DashboardTokenBadSignature(DashboardTokenError):
    stale_keys_possible = True


class DashboardTokenExpired(DashboardTokenError):
    pass


class DashboardTokenWrongApp(DashboardTokenError):
    pass


class DashboardTokenWrongType(DashboardTokenError):
    """A valid Saleor token that is not the app token the dashboard hands this app (a staff login token)."""


class MissingPermission(DashboardTokenError):
    """A valid token of a staff user who lacks a permission the action needs (answer 403)."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"staff user lacks the {permission} permission")
        self.permission = permission


@dataclass(frozen=True)
class DashboardUser:
    email: str
    permissions: frozenset[str]
    user_id: str | None = None

    def has_permission(self, permission: str) -> bool:
        return permission in self.permissions

    def require_permission(self, permission: str) -> None:
        if permission not in self.permissions:
            raise MissingPermission(permission)


def verify_dashboard_token(
    token: str,
    *,
    jwks: Mapping[str, Any],
    app_id: str,
    required_permissions: Iterable[str] = (),
    clock: Callable[[], float] = time.time,
    leeway_seconds: float = DEFAULT_LEEWAY_SECONDS,
) -> DashboardUser:
    """The staff user the token speaks for; raises a `DashboardTokenError` subclass otherwise.

    `required_permissions`: e.g. `("HANDLE_PAYMENTS",)` for changing the payment configuration.
    """
    if not token or token.count(".") != 2:
        raise DashboardTokenError("token is not a compact JWT")
    header = read_protected_header(token, error=DashboardTokenError)
    kid = require_rs256_kid(header, error=DashboardTokenError)
    key = find_public_key(jwks, kid, error=DashboardTokenError)
    if key is None:
        raise DashboardTokenUnknownKey("no key with this kid in the JWKS")
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[ALGORITHM],
            # Time claims are checked below against the injected clock, not PyJWT's wall clock.
            options={
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
                "verify_aud": False,
                "require": ["exp"],
            },
        )
    except jwt.InvalidSignatureError:
        raise DashboardTokenBadSignature("token signature does not verify") from None
    except jwt.PyJWTError as exc:
        raise DashboardTokenError(f"token rejected ({type(exc).__name__})") from None

    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise DashboardTokenError("token claim exp is not a number")
    now = clock()
    if now > exp + leeway_seconds:
        raise DashboardTokenExpired("token has expired")
    not_before = claims.get("nbf")
    if isinstance(not_before, int | float) and now + leeway_seconds < not_before:
        raise DashboardTokenError("token is not valid yet")
    token_type = claims.get("type")
    if token_type != APP_TOKEN_TYPE:
        shown = token_type if isinstance(token_type, str) and token_type.isalpha() and len(token_type) <= 20 else "?"
        raise DashboardTokenWrongType(
            f"this is a Saleor {shown!r} token, not the app token the Saleor dashboard hands this app: open the "
            "app from the dashboard (Apps → ROBOT PAYMENT), whose App Bridge sends the right one"
        )
    if claims.get("app") != app_id:
        raise DashboardTokenWrongApp("token was issued for another app")
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise DashboardTokenError("token claim email is missing")
    raw_permissions = claims.get("user_permissions")
    if not isinstance(raw_permissions, list) or not all(isinstance(p, str) for p in raw_permissions):
        raise DashboardTokenError("token claim user_permissions is not a list of names")
    user_id = claims.get("user_id")
    user = DashboardUser(
        email=email,
        permissions=frozenset(raw_permissions),
        user_id=user_id if isinstance(user_id, str) else None,
    )
    for permission in required_permissions:
        user.require_permission(permission)
    return user

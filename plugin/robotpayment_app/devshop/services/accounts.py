"""Sign-in (JWT access tokens), who is calling, customers and metadata."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

import jwt

from ..config import DevshopConfig
from ..context import Requester
from ..domain.records import Address, InstalledApp, User, utc_now
from ..domain.store import ShopStore
from ..errors import PermissionDeniedError, ShopError
from ..ids import InvalidGlobalIdError, from_global_id, to_global_id
from ..keys import SigningKey
from ..passwords import password_matches
from ..webhooks.dispatcher import WebhookDispatcher
from ..webhooks.events import CustomerDeleted, CustomerUpdated


def hash_app_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


_REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600


@dataclass(frozen=True)
class IssuedToken:
    token: str
    user: User
    refresh_token: str | None = None

    def __repr__(self) -> str:
        return f"IssuedToken(user={self.user.email!r})"


@dataclass(frozen=True)
class CustomerChanges:
    """customerUpdate input; None means "leave as is"."""

    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    note: str | None = None
    is_active: bool | None = None
    is_confirmed: bool | None = None
    language_code: str | None = None
    default_billing_address: Address | None = None
    default_shipping_address: Address | None = None
    metadata: dict[str, str] | None = None
    private_metadata: dict[str, str] | None = None


class AccountService:
    def __init__(self, store: ShopStore, key: SigningKey, config: DevshopConfig, webhooks: WebhookDispatcher) -> None:
        self._store = store
        self._key = key
        self._config = config
        self._webhooks = webhooks

    # -- sign-in ---------------------------------------------------------------------------------

    def create_token(self, email: str, password: str) -> IssuedToken:
        user = self._store.user_by_email(email)
        if user is None or not password_matches(password, user.password_hash, user.password_salt):
            raise ShopError("INVALID_CREDENTIALS", "Please, enter valid credentials", "email")
        if not user.is_active:
            raise ShopError("INACTIVE", "Account inactive.", "email")
        return IssuedToken(self._token(user, "access"), user, self._token(user, "refresh"))

    def refresh_token(self, refresh_token: str) -> IssuedToken:
        """tokenRefresh: a new access token for a valid refresh token of an active user."""
        try:
            claims = self._key.verify_token(refresh_token)
        except jwt.ExpiredSignatureError:
            raise ShopError("JWT_SIGNATURE_EXPIRED", "Signature has expired", "refreshToken") from None
        except jwt.InvalidTokenError:
            raise ShopError("JWT_INVALID_TOKEN", "Invalid token", "refreshToken") from None
        user = self._user_of(claims) if claims.get("type") == "refresh" else None
        if user is None:
            raise ShopError("JWT_INVALID_TOKEN", "Invalid token", "refreshToken")
        return IssuedToken(self._token(user, "access"), user)

    def app_access_token(self, requester: Requester, app: InstalledApp) -> str | None:
        """`App.accessToken`: the JWT the dashboard hands an app's page (App Bridge), staff only.

        Like Saleor's: type `thirdparty`, `app` = the app's id, `user_permissions` = the staff
        user's, `permissions` = those the user and the app both hold.
        """
        user = requester.user
        if user is None or requester.app is not None or not user.is_staff:
            return None
        extra = {
            "app": to_global_id("App", app.pk),
            "permissions": sorted(app.permissions & user.permissions),
            "user_permissions": sorted(user.permissions),
        }
        return self._token(user, "thirdparty", extra)

    def _token(self, user: User, kind: str, extra: dict[str, Any] | None = None) -> str:
        now = int(time.time())
        lifetime = _REFRESH_TOKEN_TTL_SECONDS if kind == "refresh" else self._config.access_token_ttl_seconds
        claims: dict[str, Any] = {
            "iat": now,
            "exp": now + lifetime,
            "iss": self._config.api_url,
            "owner": "saleor",
            "type": kind,
            "token": user.jwt_token_key,
            "email": user.email,
            "user_id": to_global_id("User", user.pk),
            "is_staff": user.is_staff,
            **(extra or {}),
        }
        return self._key.issue_token(claims)

    def _user_of(self, claims: dict[str, Any]) -> User | None:
        try:
            _, pk = from_global_id(str(claims.get("user_id", "")), "User")
        except InvalidGlobalIdError:
            return None
        user = self._store.users.get(int(pk)) if pk.isdigit() else None
        if user is None or not user.is_active or user.jwt_token_key != claims.get("token"):
            return None
        return user

    def authenticate(self, authorization: str | None) -> Requester:
        """Requester from `Authorization: Bearer <JWT or app token>`; a bad token is noted, not raised."""
        if not authorization:
            return Requester()
        scheme, _, credential = authorization.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            return Requester(auth_error="Invalid Authorization header: expected `Bearer <token>`.")
        credential = credential.strip()
        if credential.count(".") == 2:
            return self._user_from_jwt(credential)
        digest = hash_app_token(credential)
        app = next((a for a in self._store.apps.values() if a.token_hash == digest and a.is_active), None)
        if app is None:
            return Requester(auth_error="Invalid app token.")
        return Requester(app=app)

    def _user_from_jwt(self, token: str) -> Requester:
        try:
            claims = self._key.verify_token(token)
        except jwt.ExpiredSignatureError:
            return Requester(auth_error="Signature has expired")
        except jwt.InvalidTokenError:
            return Requester(auth_error="Invalid token")
        if claims.get("type") not in ("access", "thirdparty"):
            return Requester(auth_error="Invalid token type")
        user = self._user_of(claims)
        if user is None:
            return Requester(auth_error="Invalid token")
        if claims["type"] == "thirdparty":
            # an app acting for a staff user gets only what both hold, as on Saleor
            return Requester(user=user, limited_to=frozenset(claims.get("permissions") or ()))
        return Requester(user=user)

    # -- customers -------------------------------------------------------------------------------

    def find_user(self, global_id: str) -> User:
        try:
            _, pk = from_global_id(global_id, "User")
        except InvalidGlobalIdError as exc:
            raise ShopError("INVALID", str(exc), "id") from None
        user = self._store.users.get(int(pk)) if pk.isdigit() else None
        if user is None:
            raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {global_id}", "id")
        return user

    async def update_customer(self, requester: Requester, global_id: str, changes: CustomerChanges) -> User:
        requester.require_any("MANAGE_USERS")
        user = self.find_user(global_id)
        if changes.email is not None:
            other = self._store.user_by_email(changes.email)
            if other is not None and other.pk != user.pk:
                raise ShopError("UNIQUE", "User with this Email already exists.", "email")
            if "@" not in changes.email:
                raise ShopError("INVALID", "Enter a valid email address.", "email")
            user.email = changes.email
        for name in ("first_name", "last_name", "note", "is_active", "is_confirmed", "language_code"):
            value = getattr(changes, name)
            if value is not None:
                setattr(user, name, value)
        if changes.default_billing_address is not None:
            user.default_billing_address = changes.default_billing_address
        if changes.default_shipping_address is not None:
            user.default_shipping_address = changes.default_shipping_address
        if changes.metadata:
            user.metadata.update(changes.metadata)
        if changes.private_metadata:
            user.private_metadata.update(changes.private_metadata)
        user.updated_at = utc_now()
        await self._webhooks.publish(CustomerUpdated(user=user, issuing_principal=requester.principal))
        return user

    async def delete_customer(self, requester: Requester, global_id: str) -> User:
        requester.require_any("MANAGE_USERS")
        user = self.find_user(global_id)
        if user.is_staff:
            raise ShopError("DELETE_STAFF_ACCOUNT", "Cannot delete a staff account.", "id")
        # the payload is built before the user disappears, as Saleor does
        await self._webhooks.publish(CustomerDeleted(user=user, issuing_principal=requester.principal))
        del self._store.users[user.pk]
        return user

    def list_customers(self, requester: Requester) -> list[User]:
        requester.require_any("MANAGE_USERS", "MANAGE_ORDERS")
        return sorted((u for u in self._store.users.values() if not u.is_staff), key=lambda u: u.pk)

    def get_user(self, requester: Requester, global_id: str | None, email: str | None) -> User | None:
        requester.require_any("MANAGE_STAFF", "MANAGE_USERS", "MANAGE_ORDERS")
        if global_id is not None:
            try:
                return self.find_user(global_id)
            except ShopError:
                return None
        return self._store.user_by_email(email) if email else None

    # -- metadata --------------------------------------------------------------------------------

    async def update_private_metadata(
        self, requester: Requester, global_id: str, items: dict[str, str]
    ) -> User | InstalledApp:
        """Users (needs MANAGE_USERS; fires CUSTOMER_UPDATED like Saleor) and the calling app itself."""
        try:
            type_name, pk = from_global_id(global_id)
        except InvalidGlobalIdError as exc:
            raise ShopError("INVALID", str(exc), "id") from None
        if any(not key.strip() for key in items):
            raise ShopError("REQUIRED", "Metadata key cannot be empty.", "input")
        if type_name == "App":
            app = self._store.apps.get(int(pk)) if pk.isdigit() else None
            if app is None:
                raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {global_id}", "id")
            if requester.app is None or requester.app.pk != app.pk:
                requester.require_any("MANAGE_APPS")
            app.private_metadata.update(items)
            return app
        if type_name != "User":
            raise ShopError(
                "INVALID",
                f"The devshop keeps private metadata only on users and apps, not {type_name}.",
                "id",
            )
        user = self.find_user(global_id)
        if not requester.has_any("MANAGE_STAFF" if user.is_staff else "MANAGE_USERS"):
            raise PermissionDeniedError(("MANAGE_USERS",))
        user.private_metadata.update(items)
        user.updated_at = utc_now()
        await self._webhooks.publish(CustomerUpdated(user=user, issuing_principal=requester.principal))
        return user

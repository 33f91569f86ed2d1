"""Who is calling (a user, an app or nobody) and the per-request GraphQL context."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import strawberry
from strawberry.fastapi import BaseContext

from .domain.records import InstalledApp, Principal, User
from .errors import PermissionDeniedError

if TYPE_CHECKING:
    from .shop import Devshop


@dataclass(frozen=True)
class Requester:
    """The caller of one GraphQL request; when executing a webhook payload, the recipient app."""

    user: User | None = None
    app: InstalledApp | None = None
    # why a presented token was refused; reported when a field needs a signed-in caller
    auth_error: str | None = None
    # a `thirdparty` token (App.accessToken) carries fewer permissions than its user has
    limited_to: frozenset[str] | None = None

    @property
    def permissions(self) -> frozenset[str]:
        if self.app is not None:
            return self.app.permissions
        if self.user is not None and self.user.is_staff:
            if self.limited_to is not None:
                return self.user.permissions & self.limited_to
            return self.user.permissions
        return frozenset()

    @property
    def principal(self) -> Principal | None:
        if self.app is not None:
            return Principal("app", self.app.pk)
        if self.user is not None:
            return Principal("user", self.user.pk)
        return None

    @property
    def is_staff(self) -> bool:
        return self.app is None and self.user is not None and self.user.is_staff

    def has_any(self, *permissions: str) -> bool:
        return any(p in self.permissions for p in permissions)

    def require_valid_token(self) -> None:
        if self.auth_error is not None:
            raise PermissionDeniedError(message=self.auth_error, code="InvalidToken")

    def require_any(self, *permissions: str) -> None:
        self.require_valid_token()
        if not self.has_any(*permissions):
            raise PermissionDeniedError(permissions)

    def require_user(self) -> User:
        self.require_valid_token()
        if self.user is None or self.app is not None:
            raise PermissionDeniedError(message="You need to be authenticated as a user to access this path.")
        return self.user


class DevshopContext(BaseContext):
    def __init__(self, shop: Devshop, requester: Requester, client_ip: str | None = None) -> None:
        super().__init__()
        self.shop = shop
        self.requester = requester
        self.client_ip = client_ip


Info: TypeAlias = strawberry.Info[DevshopContext, None]

"""What every resolver of the configuration API receives, and the refusals it may raise."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from robotpayment_app.saleor.dashboard_token import MissingPermission
from robotpayment_app.store.records import Installation
from robotpayment_app.web.config_api.auth import StaffSession
from robotpayment_app.web.services import AppServices

CHANGE_PERMISSION = "HANDLE_PAYMENTS"


class ApiRefusal(Exception):
    """A request the API refuses on purpose; becomes a GraphQL error whose `extensions.code` says why."""

    def __init__(self, message: str, *, code: str, **details: Any) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": code, **details}


class PermissionRefused(ApiRefusal):
    def __init__(self, permission: str) -> None:
        super().__init__(
            f"changing the payment configuration needs the {permission} permission",
            code="FORBIDDEN",
            permission=permission,
        )


class BadInput(ApiRefusal):
    def __init__(self, field: str, rule: str) -> None:
        super().__init__(f"{field}: {rule}", code="BAD_USER_INPUT", field=field)


@dataclass(frozen=True)
class ConfigApiContext:
    services: AppServices
    session: StaffSession

    @property
    def installation(self) -> Installation:
        return self.session.installation

    @property
    def staff(self) -> str:
        """Who acts, for the log: the user's id when Saleor gives it, else the e-mail."""
        return self.session.user.user_id or self.session.user.email

    def require_change_permission(self) -> None:
        try:
            self.session.user.require_permission(CHANGE_PERMISSION)
        except MissingPermission as missing:
            raise PermissionRefused(missing.permission) from None

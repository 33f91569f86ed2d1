"""Typed errors raised by the devshop's services; the schema turns them into Saleor error objects."""

from __future__ import annotations

from graphql import GraphQLError


class ShopError(Exception):
    """A business error reported in a mutation's `errors` list (Saleor's `field`/`code`/`message`)."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class PermissionDeniedError(GraphQLError):
    """Saleor's PermissionDenied: the field resolves to null with a top-level error and this code."""

    def __init__(
        self, permissions: tuple[str, ...] = (), message: str | None = None, code: str = "PermissionDenied"
    ) -> None:
        needed = ", ".join(permissions)
        super().__init__(
            message or f"To access this path, you need one of the following permissions: {needed}",
            extensions={"exception": {"code": code}},
        )
        self.permissions = permissions

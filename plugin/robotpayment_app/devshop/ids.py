"""Saleor's global ids (`base64("Type:pk")`) and stored payment method ids (`app:<identifier>:<id>`)."""

from __future__ import annotations

import base64
import binascii

_STORED_METHOD_PREFIX = "app"


class InvalidGlobalIdError(ValueError):
    """An id that is not `base64("Type:pk")` of the expected type."""


def to_global_id(type_name: str, pk: object) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str, expected_type: str | None = None) -> tuple[str, str]:
    """Split a global id into (type, pk); raise InvalidGlobalIdError naming the problem."""
    try:
        decoded = base64.b64decode(global_id.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidGlobalIdError(f"Couldn't resolve id: {global_id!r}.") from None
    type_name, sep, pk = decoded.partition(":")
    if not sep or not type_name or not pk:
        raise InvalidGlobalIdError(f"Couldn't resolve id: {global_id!r}.")
    if expected_type is not None and type_name != expected_type:
        raise InvalidGlobalIdError(f"Must receive a {expected_type} id.")
    return type_name, pk


def to_stored_method_id(app_identifier: str, bare_id: str) -> str:
    """The id Saleor shows storefronts for an app's stored payment method (a plain string)."""
    return f"{_STORED_METHOD_PREFIX}:{app_identifier}:{bare_id}"


def from_stored_method_id(value: str) -> tuple[str, str] | None:
    """(app identifier, bare id) from `app:<identifier>:<id>`, or None if it is not that form."""
    prefix, sep, rest = value.partition(":")
    if prefix != _STORED_METHOD_PREFIX or not sep:
        return None
    identifier, sep, bare = rest.partition(":")
    if not sep or not identifier or not bare:
        return None
    return identifier, bare

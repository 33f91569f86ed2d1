"""Saleor's custom scalars: JSON, JSONString, Metadata (a key → value map) and PositiveDecimal (money as floats
on output)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any, NewType

import strawberry
from graphql import ValueNode, value_from_ast_untyped
from strawberry.types.scalar import ScalarDefinition

JSON = NewType("JSON", object)
JSONString = NewType("JSONString", str)
Metadata = NewType("Metadata", object)
PositiveDecimal = NewType("PositiveDecimal", Decimal)


def _parse_positive_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("PositiveDecimal cannot represent a boolean")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"PositiveDecimal cannot represent {value!r}") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"PositiveDecimal must be a non-negative number, got {value!r}")
    return number


def _parse_positive_decimal_literal(node: ValueNode, variables: dict[str, Any] | None = None) -> Decimal:
    return _parse_positive_decimal(value_from_ast_untyped(node, variables))


def _parse_json_string(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("JSONString must be a string")
    return json.loads(value)


SCALAR_MAP: dict[object, ScalarDefinition] = {
    JSON: strawberry.scalar(
        name="JSON",
        serialize=lambda value: value,
        parse_value=lambda value: value,
        parse_literal=value_from_ast_untyped,
    ),
    Metadata: strawberry.scalar(
        name="Metadata",
        description="Metadata is a map of key-value pairs, both keys and values are `String`.",
        serialize=lambda value: value,
        parse_value=lambda value: value,
    ),
    JSONString: strawberry.scalar(
        name="JSONString",
        serialize=lambda value: value if isinstance(value, str) else json.dumps(value),
        parse_value=_parse_json_string,
    ),
    PositiveDecimal: strawberry.scalar(
        name="PositiveDecimal",
        # Saleor serialises decimals as JSON floats (`3500.0`); apps rely on that form
        serialize=lambda value: float(value),
        parse_value=_parse_positive_decimal,
        parse_literal=_parse_positive_decimal_literal,
    ),
}

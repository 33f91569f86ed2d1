"""Reprs that hide secrets: the user `key`, the token `tkn`, issued passwords.

Mark a dataclass field with `metadata=SECRET`; `masked_repr` prints it as `'***'` (or `None`/`''` when unset,
so a reader can still tell whether it was there).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

SECRET: dict[str, bool] = {"secret": True}
MASK = "***"


def masked_repr(instance: Any) -> str:
    """`ClassName(field=value, ...)` with secret fields masked."""
    parts = []
    for field in dataclasses.fields(instance):
        value = getattr(instance, field.name)
        if field.metadata.get("secret") and value:
            shown = repr(MASK)
        elif isinstance(value, Mapping):
            shown = repr(dict(value))
        else:
            shown = repr(value)
        parts.append(f"{field.name}={shown}")
    return f"{type(instance).__name__}({', '.join(parts)})"

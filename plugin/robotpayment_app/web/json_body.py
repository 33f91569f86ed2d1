"""The one JSON parser of the routes that read JSON bodies (register, webhooks, configuration API), with a nesting
limit.

Python's parser recurses once per level: a body nested a few thousand levels deep raised `RecursionError` (a 500),
and one nested a few hundred levels deep parsed but then broke whatever walked it recursively. Saleor's payloads and
the configuration API's requests nest a dozen levels at most, so anything deeper than `MAX_JSON_DEPTH` is refused:
while parsing when the parser's own recursion gives out, else by measuring the body's brackets once it has parsed.
Bodies must be UTF-8 (RFC 8259), which is also what makes measuring the raw bytes exact: in UTF-8 no byte of a
multi-byte character is a quote, a backslash or a bracket.
"""

from __future__ import annotations

import json
from typing import Any

MAX_JSON_DEPTH = 64

_BRACKETS_AS_SQUARE = bytes.maketrans(b"{}", b"[]")
_ALL_BUT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))


class InvalidJson(ValueError):
    """The body cannot be used as JSON; `reason` completes "the body is …"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JsonTooDeep(InvalidJson):
    def __init__(self) -> None:
        super().__init__(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")


def _outside_strings(raw: bytes) -> bytes:
    """Of a body that parsed: what lies outside its strings. Backslashes occur only in strings, each escaping the
    next character: with escaped backslashes, then escaped quotes removed, every quote left opens or closes one."""
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    return b"".join(unescaped.split(b'"')[::2])


def _nested_too_deep(raw: bytes) -> bool:
    """Of a body that parsed: its brackets outside strings, with every innermost pair removed once per level."""
    structure = _outside_strings(raw).translate(_BRACKETS_AS_SQUARE, _ALL_BUT_BRACKETS)
    for _ in range(MAX_JSON_DEPTH):
        structure = structure.replace(b"[]", b"")
        if not structure:
            return False
    return True


def parse_json(raw: bytes) -> Any:
    """The parsed body; raises `JsonTooDeep`, or `InvalidJson` when it is not UTF-8 JSON."""
    try:
        value = json.loads(raw.decode("utf-8"))
    except RecursionError:  # deeper than the interpreter's own limit
        raise JsonTooDeep() from None
    except ValueError:  # UnicodeDecodeError, JSONDecodeError
        raise InvalidJson("not JSON") from None
    # no more opening brackets than the limit cannot nest deeper: most bodies are never measured
    if raw.count(b"{") + raw.count(b"[") > MAX_JSON_DEPTH and _nested_too_deep(raw):
        raise JsonTooDeep()
    return value

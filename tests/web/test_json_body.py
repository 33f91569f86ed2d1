"""The routes' JSON parser measures nesting on the raw bytes: it must agree with the parsed value's own depth,
whatever the strings hold (brackets, quotes, backslashes, any character)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robotpayment_app.web.json_body import MAX_JSON_DEPTH, InvalidJson, JsonTooDeep, parse_json

# strings made of what could confuse a byte-level reading of JSON
_TRICKY_TEXT = st.text(alphabet=st.sampled_from(['"', "\\", "[", "]", "{", "}", "/", "n", "u", "é", "支", "\x01"]))
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _TRICKY_TEXT,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(_TRICKY_TEXT, children, max_size=3),
    max_leaves=40,
)


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _wrapped(value: Any, levels: int) -> Any:
    for _ in range(levels):
        value = [value]
    return value


@given(value=_VALUES, extra=st.integers(min_value=0, max_value=MAX_JSON_DEPTH + 5), ascii_only=st.booleans())
def test_nesting_is_measured_as_the_parsed_value_nests(value: Any, extra: int, ascii_only: bool) -> None:
    document = _wrapped(value, extra)
    raw = json.dumps(document, ensure_ascii=ascii_only).encode()
    if _depth(document) > MAX_JSON_DEPTH:
        with pytest.raises(JsonTooDeep):
            parse_json(raw)
    else:
        assert parse_json(raw) == document


@pytest.mark.parametrize(
    "raw", [b"", b"{", b"\xff{}", '{"a": 1}'.encode("utf-16"), b'"\\', b'["' + b'\\"' * 5_000, b"[" * 100_000]
)
def test_what_is_not_utf8_json_is_refused_as_such(raw: bytes) -> None:
    with pytest.raises(InvalidJson) as refused:
        parse_json(raw)
    assert refused.value.reason in ("not JSON", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")

"""The gateway's wire format, both ways, as pure functions: request parameters in, answer lines out.

Requests are `application/x-www-form-urlencoded` (query string for GET, body for POST; both are
read, as ASP.NET's `Request[...]` does). A parameter sent twice reads as its values joined by a
comma, again as ASP.NET does, so it fails the field's own check. Parameters an endpoint does not
define are the caller's free data (その他データ) and are echoed back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from robotpayment_app.sandbox.errors import GatewayError

FREE_DATA_MAX_BYTES = 1024

FreeData = tuple[tuple[str, str], ...]
BulkAnswerLayout = Literal["table", "sample"]
# Never shown in a repr: the user key, the token, a card number or security code.
SECRET_FIELDS = frozenset({"key", "tkn", "cn", "cvv"})


@dataclass(frozen=True, slots=True)
class Params:
    """One request's parameters: the endpoint's own fields and the free data, in the order sent."""

    fields: dict[str, str]
    free: FreeData

    def __getitem__(self, name: str) -> str:
        """The field's value, or "" when it was not sent (the gateway treats both alike)."""
        return self.fields.get(name, "")

    def has(self, name: str) -> bool:
        return self.fields.get(name, "") != ""

    def __repr__(self) -> str:
        shown = {name: "***" if name in SECRET_FIELDS else value for name, value in self.fields.items()}
        return f"Params(fields={shown!r}, free={self.free!r})"


def parse_params(query: bytes, body: bytes, known: frozenset[str]) -> Params:
    """Split a request's form-encoded query and body into the endpoint's fields and free data."""
    fields: dict[str, str] = {}
    free: list[tuple[str, str]] = []
    for raw in (query, body):
        if not raw:
            continue
        text = raw.decode("utf-8", errors="replace")
        for name, value in parse_qsl(text, keep_blank_values=True, errors="replace"):
            if name in known:
                fields[name] = f"{fields[name]},{value}" if name in fields else value
            elif name:
                free.append((name, value))
    return Params(fields=fields, free=tuple(free))


def encode_free_data(free: FreeData) -> str:
    """Free data as one field: `k=v&k2=v2`, percent-encoded so that no comma or newline breaks the line."""
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in free)


def check_free_data(free: FreeData) -> None:
    if len(encode_free_data(free).encode("ascii")) > FREE_DATA_MAX_BYTES:
        raise GatewayError("ER001", f"free data: at most {FREE_DATA_MAX_BYTES} bytes")


@dataclass(frozen=True, slots=True)
class AnswerStyle:
    """How answer lines are written beyond their fields (SandboxConfig: line_ending, empty_free_data_field,
    bulk_answer_layout)."""

    line_ending: str = ""
    empty_free_data_field: bool = False
    bulk_layout: BulkAnswerLayout = "table"


def answer_line(fields: Sequence[str], free: FreeData, style: AnswerStyle = AnswerStyle()) -> str:
    """An rt=1 / carduser answer: the table's fields in order, then the free data when any was sent (an empty
    field for none when the style says so)."""
    parts = list(fields)
    if free:
        parts.append(encode_free_data(free))
    elif style.empty_free_data_field:
        parts.append("")
    return ",".join(parts) + style.line_ending


def kickback_url(base_url: str, fields: Iterable[tuple[str, str]], free: FreeData) -> str:
    """The notification URL: the store's URL with the result fields and the free data as query."""
    scheme, netloc, path, query, fragment = urlsplit(base_url)
    added = urlencode([*fields, *free], quote_via=quote)
    return urlunsplit((scheme, netloc, path, f"{query}&{added}" if query else added, fragment))

"""The gateway's wire formats as pure functions: no I/O, plain strings and bytes in and out.

Requests: `encode_form` (application/x-www-form-urlencoded; every reserved character, spaces and newlines
included, is percent-encoded as the spec asks for free data). The charset is a parameter, UTF-8 by default
[inferred: the spec names none].

Answers (rt=1, "HTML出力 カンマ区切り"): one comma-separated line, maybe ending in `\\r\\n`, maybe shorter
than the table (fields after `ec` missing on errors), or a plain `ER:ERxxx` [third-party]. Parsers raise only
`GatewayAnswerError`, whatever the input.

Telling the echoed free data from positional fields: fields are read in the table's order; the free data
starts at the first item after them, or earlier at the first item holding `=` in a position whose field can
never hold one (every field except `cod` and `em`), which means the answer was short. After that, items of the
form `key=value` (non-empty key) are free data, split at the first `=`, values percent-decoded [inferred: the
spec has callers percent-encode spaces and newlines, and echoes what was sent; a decoded echo reads the same
unless it holds `%`]; other items are kept in `trailing_fields`. Positional fields are stripped of
surrounding whitespace (the spec's samples show stray spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from urllib.parse import parse_qsl, quote, unquote

from .answers import CardDetails, CardRecord, CustomerRecord, PaymentResult
from .error_catalogue import ErrorEntry, lookup_error
from .errors import GatewayAnswerError, GatewayValidationError

DEFAULT_CHARSET = "utf-8"

PAYMENT_LAYOUT = ("gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta", "id", "ps")
REGISTRATION_PAYMENT_LAYOUT = (*PAYMENT_LAYOUT, "uid", "key", "num")
# The spec's own bulk registration sample has 14 fields, one of the (empty) id/ps fewer than its table.
REGISTRATION_PAYMENT_SAMPLE_LAYOUT = (*PAYMENT_LAYOUT[:-1], "uid", "key", "num")
CUSTOMER_LAYOUT = ("rst", "ec", "uid", "key")
CUSTOMER_READ_LAYOUT = (*CUSTOMER_LAYOUT, "em", "pn")
CARD_LAYOUT = (*CUSTOMER_LAYOUT, "num")
CARD_READ_LAYOUT = (*CARD_LAYOUT, "cn", "ed", "fn", "ln")

_MAY_HOLD_EQUALS = frozenset({"cod", "em"})
_PLAIN_ERROR = re.compile(r"ER:\s*([A-Za-z0-9]+)", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
STORE_ID = re.compile(r"[0-9]{6}", re.ASCII)
# No payment number or amount the gateway issues comes near these lengths; longer digit strings are no answer of
# its (and Python refuses to read ints of more than 4,300 digits at all).
MAX_GID_DIGITS = 20
MAX_AMOUNT_DIGITS = 15
_MAX_QUERY_FIELDS = 200


def encode_form(params: Iterable[tuple[str, str]], charset: str = DEFAULT_CHARSET) -> bytes:
    """`name=value&...` in the given order, every value percent-encoded in `charset`."""
    encoded = []
    for name, value in params:
        try:
            encoded.append(f"{quote(name, safe='')}={quote(value, safe='', encoding=charset)}")
        except UnicodeEncodeError:
            raise GatewayValidationError(name, f"cannot be encoded in {charset}") from None
    return "&".join(encoded).encode("ascii")


def decode_answer(body: bytes, charset: str = DEFAULT_CHARSET) -> str:
    """The answer body as text."""
    try:
        return body.decode(charset)
    except (UnicodeDecodeError, LookupError):
        raise GatewayAnswerError(f"answer is not valid {charset}") from None


@dataclass(frozen=True, slots=True)
class AnswerFields:
    """An answer split into named positional fields, echoed free data and other trailing items."""

    named: dict[str, str]
    extra: dict[str, str]
    trailing: tuple[str, ...]


def _items(text: str) -> list[str]:
    line = text.lstrip("\ufeff").strip()
    if not line:
        raise GatewayAnswerError("empty answer")
    return line.split(",")


def _plain_error(text: str) -> str | None:
    match = _PLAIN_ERROR.fullmatch(text.lstrip("\ufeff").strip())
    return None if match is None else match.group(1)


def split_fields(items: list[str], layout: tuple[str, ...], charset: str = DEFAULT_CHARSET) -> AnswerFields:
    """Map items to the layout's names, then separate the free data (see the module docstring)."""
    named: dict[str, str] = {}
    index = 0
    for name in layout:
        if index >= len(items):
            break
        item = items[index]
        if "=" in item and name not in _MAY_HOLD_EQUALS:
            break
        named[name] = item.strip()
        index += 1
    extra: dict[str, str] = {}
    trailing: list[str] = []
    for item in items[index:]:
        key, equals, value = item.partition("=")
        key = key.strip()
        if not equals or not key:
            trailing.append(item)
        elif key in extra:
            raise GatewayAnswerError("a free-data key appears twice")
        else:
            extra[key] = _decoded(value, charset)
    return AnswerFields(named, extra, tuple(trailing))


def _decoded(value: str, charset: str) -> str:
    try:
        return unquote(value, encoding=charset, errors="replace")
    except LookupError:
        raise GatewayAnswerError(f"unknown charset {charset}") from None


def _succeeded(named: Mapping[str, str]) -> bool:
    rst = named.get("rst", "")
    if rst == "1":
        return True
    if rst == "2":
        return False
    raise GatewayAnswerError("rst must be 1 or 2")


def _error(succeeded: bool, code: str) -> ErrorEntry | None:
    if code:
        return lookup_error(code)
    return None if succeeded else lookup_error("")


def _require(named: Mapping[str, str], *names: str) -> None:
    for name in names:
        if not named.get(name):
            raise GatewayAnswerError(f"a successful answer must carry {name}")


def _optional_int(named: Mapping[str, str], name: str) -> int | None:
    value = named.get(name, "")
    if not value:
        return None
    if _DIGITS.fullmatch(value) is None:
        raise GatewayAnswerError(f"{name} must be ASCII digits")
    if len(value) > MAX_AMOUNT_DIGITS:
        raise GatewayAnswerError(f"{name} has more than {MAX_AMOUNT_DIGITS} digits")
    return int(value)


def parse_customer_answer(
    text: str, *, with_contact: bool = False, charset: str = DEFAULT_CHARSET
) -> CustomerRecord:
    """User register/update/delete answer; `with_contact=True` for the read answer (adds em, pn)."""
    code = _plain_error(text)
    if code is not None:
        return CustomerRecord(succeeded=False, error=lookup_error(code), customer_id="", customer_key="")
    answer = split_fields(_items(text), CUSTOMER_READ_LAYOUT if with_contact else CUSTOMER_LAYOUT, charset)
    named = answer.named
    succeeded = _succeeded(named)
    if succeeded:
        _require(named, "uid", "key")
    return CustomerRecord(
        succeeded=succeeded,
        error=_error(succeeded, named.get("ec", "")),
        customer_id=named.get("uid", ""),
        customer_key=named.get("key", ""),
        email=named.get("em") or None,
        phone=named.get("pn") or None,
        extra=MappingProxyType(answer.extra),
        trailing_fields=answer.trailing,
    )


def parse_card_answer(text: str, *, charset: str = DEFAULT_CHARSET) -> CardRecord:
    """Card register/update/delete answer."""
    code = _plain_error(text)
    if code is not None:
        return CardRecord(
            succeeded=False, error=lookup_error(code), customer_id="", customer_key="", card_seq=""
        )
    answer = split_fields(_items(text), CARD_LAYOUT, charset)
    named = answer.named
    succeeded = _succeeded(named)
    if succeeded:
        _require(named, "uid", "key", "num")
    return CardRecord(
        succeeded=succeeded,
        error=_error(succeeded, named.get("ec", "")),
        customer_id=named.get("uid", ""),
        customer_key=named.get("key", ""),
        card_seq=named.get("num", ""),
        extra=MappingProxyType(answer.extra),
        trailing_fields=answer.trailing,
    )


def parse_card_details_answer(text: str, *, charset: str = DEFAULT_CHARSET) -> CardDetails:
    """Card read answer. The spec's own sample omits the (empty) `ec` field: a success whose second item is
    not empty is read in that form."""
    code = _plain_error(text)
    if code is not None:
        return CardDetails(
            succeeded=False,
            error=lookup_error(code),
            customer_id="",
            customer_key="",
            card_seq="",
            masked_number="",
            expiry="",
            first_name="",
            last_name="",
        )
    items = _items(text)
    if items[0].strip() == "1" and len(items) > 1 and items[1].strip():
        items.insert(1, "")
    answer = split_fields(items, CARD_READ_LAYOUT, charset)
    named = answer.named
    succeeded = _succeeded(named)
    if succeeded:
        _require(named, "uid", "key", "num")
    return CardDetails(
        succeeded=succeeded,
        error=_error(succeeded, named.get("ec", "")),
        customer_id=named.get("uid", ""),
        customer_key=named.get("key", ""),
        card_seq=named.get("num", ""),
        masked_number=named.get("cn", ""),
        expiry=named.get("ed", ""),
        first_name=named.get("fn", ""),
        last_name=named.get("ln", ""),
        extra=MappingProxyType(answer.extra),
        trailing_fields=answer.trailing,
    )


def read_payment_fields(
    named: Mapping[str, str],
    *,
    extra: Mapping[str, str],
    trailing: tuple[str, ...] = (),
    require_gid: bool = True,
) -> PaymentResult:
    """A `PaymentResult` from named payment fields (CSV answer or kickback query).

    `gid` empty or zero (the official failure sample answers `0`) means no payment number. A success without
    one is malformed unless `require_gid` is False (SALES/CANCEL, whose gid the caller already knows). The
    total `ta` must be `am + tx + sf` when all four are given [spec].
    """
    succeeded = _succeeded(named)
    raw_gid = named.get("gid", "")
    if raw_gid and _DIGITS.fullmatch(raw_gid) is None:
        raise GatewayAnswerError("gid must be ASCII digits")
    if len(raw_gid) > MAX_GID_DIGITS:
        raise GatewayAnswerError(f"gid has more than {MAX_GID_DIGITS} digits")
    gid = raw_gid if raw_gid and int(raw_gid) != 0 else None
    if succeeded and gid is None and require_gid:
        raise GatewayAnswerError("a successful answer must carry gid")
    amounts = [_optional_int(named, name) for name in ("am", "tx", "sf", "ta")]
    am, tx, sf, ta = amounts
    if am is not None and tx is not None and sf is not None and ta is not None and am + tx + sf != ta:
        raise GatewayAnswerError(
            "ta is not the sum of am, tx and sf"
        )  # e.g. a field shifted by a stray comma
    return PaymentResult(
        succeeded=succeeded,
        gid=gid,
        approval_number=named.get("ap", ""),
        error=_error(succeeded, named.get("ec", "")),
        order_code=named.get("god", ""),
        order_ref=named.get("cod", ""),
        amount=am,
        tax=tx,
        shipping=sf,
        total=ta,
        issued_id=named.get("id", ""),
        issued_password=named.get("ps", ""),
        customer_id=named.get("uid") or None,
        customer_key=named.get("key") or None,
        card_seq=named.get("num") or None,
        extra=MappingProxyType(dict(extra)),
        trailing_fields=trailing,
    )


def parse_payment_answer(
    text: str, *, with_registration: bool = False, require_gid: bool = True, charset: str = DEFAULT_CHARSET
) -> PaymentResult:
    """rt=1 payment answer; `with_registration=True` for the bulk registration payment (adds uid key num).

    A registration answer with exactly 14 fields before the free data is read as the spec's sample is: without
    `ps` (both id and ps are empty unless a content product was sold).
    """
    code = _plain_error(text)
    if code is not None:
        return PaymentResult(
            succeeded=False,
            gid=None,
            approval_number="",
            error=lookup_error(code),
            order_code="",
            order_ref="",
            amount=None,
            tax=None,
            shipping=None,
            total=None,
        )
    items = _items(text)
    if not with_registration:
        answer = split_fields(items, PAYMENT_LAYOUT, charset)
    else:
        answer = split_fields(items, REGISTRATION_PAYMENT_LAYOUT, charset)
        if len(answer.named) == len(REGISTRATION_PAYMENT_SAMPLE_LAYOUT):
            answer = split_fields(items, REGISTRATION_PAYMENT_SAMPLE_LAYOUT, charset)
    return read_payment_fields(
        answer.named, extra=answer.extra, trailing=answer.trailing, require_gid=require_gid
    )


def parse_query(query: str, charset: str = DEFAULT_CHARSET) -> list[tuple[str, str]]:
    """A URL query string (with or without the leading `?`) as decoded `(name, value)` pairs, in order."""
    try:
        return parse_qsl(
            query.removeprefix("?"),
            keep_blank_values=True,
            encoding=charset,
            errors="strict",
            max_num_fields=_MAX_QUERY_FIELDS,
        )
    except (ValueError, LookupError):
        raise GatewayAnswerError("query string is not valid form encoding") from None

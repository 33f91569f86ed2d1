"""Validators for every request field, after the spec's 形式 (format) column.

Each takes the raw value, returns it normalised, or raises `GatewayValidationError` naming the wire field and
the rule. Error texts never repeat the value (it may be a key or a token). Rules marked [inferred] are ours,
added so that answers stay parseable; each lives in one place here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from urllib.parse import quote

from .errors import GatewayValidationError

# English names one layer up, used in error texts.
ENGLISH_NAMES: dict[str, str] = {
    "aid": "store_id",
    "uid": "customer_id",
    "key": "customer_key",
    "em": "email",
    "pn": "phone",
    "tkn": "token",
    "num": "card_seq",
    "jb": "job",
    "cod": "order_ref",
    "am": "amount",
    "tx": "tax",
    "sf": "shipping",
    "iid": "item_id",
    "md": "payment_method",
    "pt": "installments",
    "tid": "gid",
}

# Every name the gateway reads or answers with. Free-data keys must avoid them all (compared without case, as
# ASP.NET reads parameters), or the gateway or our answer and kickback parsers would take them for real
# fields.
GATEWAY_FIELD_NAMES = frozenset(
    {
        "aid", "cmd", "uid", "key", "em", "pn", "tkn", "num", "jb", "rt", "cod", "am", "tx", "sf", "iid",
        "md", "pt", "tid", "gid", "rst", "ap", "ec", "god", "ta", "id", "ps", "cn", "ed", "fn", "ln", "cvv",
    }
)  # fmt: skip

FREE_DATA_MAX_BYTES = 1024
ORDER_REF_MAX_BYTES = 50
INSTALLMENT_COUNTS = frozenset({3, 5, 6, 10, 12, 15, 18, 20, 24})


class JobType(StrEnum):
    """`jb`: what the gateway does with the money."""

    AUTH = "AUTH"  # 仮売上: authorise only, capture (SALES) within 90 days
    CAPTURE = "CAPTURE"  # 仮実同時売上: authorise and capture at once
    CHECK = "CHECK"  # card validity check, plain token payment only [official]
    SALES = "SALES"  # 実売上: capture an AUTH [official-old]
    CANCEL = "CANCEL"  # 取消: void [official-old]


class PaymentMethod(StrEnum):
    """`md`: how the shopper pays the card bill; absent means lump sum."""

    LUMP_SUM = "10"  # 一括払い
    INSTALLMENTS = "61"  # 分割払い (needs `pt`)
    REVOLVING = "80"  # リボ払い


_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_ALNUM = re.compile(r"[A-Za-z0-9]+", re.ASCII)
_VISIBLE_ASCII = re.compile(r"[!-~]+", re.ASCII)  # printable ASCII without space
_FREE_DATA_KEY = re.compile(r"[A-Za-z0-9_.\-]+", re.ASCII)  # [inferred]: plain names only
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _fail(field: str, rule: str) -> GatewayValidationError:
    return GatewayValidationError(field, rule, name=ENGLISH_NAMES.get(field))


def _text(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise _fail(field, f"must be a string, not {type(value).__name__}")
    return value


def _pattern(value: object, field: str, pattern: re.Pattern[str], max_length: int, what: str) -> str:
    text = _text(value, field)
    if not text:
        raise _fail(field, "is required and must not be empty")
    if len(text) > max_length:
        raise _fail(field, f"must be at most {max_length} {what}")
    if pattern.fullmatch(text) is None:
        raise _fail(field, f"must be {what}")
    return text


def store_id(value: object) -> str:
    """`aid`: exactly 6 ASCII digits."""
    text = _text(value, "aid")
    if len(text) != 6 or _DIGITS.fullmatch(text) is None:
        raise _fail("aid", "must be exactly 6 ASCII digits")
    return text


def customer_id(value: object) -> str:
    """`uid`: 1-50 ASCII letters or digits."""
    return _pattern(value, "uid", _ALNUM, 50, "ASCII letters or digits")


def customer_key(value: object, *, max_length: int = 10) -> str:
    """`key`: ASCII letters or digits, at most 10 (the user update/delete tables say 100)."""
    return _pattern(value, "key", _ALNUM, max_length, "ASCII letters or digits")


def email(value: object) -> str:
    """`em`: at most 254 printable ASCII characters without spaces, one `@` between non-empty parts."""
    text = _pattern(value, "em", _VISIBLE_ASCII, 254, "printable ASCII characters without spaces")
    local, at, domain = text.partition("@")
    if not at or not local or not domain or "@" in domain:
        raise _fail("em", "must contain exactly one '@' between non-empty parts")
    if "," in text:  # [inferred] the customer read answer echoes em in a comma-separated line
        raise _fail("em", "must not contain ','")
    return text


def phone(value: object) -> str:
    """`pn`: 1-15 ASCII digits."""
    return _pattern(value, "pn", _DIGITS, 15, "ASCII digits")


def item_id(value: object) -> str:
    """`iid`: 1-50 ASCII letters or digits."""
    return _pattern(value, "iid", _ALNUM, 50, "ASCII letters or digits")


def card_seq(value: object) -> str:
    """`num`: the card's sequence number, ASCII digits (at most 10: a sanity bound of ours)."""
    return _pattern(value, "num", _DIGITS, 10, "ASCII digits")


def payment_id(value: object) -> str:
    """`tid` (a `gid` given back for SALES/CANCEL): ASCII digits (at most 20: a sanity bound of ours)."""
    return _pattern(value, "tid", _DIGITS, 20, "ASCII digits")


def token(value: object) -> str:
    """`tkn`: printable ASCII without spaces (半角英数記号), 1-2048 (the bound is our sanity limit)."""
    return _pattern(value, "tkn", _VISIBLE_ASCII, 2048, "printable ASCII characters without spaces")


def order_ref(value: object) -> str:
    """`cod`: 1-50 bytes (UTF-8 counted); [inferred] no control characters, no ',' (it comes back in a
    comma-separated answer) and no surrounding spaces (the gateway's samples show stray ones we strip)."""
    text = _text(value, "cod")
    if not text:
        raise _fail("cod", "is required and must not be empty")
    if len(text.encode("utf-8")) > ORDER_REF_MAX_BYTES:
        raise _fail("cod", f"must be at most {ORDER_REF_MAX_BYTES} bytes")
    if _CONTROL.search(text) or "," in text:
        raise _fail("cod", "must not contain control characters or ','")
    if text != text.strip():
        raise _fail("cod", "must not start or end with whitespace")
    return text


def money(value: object, field: str) -> int:
    """`am`/`tx`/`sf`: a non-negative whole number of yen; bool, float and fractional Decimal are refused."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _fail(field, "must be a non-negative integer (int or whole Decimal)")
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            raise _fail(field, "must be a whole number of yen")
        value = int(value)
    if value < 0:
        raise _fail(field, "must not be negative")
    return value


def job(value: object, allowed: Iterable[JobType]) -> JobType:
    """`jb`: one of the job types this call accepts."""
    permitted = tuple(allowed)
    names = "/".join(member.value for member in permitted)
    if not isinstance(value, str) or value not in {member.value for member in permitted}:
        raise _fail("jb", f"must be one of {names} for this call")
    return JobType(value)


def payment_method(value: object) -> PaymentMethod | None:
    """`md`: 10, 61 or 80, or absent (lump sum)."""
    if value is None:
        return None
    if isinstance(value, str) and value in {member.value for member in PaymentMethod}:
        return PaymentMethod(value)
    raise _fail("md", "must be 10 (lump sum), 61 (instalments) or 80 (revolving)")


def installments(value: object, method: PaymentMethod | None) -> int | None:
    """`pt`: required with md=61 and refused otherwise; one of 3,5,6,10,12,15,18,20,24."""
    if method is not PaymentMethod.INSTALLMENTS:
        if value is not None:
            raise _fail("pt", "is only allowed with md=61 (instalments)")
        return None
    if value is None:
        raise _fail("pt", "is required with md=61 (instalments)")
    if isinstance(value, bool) or not isinstance(value, int) or value not in INSTALLMENT_COUNTS:
        counts = ",".join(str(count) for count in sorted(INSTALLMENT_COUNTS))
        raise _fail("pt", f"must be one of {counts}")
    return value


def email_or_phone(email_value: str | None, phone_value: str | None) -> None:
    """Where the spec marks em/pn with ※: at least one of them."""
    if email_value is None and phone_value is None:
        raise GatewayValidationError("em", "em (email) or pn (phone) is required", name="email")


def free_data(value: object, own_fields: Iterable[str]) -> dict[str, str]:
    """その他データ: key=value pairs echoed back by the gateway.

    Keys: ASCII letters, digits, `_`, `.`, `-` [inferred], not a gateway field name (any case). Values: text
    without ',' or '&' [inferred: the echo is comma separated, and may join the pairs with '&' in one field,
    so neither can be told from a separator if the gateway echoes values decoded]; spaces and newlines are
    allowed (they are percent-encoded). All pairs, once encoded as `k=v&k=v`, must fit in 1024 bytes.
    """
    if not isinstance(value, Mapping):
        raise _fail("extra", "must be a mapping of free-data keys to string values")
    taken = {name.lower() for name in own_fields} | GATEWAY_FIELD_NAMES
    pairs: dict[str, str] = {}
    for key, item in value.items():
        if not isinstance(key, str) or _FREE_DATA_KEY.fullmatch(key) is None:
            raise _fail("extra", "keys must be ASCII letters, digits, '_', '.' or '-'")
        if key.lower() in taken:
            raise _fail(f"extra[{key}]", "collides with a gateway field name")
        if not isinstance(item, str):
            raise _fail(f"extra[{key}]", "must be a string")
        if "," in item or "&" in item:
            raise _fail(f"extra[{key}]", "must not contain ',' or '&'")
        pairs[key] = item
    encoded = "&".join(f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs.items())
    if len(encoded.encode("ascii")) > FREE_DATA_MAX_BYTES:
        raise _fail("extra", f"must be at most {FREE_DATA_MAX_BYTES} bytes once encoded")
    return pairs

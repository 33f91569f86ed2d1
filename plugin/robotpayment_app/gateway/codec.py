"""The gateway's wire formats as pure functions: no I/O, plain strings and bytes in and out.

Requests: `encode_form` (application/x-www-form-urlencoded; every reserved character, spaces and newlines
included, is percent-encoded as the spec asks for free data). The charset is a parameter, UTF-8 by default
[inferred: the spec names none; its pages are UTF-8].

Answers (rt=1, "HTML出力 カンマ区切り"): one comma-separated line, maybe ending in `\\r\\n`, maybe shorter
than the table (fields after `ec` missing on errors), or a plain `ER:ERxxx` [third-party]. Parsers raise only
`GatewayAnswerError`, whatever the input.

Charset: bytes an answer holds that are not valid in the charset (a Shift_JIS echo, say) do not make the
whole answer unreadable. `decode_answer` keeps them as lone surrogates; a positional field holding one (or a
control character) is malformed, since the spec's fields are ASCII (and `cod` is what we sent); in the echoed
free data and in `trailing_fields` they become U+FFFD. So every text a parser returns encodes as UTF-8.

Telling the echoed free data from positional fields: fields are read in the table's order; the free data
starts at the first item after them, or earlier at the first item holding `=` in a position whose field can
never hold one (every field except `cod` and `em`), which means the answer was short. After that, an item
made of `key=value` pairs (non-empty keys) joined by `&` is free data: one pair per comma field, or all
pairs in one field as they were sent (`a=1&b=2`), both forms seen [inferred]; each pair is split at the
first `=`, values percent-decoded [inferred: the spec has callers percent-encode spaces and newlines, and
echoes what was sent; a decoded echo reads the same unless it holds `%`; `&` and `,` are refused in values
we send]. Other items are kept in `trailing_fields`. Positional fields are stripped of surrounding
whitespace (the spec's samples show stray spaces).

The bulk registration payment answer comes in two layouts: its table's (… `id,ps,uid,key,num`, free data)
and its printed sample's, one of the (empty) id/ps fewer; either may end in an empty field, as the official
failure sample does. `registration_answer_layout` tells them apart by what must hold in a success (the uid
we sent, a key of 1-10 letters or digits, a num of 1-10 digits), never by counting fields [inferred].
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
REGISTRATION_PAYMENT_LAYOUTS = (REGISTRATION_PAYMENT_LAYOUT, REGISTRATION_PAYMENT_SAMPLE_LAYOUT)
CUSTOMER_LAYOUT = ("rst", "ec", "uid", "key")
CUSTOMER_READ_LAYOUT = (*CUSTOMER_LAYOUT, "em", "pn")
CARD_LAYOUT = (*CUSTOMER_LAYOUT, "num")
CARD_READ_LAYOUT = (*CARD_LAYOUT, "cn", "ed", "fn", "ln")

_MAY_HOLD_EQUALS = frozenset({"cod", "em"})
_PLAIN_ERROR = re.compile(r"ER:\s*([A-Za-z0-9]+)", re.ASCII)
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
# What a bulk registration answer's uid, key and num must look like [spec: 半角英数(50), 半角英数(10), 半角数字].
_CUSTOMER_ID = re.compile(r"[A-Za-z0-9]{1,50}", re.ASCII)
_CUSTOMER_KEY = re.compile(r"[A-Za-z0-9]{1,10}", re.ASCII)
_CARD_SEQ = re.compile(r"[0-9]{1,10}", re.ASCII)  # at most what a request may send back (fields.card_seq)
# Lone surrogates: `surrogateescape` leaves undecodable bytes so; no other text can hold them and still encode.
_UNDECODABLE = re.compile(r"[\ud800-\udfff]")
# C0 and C1 controls and DEL: no field of the spec holds one (a NUL would not even fit a PostgreSQL text column).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
STORE_ID = re.compile(r"[0-9]{6}", re.ASCII)
# No payment number or amount the gateway issues comes near these lengths; longer digit strings are no answer of
# its (and Python refuses to read ints of more than 4,300 digits at all).
MAX_GID_DIGITS = 20
MAX_AMOUNT_DIGITS = 15
_MAX_QUERY_FIELDS = 200
_ASCII = "".join(map(chr, range(128)))


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
    """The answer body as text; bytes not valid in `charset` stay as lone surrogates for the parsers to judge
    (see the module docstring)."""
    try:
        return body.decode(charset, errors="surrogateescape")
    except LookupError:
        raise GatewayAnswerError(f"unknown charset {charset}") from None


def undecodable_replaced(text: str) -> str:
    """`text` with every lone surrogate (an undecodable byte) replaced by U+FFFD."""
    return _UNDECODABLE.sub("\ufffd", text)


def check_named_fields(named: Mapping[str, str], charset: str = DEFAULT_CHARSET) -> None:
    """Refuse positional (or kickback) fields holding undecodable bytes or control characters."""
    for name, value in named.items():
        if _UNDECODABLE.search(value):
            raise GatewayAnswerError(f"{name} is not valid {charset}")
        if _CONTROL.search(value):
            raise GatewayAnswerError(f"{name} holds a control character")


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


def _free_data_pairs(item: str) -> list[tuple[str, str]] | None:
    """The `key=value` pairs of one item (`&`-joined or alone), or None when it is no free data."""
    pairs = []
    for part in item.split("&"):
        if not part:
            continue  # `a=1&` or `a=1&&b=2`
        key, equals, value = part.partition("=")
        if not equals or not key.strip():
            return None
        pairs.append((key.strip(), value))
    return pairs or None


def split_fields(items: list[str], layout: tuple[str, ...], charset: str = DEFAULT_CHARSET) -> AnswerFields:
    """Map items to the layout's names, then separate the free data (see the module docstring).

    Named values are returned as read; parsers check them with `check_named_fields` once the layout is known.
    """
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
        pairs = _free_data_pairs(undecodable_replaced(item))
        if pairs is None:
            trailing.append(undecodable_replaced(item))
            continue
        for key, value in pairs:
            if key in extra:
                raise GatewayAnswerError("a free-data key appears twice")
            extra[key] = _decoded(value, charset)
    return AnswerFields(named, extra, tuple(trailing))


def _decoded(value: str, charset: str) -> str:
    try:
        return unquote(value, encoding=charset, errors="replace")
    except LookupError:
        raise GatewayAnswerError(f"unknown charset {charset}") from None


def _split_checked(items: list[str], layout: tuple[str, ...], charset: str) -> AnswerFields:
    answer = split_fields(items, layout, charset)
    check_named_fields(answer.named, charset)
    return answer


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
    answer = _split_checked(_items(text), CUSTOMER_READ_LAYOUT if with_contact else CUSTOMER_LAYOUT, charset)
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
    answer = _split_checked(_items(text), CARD_LAYOUT, charset)
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
    answer = _split_checked(items, CARD_READ_LAYOUT, charset)
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
    """A `PaymentResult` from named payment fields (CSV answer or kickback query), checked by the caller with
    `check_named_fields`.

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


def _registration_fits(named: Mapping[str, str], sent_customer_id: str | None) -> bool:
    """Whether uid, key and num as read in one layout are what a successful bulk registration answers."""
    uid, key, num = named.get("uid", ""), named.get("key", ""), named.get("num", "")
    uid_fits = uid == sent_customer_id if sent_customer_id is not None else _CUSTOMER_ID.fullmatch(uid) is not None
    return uid_fits and _CUSTOMER_KEY.fullmatch(key) is not None and _CARD_SEQ.fullmatch(num) is not None


def registration_answer_layout(
    items: list[str], sent_customer_id: str | None = None, charset: str = DEFAULT_CHARSET
) -> tuple[str, ...]:
    """Which layout a bulk registration payment answer (its comma-separated items) has: the table's
    (`REGISTRATION_PAYMENT_LAYOUT`) or the printed sample's (`REGISTRATION_PAYMENT_SAMPLE_LAYOUT`).

    A success must fit exactly one: the uid we sent (any 1-50 letters or digits when not given), a key of
    1-10 letters or digits, a num of 1-10 digits; one that fits neither or both is malformed. A refusal (whose
    key and num may be empty) is read in the layout that echoes the uid sent, else in the table's.
    """
    layouts = REGISTRATION_PAYMENT_LAYOUTS
    readings = [split_fields(items, layout, charset).named for layout in layouts]
    echoing = [
        layout
        for layout, named in zip(layouts, readings, strict=True)
        if sent_customer_id is not None and named.get("uid") == sent_customer_id
    ]
    if len(items) < 2 or items[1].strip() != "1":
        return echoing[0] if echoing else REGISTRATION_PAYMENT_LAYOUT
    fitting = [
        layout for layout, named in zip(layouts, readings, strict=True) if _registration_fits(named, sent_customer_id)
    ]
    if len(fitting) == 1:
        return fitting[0]
    if fitting:
        raise GatewayAnswerError("the bulk registration answer fits both layouts")
    if sent_customer_id is not None and not echoing:
        raise GatewayAnswerError("uid in the answer differs from the request")
    raise GatewayAnswerError("uid, key or num of the bulk registration answer is malformed")


def parse_payment_answer(
    text: str,
    *,
    with_registration: bool = False,
    sent_customer_id: str | None = None,
    require_gid: bool = True,
    charset: str = DEFAULT_CHARSET,
) -> PaymentResult:
    """rt=1 payment answer; `with_registration=True` for the bulk registration payment (adds uid key num),
    read in the layout `registration_answer_layout` finds with `sent_customer_id` (the request's uid)."""
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
    layout = registration_answer_layout(items, sent_customer_id, charset) if with_registration else PAYMENT_LAYOUT
    answer = _split_checked(items, layout, charset)
    return read_payment_fields(answer.named, extra=answer.extra, trailing=answer.trailing, require_gid=require_gid)


def _raw_bytes_escaped(query: str) -> str:
    """Non-ASCII characters as percent-escapes of the bytes they stand for: their latin-1 bytes when all are
    below U+0100 (an ASGI server's raw query handed over as latin-1 text), else their UTF-8 bytes."""
    if query.isascii():
        return query
    try:
        raw = query.encode("latin-1")
    except UnicodeEncodeError:
        raw = query.encode("utf-8", errors="surrogatepass")
    return quote(raw, safe=_ASCII)


def parse_query(query: str, charset: str = DEFAULT_CHARSET) -> list[tuple[str, str]]:
    """A URL query string (with or without the leading `?`) as decoded `(name, value)` pairs, in order.

    Raw non-ASCII bytes (against the URL syntax) are decoded like percent-escapes. Bytes not valid in
    `charset` come back as lone surrogates (see `check_named_fields` and `undecodable_replaced`), so that
    one bad value does not make the other pairs unreadable.
    """
    try:
        return parse_qsl(
            _raw_bytes_escaped(query.removeprefix("?")),
            keep_blank_values=True,
            encoding=charset,
            errors="surrogateescape",
            max_num_fields=_MAX_QUERY_FIELDS,
        )
    except (ValueError, LookupError):
        raise GatewayAnswerError("query string is not valid form encoding") from None

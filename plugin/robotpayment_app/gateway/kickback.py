"""The result notification (キックバック, rt=0): an HTTP GET from the gateway with the payment's fields as
query parameters (`gid rst ap ec god cod am tx sf ta`, plus `uid key num` after a bulk registration payment,
plus the echoed free data) [spec].

Nothing signs it and no source addresses are published: callers must treat it as a hint, match it against
their own record and never let it move money by itself [inferred, see gateway-notes].
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import codec
from .error_catalogue import ErrorEntry
from .errors import GatewayAnswerError
from .masking import SECRET, masked_repr

KICKBACK_FIELDS = frozenset(
    {"gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta", "id", "ps", "uid", "key", "num", "aid"}
)
# left out of the fingerprint: a secret, and not what makes two notifications the same claim
_UNFINGERPRINTED = frozenset({"key"})


@dataclass(frozen=True, kw_only=True, repr=False)
class KickbackNotification:
    """One notification. `gid` is None when the gateway sent none (or `0`), as for some failures."""

    gid: str | None
    succeeded: bool
    approval_number: str
    error: ErrorEntry | None
    order_code: str
    order_ref: str
    amount: int | None
    tax: int | None
    shipping: int | None
    total: int | None
    customer_id: str | None = None
    customer_key: str | None = field(default=None, metadata=SECRET)
    card_seq: str | None = None
    store_id: str | None = None  # aid: the spec's samples carry none; kept when the gateway sends it
    extra: Mapping[str, str] = field(default_factory=dict)
    # SHA-256 of every field as received (the user key left out): a redelivery has the same one
    fingerprint: str = ""

    __repr__ = masked_repr


def notification_fingerprint(named: Mapping[str, str], extra: Mapping[str, str]) -> str:
    """What tells one notification from another: every field and free-data pair as received, but the key."""
    fields = {name: value for name, value in named.items() if name not in _UNFINGERPRINTED}
    canonical = json.dumps([sorted(fields.items()), sorted(extra.items())], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def kickback_from_params(
    params: Iterable[tuple[str, str]], *, charset: str = codec.DEFAULT_CHARSET
) -> KickbackNotification:
    """From decoded query pairs (e.g. a web framework's multi-items). Raises `GatewayAnswerError`.

    A field holding a control character or an undecodable byte (a lone surrogate, as `codec.parse_query`
    leaves one; `charset` only names it in the error) makes it no notification: a NUL would not even fit the
    log's PostgreSQL columns. In the free data such bytes become U+FFFD: the fields decide, not the echo.
    """
    named: dict[str, str] = {}
    extra: dict[str, str] = {}
    for raw_name, value in params:
        name = codec.undecodable_replaced(raw_name)
        if name in KICKBACK_FIELDS:
            target, stored = named, value.strip()
        else:
            target, stored = extra, codec.undecodable_replaced(value)
        if name in target:
            raise GatewayAnswerError(f"kickback parameter {name} appears twice")
        target[name] = stored
    for required in ("gid", "rst"):
        if required not in named:
            raise GatewayAnswerError(f"kickback lacks {required}")
    codec.check_named_fields(named, charset)
    store_id = named.get("aid") or None
    if store_id is not None and codec.STORE_ID.fullmatch(store_id) is None:
        raise GatewayAnswerError("aid must be six ASCII digits")
    result = codec.read_payment_fields(named, extra=extra)
    return KickbackNotification(
        gid=result.gid,
        succeeded=result.succeeded,
        approval_number=result.approval_number,
        error=result.error,
        order_code=result.order_code,
        order_ref=result.order_ref,
        amount=result.amount,
        tax=result.tax,
        shipping=result.shipping,
        total=result.total,
        customer_id=result.customer_id,
        customer_key=result.customer_key,
        card_seq=result.card_seq,
        store_id=store_id,
        extra=MappingProxyType(extra),
        fingerprint=notification_fingerprint(named, extra),
    )


def parse_kickback(query: str, *, charset: str = codec.DEFAULT_CHARSET) -> KickbackNotification:
    """From the raw query string (with or without the leading `?`), as the web route hands it over (its bytes
    as latin-1 text, so nothing is lost before the percent-escapes are decoded in `charset`). Raises
    `GatewayAnswerError`."""
    return kickback_from_params(codec.parse_query(query, charset), charset=charset)

"""Typed answers of the gateway, with English names. Built by `codec`; reprs mask keys and passwords.

`extra` holds the echoed free data (その他データ); `trailing_fields` keeps, verbatim (bytes the charset could not
decode as U+FFFD), any field after the documented ones that is not free data (the official failure sample has
such fields), so nothing is silently lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .error_catalogue import ErrorEntry
from .masking import SECRET, masked_repr


@dataclass(frozen=True, kw_only=True, repr=False)
class CustomerRecord:
    """Answer of user register/update/delete (`rst,ec,uid,key`) and read (`...,em,pn`)."""

    succeeded: bool
    error: ErrorEntry | None
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    email: str | None = None
    phone: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    trailing_fields: tuple[str, ...] = field(default=(), metadata=SECRET)  # unexpected: never shown

    __repr__ = masked_repr


@dataclass(frozen=True, kw_only=True, repr=False)
class CardRecord:
    """Answer of card register/update/delete (`rst,ec,uid,key,num`)."""

    succeeded: bool
    error: ErrorEntry | None
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    card_seq: str
    extra: Mapping[str, str] = field(default_factory=dict)
    trailing_fields: tuple[str, ...] = field(default=(), metadata=SECRET)  # unexpected: never shown

    __repr__ = masked_repr


@dataclass(frozen=True, kw_only=True, repr=False)
class CardDetails:
    """Answer of card read (`rst,ec,uid,key,num,cn,ed,fn,ln`): `masked_number` `*****9999`, `expiry` YYMM."""

    succeeded: bool
    error: ErrorEntry | None
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    card_seq: str
    masked_number: str
    expiry: str
    first_name: str
    last_name: str
    extra: Mapping[str, str] = field(default_factory=dict)
    trailing_fields: tuple[str, ...] = field(default=(), metadata=SECRET)  # unexpected: never shown

    __repr__ = masked_repr

    @property
    def last4(self) -> str:
        return self.masked_number[-4:]


@dataclass(frozen=True, kw_only=True, repr=False)
class PaymentResult:
    """Answer of a money-moving call: `gid,rst,ap,ec,god,cod,am,tx,sf,ta,id,ps` [+ `uid,key,num`] + free data.

    A decline is a result too: `succeeded` is False and `error` explains it; `gid` is None when the gateway
    gave no payment number (plain `ER:` answers, or `0` as in the official failure sample).
    """

    succeeded: bool
    gid: str | None
    approval_number: str
    error: ErrorEntry | None
    order_code: str
    order_ref: str
    amount: int | None
    tax: int | None
    shipping: int | None
    total: int | None
    issued_id: str = ""
    issued_password: str = field(default="", metadata=SECRET)
    customer_id: str | None = None
    customer_key: str | None = field(default=None, metadata=SECRET)
    card_seq: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)
    trailing_fields: tuple[str, ...] = field(default=(), metadata=SECRET)  # unexpected: never shown

    __repr__ = masked_repr

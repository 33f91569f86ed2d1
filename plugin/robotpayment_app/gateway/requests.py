"""Typed, immutable requests for the customer (ユーザー) and card (カード情報) calls.

Every request validates its fields on construction (`GatewayValidationError`, nothing sent), names them in
English, and gives its wire parameters in the spec's order and spelling with `wire_params()`. Reprs mask `key`
and `tkn`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar, Protocol

from . import fields
from .calls import CallSummary
from .masking import SECRET, masked_repr

WireParams = tuple[tuple[str, str], ...]

CUSTOMER_ENDPOINT = "carduser.aspx"
CARD_TOKEN_ENDPOINT = "carduser_token.aspx"  # noqa: S105 (a path, not a password)


class GatewayRequest(Protocol):
    """What the client needs from any request."""

    endpoint: ClassVar[str]

    def wire_params(self) -> WireParams: ...

    def summary(self) -> CallSummary: ...


def assign(instance: object, **values: object) -> None:
    """Store normalised values on a frozen dataclass during `__post_init__`."""
    for name, value in values.items():
        object.__setattr__(instance, name, value)


def frozen_free_data(value: object, own_fields: Iterable[str]) -> Mapping[str, str]:
    return MappingProxyType(fields.free_data(value, own_fields))


def optional(name: str, value: str | None) -> WireParams:
    return () if value is None else ((name, value),)


def _contact(email: str | None, phone: str | None) -> tuple[str | None, str | None]:
    return (
        None if email is None else fields.email(email),
        None if phone is None else fields.phone(phone),
    )


@dataclass(frozen=True, kw_only=True, repr=False)
class CustomerRegistration:
    """ユーザー登録: carduser.aspx cmd=0. One of `email`/`phone` is required."""

    endpoint: ClassVar[str] = CUSTOMER_ENDPOINT
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid", "em", "pn")

    store_id: str
    customer_id: str
    email: str | None = None
    phone: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        email, phone = _contact(self.email, self.phone)
        fields.email_or_phone(email, phone)
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            email=email,
            phone=phone,
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("cmd", "0"),
            ("uid", self.customer_id),
            *optional("em", self.email),
            *optional("pn", self.phone),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return CallSummary(endpoint=self.endpoint, cmd="0", customer_id=self.customer_id)


@dataclass(frozen=True, kw_only=True, repr=False)
class CustomerUpdate:
    """ユーザー更新: carduser.aspx cmd=1. Needs `email` or `phone` (without, it changes nothing)."""

    endpoint: ClassVar[str] = CUSTOMER_ENDPOINT
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid", "key", "em", "pn")

    store_id: str
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    email: str | None = None
    phone: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        email, phone = _contact(self.email, self.phone)
        fields.email_or_phone(email, phone)
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            customer_key=fields.customer_key(self.customer_key, max_length=100),
            email=email,
            phone=phone,
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("cmd", "1"),
            ("uid", self.customer_id),
            ("key", self.customer_key),
            *optional("em", self.email),
            *optional("pn", self.phone),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return CallSummary(endpoint=self.endpoint, cmd="1", customer_id=self.customer_id)


@dataclass(frozen=True, kw_only=True, repr=False)
class CustomerDeletion:
    """ユーザー削除: carduser.aspx cmd=2."""

    endpoint: ClassVar[str] = CUSTOMER_ENDPOINT
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid", "key")

    store_id: str
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            customer_key=fields.customer_key(self.customer_key, max_length=100),
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("cmd", "2"),
            ("uid", self.customer_id),
            ("key", self.customer_key),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return CallSummary(endpoint=self.endpoint, cmd="2", customer_id=self.customer_id)


@dataclass(frozen=True, kw_only=True, repr=False)
class CustomerLookup:
    """ユーザー参照: carduser.aspx cmd=3 (no key in the spec's table)."""

    endpoint: ClassVar[str] = CUSTOMER_ENDPOINT
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid")

    store_id: str
    customer_id: str
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (("aid", self.store_id), ("cmd", "3"), ("uid", self.customer_id), *self.extra.items())

    def summary(self) -> CallSummary:
        return CallSummary(endpoint=self.endpoint, cmd="3", customer_id=self.customer_id)


@dataclass(frozen=True, kw_only=True, repr=False)
class CardRegistration:
    """カード情報登録: carduser_token.aspx cmd=4 with a 3-D Secure-authenticated token."""

    endpoint: ClassVar[str] = CARD_TOKEN_ENDPOINT
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid", "key", "tkn")

    store_id: str
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    token: str = field(metadata=SECRET)
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            customer_key=fields.customer_key(self.customer_key),
            token=fields.token(self.token),
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("cmd", "4"),
            ("uid", self.customer_id),
            ("key", self.customer_key),
            ("tkn", self.token),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return CallSummary(endpoint=self.endpoint, cmd="4", customer_id=self.customer_id)


@dataclass(frozen=True, kw_only=True, repr=False)
class CardUpdate:
    """カード情報更新: carduser_token.aspx cmd=4 with `num`, replacing that card with a new token's card."""

    endpoint: ClassVar[str] = CARD_TOKEN_ENDPOINT
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid", "key", "num", "tkn")

    store_id: str
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    card_seq: str
    token: str = field(metadata=SECRET)
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            customer_key=fields.customer_key(self.customer_key),
            card_seq=fields.card_seq(self.card_seq),
            token=fields.token(self.token),
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("cmd", "4"),
            ("uid", self.customer_id),
            ("key", self.customer_key),
            ("num", self.card_seq),
            ("tkn", self.token),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return CallSummary(
            endpoint=self.endpoint, cmd="4", customer_id=self.customer_id, card_seq=self.card_seq
        )


@dataclass(frozen=True, kw_only=True, repr=False)
class _CardByNumber:
    """Shared shape of the card read (cmd 6) and delete (cmd 5) calls on carduser.aspx."""

    endpoint: ClassVar[str] = CUSTOMER_ENDPOINT
    _cmd: ClassVar[str]
    _names: ClassVar[tuple[str, ...]] = ("aid", "cmd", "uid", "key", "num")

    store_id: str
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    card_seq: str
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            customer_id=fields.customer_id(self.customer_id),
            customer_key=fields.customer_key(self.customer_key),
            card_seq=fields.card_seq(self.card_seq),
            extra=frozen_free_data(self.extra, self._names),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("cmd", self._cmd),
            ("uid", self.customer_id),
            ("key", self.customer_key),
            ("num", self.card_seq),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return CallSummary(
            endpoint=self.endpoint, cmd=self._cmd, customer_id=self.customer_id, card_seq=self.card_seq
        )


@dataclass(frozen=True, kw_only=True, repr=False)
class CardLookup(_CardByNumber):
    """カード情報参照: carduser.aspx cmd=6."""

    _cmd: ClassVar[str] = "6"


@dataclass(frozen=True, kw_only=True, repr=False)
class CardDeletion(_CardByNumber):
    """カード情報削除: carduser.aspx cmd=5."""

    _cmd: ClassVar[str] = "5"

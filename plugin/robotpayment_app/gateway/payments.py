"""Typed, immutable requests for the calls that move money with a token or a saved card.

- `BulkRegistrationPayment`: ユーザー・カード情報一括登録決済, gateway_token.aspx with `uid` [spec].
- `TokenPayment`: plain token payment (nothing saved), gateway_token.aspx without `uid` [official].
- `OneTouchCharge`: ワンタッチ課金, onetouch.aspx cmd=4 [spec].

Each takes a `charge`: `AmountsCharge` (jb am tx sf) or `ProductCharge` (iid; the spec's product tables have
no jb). All ask for a synchronous answer (`rt=1`) and carry the caller's reference `cod` (required here
although the spec makes it optional: it is how a payment is found again after an unknown outcome or a
kickback).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from . import fields
from .calls import CallSummary
from .errors import GatewayValidationError
from .fields import JobType, PaymentMethod
from .masking import SECRET, masked_repr
from .requests import WireParams, assign, frozen_free_data, optional

PAYMENT_TOKEN_ENDPOINT = "gateway_token.aspx"  # noqa: S105 (a path, not a password)
ONE_TOUCH_ENDPOINT = "onetouch.aspx"

_PAYMENT_JOBS = (JobType.AUTH, JobType.CAPTURE)
_PLAIN_TOKEN_JOBS = (JobType.AUTH, JobType.CAPTURE, JobType.CHECK)


@dataclass(frozen=True, kw_only=True)
class AmountsCharge:
    """商品登録なし: the job type and the amounts in yen; the card company is sent am + tx + sf."""

    job: JobType
    amount: int
    tax: int = 0
    shipping: int = 0

    def __post_init__(self) -> None:
        assign(
            self,
            job=fields.job(self.job, _PLAIN_TOKEN_JOBS),
            amount=fields.money(self.amount, "am"),
            tax=fields.money(self.tax, "tx"),
            shipping=fields.money(self.shipping, "sf"),
        )

    def wire_amounts(self) -> WireParams:
        return (("am", str(self.amount)), ("tx", str(self.tax)), ("sf", str(self.shipping)))


@dataclass(frozen=True, kw_only=True)
class ProductCharge:
    """商品登録あり: a product registered in the control panel fixes the amount."""

    item_id: str

    def __post_init__(self) -> None:
        assign(self, item_id=fields.item_id(self.item_id))


Charge = AmountsCharge | ProductCharge


def _checked_charge(charge: object, jobs: tuple[JobType, ...]) -> Charge:
    if isinstance(charge, AmountsCharge):
        fields.job(charge.job, jobs)
        return charge
    if isinstance(charge, ProductCharge):
        return charge
    raise GatewayValidationError("charge", "must be an AmountsCharge or a ProductCharge")


def _charge_params(charge: Charge) -> WireParams:
    if isinstance(charge, AmountsCharge):
        return charge.wire_amounts()
    return (("iid", charge.item_id),)


def _job_param(charge: Charge) -> WireParams:
    return (("jb", charge.job.value),) if isinstance(charge, AmountsCharge) else ()


def _summary(
    endpoint: str,
    charge: Charge,
    *,
    cod: str,
    cmd: str | None = None,
    customer_id: str | None = None,
    card_seq: str | None = None,
) -> CallSummary:
    amounts = charge if isinstance(charge, AmountsCharge) else None
    return CallSummary(
        endpoint=endpoint,
        cmd=cmd,
        jb=None if amounts is None else amounts.job.value,
        cod=cod,
        amount=None if amounts is None else amounts.amount,
        tax=None if amounts is None else amounts.tax,
        shipping=None if amounts is None else amounts.shipping,
        item_id=charge.item_id if isinstance(charge, ProductCharge) else None,
        customer_id=customer_id,
        card_seq=card_seq,
    )


_TOKEN_PAYMENT_NAMES = ("aid", "jb", "rt", "cod", "uid", "tkn", "em", "pn", "am", "tx", "sf", "iid")


@dataclass(frozen=True, kw_only=True, repr=False)
class BulkRegistrationPayment:
    """Pay with a new token, saving the shopper and the card in the same call (answer adds uid key num)."""

    endpoint: ClassVar[str] = PAYMENT_TOKEN_ENDPOINT

    store_id: str
    order_ref: str
    customer_id: str
    token: str = field(metadata=SECRET)
    charge: Charge
    email: str | None = None
    phone: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        email = None if self.email is None else fields.email(self.email)
        phone = None if self.phone is None else fields.phone(self.phone)
        fields.email_or_phone(email, phone)
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            order_ref=fields.order_ref(self.order_ref),
            customer_id=fields.customer_id(self.customer_id),
            token=fields.token(self.token),
            charge=_checked_charge(self.charge, _PAYMENT_JOBS),
            email=email,
            phone=phone,
            extra=frozen_free_data(self.extra, _TOKEN_PAYMENT_NAMES),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            *_job_param(self.charge),
            ("rt", "1"),
            ("cod", self.order_ref),
            ("uid", self.customer_id),
            ("tkn", self.token),
            *optional("em", self.email),
            *optional("pn", self.phone),
            *_charge_params(self.charge),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return _summary(self.endpoint, self.charge, cod=self.order_ref, customer_id=self.customer_id)


@dataclass(frozen=True, kw_only=True, repr=False)
class TokenPayment:
    """Pay with a new token without saving anything (guests); `jb` may also be CHECK (card check)."""

    endpoint: ClassVar[str] = PAYMENT_TOKEN_ENDPOINT

    store_id: str
    order_ref: str
    token: str = field(metadata=SECRET)
    charge: Charge
    email: str | None = None
    phone: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        email = None if self.email is None else fields.email(self.email)
        phone = None if self.phone is None else fields.phone(self.phone)
        fields.email_or_phone(email, phone)
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            order_ref=fields.order_ref(self.order_ref),
            token=fields.token(self.token),
            charge=_checked_charge(self.charge, _PLAIN_TOKEN_JOBS),
            email=email,
            phone=phone,
            extra=frozen_free_data(self.extra, _TOKEN_PAYMENT_NAMES),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            *_job_param(self.charge),
            ("rt", "1"),
            ("cod", self.order_ref),
            ("tkn", self.token),
            *optional("em", self.email),
            *optional("pn", self.phone),
            *_charge_params(self.charge),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return _summary(self.endpoint, self.charge, cod=self.order_ref)


_ONE_TOUCH_NAMES = ("aid", "rt", "cmd", "cod", "uid", "key", "num", "jb", "am", "tx", "sf", "iid", "em", "pn",
                    "md", "pt")  # fmt: skip


@dataclass(frozen=True, kw_only=True, repr=False)
class OneTouchCharge:
    """Charge a saved card. `email`/`phone`, when given, also update the gateway's user record [spec ※1]."""

    endpoint: ClassVar[str] = ONE_TOUCH_ENDPOINT

    store_id: str
    order_ref: str
    customer_id: str
    customer_key: str = field(metadata=SECRET)
    card_seq: str
    charge: Charge
    email: str | None = None
    phone: str | None = None
    payment_method: PaymentMethod | None = None
    installments: int | None = None
    extra: Mapping[str, str] = field(default_factory=dict)

    __repr__ = masked_repr

    def __post_init__(self) -> None:
        method = fields.payment_method(self.payment_method)
        assign(
            self,
            store_id=fields.store_id(self.store_id),
            order_ref=fields.order_ref(self.order_ref),
            customer_id=fields.customer_id(self.customer_id),
            customer_key=fields.customer_key(self.customer_key),
            card_seq=fields.card_seq(self.card_seq),
            charge=_checked_charge(self.charge, _PAYMENT_JOBS),
            email=None if self.email is None else fields.email(self.email),
            phone=None if self.phone is None else fields.phone(self.phone),
            payment_method=method,
            installments=fields.installments(self.installments, method),
            extra=frozen_free_data(self.extra, _ONE_TOUCH_NAMES),
        )

    def wire_params(self) -> WireParams:
        return (
            ("aid", self.store_id),
            ("rt", "1"),
            ("cmd", "4"),
            ("cod", self.order_ref),
            ("uid", self.customer_id),
            ("key", self.customer_key),
            ("num", self.card_seq),
            *_job_param(self.charge),
            *_charge_params(self.charge),
            *optional("em", self.email),
            *optional("pn", self.phone),
            *optional("md", None if self.payment_method is None else self.payment_method.value),
            *optional("pt", None if self.installments is None else str(self.installments)),
            *self.extra.items(),
        )

    def summary(self) -> CallSummary:
        return _summary(
            self.endpoint,
            self.charge,
            cmd="4",
            cod=self.order_ref,
            customer_id=self.customer_id,
            card_seq=self.card_seq,
        )

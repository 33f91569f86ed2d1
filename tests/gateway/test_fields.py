"""Every validation rule of the spec's 形式 column refuses with the field named, and nothing is sent."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from robotpayment_app.gateway import (
    AmountsCharge,
    GatewayValidationError,
    JobType,
    PaymentMethod,
    ProductCharge,
    RobotPaymentClient,
)

from . import samples
from .conftest import ScriptedGateway

Build = Callable[[], object]

# (what is wrong, how to build it, the field the error must name)
INVALID: list[tuple[str, Build, str]] = [
    ("aid of 5 digits", lambda: samples.customer_lookup(store_id="12345"), "aid"),
    ("aid of 7 digits", lambda: samples.customer_lookup(store_id="1234567"), "aid"),
    ("aid with a letter", lambda: samples.one_touch(store_id="12345a"), "aid"),
    ("aid as an int", lambda: samples.one_touch(store_id=123456), "aid"),
    ("aid in full-width digits", lambda: samples.capture(store_id="１２３４５６"), "aid"),
    ("empty uid", lambda: samples.customer_registration(customer_id=""), "uid"),
    ("uid of 51 chars", lambda: samples.customer_registration(customer_id="a" * 51), "uid"),
    ("uid with a hyphen", lambda: samples.bulk_payment(customer_id="user-1"), "uid"),
    ("uid not ASCII", lambda: samples.card_lookup(customer_id="ユーザー"), "uid"),
    ("uid as an int", lambda: samples.customer_lookup(customer_id=12345), "uid"),
    ("key of 11 chars on a card call", lambda: samples.card_registration(customer_key="k" * 11), "key"),
    ("key of 11 chars on one-touch", lambda: samples.one_touch(customer_key="k" * 11), "key"),
    ("key of 101 chars on user update", lambda: samples.customer_update(customer_key="k" * 101), "key"),
    ("key of 101 chars on user delete", lambda: samples.customer_deletion(customer_key="k" * 101), "key"),
    ("key with a symbol", lambda: samples.card_deletion(customer_key="abc!"), "key"),
    ("empty key", lambda: samples.card_update(customer_key=""), "key"),
    ("em without @", lambda: samples.customer_registration(email="sample.sample.jp"), "em"),
    ("em with two @", lambda: samples.customer_registration(email="a@b@sample.jp"), "em"),
    ("em without local part", lambda: samples.bulk_payment(email="@sample.jp"), "em"),
    ("em without domain", lambda: samples.token_payment(email="sample@"), "em"),
    ("em with a space", lambda: samples.one_touch(email="sa mple@sample.jp"), "em"),
    ("em with a comma", lambda: samples.customer_update(email="a,b@sample.jp"), "em"),
    ("em not ASCII", lambda: samples.customer_registration(email="ü@sample.jp"), "em"),
    ("em of 255 chars", lambda: samples.customer_registration(email="a" * 245 + "@sample.jp"), "em"),
    ("pn of 16 digits", lambda: samples.customer_registration(email=None, phone="0" * 16), "pn"),
    ("pn with hyphens", lambda: samples.customer_update(phone="090-1111-2222"), "pn"),
    ("pn with +", lambda: samples.bulk_payment(phone="+819011112222"), "pn"),
    ("empty pn", lambda: samples.one_touch(phone=""), "pn"),
    ("no em nor pn on user register", lambda: samples.customer_registration(email=None), "em"),
    ("no em nor pn on user update", lambda: samples.customer_update(phone=None), "em"),
    ("no em nor pn on bulk payment", lambda: samples.bulk_payment(email=None), "em"),
    ("no em nor pn on token payment", lambda: samples.token_payment(email=None), "em"),
    ("empty cod", lambda: samples.one_touch(order_ref=""), "cod"),
    ("cod of 51 bytes", lambda: samples.one_touch(order_ref="x" * 51), "cod"),
    ("cod of 51 UTF-8 bytes", lambda: samples.bulk_payment(order_ref="注" * 17), "cod"),
    ("cod with a comma", lambda: samples.token_payment(order_ref="a,b"), "cod"),
    ("cod with a newline", lambda: samples.token_payment(order_ref="a\nb"), "cod"),
    ("cod with a trailing space", lambda: samples.one_touch(order_ref="test "), "cod"),
    ("md not in 10/61/80", lambda: samples.one_touch(payment_method="11"), "md"),
    ("md as an int", lambda: samples.one_touch(payment_method=61), "md"),
    ("pt missing with md=61", lambda: samples.one_touch(payment_method=PaymentMethod.INSTALLMENTS), "pt"),
    ("pt not offered", lambda: samples.one_touch(payment_method="61", installments=4), "pt"),
    ("pt as a string", lambda: samples.one_touch(payment_method="61", installments="3"), "pt"),
    ("pt as a bool", lambda: samples.one_touch(payment_method="61", installments=True), "pt"),
    ("pt with md=10", lambda: samples.one_touch(payment_method="10", installments=3), "pt"),
    ("pt with md=80", lambda: samples.one_touch(payment_method="80", installments=3), "pt"),
    ("pt without md", lambda: samples.one_touch(installments=3), "pt"),
    ("empty iid", lambda: ProductCharge(item_id=""), "iid"),
    ("iid of 51 chars", lambda: ProductCharge(item_id="i" * 51), "iid"),
    ("iid with a hyphen", lambda: ProductCharge(item_id="item-1"), "iid"),
    ("num with a letter", lambda: samples.card_lookup(card_seq="1a"), "num"),
    ("empty num", lambda: samples.one_touch(card_seq=""), "num"),
    ("num as an int", lambda: samples.card_update(card_seq=1), "num"),
    ("empty tkn", lambda: samples.card_registration(token=""), "tkn"),
    ("tkn with a space", lambda: samples.bulk_payment(token="abc def"), "tkn"),
    ("tkn not ASCII", lambda: samples.token_payment(token="トークン"), "tkn"),
    ("tkn absurdly long", lambda: samples.card_update(token="t" * 2049), "tkn"),
    ("negative am", lambda: samples.amounts(amount=-1), "am"),
    ("float am", lambda: samples.amounts(amount=1000.0), "am"),
    ("bool am", lambda: samples.amounts(amount=True), "am"),
    ("string am", lambda: samples.amounts(amount="1000"), "am"),
    ("fractional Decimal tx", lambda: samples.amounts(tax=Decimal("80.5")), "tx"),
    ("NaN Decimal sf", lambda: samples.amounts(shipping=Decimal("NaN")), "sf"),
    ("None sf", lambda: samples.amounts(shipping=None), "sf"),
    ("jb not a job type", lambda: samples.amounts(job="SALES"), "jb"),
    ("jb in lower case", lambda: samples.amounts(job="auth"), "jb"),
    ("CHECK on one-touch", lambda: samples.one_touch(charge=samples.amounts(job=JobType.CHECK)), "jb"),
    ("CHECK on bulk payment", lambda: samples.bulk_payment(charge=samples.amounts(job="CHECK")), "jb"),
    ("charge of the wrong type", lambda: samples.one_touch(charge=1000), "charge"),
    ("tid with a letter", lambda: samples.capture(gid="12a"), "tid"),
    ("empty tid", lambda: samples.cancellation(gid=""), "tid"),
    ("free data not a mapping", lambda: samples.customer_lookup(extra=[("a", "b")]), "extra"),
    ("free-data key with a space", lambda: samples.customer_lookup(extra={"my key": "v"}), "extra"),
    ("free-data key with =", lambda: samples.customer_lookup(extra={"a=b": "v"}), "extra"),
    ("empty free-data key", lambda: samples.customer_lookup(extra={"": "v"}), "extra"),
    ("free-data key = own field", lambda: samples.one_touch(extra={"num": "2"}), "extra[num]"),
    ("free-data key = own field, other case", lambda: samples.one_touch(extra={"AID": "1"}), "extra[AID]"),
    ("free-data key = answer field", lambda: samples.customer_lookup(extra={"gid": "1"}), "extra[gid]"),
    ("free-data value with a comma", lambda: samples.card_lookup(extra={"note": "a,b"}), "extra[note]"),
    # the echo may join pairs with '&' in one field: a decoded echo could not be split again
    ("free-data value with an ampersand", lambda: samples.card_lookup(extra={"note": "a&b=c"}), "extra[note]"),
    ("free-data value not text", lambda: samples.card_lookup(extra={"note": 1}), "extra[note]"),
    ("free data over 1024 bytes", lambda: samples.customer_lookup(extra={"note": "x" * 1020}), "extra"),
    ("free data over 1024 bytes encoded", lambda: samples.customer_lookup(extra={"n": "あ" * 114}), "extra"),
]


@pytest.mark.parametrize(("build", "field"), [(b, f) for _, b, f in INVALID], ids=[w for w, _, _ in INVALID])
def test_invalid_field_is_refused_with_its_name(build: Build, field: str) -> None:
    with pytest.raises(GatewayValidationError) as refused:
        build()
    assert refused.value.field == field
    assert field in str(refused.value)
    assert refused.value.rule and refused.value.rule in str(refused.value)


def test_message_names_the_english_field_and_never_the_value() -> None:
    with pytest.raises(GatewayValidationError) as refused:
        samples.card_registration(customer_key="Bad!Key")
    assert str(refused.value) == "invalid key (customer_key): must be ASCII letters or digits"
    assert "Bad!Key" not in str(refused.value) and "Bad!Key" not in repr(refused.value)


def test_refused_token_is_not_repeated() -> None:
    with pytest.raises(GatewayValidationError) as refused:
        samples.token_payment(token="secret token")
    assert "secret token" not in str(refused.value)


@pytest.mark.parametrize(
    "build",
    [
        lambda: samples.customer_update(customer_key="k" * 100),
        lambda: samples.customer_deletion(customer_key="k" * 100),
        lambda: samples.customer_registration(customer_id="a" * 50, email="a" * 244 + "@sample.jp"),
        lambda: samples.customer_registration(email=None, phone="0" * 15),
        lambda: samples.one_touch(order_ref="注" * 16),
        lambda: samples.one_touch(payment_method="61", installments=24),
        lambda: samples.one_touch(payment_method="80"),
        lambda: samples.token_payment(charge=samples.amounts(job="CHECK", amount=0, tax=0, shipping=0)),
        lambda: samples.customer_lookup(extra={"note": "x" * 1019}),
        lambda: samples.customer_lookup(extra={"memo.line_1-a": "two words\nand a line"}),
    ],
)
def test_values_at_the_limits_are_accepted(build: Build) -> None:
    build()


def test_whole_decimal_amounts_become_int() -> None:
    charge = AmountsCharge(job=JobType.CAPTURE, amount=Decimal("1000"), tax=Decimal("80.00"), shipping=0)
    assert (charge.amount, charge.tax, charge.shipping) == (1000, 80, 0)
    assert all(type(value) is int for value in (charge.amount, charge.tax, charge.shipping))


def test_string_payment_method_becomes_the_enum() -> None:
    request = samples.one_touch(payment_method="61", installments=3)
    assert request.payment_method is PaymentMethod.INSTALLMENTS


def test_requests_are_immutable() -> None:
    request = samples.one_touch(extra={"note": "a"})
    with pytest.raises(AttributeError):
        request.order_ref = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        request.extra["note"] = "b"  # type: ignore[index]


async def test_invalid_request_sends_nothing(client: RobotPaymentClient, gateway: ScriptedGateway) -> None:
    gateway.reply(samples.SPEC_ONE_TOUCH_ANSWER)
    with pytest.raises(GatewayValidationError):
        await client.charge_one_touch(samples.one_touch(payment_method="61"))
    with pytest.raises(GatewayValidationError):
        await client.register_card(samples.card_registration(token="has space"))
    assert gateway.requests == []


async def test_value_the_charset_cannot_carry_is_refused_before_sending(
    http: httpx.AsyncClient, gateway: ScriptedGateway
) -> None:
    client = RobotPaymentClient(http, base_url=samples.BASE_URL, charset="shift_jis")
    with pytest.raises(GatewayValidationError) as refused:
        await client.read_customer(samples.customer_lookup(extra={"note": "🙂"}))
    assert refused.value.field == "note"
    assert gateway.requests == []


def test_every_invalid_case_builds_fine_once_corrected() -> None:
    # Guards the table above: the defaults it overrides are valid, so each case fails for its own reason only.
    builders: list[Callable[..., Any]] = [
        samples.customer_registration,
        samples.customer_update,
        samples.customer_deletion,
        samples.customer_lookup,
        samples.card_registration,
        samples.card_update,
        samples.card_lookup,
        samples.card_deletion,
        samples.bulk_payment,
        samples.token_payment,
        samples.one_touch,
        samples.capture,
        samples.cancellation,
        samples.amounts,
    ]
    for build in builders:
        build()

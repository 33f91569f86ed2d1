"""Each request gives exactly the spec's parameters, in the spec's order and spelling; reprs hide secrets."""

from __future__ import annotations

import pytest

from robotpayment_app.gateway import CallSummary, GatewayRequest, JobType, ProductCharge

from . import samples
from .samples import SECRET_KEY, SECRET_TOKEN


def test_user_register() -> None:
    request = samples.customer_registration(phone="09011111111", extra={"memo": "a b"})
    assert request.endpoint == "carduser.aspx"
    assert request.wire_params() == (
        ("aid", "000000"),
        ("cmd", "0"),
        ("uid", "012345"),
        ("em", "sample@sample.jp"),
        ("pn", "09011111111"),
        ("memo", "a b"),
    )


def test_user_update_sends_only_what_changes() -> None:
    request = samples.customer_update()
    assert request.endpoint == "carduser.aspx"
    assert request.wire_params() == (
        ("aid", "000000"),
        ("cmd", "1"),
        ("uid", "012345"),
        ("key", SECRET_KEY),
        ("pn", "09011111111"),
    )


def test_user_delete_and_read() -> None:
    assert samples.customer_deletion().wire_params() == (
        ("aid", "000000"),
        ("cmd", "2"),
        ("uid", "012345"),
        ("key", SECRET_KEY),
    )
    assert samples.customer_lookup().wire_params() == (("aid", "000000"), ("cmd", "3"), ("uid", "012345"))


def test_card_register_and_update_go_to_the_token_endpoint() -> None:
    register, update = samples.card_registration(), samples.card_update(card_seq="2")
    assert register.endpoint == update.endpoint == "carduser_token.aspx"
    assert register.wire_params() == (
        ("aid", "000000"),
        ("cmd", "4"),
        ("uid", "012345"),
        ("key", SECRET_KEY),
        ("tkn", SECRET_TOKEN),
    )
    assert update.wire_params() == (
        ("aid", "000000"),
        ("cmd", "4"),
        ("uid", "012345"),
        ("key", SECRET_KEY),
        ("num", "2"),
        ("tkn", SECRET_TOKEN),
    )


def test_card_read_and_delete() -> None:
    read, delete = samples.card_lookup(card_seq="3"), samples.card_deletion(card_seq="3")
    assert read.endpoint == delete.endpoint == "carduser.aspx"
    common = (("uid", "012345"), ("key", SECRET_KEY), ("num", "3"))
    assert read.wire_params() == (("aid", "000000"), ("cmd", "6"), *common)
    assert delete.wire_params() == (("aid", "000000"), ("cmd", "5"), *common)


def test_bulk_registration_payment_amounts_form() -> None:
    request = samples.bulk_payment(phone="09011111111")
    assert request.endpoint == "gateway_token.aspx"
    assert request.wire_params() == (
        ("aid", "000000"),
        ("jb", "AUTH"),
        ("rt", "1"),
        ("cod", "order-1"),
        ("uid", "012345"),
        ("tkn", SECRET_TOKEN),
        ("em", "sample@sample.jp"),
        ("pn", "09011111111"),
        ("am", "1000"),
        ("tx", "80"),
        ("sf", "500"),
    )


def test_bulk_registration_payment_product_form_has_no_jb() -> None:
    request = samples.bulk_payment(charge=ProductCharge(item_id="item01"))
    assert request.wire_params() == (
        ("aid", "000000"),
        ("rt", "1"),
        ("cod", "order-1"),
        ("uid", "012345"),
        ("tkn", SECRET_TOKEN),
        ("em", "sample@sample.jp"),
        ("iid", "item01"),
    )


def test_plain_token_payment_has_no_uid_and_accepts_check() -> None:
    request = samples.token_payment(charge=samples.amounts(job=JobType.CHECK, amount=0, tax=0, shipping=0))
    assert request.endpoint == "gateway_token.aspx"
    assert request.wire_params() == (
        ("aid", "000000"),
        ("jb", "CHECK"),
        ("rt", "1"),
        ("cod", "order-1"),
        ("tkn", SECRET_TOKEN),
        ("em", "sample@sample.jp"),
        ("am", "0"),
        ("tx", "0"),
        ("sf", "0"),
    )
    product = samples.token_payment(charge=ProductCharge(item_id="item01"), email=None, phone="0311112222")
    assert dict(product.wire_params()).keys() == {"aid", "rt", "cod", "tkn", "pn", "iid"}


def test_one_touch_amounts_form_with_instalments() -> None:
    request = samples.one_touch(
        charge=samples.amounts(job=JobType.CAPTURE),
        email="new@sample.jp",
        payment_method="61",
        installments=12,
        extra={"memo": "x"},
    )
    assert request.endpoint == "onetouch.aspx"
    assert request.wire_params() == (
        ("aid", "000000"),
        ("rt", "1"),
        ("cmd", "4"),
        ("cod", "order-1"),
        ("uid", "012345"),
        ("key", SECRET_KEY),
        ("num", "1"),
        ("jb", "CAPTURE"),
        ("am", "1000"),
        ("tx", "80"),
        ("sf", "500"),
        ("em", "new@sample.jp"),
        ("md", "61"),
        ("pt", "12"),
        ("memo", "x"),
    )


def test_one_touch_product_form() -> None:
    request = samples.one_touch(charge=ProductCharge(item_id="item01"), payment_method="80")
    assert request.wire_params() == (
        ("aid", "000000"),
        ("rt", "1"),
        ("cmd", "4"),
        ("cod", "order-1"),
        ("uid", "012345"),
        ("key", SECRET_KEY),
        ("num", "1"),
        ("iid", "item01"),
        ("md", "80"),
    )


def test_capture_and_cancel_by_gid() -> None:
    capture, cancel = samples.capture(), samples.cancellation()
    assert capture.endpoint == cancel.endpoint == "gateway.aspx"
    assert capture.wire_params() == (("aid", "000000"), ("jb", "SALES"), ("tid", "1095729"), ("rt", "1"))
    assert cancel.wire_params() == (("aid", "000000"), ("jb", "CANCEL"), ("tid", "1095729"), ("rt", "1"))


ALL_REQUESTS: list[GatewayRequest] = [
    samples.customer_registration(),
    samples.customer_update(),
    samples.customer_deletion(),
    samples.customer_lookup(),
    samples.card_registration(),
    samples.card_update(),
    samples.card_lookup(),
    samples.card_deletion(),
    samples.bulk_payment(),
    samples.token_payment(),
    samples.one_touch(),
    samples.capture(),
    samples.cancellation(),
]


@pytest.mark.parametrize("request_", ALL_REQUESTS, ids=lambda r: type(r).__name__)
def test_repr_and_summary_hide_key_and_token(request_: GatewayRequest) -> None:
    shown = repr(request_) + str(request_) + request_.summary().describe() + repr(request_.summary())
    assert SECRET_KEY not in shown
    assert SECRET_TOKEN not in shown
    sent = dict(request_.wire_params())
    if "key" in sent:
        assert "customer_key='***'" in repr(request_)
    if "tkn" in sent:
        assert "token='***'" in repr(request_)


def test_summary_tells_what_was_sent() -> None:
    summary = samples.one_touch(card_seq="2").summary()
    assert summary == CallSummary(
        endpoint="onetouch.aspx",
        cmd="4",
        jb="AUTH",
        cod="order-1",
        amount=1000,
        tax=80,
        shipping=500,
        customer_id="012345",
        card_seq="2",
    )
    assert summary.describe() == "onetouch.aspx cmd=4 jb=AUTH cod=order-1 am=1000 tx=80 sf=500 uid=012345 num=2"
    assert samples.capture().summary().describe() == "gateway.aspx jb=SALES gid=1095729"
    assert samples.bulk_payment(charge=ProductCharge(item_id="i1")).summary().item_id == "i1"

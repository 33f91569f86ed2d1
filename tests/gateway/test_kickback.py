"""The result notification (kickback) query: the spec's samples and malformed queries."""

from __future__ import annotations

import pytest

from robotpayment_app.gateway import GatewayAnswerError, kickback_from_params, parse_kickback

from . import samples


def _query(sample: str) -> str:
    return sample.split("?", 1)[1]


def test_bulk_registration_kickback_sample() -> None:
    notice = parse_kickback(_query(samples.SPEC_BULK_KICKBACK))
    assert notice.succeeded and notice.error is None
    assert (notice.gid, notice.approval_number, notice.order_code) == ("10000001", "0001112", "10000002")
    assert notice.order_ref == "test"  # the sample's stray space is dropped
    assert (notice.amount, notice.tax, notice.shipping, notice.total) == (1000, 80, 500, 1580)
    assert (notice.customer_id, notice.customer_key, notice.card_seq) == ("012345", "vnpjBycDO5", "1")
    assert "vnpjBycDO5" not in repr(notice)


def test_bulk_registration_kickback_sample_on_one_line() -> None:
    notice = parse_kickback("?" + _query(samples.SPEC_BULK_KICKBACK).replace("\n", ""))
    assert notice.customer_id == "012345" and notice.card_seq == "1"


def test_one_touch_kickback_sample() -> None:
    notice = parse_kickback(_query(samples.SPEC_ONE_TOUCH_KICKBACK))
    assert notice.gid == "10000001" and notice.total == 1580
    assert notice.customer_id is None and notice.customer_key is None and notice.card_seq is None
    assert notice.extra == {}


def test_decline_with_free_data_and_encoded_values() -> None:
    notice = parse_kickback(
        "gid=10000003&rst=2&ap=&ec=G1242G120000&god=&cod=order%2D1&am=1000&tx=0&sf=0&ta=1000&memo=two%20words&ref=a%3Db"
    )
    assert not notice.succeeded
    assert notice.error is not None and notice.error.code == "G1242G120000"
    assert notice.order_ref == "order-1"
    assert dict(notice.extra) == {"memo": "two words", "ref": "a=b"}


def test_from_decoded_params() -> None:
    notice = kickback_from_params([("gid", "0"), ("rst", "2"), ("ec", "ER900"), ("cod", "order-1")])
    assert notice.gid is None and notice.order_ref == "order-1"
    assert notice.error is not None and notice.error.code == "ER900"


@pytest.mark.parametrize(
    "query",
    [
        "rst=1&am=1000",  # no gid
        "gid=1&am=1000",  # no rst
        "gid=1&rst=1&gid=2",  # twice
        "gid=1&rst=1&memo=a&memo=b",  # free data twice
        "gid=abc&rst=1",
        "gid=1&rst=3",
        "gid=1&rst=1&am=1e3",
        "gid=0&rst=1",  # a success without a payment number
        "gid=1&rst=1&cod=%ff",  # not UTF-8
        "",
    ],
)
def test_malformed_kickbacks(query: str) -> None:
    with pytest.raises(GatewayAnswerError):
        parse_kickback(query)


def test_other_charset() -> None:
    notice = parse_kickback("gid=1&rst=1&cod=a&memo=%92%8D%95%B6", charset="shift_jis")
    assert notice.extra == {"memo": "注文"}

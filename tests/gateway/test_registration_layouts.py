"""The bulk registration payment answer in both layouts: its table's (… id,ps,uid,key,num, free data) and its
printed 14-field sample's (one of id/ps fewer), each with and without an empty trailing field (the way the
official failure sample ends), free data in either echo form and CRLF. The layout is told by content (the uid
sent, the key's shape, num digits), never by counting fields."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from robotpayment_app.gateway import GatewayAnswerError, RobotPaymentClient
from robotpayment_app.gateway.codec import (
    REGISTRATION_PAYMENT_LAYOUT,
    REGISTRATION_PAYMENT_SAMPLE_LAYOUT,
    parse_payment_answer,
    registration_answer_layout,
)
from robotpayment_app.gateway.fields import GATEWAY_FIELD_NAMES

from . import samples
from .conftest import ScriptedGateway

HEAD = "1095729,1,TestMod,,205685,,1000,2,4,1006"  # the spec sample's first ten fields
SAMPLE = f"{HEAD},,012345,vnpjBycDO5,1"  # = samples.SPEC_BULK_PAYMENT_ANSWER
TABLE = f"{HEAD},,,012345,vnpjBycDO5,1"
TAILS = {
    "nothing": ("", {}),
    "an empty field": (",", {}),
    "one pair": (",memo=x", {"memo": "x"}),
    "pairs in one field": (",a=1&b=two%20words", {"a": "1", "b": "two words"}),
    "a pair per field": (",a=1,b=2", {"a": "1", "b": "2"}),
}


@pytest.mark.parametrize("ending", ["", "\r\n"], ids=["no line ending", "CRLF"])
@pytest.mark.parametrize("tail", TAILS, ids=list(TAILS))
@pytest.mark.parametrize("line", [SAMPLE, TABLE], ids=["sample layout", "table layout"])
@pytest.mark.parametrize("sent", ["012345", None], ids=["uid sent", "uid not given"])
def test_both_layouts_read_alike(line: str, tail: str, ending: str, sent: str | None) -> None:
    text, extra = TAILS[tail]
    result = parse_payment_answer(line + text + ending, with_registration=True, sent_customer_id=sent)
    assert result.succeeded and result.gid == "1095729"
    assert (result.amount, result.tax, result.shipping, result.total) == (1000, 2, 4, 1006)
    assert (result.customer_id, result.customer_key, result.card_seq) == ("012345", "vnpjBycDO5", "1")
    assert (result.issued_id, result.issued_password) == ("", "")
    assert dict(result.extra) == extra
    assert result.trailing_fields == (("",) if tail == "an empty field" else ())


def test_the_printed_sample_is_the_sample_layout() -> None:
    assert SAMPLE == samples.SPEC_BULK_PAYMENT_ANSWER
    assert registration_answer_layout(SAMPLE.split(","), "012345") == REGISTRATION_PAYMENT_SAMPLE_LAYOUT
    # the form of the issue: counting fields read it as ps=012345, uid=vnpjBycDO5, key=1
    assert registration_answer_layout((SAMPLE + ",").split(","), "012345") == REGISTRATION_PAYMENT_SAMPLE_LAYOUT
    assert registration_answer_layout((TABLE + ",").split(","), "012345") == REGISTRATION_PAYMENT_LAYOUT


def test_a_content_product_fills_id_and_ps_in_the_table_layout() -> None:
    line = f"{HEAD},ID1095729,PassW0rd,012345,vnpjBycDO5,1"
    result = parse_payment_answer(line, with_registration=True, sent_customer_id="012345")
    assert (result.issued_id, result.issued_password) == ("ID1095729", "PassW0rd")
    assert (result.customer_id, result.customer_key, result.card_seq) == ("012345", "vnpjBycDO5", "1")
    sample = f"{HEAD},ID1095729,012345,vnpjBycDO5,1,"  # the sample layout keeps one of them
    result = parse_payment_answer(sample, with_registration=True, sent_customer_id="012345")
    assert result.issued_id == "ID1095729" and result.customer_key == "vnpjBycDO5"


@pytest.mark.parametrize(
    ("line", "sent", "reason"),
    [
        (SAMPLE + ",", "999999", "uid in the answer differs from the request"),
        (TABLE, "999999", "uid in the answer differs from the request"),
        (f"{HEAD},,012345,ABCDEFGHIJK,1", "012345", "uid, key or num of the bulk registration answer is malformed"),
        (f"{HEAD},,,012345,vnpj-BycD,1", "012345", "uid, key or num of the bulk registration answer is malformed"),
        (f"{HEAD},,012345,vnpjBycDO5,x1,", "012345", "uid, key or num of the bulk registration answer is malformed"),
        (f"{HEAD},,012345,vnpjBycDO5,", "012345", "uid, key or num of the bulk registration answer is malformed"),
        # key = uid and a bare number after the sample layout: both readings hold, so neither can be trusted
        (f"{HEAD},,U1,U1,1,2", "U1", "the bulk registration answer fits both layouts"),
    ],
)
def test_a_success_that_fits_neither_or_both_layouts_is_malformed(line: str, sent: str, reason: str) -> None:
    with pytest.raises(GatewayAnswerError) as malformed:
        parse_payment_answer(line, with_registration=True, sent_customer_id=sent)
    assert malformed.value.reason == reason
    assert "vnpj" not in str(malformed.value) and "ABCDEFGHIJK" not in str(malformed.value)


@pytest.mark.parametrize(
    ("line", "uid"),
    [
        (samples.OFFICIAL_FAILURE_ANSWER, "0"),  # no uid echoed: read as the table places its fields
        ("0,2,,ER021,,order-1,0,0,0,0,,,012345,,", "012345"),  # the sandbox's refusal, table layout
        ("0,2,,ER021,,order-1,0,0,0,0,,012345,,", "012345"),  # and sample layout
        ("0,2,,ER021,,order-1,0,0,0,0,,012345,,,", "012345"),  # with an empty trailing field
        ("1095730,2,,G5542G550000,205686,,1000,2,4,1006,,,012345,,", "012345"),
    ],
)
def test_refusals_read_in_either_layout(line: str, uid: str) -> None:
    result = parse_payment_answer(line, with_registration=True, sent_customer_id="012345")
    assert not result.succeeded and result.error is not None and result.error.code
    assert (result.customer_id, result.customer_key, result.card_seq) == (uid, None, None)


_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_FREE_DATA = st.dictionaries(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True).filter(
        lambda k: k.lower() not in GATEWAY_FIELD_NAMES
    ),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    max_size=3,
)


@given(
    uid=st.text(_ALNUM, min_size=1, max_size=50),
    key=st.text(_ALNUM, min_size=1, max_size=10),
    num=st.integers(min_value=1, max_value=10**9).map(str),
    sample_layout=st.booleans(),
    empty_trailing_field=st.booleans(),
    extra=_FREE_DATA,
    joined=st.booleans(),
    ending=st.sampled_from(["", "\n", "\r\n"]),
)
def test_any_well_formed_registration_answer_reads_back_in_either_layout(
    uid: str,
    key: str,
    num: str,
    sample_layout: bool,
    empty_trailing_field: bool,
    extra: dict[str, str],
    joined: bool,
    ending: str,
) -> None:
    items = [*HEAD.split(","), "", *([] if sample_layout else [""]), uid, key, num]
    pairs = [f"{name}={quote(value, safe='')}" for name, value in extra.items()]
    if pairs:
        items += ["&".join(pairs)] if joined else pairs
    elif empty_trailing_field:
        items.append("")
    result = parse_payment_answer(",".join(items) + ending, with_registration=True, sent_customer_id=uid)
    assert (result.customer_id, result.customer_key, result.card_seq) == (uid, key, num)
    assert dict(result.extra) == extra


async def test_the_client_keeps_uid_key_and_num_of_a_sample_layout_answer_ending_in_a_comma(
    client: RobotPaymentClient, gateway: ScriptedGateway
) -> None:
    # before: read as ps=012345, uid=vnpjBycDO5, key=1: "uid differs", so a paid payment was unknown
    gateway.reply(SAMPLE + ",\r\n")
    request = samples.bulk_payment(order_ref="order-1", charge=samples.amounts(amount=1000, tax=2, shipping=4))
    paid = await client.pay_and_register(request)
    assert paid.succeeded and paid.gid == "1095729"
    assert (paid.customer_id, paid.customer_key, paid.card_seq) == ("012345", "vnpjBycDO5", "1")

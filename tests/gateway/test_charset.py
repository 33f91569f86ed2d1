"""Answers and notifications that are not valid UTF-8 (the spec names no charset; its pages are UTF-8): read where
the fields are ASCII, otherwise malformed (for a call that moves money: outcome unknown, never declined), and
never a crash; control characters in a field are malformed too (a NUL does not even fit a PostgreSQL text)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from robotpayment_app.gateway import (
    GatewayAnswerError,
    GatewayOutcomeUnknown,
    RobotPaymentClient,
    kickback_from_params,
    parse_kickback,
)
from robotpayment_app.gateway.codec import (
    decode_answer,
    parse_card_answer,
    parse_card_details_answer,
    parse_customer_answer,
    parse_payment_answer,
)

from . import samples
from .conftest import ScriptedGateway

SJIS_MEMO = "memo=注文".encode("shift_jis")  # an echo the gateway did not percent-encode, in Shift_JIS
PAYMENT_OK = b"1095729,1,TestMod,,205685,order-1,1000,80,500,1580,,,"
DECLINED = b"1095730,2,,G5542G550000,205686,order-1,1000,80,500,1580,,,"


def test_ascii_fields_of_a_shift_jis_answer_are_read_and_the_echo_keeps_what_it_can() -> None:
    result = parse_payment_answer(decode_answer(PAYMENT_OK + SJIS_MEMO + b"\r\n"))
    assert result.succeeded and (result.gid, result.total) == ("1095729", 1580)
    assert result.extra["memo"].count("\ufffd") >= 1  # the undecodable bytes, replaced
    card = parse_card_details_answer(decode_answer(b"1,,012345,vnjpBycDO5,1,*****9999,2512,TARO,YAMADA,\x82\xa0"))
    assert (card.first_name, card.trailing_fields) == ("TARO", ("\ufffd\ufffd",))


@pytest.mark.parametrize(
    ("parse", "body", "reason"),
    [
        (
            parse_payment_answer,
            b"1095729,1,TestMod,,205685," + "注文".encode("shift_jis") + b",1000,80,500,1580,,",
            "cod is not valid utf-8",
        ),
        (
            parse_card_details_answer,
            b"1,,012345,vnjpBycDO5,1,*****9999,2512," + "ﾀﾛｳ".encode("shift_jis") + b",YAMADA",
            "fn is not valid utf-8",
        ),
        (parse_customer_answer, b"1,,012345,vnjp\x00BycDO5", "key holds a control character"),
        (parse_payment_answer, b"1095730,2,,G55\x1b[31m,205686,,1000,0,0,1000,,", "ec holds a control character"),
    ],
)
def test_a_field_that_is_not_valid_utf8_or_holds_a_control_character_is_malformed(
    parse: Callable[[str], object], body: bytes, reason: str
) -> None:
    with pytest.raises(GatewayAnswerError) as malformed:
        parse(decode_answer(body))
    assert malformed.value.reason == reason


async def test_a_paid_payment_whose_echo_is_shift_jis_is_paid(
    client: RobotPaymentClient, gateway: ScriptedGateway
) -> None:
    gateway.reply(PAYMENT_OK + SJIS_MEMO)
    paid = await client.charge_one_touch(samples.one_touch(extra={"memo": "注文"}))
    assert paid.succeeded and paid.gid == "1095729"


@pytest.mark.parametrize("answer", [PAYMENT_OK, DECLINED], ids=["paid", "declined"])
async def test_a_money_answer_with_an_unreadable_field_is_unknown_never_declined(
    client: RobotPaymentClient, gateway: ScriptedGateway, answer: bytes
) -> None:
    gateway.reply(answer.replace(b"order-1", "注文1".encode("shift_jis")))
    with pytest.raises(GatewayOutcomeUnknown, match="cod is not valid utf-8"):
        await client.charge_one_touch(samples.one_touch(order_ref="注文1"))


async def test_a_card_registration_answer_with_a_nul_is_unknown(
    client: RobotPaymentClient, gateway: ScriptedGateway
) -> None:
    gateway.reply(httpx.Response(200, content=b"1,,012345,SeCrEtKey9,\x00"))
    with pytest.raises(GatewayOutcomeUnknown, match="num holds a control character"):
        await client.register_card(samples.card_registration())


# ---- kickbacks: the web route hands the raw query over as latin-1 text --------------------------------------


def _as_the_route_hands_it_over(query: bytes) -> str:
    return query.decode("latin-1")


BASE = b"gid=10000001&rst=1&ap=0001112&ec=&god=10000002&cod=order-1&am=1000&tx=80&sf=500&ta=1580"


@pytest.mark.parametrize(
    "memo",
    [b"%92%8D%95%B6", "注文".encode("shift_jis"), b"%ff", b"%E6%B3"],
    ids=["Shift_JIS escapes", "raw Shift_JIS bytes", "a lone escape", "UTF-8 cut short"],
)
def test_a_notification_whose_free_data_is_not_utf8_is_read(memo: bytes) -> None:
    notice = parse_kickback(_as_the_route_hands_it_over(BASE + b"&memo=" + memo))
    assert notice.succeeded and (notice.gid, notice.order_ref, notice.total) == ("10000001", "order-1", 1580)
    assert "\ufffd" in notice.extra["memo"]
    notice.fingerprint.encode("ascii")  # computed: the echo encodes again


def test_a_notification_in_raw_utf8_is_read_as_utf8() -> None:
    notice = parse_kickback(_as_the_route_hands_it_over(BASE.replace(b"order-1", "注文1".encode())))
    assert notice.order_ref == "注文1"


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        (b"cod", b"%92%8D%95%B6", "cod is not valid utf-8"),
        (b"cod", "注文".encode("shift_jis"), "cod is not valid utf-8"),
        (b"ec", b"%00", "ec holds a control character"),
        (b"cod", b"a%00b", "cod holds a control character"),
        (b"god", b"1%0A2", "god holds a control character"),
        (b"uid", b"u%C2%85x", "uid holds a control character"),  # NEL
    ],
)
def test_a_notification_field_that_is_not_valid_utf8_or_holds_a_control_character_is_none(
    field: bytes, value: bytes, reason: str
) -> None:
    pairs = [pair for pair in BASE.split(b"&") if not pair.startswith(field + b"=")]
    query = b"&".join([*pairs, field + b"=" + value])
    with pytest.raises(GatewayAnswerError) as malformed:
        parse_kickback(_as_the_route_hands_it_over(query))
    assert malformed.value.reason == reason


def test_decoded_pairs_with_surrogates_never_crash() -> None:
    notice = kickback_from_params([("gid", "1"), ("rst", "1"), ("memo\udc82", "x\ud800")])
    assert notice.extra == {"memo\ufffd": "x\ufffd"}
    with pytest.raises(GatewayAnswerError):
        kickback_from_params([("gid", "1"), ("rst", "1"), ("cod", "x\udcff")])


def _texts(parsed: object) -> list[str]:
    """Every text a parsed answer or notification holds."""
    texts: list[str] = []
    for field in dataclasses.fields(parsed):  # type: ignore[arg-type]
        value = getattr(parsed, field.name)
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, Mapping):
            texts += [*value.keys(), *value.values()]
        elif isinstance(value, tuple):
            texts += [item for item in value if isinstance(item, str)]
    return texts


_ANY_TEXT = st.text(st.characters(blacklist_categories=()))  # lone surrogates too
_ANSWER_LIKE = st.lists(st.one_of(_ANY_TEXT, st.sampled_from(["1", "2", "a=%ff", "=", "", "\x00"]))).map(",".join)


@given(st.binary())
def test_any_query_bytes_handed_over_as_latin1_never_crash_and_give_encodable_text(query: bytes) -> None:
    try:
        notice = parse_kickback(_as_the_route_hands_it_over(query))
    except GatewayAnswerError:
        return
    for text in _texts(notice):
        text.encode("utf-8")


@given(st.one_of(_ANY_TEXT, _ANSWER_LIKE))
def test_any_answer_text_never_crashes_and_what_parses_encodes(text: str) -> None:
    for parse in (parse_payment_answer, parse_customer_answer, parse_card_answer, parse_card_details_answer):
        try:
            parsed = parse(text)
        except GatewayAnswerError:
            continue
        for value in _texts(parsed):
            value.encode("utf-8")

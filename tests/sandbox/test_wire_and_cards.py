"""Pure parts: request parsing, answer lines, kickback URLs, card checks, origin patterns."""

from __future__ import annotations

import pytest

from robotpayment_app.sandbox.cards import (
    TEST_CARDS,
    brand_of,
    check_card_number,
    check_cvv,
    check_expiry,
    check_holder_names,
    decline_code,
    luhn_ok,
    masked,
)
from robotpayment_app.sandbox.config import SandboxConfig
from robotpayment_app.sandbox.errors import GatewayError
from robotpayment_app.sandbox.gateway import SandboxGateway, origin_allowed
from robotpayment_app.sandbox.kickback import KickbackDelivery
from robotpayment_app.sandbox.requests import USER_FIELDS
from robotpayment_app.sandbox.state import Card, Customer, Token
from robotpayment_app.sandbox.wire import (
    AnswerStyle,
    answer_line,
    check_free_data,
    encode_free_data,
    kickback_url,
    parse_params,
)


def test_query_and_body_are_merged_and_unknown_fields_become_free_data_in_order() -> None:
    params = parse_params(b"aid=000000&memo=a+b", b"cmd=0&uid=u1&zz=%E6%97%A5&em=", USER_FIELDS)
    assert params.fields == {"aid": "000000", "cmd": "0", "uid": "u1", "em": ""}
    assert params.free == (("memo", "a b"), ("zz", "日"))
    assert params["pn"] == ""
    assert not params.has("em")


def test_a_field_sent_twice_reads_as_both_values_joined_by_a_comma() -> None:
    assert parse_params(b"aid=000000&aid=000001", b"", USER_FIELDS)["aid"] == "000000,000001"


def test_free_data_is_one_percent_encoded_field_after_the_table_fields() -> None:
    free = (("memo", "a,b c"), ("n", "1\r\n"))
    assert encode_free_data(free) == "memo=a%2Cb%20c&n=1%0D%0A"
    assert answer_line(["1", "", "u1", "KEY"], free) == "1,,u1,KEY,memo=a%2Cb%20c&n=1%0D%0A"
    assert answer_line(["1", "", "u1", "KEY"], ()) == "1,,u1,KEY"
    assert answer_line(["1"], (), AnswerStyle(line_ending="\r\n")) == "1\r\n"
    # the official failure sample's form: the free-data field is there, empty
    assert answer_line(["1", "", "u1", "KEY"], (), AnswerStyle(empty_free_data_field=True)) == "1,,u1,KEY,"
    assert answer_line(["1"], free[1:], AnswerStyle(empty_free_data_field=True)) == "1,n=1%0D%0A"


def test_free_data_over_1024_bytes_is_a_request_error() -> None:
    check_free_data((("k", "v" * 1022),))
    with pytest.raises(GatewayError) as refused:
        check_free_data((("k", "v" * 1023),))
    assert refused.value.code == "ER001"


def test_kickback_url_appends_fields_then_free_data_to_the_store_url() -> None:
    url = kickback_url("http://shop.test/kb?shop=1", [("gid", "10"), ("cod", "a b")], (("memo", "x&y"),))
    assert url == "http://shop.test/kb?shop=1&gid=10&cod=a%20b&memo=x%26y"
    assert kickback_url("http://shop.test/kb", [("rst", "1")], ()) == "http://shop.test/kb?rst=1"


def test_every_test_card_passes_the_number_checks_and_has_a_brand() -> None:
    for card in TEST_CARDS:
        assert check_card_number(card.number) == card.number
        assert brand_of(card.number) is not None
    assert brand_of("378282246310005") == "AMEX"
    assert brand_of("3530111333300000") == "JCB"
    assert brand_of("5555555555554444") == "MASTER"
    assert brand_of("2221000000000009") == "MASTER"
    assert brand_of("36227206271667") == "DINERS"
    assert brand_of("4444333322221111") == "VISA"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("4444333322221", "ER055"),
        ("4444-3333", "ER055"),
        ("4444333322221112", "ER014"),
        ("9999999999999995", "ER015"),
    ],
)
def test_bad_card_numbers_get_their_codes(number: str, code: str) -> None:
    assert luhn_ok("4444333322221111")
    with pytest.raises(GatewayError) as refused:
        check_card_number(number)
    assert refused.value.code == code


def test_expiry_accepts_yymm_and_yyyymm_and_refuses_past_or_malformed_months() -> None:
    assert check_expiry("3012", "2611") == "3012"
    assert check_expiry("203012", "2611") == "3012"
    assert check_expiry("2611", "2611") == "2611"
    for bad in ("2610", "3013", "30-1", "12"):
        with pytest.raises(GatewayError) as refused:
            check_expiry(bad, "2611")
        assert refused.value.code == "ER056"


def test_holder_names_allow_43_characters_each_and_44_together() -> None:
    assert check_holder_names("A" * 22, "B" * 22) == ("A" * 22, "B" * 22)
    assert check_holder_names("J.R.", "O-NEIL")[1] == "O-NEIL"
    # the spec's 記号 are '.' and '-' only; a space only when the sandbox is lenient
    assert check_holder_names("J. R.", "VAN DYKE", spaces=True) == ("J. R.", "VAN DYKE")
    for first, last, code in [
        ("", "YAMADA", "ER057"),
        ("TARO", "", "ER058"),
        ("TAR*", "YAMADA", "ER057"),
        ("J. R.", "YAMADA", "ER057"),
        ("TARO", "VAN DYKE", "ER058"),
        ("TARO", "山田", "ER058"),
        ("A" * 44, "B", "ER057"),
        ("A" * 40, "B" * 5, "ER058"),
    ]:
        with pytest.raises(GatewayError) as refused:
            check_holder_names(first, last)
        assert refused.value.code == code


def test_cvv_has_three_digits_and_four_for_amex_and_may_be_required() -> None:
    assert check_cvv("123", "4444333322221111", required=True)
    assert check_cvv("1234", "378282246310005", required=True)
    assert not check_cvv("", "4444333322221111", required=False)
    for cvv, number, required in [
        ("", "4444333322221111", True),
        ("12", "4444333322221111", False),
        ("123", "378282246310005", False),
    ]:
        with pytest.raises(GatewayError) as refused:
            check_cvv(cvv, number, required=required)
        assert refused.value.code == "ER079"


def test_masks_and_decline_codes_have_the_gateway_shapes() -> None:
    assert masked("4444333322221111") == "*****1111"
    assert decline_code("G55") == "G5542G550000"
    assert len(decline_code("G04")) == 12


def test_origin_patterns_match_a_port_but_not_another_host() -> None:
    patterns = ("http://127.0.0.1:*", "https://shop.example.jp")
    assert origin_allowed("http://127.0.0.1:5173", patterns)
    assert origin_allowed("https://shop.example.jp", patterns)
    assert not origin_allowed("http://127.0.0.1.evil.test:80", patterns)
    assert not origin_allowed("http://127.0.0.1:80/x", patterns)
    assert not origin_allowed("https://shop.example.jp.evil.test", patterns)


TOKEN_SECRETS = frozenset({"uid", "key", "tkn", "cn", "cvv"})


def test_reprs_never_show_keys_tokens_or_card_numbers() -> None:
    params = parse_params(b"uid=u1&key=SECRETKEY1&tkn=TOKENVALUE&cn=4444333322221111&cvv=123", b"", TOKEN_SECRETS)
    card = Card(1, "4444333322221111", "3012", "TARO", "YAMADA")
    shown = " ".join(
        repr(thing)
        for thing in (
            params,
            card,
            Customer("000000", "u1", "SECRETKEY1", "a@b.jp", ""),
            Token("TOKENVALUE", "000000", card, cvv_given=True, created_at=0.0),
            KickbackDelivery(1, 10, "http://shop.test/kb?key=SECRETKEY1"),
        )
    )
    assert "u1" in shown and "TARO" in shown
    for secret in ("SECRETKEY1", "TOKENVALUE", "4444333322221111", "'123'"):
        assert secret not in shown


def test_the_ip_allow_list_reads_ipv4_mapped_addresses_as_ipv4() -> None:
    gateway = SandboxGateway(SandboxConfig(allowed_ips=("127.0.0.1", "::1")))
    assert gateway.ip_allowed("127.0.0.1") and gateway.ip_allowed("::1") and gateway.ip_allowed("::ffff:127.0.0.1")
    assert not gateway.ip_allowed("10.0.0.1") and not gateway.ip_allowed("not-an-ip") and not gateway.ip_allowed(None)

"""The wire codec on every sample line of the spec, the official failure sample and forms seen in practice."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from robotpayment_app.gateway import Fixer, GatewayAnswerError, GatewayValidationError
from robotpayment_app.gateway.codec import (
    decode_answer,
    encode_form,
    parse_card_answer,
    parse_card_details_answer,
    parse_customer_answer,
    parse_payment_answer,
    parse_query,
)

from . import samples


class TestSpecSamples:
    def test_user_register_update_delete_answer(self) -> None:
        record = parse_customer_answer(samples.SPEC_CUSTOMER_ANSWER)
        assert record.succeeded and record.error is None
        assert (record.customer_id, record.customer_key) == ("012345", "vnjpBycDO5")
        assert (record.email, record.phone) == (None, None)

    def test_user_read_answer(self) -> None:
        record = parse_customer_answer(samples.SPEC_CUSTOMER_READ_ANSWER, with_contact=True)
        assert (record.customer_id, record.customer_key) == ("012345", "vnjpBycDO5")
        assert (record.email, record.phone) == ("sample@sample.jp", "09011111111")

    def test_card_register_update_delete_answer(self) -> None:
        record = parse_card_answer(samples.SPEC_CARD_ANSWER)
        assert record.succeeded
        assert (record.customer_id, record.customer_key, record.card_seq) == ("012345", "vnjpBycDO5", "1")

    def test_card_read_sample_without_ec(self) -> None:
        details = parse_card_details_answer(samples.SPEC_CARD_READ_ANSWER)
        assert details.succeeded and details.error is None
        assert (details.customer_id, details.customer_key, details.card_seq) == ("012345", "vnjpBycDO5", "1")
        assert (details.masked_number, details.last4, details.expiry) == ("*****9999", "9999", "2512")
        assert (details.first_name, details.last_name) == ("sample", "sample")

    def test_card_read_as_its_table_says_with_ec(self) -> None:
        details = parse_card_details_answer("1,,012345,vnjpBycDO5,1,*****9999,2512,TARO,YAMADA\r\n")
        assert (details.card_seq, details.masked_number, details.expiry) == ("1", "*****9999", "2512")
        assert (details.first_name, details.last_name) == ("TARO", "YAMADA")

    def test_bulk_registration_payment_answer(self) -> None:
        result = parse_payment_answer(samples.SPEC_BULK_PAYMENT_ANSWER, with_registration=True)
        assert result.succeeded and result.error is None
        assert (result.gid, result.approval_number, result.order_code, result.order_ref) == (
            "1095729",
            "TestMod",
            "205685",
            "",
        )
        assert (result.amount, result.tax, result.shipping, result.total) == (1000, 2, 4, 1006)
        assert (result.customer_id, result.customer_key, result.card_seq) == ("012345", "vnpjBycDO5", "1")

    def test_bulk_registration_payment_answer_as_its_table_says(self) -> None:
        line = "1095729,1,TestMod,,205685,order-1,1000,2,4,1006,,,012345,vnpjBycDO5,1,memo=x"
        result = parse_payment_answer(line, with_registration=True)
        assert (result.customer_id, result.customer_key, result.card_seq) == ("012345", "vnpjBycDO5", "1")
        assert result.order_ref == "order-1"
        assert dict(result.extra) == {"memo": "x"}

    def test_one_touch_answer_sample(self) -> None:
        result = parse_payment_answer(samples.SPEC_ONE_TOUCH_ANSWER)
        assert result.succeeded and result.gid == "1095729"
        assert (result.amount, result.tax, result.shipping, result.total) == (1000, 2, 4, 1006)
        assert result.customer_id is None and result.card_seq is None

    def test_official_failure_sample(self) -> None:
        result = parse_payment_answer(samples.OFFICIAL_FAILURE_ANSWER)
        assert not result.succeeded
        assert result.gid is None  # "0" is no payment number
        assert result.error is not None and result.error.code == "ER900"
        assert result.error.fixer is Fixer.SHOPPER and not result.error.retryable
        assert (result.amount, result.total) == (0, 0)
        assert result.trailing_fields == ("0", "")

    def test_official_failure_sample_as_a_registration_answer(self) -> None:
        result = parse_payment_answer(samples.OFFICIAL_FAILURE_ANSWER, with_registration=True)
        assert not result.succeeded and result.error is not None and result.error.code == "ER900"


class TestAnswerForms:
    def test_crlf_and_stray_spaces(self) -> None:
        record = parse_card_answer(" 1,, 012345 ,vnjpBycDO5,1 \r\n")
        assert (record.customer_id, record.card_seq) == ("012345", "1")

    def test_byte_order_mark(self) -> None:
        assert parse_customer_answer("\ufeff1,,012345,vnjpBycDO5\r\n").customer_key == "vnjpBycDO5"

    def test_refusal_with_missing_trailing_fields(self) -> None:
        record = parse_customer_answer("2,ER021\r\n")
        assert not record.succeeded
        assert record.error is not None and record.error.code == "ER021"
        assert record.customer_id == "" and record.customer_key == ""

    def test_refusal_without_a_code_gets_an_unknown_entry(self) -> None:
        record = parse_card_answer("2,,012345,vnjpBycDO5,1")
        assert record.error is not None and record.error.code == "" and not record.error.known

    @pytest.mark.parametrize("text", ["ER:ER003", "ER:ER003\r\n", " ER: ER003 \n"])
    def test_plain_error_answers(self, text: str) -> None:
        for parsed in (
            parse_customer_answer(text),
            parse_card_answer(text),
            parse_card_details_answer(text),
            parse_payment_answer(text),
        ):
            assert not parsed.succeeded
            assert parsed.error is not None and parsed.error.code == "ER003"
            assert parsed.error.fixer is Fixer.MERCHANT
        assert parse_payment_answer(text).gid is None

    def test_payment_decline_with_a_card_company_code(self) -> None:
        result = parse_payment_answer("1095730,2,,G5542G550000,205686,order-1,1000,0,0,1000,,")
        assert not result.succeeded and result.gid == "1095730"
        assert result.error is not None
        assert result.error.code == "G5542G550000" and result.error.english == "Over the card's limit"

    def test_payment_error_with_only_the_first_fields(self) -> None:
        result = parse_payment_answer("0,2,,ER010\r\n")
        assert result.error is not None and result.error.retryable
        assert result.amount is None and result.total is None

    def test_free_data_echo_after_all_fields(self) -> None:
        result = parse_payment_answer("1,1,123456,,2,order-1,100,0,0,100,,,memo=two%20words%0Aok,ref=a=b")
        assert dict(result.extra) == {"memo": "two words\nok", "ref": "a=b"}
        assert result.trailing_fields == ()

    @pytest.mark.parametrize(
        "echo",
        ["a=1&b=two%20words", "a=1,b=two%20words", "a=1&,b=two%20words", "a=1&b=two%20words&"],
        ids=["one field, as sent", "a field per pair", "with an empty pair", "ending in &"],
    )
    def test_free_data_echo_in_either_form(self, echo: str) -> None:
        result = parse_payment_answer(f"1,1,123456,,2,order-1,100,0,0,100,,,{echo}")
        assert dict(result.extra) == {"a": "1", "b": "two words"} and result.trailing_fields == ()
        record = parse_card_answer(f"1,,012345,vnjpBycDO5,1,{echo}\r\n")
        assert dict(record.extra) == {"a": "1", "b": "two words"}
        short = parse_customer_answer(f"2,ER021,{echo}")  # right after a short refusal
        assert dict(short.extra) == {"a": "1", "b": "two words"} and short.customer_id == ""

    def test_free_data_echo_keeps_an_item_with_a_part_that_is_no_pair(self) -> None:
        result = parse_payment_answer("1,1,123456,,2,order-1,100,0,0,100,,,a=1&junk,b=2")
        assert dict(result.extra) == {"b": "2"} and result.trailing_fields == ("a=1&junk",)
        with pytest.raises(GatewayAnswerError, match="appears twice"):
            parse_payment_answer("1,1,123456,,2,order-1,100,0,0,100,,,a=1&a=2")

    def test_free_data_echo_decoded_in_the_charset(self) -> None:
        result = parse_payment_answer("1,1,123456,,2,o,100,0,0,100,,,memo=%92%8D%95%B6", charset="shift_jis")
        assert dict(result.extra) == {"memo": "注文"}
        odd = parse_card_answer("1,,012345,vnjpBycDO5,1,memo=%ff", charset="utf-8")
        assert dict(odd.extra) == {"memo": "\ufffd"}  # a broken echo does not make the answer unusable

    def test_free_data_echo_after_a_short_answer(self) -> None:
        result = parse_payment_answer("0,2,,ER061,memo=x")
        assert result.order_code == "" and dict(result.extra) == {"memo": "x"}
        record = parse_customer_answer("2,ER004,memo=x")
        assert record.customer_id == "" and dict(record.extra) == {"memo": "x"}

    def test_cod_may_hold_an_equals_sign(self) -> None:
        result = parse_payment_answer("7,1,123456,,8,a=b,100,0,0,100,,")
        assert result.order_ref == "a=b" and result.extra == {}

    def test_user_read_with_free_data(self) -> None:
        record = parse_customer_answer("1,,012345,vnjpBycDO5,,09011111111,memo=hi", with_contact=True)
        assert record.email is None and record.phone == "09011111111"
        assert dict(record.extra) == {"memo": "hi"}

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            ("", "empty answer"),
            ("\r\n", "empty answer"),
            ("<html><body>Server Error</body></html>", "rst must be 1 or 2"),
            ("1,3,,,", "rst must be 1 or 2"),
            ("x,1,ap,,1,,100,0,0,100", "gid must be ASCII digits"),
            ("0,1,ap,,1,,100,0,0,100", "a successful answer must carry gid"),
            (",1,ap,,1,,100,0,0,100", "a successful answer must carry gid"),
            ("5,1,ap,,1,,１００,0,0,100", "am must be ASCII digits"),
            ("5,1,ap,,1,,100,-1,0,100", "tx must be ASCII digits"),
            ("5,1,ap,,1,,100,0,0,100,,,a=1,a=2", "a free-data key appears twice"),
        ],
    )
    def test_malformed_payment_answers(self, text: str, reason: str) -> None:
        with pytest.raises(GatewayAnswerError) as malformed:
            parse_payment_answer(text)
        assert malformed.value.reason == reason

    @pytest.mark.parametrize("text", ["1,,012345", "1,,,vnjpBycDO5", "1", "OK"])
    def test_customer_success_needs_uid_and_key(self, text: str) -> None:
        with pytest.raises(GatewayAnswerError):
            parse_customer_answer(text)

    def test_card_success_needs_num(self) -> None:
        with pytest.raises(GatewayAnswerError):
            parse_card_answer("1,,012345,vnjpBycDO5")
        with pytest.raises(GatewayAnswerError):
            parse_card_details_answer("1,,012345,vnjpBycDO5")

    def test_capture_answer_may_leave_gid_out(self) -> None:
        assert parse_payment_answer("0,1,,,,,0,0,0,0,,", require_gid=False).gid is None

    def test_answer_errors_never_quote_the_answer(self) -> None:
        with pytest.raises(GatewayAnswerError) as malformed:
            parse_payment_answer("1095729,1,,,,,x,0,0,0,,,012345,vnpjSeCrEt,1", with_registration=True)
        assert "vnpjSeCrEt" not in str(malformed.value)


class TestEncoding:
    def test_form_encoding_keeps_order_and_percent_encodes_spaces_and_newlines(self) -> None:
        body = encode_form([("aid", "000000"), ("memo", "two words\r\nnext"), ("em", "a+b@sample.jp")])
        assert body == b"aid=000000&memo=two%20words%0D%0Anext&em=a%2Bb%40sample.jp"
        assert parse_qsl(body.decode()) == [
            ("aid", "000000"),
            ("memo", "two words\r\nnext"),
            ("em", "a+b@sample.jp"),
        ]

    def test_form_encoding_in_another_charset(self) -> None:
        assert encode_form([("memo", "注文")], charset="shift_jis") == b"memo=%92%8D%95%B6"
        assert encode_form([("memo", "注文")]) == b"memo=%E6%B3%A8%E6%96%87"

    def test_unencodable_value_names_its_field(self) -> None:
        with pytest.raises(GatewayValidationError) as refused:
            encode_form([("memo", "🙂")], charset="shift_jis")
        assert refused.value.field == "memo"

    def test_decode_answer(self) -> None:
        assert decode_answer("1,,012345,ｶﾅ".encode("shift_jis"), "shift_jis") == "1,,012345,ｶﾅ"
        # bytes the charset cannot decode are kept (as lone surrogates) for the parsers to judge
        assert decode_answer(b"1,\xff\xfe", "utf-8") == "1,\udcff\udcfe"
        with pytest.raises(GatewayAnswerError):
            decode_answer(b"1", "no-such-charset")

    def test_parse_query(self) -> None:
        assert parse_query("?a=1&b=&c=x%20y+z") == [("a", "1"), ("b", ""), ("c", "x y z")]
        assert parse_query("a=%ff&b=1", "utf-8") == [("a", "\udcff"), ("b", "1")]
        with pytest.raises(GatewayAnswerError):
            parse_query("a=%41", "no-such-charset")
        with pytest.raises(GatewayAnswerError):
            parse_query("&".join(f"k{i}=v" for i in range(500)))

    def test_parse_query_reads_raw_bytes_as_the_web_route_hands_them_over(self) -> None:
        raw = "cod=注文&memo=ｶﾅ".encode()  # not percent-encoded, against the URL syntax
        assert parse_query(raw.decode("latin-1")) == [("cod", "注文"), ("memo", "ｶﾅ")]
        assert parse_query("cod=注文") == [("cod", "注文")]  # text that is no latin-1: its UTF-8 bytes

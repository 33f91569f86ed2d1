"""Property tests: parsers raise only GatewayAnswerError on any input; well-formed answers read back exactly;
form encoding round-trips; request models refuse any bad input with GatewayValidationError only."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, quote

from hypothesis import given
from hypothesis import strategies as st

from robotpayment_app.gateway import (
    AmountsCharge,
    GatewayAnswerError,
    GatewayValidationError,
    OneTouchCharge,
    kickback_from_params,
    parse_kickback,
)
from robotpayment_app.gateway.codec import (
    decode_answer,
    encode_form,
    parse_card_answer,
    parse_card_details_answer,
    parse_customer_answer,
    parse_payment_answer,
)
from robotpayment_app.gateway.fields import GATEWAY_FIELD_NAMES

PARSERS: list[Callable[[str], object]] = [
    parse_customer_answer,
    partial(parse_customer_answer, with_contact=True),
    parse_card_answer,
    parse_card_details_answer,
    parse_payment_answer,
    partial(parse_payment_answer, with_registration=True),
    partial(parse_payment_answer, require_gid=False),
]

# Pieces that reach the parsers' inner branches more often than random text does.
_PIECES = st.sampled_from(
    ["", "0", "1", "2", " 1 ", "１", "ER900", "G5542G550000", "a=b", "=x", "x=", "ER:ER003", "\r\n", "\ufeff"]
)
ANSWER_LIKE = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=20).map(",".join)


def _parse_everywhere(text: str) -> None:
    for parse in PARSERS:
        with contextlib.suppress(GatewayAnswerError):
            parse(text)


@given(st.text())
def test_parsers_on_any_text(text: str) -> None:
    _parse_everywhere(text)


@given(ANSWER_LIKE)
def test_parsers_on_answer_like_text(text: str) -> None:
    _parse_everywhere(text)


@given(st.binary(), st.sampled_from(["utf-8", "shift_jis", "cp932", "euc-jp"]))
def test_parsers_on_any_bytes(body: bytes, charset: str) -> None:
    try:
        text = decode_answer(body, charset)
    except GatewayAnswerError:
        return
    _parse_everywhere(text)


@given(st.one_of(st.text(), ANSWER_LIKE.map(lambda s: s.replace(",", "&"))))
def test_kickback_on_any_query(query: str) -> None:
    with contextlib.suppress(GatewayAnswerError):
        parse_kickback(query)


@given(st.lists(st.tuples(st.one_of(st.sampled_from(sorted(GATEWAY_FIELD_NAMES)), st.text()), ANSWER_LIKE)))
def test_kickback_on_any_params(params: list[tuple[str, str]]) -> None:
    with contextlib.suppress(GatewayAnswerError):
        kickback_from_params(params)


# Well-formed answers.
_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
_DIGITS = st.integers(min_value=1, max_value=10**12).map(str)
_IDENT = st.text(_ALNUM, min_size=1, max_size=50)
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=","), max_size=30).filter(
    lambda s: s == s.strip()
)
_FREE_DATA = st.dictionaries(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True).filter(
        lambda k: k.lower() not in GATEWAY_FIELD_NAMES
    ),
    _TEXT,
    max_size=4,
)


@given(
    gid=_DIGITS,
    succeeded=st.booleans(),
    ap=st.text(_ALNUM, max_size=7),
    ec=st.sampled_from(["", "ER900", "G5542G550000", "ER777"]),
    god=_DIGITS,
    cod=_TEXT,
    amounts=st.tuples(*[st.integers(min_value=0, max_value=10**9)] * 3),
    registration=st.none()
    | st.tuples(_IDENT, _IDENT.filter(lambda s: len(s) <= 10), st.integers(1, 10**10 - 1).map(str)),
    extra=_FREE_DATA,
    ending=st.sampled_from(["", "\n", "\r\n"]),
)  # fmt: skip
def test_well_formed_payment_answers_read_back(
    gid: str,
    succeeded: bool,
    ap: str,
    ec: str,
    god: str,
    cod: str,
    amounts: tuple[int, int, int],
    registration: tuple[str, str, str] | None,
    extra: dict[str, str],
    ending: str,
) -> None:
    am, tx, sf = amounts
    fields = [
        gid,
        "1" if succeeded else "2",
        ap,
        ec,
        god,
        cod,
        str(am),
        str(tx),
        str(sf),
        str(am + tx + sf),
        "",
        "",
    ]
    if registration is not None:
        fields += list(registration)
    fields += [f"{key}={quote(value, safe='')}" for key, value in extra.items()]  # echoed as it was sent
    result = parse_payment_answer(",".join(fields) + ending, with_registration=registration is not None)
    assert (result.gid, result.succeeded, result.approval_number, result.order_code) == (
        gid,
        succeeded,
        ap,
        god,
    )
    assert result.order_ref == cod
    assert (result.amount, result.tax, result.shipping, result.total) == (am, tx, sf, am + tx + sf)
    assert (result.error.code if result.error else "") == ec
    if registration is not None:
        assert (result.customer_id, result.customer_key, result.card_seq) == registration
    assert dict(result.extra) == extra and result.trailing_fields == ()


@given(
    uid=st.text(_ALNUM, min_size=1, max_size=50),
    key=st.text(_ALNUM, min_size=1, max_size=10),
    num=_DIGITS,
    card=st.tuples(st.from_regex(r"\*{5}[0-9]{4}", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True)),
    names=st.tuples(st.text(_ALNUM, max_size=20), st.text(_ALNUM, max_size=20)),
    with_ec=st.booleans(),
    extra=_FREE_DATA,
)
def test_well_formed_card_read_answers_read_back(
    uid: str,
    key: str,
    num: str,
    card: tuple[str, str],
    names: tuple[str, str],
    with_ec: bool,
    extra: dict[str, str],
) -> None:
    fields = ["1", *([""] if with_ec else []), uid, key, num, *card, *names]
    fields += [f"{k}={quote(v, safe='')}" for k, v in extra.items()]
    details = parse_card_details_answer(",".join(fields))
    assert (details.customer_id, details.customer_key, details.card_seq) == (uid, key, num)
    assert (details.masked_number, details.expiry) == card
    assert (details.first_name, details.last_name) == names
    assert dict(details.extra) == extra


_NO_SURROGATES = st.text(st.characters(blacklist_categories=("Cs",)))


@given(st.lists(st.tuples(_NO_SURROGATES, _NO_SURROGATES)))
def test_form_encoding_round_trips_and_hides_spaces_and_newlines(params: list[tuple[str, str]]) -> None:
    body = encode_form(params)
    assert not any(byte in body for byte in b" \r\n+")
    assert parse_qsl(body.decode("ascii"), keep_blank_values=True) == params


_ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.decimals(), st.text(max_size=60), _DIGITS
)


@given(
    store_id=_ANYTHING,
    order_ref=_ANYTHING,
    customer_id=_ANYTHING,
    customer_key=_ANYTHING,
    card_seq=_ANYTHING,
    job=st.one_of(_ANYTHING, st.sampled_from(["AUTH", "CAPTURE", "CHECK"])),
    money=st.tuples(_ANYTHING, _ANYTHING, _ANYTHING),
    method=st.one_of(_ANYTHING, st.sampled_from(["10", "61", "80"])),
    installments=_ANYTHING,
    extra=st.one_of(_ANYTHING, st.dictionaries(st.text(max_size=5), _ANYTHING, max_size=3)),
)
def test_requests_refuse_bad_input_only_with_validation_errors(
    store_id: Any,
    order_ref: Any,
    customer_id: Any,
    customer_key: Any,
    card_seq: Any,
    job: Any,
    money: tuple[Any, Any, Any],
    method: Any,
    installments: Any,
    extra: Any,
) -> None:
    try:
        charge = AmountsCharge(job=job, amount=money[0], tax=money[1], shipping=money[2])
        OneTouchCharge(
            store_id=store_id,
            order_ref=order_ref,
            customer_id=customer_id,
            customer_key=customer_key,
            card_seq=card_seq,
            charge=charge,
            payment_method=method,
            installments=installments,
            extra=extra,
        )
    except GatewayValidationError as refused:
        assert refused.field and refused.rule

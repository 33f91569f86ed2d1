"""The pure parts of `flows/customers.py` and the tokenization `data` rules."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from robotpayment_app.flows.card_events import parse_tokenization_data
from robotpayment_app.flows.customers import (
    card_details_from_gateway,
    card_display_name,
    card_payment_method_details,
    gateway_contact,
    gateway_customer_id_for,
    gateway_phone,
    normalize_brand,
    uid_metadata_key,
)
from robotpayment_app.flows.errors import InvalidPaymentData
from robotpayment_app.gateway import CardDetails as GatewayCardDetails
from robotpayment_app.store.records import Card, Installation

NOW = datetime(2026, 11, 28, tzinfo=UTC)


def _installation(api_url: str) -> Installation:
    return Installation(
        id=1,
        saleor_api_url=api_url,
        domain="shop.example.com",
        app_id="QXBwOjQ=",
        app_token=SecretStr("t"),
        jwks=None,
        kickback_secret="k",
        created_at=NOW,
        updated_at=NOW,
    )


def _card(**values: object) -> Card:
    fields: dict[str, object] = {
        "id": 1,
        "public_id": "card_x",
        "customer_id": 1,
        "card_seq": 1,
        "masked_number": "*****1111",
        "last4": "1111",
        "brand": "VISA",
        "exp_month": 12,
        "exp_year": 2030,
        "holder_name": None,
        "created_at": NOW,
        "updated_at": NOW,
    }
    fields.update(values)
    return Card(**fields)  # type: ignore[arg-type]


def test_the_uid_is_derived_deterministically_per_shop_and_user() -> None:
    shop = _installation("https://shop.example.com/graphql/")
    uid = gateway_customer_id_for(shop, "VXNlcjo0OQ==")
    assert re.fullmatch(r"rp[0-9a-f]{40}", uid)  # alphanumeric, 42 of the 50 characters allowed
    assert gateway_customer_id_for(shop, "VXNlcjo0OQ==") == uid
    assert gateway_customer_id_for(shop, "VXNlcjo1MA==") != uid
    assert gateway_customer_id_for(_installation("https://other.example.com/graphql/"), "VXNlcjo0OQ==") != uid
    assert "VXNlcjo0OQ" not in uid
    assert uid_metadata_key("000000") == "robotpayment.uid.000000"


@pytest.mark.parametrize(
    ("saleor_phone", "gateway"),
    [
        ("+81312345678", "0312345678"),
        ("+81 90-1234-5678", "09012345678"),
        ("+1 (415) 555-0100", "14155550100"),
        ("03-1234-5678", "0312345678"),
        ("", None),
        (None, None),
        ("+81 3 1234 5678 ext. 9", None),
        ("+8112345678901234567", None),  # more than 15 digits
    ],
)
def test_saleor_phones_become_gateway_digits(saleor_phone: str | None, gateway: str | None) -> None:
    assert gateway_phone(saleor_phone) == gateway


def test_contact_keeps_only_what_the_gateway_accepts() -> None:
    assert gateway_contact("hanako@example.com", "+81312345678").email == "hanako@example.com"
    assert gateway_contact("はなこ@例え.jp", "+81312345678") == gateway_contact(None, "+81312345678")
    assert not gateway_contact("a,b@example.com", None)
    assert not gateway_contact(None, None)


@pytest.mark.parametrize(
    ("hint", "brand"),
    [("visa", "VISA"), ("Master", "MASTERCARD"), ("master-card", "MASTERCARD"), ("American Express", "AMEX"),
     ("jcb", "JCB"), ("diners_club", "DINERS"), ("unionpay", None), (None, None), ("", None)],
)  # fmt: skip
def test_brand_hints(hint: str | None, brand: str | None) -> None:
    assert normalize_brand(hint) == brand


def test_card_read_answers_become_card_details() -> None:
    read = GatewayCardDetails(
        succeeded=True,
        error=None,
        customer_id="u",
        customer_key="k",
        card_seq="1",
        masked_number="*****1111",
        expiry="3012",
        first_name="HANAKO",
        last_name="SUZUKI",
    )
    details = card_details_from_gateway(read, brand="VISA")
    assert (details.masked_number, details.last4, details.exp_month, details.exp_year) == (
        "*****1111",
        "1111",
        12,
        2030,
    )
    assert (details.brand, details.holder_name) == ("VISA", "HANAKO SUZUKI")
    # odd answers lose the odd part, never more digits than the last four
    odd = card_details_from_gateway(
        dataclasses.replace(read, masked_number="4444333322221111", expiry="3013"), brand=None
    )
    assert (odd.masked_number, odd.last4, odd.exp_month, odd.exp_year) == (None, None, None, None)


def test_display_names_and_payment_method_details() -> None:
    assert card_display_name(_card()) == "VISA •••• 1111"
    assert card_display_name(_card(brand=None)) == "Card •••• 1111"
    assert card_display_name(_card(brand=None, last4=None)) == "Card"
    details = card_payment_method_details(_card())
    assert details.to_json() == {
        "type": "CARD",
        "name": "VISA •••• 1111",
        "brand": "VISA",
        "lastDigits": "1111",
        "expMonth": 12,
        "expYear": 2030,
    }


def test_tokenization_data_rules() -> None:
    parsed = parse_tokenization_data(
        {"tkn": "abc", "replaces": "app:jp.robotpayment.saleor:card_1", "brand": "visa"}, token_required=True
    )
    assert (parsed.token, parsed.replaces, parsed.brand) == ("abc", "card_1", "VISA")
    assert "abc" not in repr(parsed)
    assert parse_tokenization_data(None, token_required=False).token is None
    with pytest.raises(InvalidPaymentData) as refused:
        parse_tokenization_data({"tkn": "abc", "cn": "4444333322221111"}, token_required=True)
    assert refused.value.field == "cn" and "4444" not in str(refused.value)
    # the same brand rule as a payment's `data.brand`: the five brands, any case, nothing else
    assert parse_tokenization_data({"tkn": "abc", "brand": "Diners"}, token_required=True).brand == "DINERS"
    with pytest.raises(InvalidPaymentData) as unknown:
        parse_tokenization_data({"tkn": "abc", "brand": "Discover"}, token_required=True)
    assert unknown.value.field == "brand"
    assert unknown.value.rule == "one of VISA, MASTERCARD, JCB, AMEX, DINERS (any case)"

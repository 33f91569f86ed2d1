"""Saleor's input types for the mutations the devshop serves, and their conversion to records."""

from __future__ import annotations

import re

import strawberry

from ..domain import records
from ..errors import ShopError
from .enums import CountryCode, LanguageCodeEnum, PermissionEnum
from .scalars import JSON


@strawberry.input(name="MetadataInput")
class MetadataInput:
    key: str
    value: str


@strawberry.input(name="AddressInput")
class AddressInput:
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    street_address_1: str | None = None
    street_address_2: str | None = None
    city: str | None = None
    city_area: str | None = None
    postal_code: str | None = None
    country: CountryCode | None = None
    country_area: str | None = None
    phone: str | None = None


_PHONE = re.compile(r"^\+?[0-9]{6,15}$")
_JP_POSTAL_CODE = re.compile(r"^[0-9]{3}-?[0-9]{4}$")


def address_record(value: AddressInput, field: str) -> records.Address:
    """Validate the parts the devshop relies on; errors name the field and the rule."""
    country = value.country.value if value.country is not None else "JP"
    phone = value.phone.replace(" ", "").replace("-", "") if value.phone else None
    if phone is not None and not _PHONE.match(phone):
        raise ShopError("INVALID", f"{field}.phone: use digits with an optional leading + (6 to 15 digits).", "phone")
    postal = (value.postal_code or "").strip()
    if country == "JP" and postal and not _JP_POSTAL_CODE.match(postal):
        raise ShopError("INVALID", f"{field}.postalCode: a Japanese postal code looks like 100-0001.", "postalCode")
    return records.Address(
        first_name=value.first_name or "",
        last_name=value.last_name or "",
        company_name=value.company_name or "",
        street_address_1=value.street_address_1 or "",
        street_address_2=value.street_address_2 or "",
        city=value.city or "",
        city_area=value.city_area or "",
        postal_code=postal,
        country=country,
        country_area=value.country_area or "",
        phone=phone,
    )


@strawberry.input(name="CheckoutLineInput")
class CheckoutLineInput:
    quantity: int
    variant_id: strawberry.ID


@strawberry.input(name="CheckoutLineUpdateInput")
class CheckoutLineUpdateInput:
    variant_id: strawberry.ID | None = None
    quantity: int | None = None
    line_id: strawberry.ID | None = None


@strawberry.input(name="CheckoutCreateInput")
class CheckoutCreateInput:
    channel: str | None = None
    lines: list[CheckoutLineInput] | None = None
    email: str | None = None
    billing_address: AddressInput | None = None
    language_code: LanguageCodeEnum | None = None


@strawberry.input(name="PaymentGatewayToInitialize")
class PaymentGatewayToInitialize:
    id: str
    data: JSON | None = None


@strawberry.input(name="CardPaymentMethodDetailsInput")
class CardPaymentMethodDetailsInput:
    name: str
    brand: str | None = None
    first_digits: str | None = None
    last_digits: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None


@strawberry.input(name="OtherPaymentMethodDetailsInput")
class OtherPaymentMethodDetailsInput:
    name: str


@strawberry.input(name="PaymentMethodDetailsInput")
class PaymentMethodDetailsInput:
    card: CardPaymentMethodDetailsInput | None = None
    other: OtherPaymentMethodDetailsInput | None = None


def payment_method_details_record(value: PaymentMethodDetailsInput) -> records.PaymentMethodDetails:
    if (value.card is None) == (value.other is None):
        raise ShopError("INVALID", "Provide exactly one of `card` or `other`.", "paymentMethodDetails")
    if value.other is not None:
        if len(value.other.name) > 256:
            raise ShopError(
                "INVALID", "paymentMethodDetails.other.name: at most 256 characters.", "paymentMethodDetails"
            )
        return records.PaymentMethodDetails(type="OTHER", name=value.other.name)
    card = value.card
    assert card is not None
    checks = (
        (len(card.name) <= 256, "name: at most 256 characters"),
        (card.brand is None or len(card.brand) <= 40, "brand: at most 40 characters"),
        (card.first_digits is None or len(card.first_digits) <= 4, "firstDigits: at most 4 characters"),
        (card.last_digits is None or len(card.last_digits) <= 4, "lastDigits: at most 4 characters"),
        (card.exp_month is None or 1 <= card.exp_month <= 12, "expMonth: between 1 and 12"),
        (card.exp_year is None or card.exp_year >= 2000, "expYear: 2000 or later"),
    )
    for ok, rule in checks:
        if not ok:
            raise ShopError("INVALID", f"paymentMethodDetails.card.{rule}.", "paymentMethodDetails")
    return records.PaymentMethodDetails(
        type="CARD",
        name=card.name,
        brand=card.brand,
        first_digits=card.first_digits,
        last_digits=card.last_digits,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
    )


@strawberry.input(name="CustomerInput")
class CustomerInput:
    default_billing_address: AddressInput | None = None
    default_shipping_address: AddressInput | None = None
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    is_active: bool | None = None
    note: str | None = None
    metadata: list[MetadataInput] | None = None
    private_metadata: list[MetadataInput] | None = None
    language_code: LanguageCodeEnum | None = None
    is_confirmed: bool | None = None


@strawberry.input(name="AppInstallInput")
class AppInstallInput:
    app_name: str
    manifest_url: str
    activate_after_installation: bool | None = True
    permissions: list[PermissionEnum] | None = None

"""Leaf types shared by the schema: money, metadata, addresses, channels, payment gateways."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from ..context import Info
from ..domain import records
from ..ids import to_global_id
from .enums import PermissionEnum, TokenizedPaymentFlowEnum, TransactionFlowStrategyEnum
from .scalars import JSON


def _fraction_digits(currency: str) -> int:
    return 0 if currency == "JPY" else 2


@strawberry.type(name="Money")
class Money:
    currency: str
    amount: float
    fraction_amount_source: strawberry.Private[Decimal]

    @strawberry.field
    def fractional_amount(self) -> int:
        return int(self.fraction_amount_source.scaleb(_fraction_digits(self.currency)))

    @strawberry.field
    def fraction_digits(self) -> int:
        return _fraction_digits(self.currency)


def money(amount: Decimal, currency: str) -> Money:
    return Money(currency=currency, amount=float(amount), fraction_amount_source=amount)


@strawberry.type(name="TaxedMoney")
class TaxedMoney:
    currency: str
    gross: Money
    net: Money
    tax: Money


def taxed(amount: Decimal, currency: str) -> TaxedMoney:
    """The devshop charges no tax: net == gross."""
    return TaxedMoney(
        currency=currency,
        gross=money(amount, currency),
        net=money(amount, currency),
        tax=money(Decimal(0), currency),
    )


@strawberry.type(name="TaxedMoneyRange")
class TaxedMoneyRange:
    start: TaxedMoney | None
    stop: TaxedMoney | None


@strawberry.type(name="MetadataItem")
class MetadataItem:
    key: str
    value: str


def metadata_items(values: dict[str, str]) -> list[MetadataItem]:
    return [MetadataItem(key=k, value=v) for k, v in values.items()]


@strawberry.type(name="PageInfo")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type(name="CountryDisplay")
class CountryDisplay:
    code: str
    country: str


_COUNTRY_NAMES = {"JP": "Japan", "US": "United States of America"}


def country(code: str) -> CountryDisplay:
    return CountryDisplay(code=code, country=_COUNTRY_NAMES.get(code, code))


@strawberry.type(name="Address")
class Address:
    record: strawberry.Private[records.Address]
    pk: strawberry.Private[str]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Address", self.pk))

    @strawberry.field
    def first_name(self) -> str:
        return self.record.first_name

    @strawberry.field
    def last_name(self) -> str:
        return self.record.last_name

    @strawberry.field
    def company_name(self) -> str:
        return self.record.company_name

    @strawberry.field
    def street_address_1(self) -> str:
        return self.record.street_address_1

    @strawberry.field
    def street_address_2(self) -> str:
        return self.record.street_address_2

    @strawberry.field
    def city(self) -> str:
        return self.record.city

    @strawberry.field
    def city_area(self) -> str:
        return self.record.city_area

    @strawberry.field
    def postal_code(self) -> str:
        return self.record.postal_code

    @strawberry.field
    def country(self) -> CountryDisplay:
        return country(self.record.country)

    @strawberry.field
    def country_area(self) -> str:
        return self.record.country_area

    @strawberry.field
    def phone(self) -> str | None:
        return self.record.phone


def address(record: records.Address | None, owner: str) -> Address | None:
    return None if record is None else Address(record=record, pk=owner)


@strawberry.type(name="Permission")
class Permission:
    code: PermissionEnum
    name: str


def permissions_of(codes: frozenset[str]) -> list[Permission]:
    return [
        Permission(code=PermissionEnum[code], name=code.replace("_", " ").capitalize())
        for code in sorted(codes)
        if code in PermissionEnum.__members__
    ]


@strawberry.type(name="PaymentSettings")
class PaymentSettings:
    default_transaction_flow_strategy: TransactionFlowStrategyEnum


@strawberry.type(name="Channel")
class Channel:
    record: strawberry.Private[records.Channel]

    @strawberry.field
    def payment_settings(self, info: Info) -> PaymentSettings:
        # as Saleor: MANAGE_CHANNELS or HANDLE_PAYMENTS
        info.context.requester.require_any("MANAGE_CHANNELS", "HANDLE_PAYMENTS")
        return PaymentSettings(
            default_transaction_flow_strategy=TransactionFlowStrategyEnum(self.record.default_transaction_flow.value)
        )

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_global_id("Channel", self.record.pk))

    @strawberry.field
    def slug(self) -> str:
        return self.record.slug

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def is_active(self) -> bool:
        return self.record.is_active

    @strawberry.field
    def currency_code(self) -> str:
        return self.record.currency_code

    @strawberry.field
    def default_country(self) -> CountryDisplay:
        return country(self.record.default_country)


def channel_of(info: Info, slug: str) -> Channel:
    return Channel(record=info.context.shop.store.channels[slug])


@strawberry.type(name="GatewayConfigLine")
class GatewayConfigLine:
    field: str
    value: str | None


@strawberry.type(name="PaymentGateway")
class PaymentGateway:
    name: str
    id: strawberry.ID
    config: list[GatewayConfigLine]
    currencies: list[str]


@strawberry.type(name="CreditCard")
class CreditCard:
    brand: str
    first_digits: str | None
    last_digits: str
    exp_month: int | None
    exp_year: int | None


@strawberry.type(name="StoredPaymentMethod")
class StoredPaymentMethod:
    id: strawberry.ID
    gateway: PaymentGateway
    payment_method_id: str
    credit_card_info: CreditCard | None
    supported_payment_flows: list[TokenizedPaymentFlowEnum] | None
    type: str
    name: str | None
    data: JSON | None


@strawberry.interface(name="PaymentMethodDetails")
class PaymentMethodDetails:
    name: str


@strawberry.type(name="CardPaymentMethodDetails")
class CardPaymentMethodDetails(PaymentMethodDetails):
    brand: str | None
    first_digits: str | None
    last_digits: str | None
    exp_month: int | None
    exp_year: int | None


@strawberry.type(name="OtherPaymentMethodDetails")
class OtherPaymentMethodDetails(PaymentMethodDetails):
    pass


def payment_method_details(details: records.PaymentMethodDetails | None) -> PaymentMethodDetails | None:
    if details is None:
        return None
    if details.type == "CARD":
        return CardPaymentMethodDetails(
            name=details.name,
            brand=details.brand,
            first_digits=details.first_digits,
            last_digits=details.last_digits,
            exp_month=details.exp_month,
            exp_year=details.exp_year,
        )
    return OtherPaymentMethodDetails(name=details.name)

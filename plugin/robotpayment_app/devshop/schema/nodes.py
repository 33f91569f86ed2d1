"""Users, apps, checkouts, orders and transactions: the record-backed types that refer to each other."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, TypeVar

import strawberry

from ..context import Info
from ..domain import records
from ..domain.amounts import authorize_status, charge_status, checkout_total
from ..errors import PermissionDeniedError
from ..ids import to_global_id
from ..services.stored_methods import ListedMethod
from .catalog import ProductVariant, decode_cursor, encode_cursor
from .common import (
    Address,
    Channel,
    CreditCard,
    MetadataItem,
    Money,
    PageInfo,
    PaymentGateway,
    PaymentMethodDetails,
    Permission,
    StoredPaymentMethod,
    TaxedMoney,
    address,
    metadata_items,
    money,
    payment_method_details,
    permissions_of,
    taxed,
)
from .enums import (
    AppTypeEnum,
    CheckoutAuthorizeStatusEnum,
    CheckoutChargeStatusEnum,
    LanguageCodeEnum,
    OrderAuthorizeStatusEnum,
    OrderChargeStatusEnum,
    OrderOriginEnum,
    OrderStatus,
    TokenizedPaymentFlowEnum,
    TransactionActionEnum,
    TransactionEventTypeEnum,
)
from .metadata import Node, ObjectWithMetadata
from .scalars import PositiveDecimal


def _language(code: str) -> LanguageCodeEnum:
    return LanguageCodeEnum.__members__.get(code, LanguageCodeEnum.JA)


def stored_method_types(listed: list[ListedMethod]) -> list[StoredPaymentMethod]:
    result = []
    for item in listed:
        card = item.method.credit_card_info
        result.append(
            StoredPaymentMethod(
                id=strawberry.ID(item.public_id),
                gateway=PaymentGateway(
                    id=strawberry.ID(item.app_identifier),
                    name=item.app_name,
                    config=[],
                    currencies=[item.currency],
                ),
                payment_method_id=item.method.id,
                credit_card_info=None
                if card is None
                else CreditCard(
                    brand=card.brand,
                    first_digits=card.first_digits,
                    last_digits=card.last_digits,
                    exp_month=card.exp_month,
                    exp_year=card.exp_year,
                ),
                supported_payment_flows=[TokenizedPaymentFlowEnum[f] for f in item.method.supported_payment_flows],
                type=item.method.type,
                name=item.method.name,
                data=item.method.data,
            )
        )
    return result


_Item = TypeVar("_Item")


def _page(items: list[_Item], first: int | None, after: str | None) -> tuple[list[_Item], int, bool]:
    start = decode_cursor(after) + 1 if after else 0
    if first is not None and first < 0:
        raise ValueError("Argument `first` must be a non-negative integer.")
    stop = len(items) if first is None else min(len(items), start + first)
    return items[start:stop], start, stop < len(items)


# -- users and apps ----------------------------------------------------------------------------


@strawberry.type(name="User")
class User(Node, ObjectWithMetadata):
    record: strawberry.Private[records.User]

    def global_id(self) -> str:
        return to_global_id("User", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return self.record.private_metadata

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_STAFF",) if self.record.is_staff else ("MANAGE_USERS",)

    @strawberry.field
    def email(self) -> str:
        return self.record.email

    @strawberry.field
    def first_name(self) -> str:
        return self.record.first_name

    @strawberry.field
    def last_name(self) -> str:
        return self.record.last_name

    @strawberry.field
    def is_staff(self) -> bool:
        return self.record.is_staff

    @strawberry.field
    def is_active(self) -> bool:
        return self.record.is_active

    @strawberry.field
    def is_confirmed(self) -> bool:
        return self.record.is_confirmed

    @strawberry.field
    def note(self) -> str | None:
        return self.record.note

    @strawberry.field
    def language_code(self) -> LanguageCodeEnum:
        return _language(self.record.language_code)

    @strawberry.field
    def date_joined(self) -> datetime:
        return self.record.date_joined

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.record.updated_at

    @strawberry.field
    def default_billing_address(self) -> Address | None:
        return address(self.record.default_billing_address, f"{self.record.pk}-billing")

    @strawberry.field
    def default_shipping_address(self) -> Address | None:
        return address(self.record.default_shipping_address, f"{self.record.pk}-shipping")

    @strawberry.field
    def addresses(self) -> list[Address]:
        found = [
            address(self.record.default_billing_address, f"{self.record.pk}-billing"),
            address(self.record.default_shipping_address, f"{self.record.pk}-shipping"),
        ]
        return [a for a in found if a is not None]

    @strawberry.field
    def orders(self, info: Info, first: int | None = None, after: str | None = None) -> OrderCountableConnection | None:
        requester = info.context.requester
        is_owner = requester.user is not None and requester.user.pk == self.record.pk and requester.app is None
        if not is_owner and not requester.has_any("MANAGE_STAFF", "MANAGE_ORDERS"):
            raise PermissionDeniedError(("MANAGE_STAFF", "OWNER"))
        return order_connection(info.context.shop.store.orders_of_user(self.record.pk), first, after)

    @strawberry.field
    async def stored_payment_methods(self, info: Info, channel: str) -> list[StoredPaymentMethod] | None:
        listed = await info.context.shop.stored_methods.list_methods(self.record, channel, info.context.requester)
        return stored_method_types(listed)


@strawberry.type(name="App")
class App(Node, ObjectWithMetadata):
    record: strawberry.Private[records.InstalledApp]

    def global_id(self) -> str:
        return to_global_id("App", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return self.record.private_metadata

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_APPS",)

    @strawberry.field
    def private_metadata(self, info: Info) -> list[MetadataItem]:
        # an app may always read its own private metadata (app-sdk keeps settings there)
        requester = info.context.requester
        if requester.app is None or requester.app.pk != self.record.pk:
            requester.require_any("MANAGE_APPS")
        return metadata_items(self.record.private_metadata)

    @strawberry.field
    def identifier(self) -> str | None:
        return self.record.identifier

    @strawberry.field
    def access_token(self, info: Info) -> str | None:
        return info.context.shop.accounts.app_access_token(info.context.requester, self.record)

    @strawberry.field
    def name(self) -> str | None:
        return self.record.name

    @strawberry.field
    def permissions(self) -> list[Permission] | None:
        return permissions_of(self.record.permissions)

    @strawberry.field
    def created(self) -> datetime | None:
        return self.record.created

    @strawberry.field
    def is_active(self) -> bool | None:
        return self.record.is_active

    @strawberry.field
    def type(self) -> AppTypeEnum | None:
        return AppTypeEnum.THIRDPARTY

    @strawberry.field
    def app_url(self) -> str | None:
        return self.record.app_url

    @strawberry.field
    def manifest_url(self) -> str | None:
        return self.record.manifest_url

    @strawberry.field
    def version(self) -> str | None:
        return self.record.version

    @strawberry.field
    def author(self) -> str | None:
        return self.record.author

    @strawberry.field
    def about_app(self) -> str | None:
        return self.record.about

    @strawberry.field
    def homepage_url(self) -> str | None:
        return self.record.homepage_url

    @strawberry.field
    def support_url(self) -> str | None:
        return self.record.support_url

    @strawberry.field
    def data_privacy_url(self) -> str | None:
        return self.record.data_privacy_url


UserOrApp = Annotated[User | App, strawberry.union("UserOrApp")]


def principal_node(info: Info, principal: records.Principal | None) -> User | App | None:
    store = info.context.shop.store
    if principal is None:
        return None
    if principal.kind == "app":
        app = store.apps.get(principal.pk)
        return App(record=app) if app is not None else None
    user = store.users.get(principal.pk)
    return User(record=user) if user is not None else None


@strawberry.type(name="UserCountableEdge")
class UserCountableEdge:
    node: User
    cursor: str


@strawberry.type(name="UserCountableConnection")
class UserCountableConnection:
    page_info: PageInfo
    edges: list[UserCountableEdge]
    total_count: int | None


def user_connection(users: list[records.User], first: int | None, after: str | None) -> UserCountableConnection:
    page, start, more = _page(users, first, after)
    edges = [UserCountableEdge(node=User(record=u), cursor=encode_cursor(start + i)) for i, u in enumerate(page)]
    return UserCountableConnection(
        page_info=PageInfo(
            has_next_page=more,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
        total_count=len(users),
    )


# -- transactions ------------------------------------------------------------------------------


@strawberry.type(name="TransactionEvent")
class TransactionEvent(Node):
    record: strawberry.Private[records.TransactionEvent]

    def global_id(self) -> str:
        return to_global_id("TransactionEvent", self.record.pk)

    @strawberry.field
    def created_at(self) -> datetime:
        return self.record.created_at

    @strawberry.field
    def psp_reference(self) -> str:
        return self.record.psp_reference

    @strawberry.field
    def message(self) -> str:
        return self.record.message

    @strawberry.field
    def external_url(self) -> str:
        return self.record.external_url

    @strawberry.field
    def amount(self) -> Money:
        return money(self.record.amount, self.record.currency)

    @strawberry.field
    def type(self) -> TransactionEventTypeEnum | None:
        return TransactionEventTypeEnum[self.record.type.value]

    @strawberry.field
    def idempotency_key(self) -> str | None:
        return self.record.idempotency_key

    @strawberry.field
    def created_by(self, info: Info) -> UserOrApp | None:
        return principal_node(info, self.record.created_by)


@strawberry.type(name="TransactionItem")
class TransactionItem(Node, ObjectWithMetadata):
    record: strawberry.Private[records.TransactionItem]

    def global_id(self) -> str:
        return to_global_id("TransactionItem", self.record.token)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return self.record.private_metadata

    def private_permissions(self) -> tuple[str, ...]:
        return ("HANDLE_PAYMENTS",)

    def _money(self, amount: Decimal) -> Money:
        return money(amount, self.record.currency)

    @strawberry.field
    def token(self) -> uuid.UUID:
        return self.record.token

    @strawberry.field
    def created_at(self) -> datetime:
        return self.record.created_at

    @strawberry.field
    def modified_at(self) -> datetime:
        return self.record.modified_at

    @strawberry.field
    def actions(self) -> list[TransactionActionEnum]:
        return [TransactionActionEnum[a.value] for a in self.record.available_actions]

    @strawberry.field
    def authorized_amount(self) -> Money:
        return self._money(self.record.amounts.authorized)

    @strawberry.field
    def authorize_pending_amount(self) -> Money:
        return self._money(self.record.amounts.authorize_pending)

    @strawberry.field
    def charged_amount(self) -> Money:
        return self._money(self.record.amounts.charged)

    @strawberry.field
    def charge_pending_amount(self) -> Money:
        return self._money(self.record.amounts.charge_pending)

    @strawberry.field
    def refunded_amount(self) -> Money:
        return self._money(self.record.amounts.refunded)

    @strawberry.field
    def refund_pending_amount(self) -> Money:
        return self._money(self.record.amounts.refund_pending)

    @strawberry.field
    def canceled_amount(self) -> Money:
        return self._money(self.record.amounts.canceled)

    @strawberry.field
    def cancel_pending_amount(self) -> Money:
        return self._money(self.record.amounts.cancel_pending)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def message(self) -> str:
        return self.record.message

    @strawberry.field
    def psp_reference(self) -> str:
        return self.record.psp_reference

    @strawberry.field
    def external_url(self) -> str:
        return self.record.external_url

    @strawberry.field
    def events(self) -> list[TransactionEvent]:
        # newest first, as Saleor lists them
        return [TransactionEvent(record=e) for e in reversed(self.record.events)]

    @strawberry.field
    def created_by(self, info: Info) -> UserOrApp | None:
        return principal_node(info, self.record.created_by)

    @strawberry.field
    def payment_method_details(self) -> PaymentMethodDetails | None:
        return payment_method_details(self.record.payment_method_details)

    @strawberry.field
    def checkout(self, info: Info) -> Checkout | None:
        if self.record.checkout_token is None:
            return None
        found = info.context.shop.store.checkouts.get(self.record.checkout_token)
        return Checkout(record=found) if found is not None else None

    @strawberry.field
    def order(self, info: Info) -> Order | None:
        if self.record.order_pk is None:
            return None
        found = info.context.shop.store.orders.get(self.record.order_pk)
        return Order(record=found) if found is not None else None


# -- checkouts and orders ------------------------------------------------------------------------


@strawberry.type(name="CheckoutLine")
class CheckoutLine(Node, ObjectWithMetadata):
    record: strawberry.Private[records.CheckoutLine]
    currency: strawberry.Private[str]
    channel_slug: strawberry.Private[str]

    def global_id(self) -> str:
        return to_global_id("CheckoutLine", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return {}

    def private_values(self) -> dict[str, str]:
        return {}

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_CHECKOUTS",)

    @strawberry.field
    def variant(self, info: Info) -> ProductVariant:
        variant = info.context.shop.store.variants[self.record.variant_pk]
        return ProductVariant(record=variant, channel_slug=self.channel_slug)

    @strawberry.field
    def quantity(self) -> int:
        return self.record.quantity

    @strawberry.field
    def unit_price(self) -> TaxedMoney:
        return taxed(self.record.unit_price, self.currency)

    @strawberry.field
    def undiscounted_unit_price(self) -> Money:
        return money(self.record.unit_price, self.currency)

    @strawberry.field
    def total_price(self) -> TaxedMoney:
        return taxed(self.record.unit_price * self.record.quantity, self.currency)

    @strawberry.field
    def undiscounted_total_price(self) -> Money:
        return money(self.record.unit_price * self.record.quantity, self.currency)

    @strawberry.field
    def requires_shipping(self) -> bool:
        return False


@strawberry.type(name="Checkout")
class Checkout(Node, ObjectWithMetadata):
    record: strawberry.Private[records.Checkout]

    def global_id(self) -> str:
        return to_global_id("Checkout", self.record.token)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return self.record.private_metadata

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_CHECKOUTS",)

    def _amounts(self, info: Info) -> list[records.TransactionAmounts]:
        return [t.amounts for t in info.context.shop.store.transactions_of_checkout(self.record.token)]

    @strawberry.field
    def token(self) -> uuid.UUID:
        return self.record.token

    @strawberry.field
    def created(self) -> datetime:
        return self.record.created

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.record.updated_at

    @strawberry.field
    def last_change(self) -> datetime:
        return self.record.updated_at

    @strawberry.field
    def email(self) -> str | None:
        return self.record.email

    @strawberry.field
    def customer_note(self) -> str:
        return ""

    @strawberry.field
    def language_code(self) -> LanguageCodeEnum:
        return _language(self.record.language_code)

    @strawberry.field
    def user(self, info: Info) -> User | None:
        if self.record.user_pk is None:
            return None
        found = info.context.shop.store.users.get(self.record.user_pk)
        return User(record=found) if found is not None else None

    @strawberry.field
    def channel(self, info: Info) -> Channel:
        return Channel(record=info.context.shop.store.channels[self.record.channel_slug])

    @strawberry.field
    def billing_address(self) -> Address | None:
        return address(self.record.billing_address, f"{self.record.token}-billing")

    @strawberry.field
    def shipping_address(self) -> Address | None:
        return address(self.record.shipping_address, f"{self.record.token}-shipping")

    @strawberry.field
    def lines(self) -> list[CheckoutLine]:
        return [
            CheckoutLine(record=line, currency=self.record.currency, channel_slug=self.record.channel_slug)
            for line in self.record.lines
        ]

    @strawberry.field
    def quantity(self) -> int:
        return sum(line.quantity for line in self.record.lines)

    @strawberry.field
    def is_shipping_required(self) -> bool:
        return False

    @strawberry.field
    def display_gross_prices(self) -> bool:
        return True

    @strawberry.field
    def tax_exemption(self) -> bool:
        return False

    @strawberry.field
    def subtotal_price(self) -> TaxedMoney:
        return taxed(checkout_total(self.record), self.record.currency)

    @strawberry.field
    def shipping_price(self) -> TaxedMoney:
        return taxed(Decimal(0), self.record.currency)

    @strawberry.field
    def total_price(self) -> TaxedMoney:
        return taxed(checkout_total(self.record), self.record.currency)

    @strawberry.field
    def total_balance(self, info: Info) -> Money:
        charged = sum((a.charged for a in self._amounts(info)), Decimal(0))
        return money(charged - checkout_total(self.record), self.record.currency)

    @strawberry.field
    def authorize_status(self, info: Info) -> CheckoutAuthorizeStatusEnum:
        return CheckoutAuthorizeStatusEnum[authorize_status(checkout_total(self.record), self._amounts(info))]

    @strawberry.field
    def charge_status(self, info: Info) -> CheckoutChargeStatusEnum:
        return CheckoutChargeStatusEnum[charge_status(checkout_total(self.record), self._amounts(info))]

    @strawberry.field
    def transactions(self, info: Info) -> list[TransactionItem] | None:
        info.context.requester.require_any("MANAGE_CHECKOUTS", "HANDLE_PAYMENTS")
        found = info.context.shop.store.transactions_of_checkout(self.record.token)
        return [TransactionItem(record=t) for t in found]

    @strawberry.field
    def available_payment_gateways(self, info: Info) -> list[PaymentGateway]:
        return [
            PaymentGateway(
                id=strawberry.ID(app.identifier), name=app.name, config=[], currencies=[self.record.currency]
            )
            for app in info.context.shop.payment_apps()
        ]

    @strawberry.field
    async def stored_payment_methods(
        self, info: Info, amount: PositiveDecimal | None = None
    ) -> list[StoredPaymentMethod] | None:
        store = info.context.shop.store
        if self.record.user_pk is None or self.record.user_pk not in store.users:
            return []
        listed = await info.context.shop.stored_methods.list_methods(
            store.users[self.record.user_pk], self.record.channel_slug, info.context.requester
        )
        return stored_method_types(listed)


@strawberry.type(name="OrderLine")
class OrderLine(Node, ObjectWithMetadata):
    record: strawberry.Private[records.OrderLine]
    currency: strawberry.Private[str]
    channel_slug: strawberry.Private[str]

    def global_id(self) -> str:
        return to_global_id("OrderLine", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return {}

    def private_values(self) -> dict[str, str]:
        return {}

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_ORDERS",)

    @strawberry.field
    def product_name(self) -> str:
        return self.record.product_name

    @strawberry.field
    def variant_name(self) -> str:
        return self.record.variant_name

    @strawberry.field
    def translated_product_name(self) -> str:
        return self.record.product_name

    @strawberry.field
    def translated_variant_name(self) -> str:
        return self.record.variant_name

    @strawberry.field
    def product_sku(self) -> str | None:
        return self.record.sku

    @strawberry.field
    def product_variant_id(self) -> str | None:
        return to_global_id("ProductVariant", self.record.variant_pk)

    @strawberry.field
    def is_shipping_required(self) -> bool:
        return False

    @strawberry.field
    def quantity(self) -> int:
        return self.record.quantity

    @strawberry.field
    def quantity_fulfilled(self) -> int:
        return 0

    @strawberry.field
    def quantity_to_fulfill(self) -> int:
        return self.record.quantity

    @strawberry.field
    def tax_rate(self) -> float:
        return 0.0

    @strawberry.field
    def unit_price(self) -> TaxedMoney:
        return taxed(self.record.unit_price, self.currency)

    @strawberry.field
    def undiscounted_unit_price(self) -> TaxedMoney:
        return taxed(self.record.unit_price, self.currency)

    @strawberry.field
    def total_price(self) -> TaxedMoney:
        return taxed(self.record.unit_price * self.record.quantity, self.currency)

    @strawberry.field
    def variant(self, info: Info) -> ProductVariant | None:
        variant = info.context.shop.store.variants.get(self.record.variant_pk)
        return ProductVariant(record=variant, channel_slug=self.channel_slug) if variant is not None else None


@strawberry.type(name="Order")
class Order(Node, ObjectWithMetadata):
    record: strawberry.Private[records.Order]

    def global_id(self) -> str:
        return to_global_id("Order", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return self.record.private_metadata

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_ORDERS",)

    def _amounts(self, info: Info) -> list[records.TransactionAmounts]:
        return [t.amounts for t in info.context.shop.store.transactions_of_order(self.record.pk)]

    def _sum(self, info: Info, attribute: str) -> Money:
        total = sum((getattr(a, attribute) for a in self._amounts(info)), Decimal(0))
        return money(total, self.record.currency)

    @strawberry.field
    def number(self) -> str:
        return str(self.record.number)

    @strawberry.field
    def token(self) -> str:
        return str(self.record.pk)

    @strawberry.field
    def created(self) -> datetime:
        return self.record.created

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.record.updated_at

    @strawberry.field
    def status(self) -> OrderStatus:
        return OrderStatus[self.record.status]

    @strawberry.field
    def origin(self) -> OrderOriginEnum:
        return OrderOriginEnum.CHECKOUT

    @strawberry.field
    def checkout_id(self) -> strawberry.ID | None:
        token = self.record.checkout_token
        return strawberry.ID(to_global_id("Checkout", token)) if token is not None else None

    @strawberry.field
    def user(self, info: Info) -> User | None:
        if self.record.user_pk is None:
            return None
        found = info.context.shop.store.users.get(self.record.user_pk)
        return User(record=found) if found is not None else None

    @strawberry.field
    def user_email(self) -> str | None:
        return self.record.user_email

    @strawberry.field
    def language_code(self) -> str:
        return self.record.language_code.lower()

    @strawberry.field
    def language_code_enum(self) -> LanguageCodeEnum:
        return _language(self.record.language_code)

    @strawberry.field
    def channel(self, info: Info) -> Channel:
        return Channel(record=info.context.shop.store.channels[self.record.channel_slug])

    @strawberry.field
    def billing_address(self) -> Address | None:
        return address(self.record.billing_address, f"{self.record.pk}-billing")

    @strawberry.field
    def shipping_address(self) -> Address | None:
        return address(self.record.shipping_address, f"{self.record.pk}-shipping")

    @strawberry.field
    def lines(self) -> list[OrderLine]:
        return [
            OrderLine(record=line, currency=self.record.currency, channel_slug=self.record.channel_slug)
            for line in self.record.lines
        ]

    @strawberry.field
    def is_shipping_required(self) -> bool:
        return False

    @strawberry.field
    def display_gross_prices(self) -> bool:
        return True

    @strawberry.field
    def customer_note(self) -> str:
        return ""

    @strawberry.field
    def total(self) -> TaxedMoney:
        return taxed(self.record.total, self.record.currency)

    @strawberry.field
    def undiscounted_total(self) -> TaxedMoney:
        return taxed(self.record.total, self.record.currency)

    @strawberry.field
    def subtotal(self) -> TaxedMoney:
        return taxed(self.record.total, self.record.currency)

    @strawberry.field
    def shipping_price(self) -> TaxedMoney:
        return taxed(Decimal(0), self.record.currency)

    @strawberry.field
    def is_paid(self, info: Info) -> bool:
        return charge_status(self.record.total, self._amounts(info)) in ("FULL", "OVERCHARGED")

    @strawberry.field
    def authorize_status(self, info: Info) -> OrderAuthorizeStatusEnum:
        return OrderAuthorizeStatusEnum[authorize_status(self.record.total, self._amounts(info))]

    @strawberry.field
    def charge_status(self, info: Info) -> OrderChargeStatusEnum:
        return OrderChargeStatusEnum[charge_status(self.record.total, self._amounts(info))]

    @strawberry.field
    def total_authorized(self, info: Info) -> Money:
        return self._sum(info, "authorized")

    @strawberry.field
    def total_charged(self, info: Info) -> Money:
        return self._sum(info, "charged")

    @strawberry.field
    def total_refunded(self, info: Info) -> Money:
        return self._sum(info, "refunded")

    @strawberry.field
    def total_canceled(self, info: Info) -> Money:
        return self._sum(info, "canceled")

    @strawberry.field
    def total_balance(self, info: Info) -> Money:
        charged = sum((a.charged for a in self._amounts(info)), Decimal(0))
        return money(charged - self.record.total, self.record.currency)

    @strawberry.field
    def transactions(self, info: Info) -> list[TransactionItem]:
        requester = info.context.requester
        is_owner = requester.user is not None and requester.user.pk == self.record.user_pk and requester.app is None
        if not is_owner:
            requester.require_any("MANAGE_ORDERS", "HANDLE_PAYMENTS")
        return [TransactionItem(record=t) for t in info.context.shop.store.transactions_of_order(self.record.pk)]


OrderOrCheckout = Annotated[Checkout | Order, strawberry.union("OrderOrCheckout")]


@strawberry.type(name="OrderCountableEdge")
class OrderCountableEdge:
    node: Order
    cursor: str


@strawberry.type(name="OrderCountableConnection")
class OrderCountableConnection:
    page_info: PageInfo
    edges: list[OrderCountableEdge]
    total_count: int | None


def order_connection(orders: list[records.Order], first: int | None, after: str | None) -> OrderCountableConnection:
    page, start, more = _page(orders, first, after)
    edges = [OrderCountableEdge(node=Order(record=o), cursor=encode_cursor(start + i)) for i, o in enumerate(page)]
    return OrderCountableConnection(
        page_info=PageInfo(
            has_next_page=more,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
        total_count=len(orders),
    )

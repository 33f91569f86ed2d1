"""Typed webhook payloads, shaped like the subscription documents in `graphql/subscriptions/`.

Tolerant of fields we do not use (Saleor may send more, and older documents asked for more), strict on the
ones we do: JSON types are not coerced (a quoted number is no id, a float is no quantity). Amounts arrive as
JSON floats (`3500.0`) and become `Decimal`. Parse errors name the field and the rule, never the value: a
payload's `data` may hold a card token.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.alias_generators import to_camel

from .errors import SaleorLayerError
from .webhooks import SaleorEvent

Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False)]


class InvalidPayload(SaleorLayerError):
    """A webhook body that is not JSON or lacks/misshapes a field the app uses."""

    def __init__(self, event: str, problems: list[str]) -> None:
        super().__init__(f"{event} payload: " + "; ".join(problems))
        self.event = event
        self.problems = problems


class SaleorModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True, strict=True
    )


def _blank_to_none(value: Any) -> Any:
    return None if value == "" else value


# ---- shared pieces -----------------------------------------------------------------------------------------


class MetadataItem(SaleorModel):
    key: str
    value: str


def metadata_dict(items: list[MetadataItem]) -> dict[str, str]:
    return {item.key: item.value for item in items}


class Recipient(SaleorModel):
    id: str


class EventEnvelope(SaleorModel):
    """Fields every subscription of ours asks for. `recipient.id` must be the installation's app id."""

    version: str | None = None
    issued_at: datetime | None = None
    recipient: Recipient


class Money(SaleorModel):
    amount: Amount
    currency: str


class TaxedMoney(SaleorModel):
    gross: Money


class AmountOnly(SaleorModel):
    amount: Amount


class Channel(SaleorModel):
    slug: str
    currency_code: str | None = None


class AddressPhone(SaleorModel):
    phone: str | None = None

    _blank_phone = field_validator("phone", mode="before")(_blank_to_none)


class UserRef(SaleorModel):
    id: str
    email: str


class Product(SaleorModel):
    id: str
    metadata: list[MetadataItem] = []


class Variant(SaleorModel):
    id: str
    sku: str | None = None
    metadata: list[MetadataItem] = []
    product: Product


class CheckoutLine(SaleorModel):
    quantity: int
    variant: Variant


class OrderLine(SaleorModel):
    quantity: int
    variant: Variant | None = None  # None once the variant has been deleted


# ---- checkout / order --------------------------------------------------------------------------------------


class CheckoutSource(SaleorModel):
    typename: Literal["Checkout"] = Field(alias="__typename")
    id: str
    email: str | None = None
    language_code: str
    channel: Channel
    user: UserRef | None = None
    billing_address: AddressPhone | None = None
    total_price: TaxedMoney
    lines: list[CheckoutLine]

    @property
    def shopper_email(self) -> str | None:
        return self.email or (self.user.email if self.user else None)

    @property
    def billing_phone(self) -> str | None:
        return self.billing_address.phone if self.billing_address else None

    @property
    def language(self) -> str:
        """Saleor's language enum (`JA`, `EN_US`, …)."""
        return self.language_code

    @property
    def total(self) -> Money:
        return self.total_price.gross

    @property
    def variants(self) -> list[Variant]:
        return [line.variant for line in self.lines]


class OrderSource(SaleorModel):
    typename: Literal["Order"] = Field(alias="__typename")
    id: str
    number: str
    user_email: str | None = None
    language_code_enum: str
    channel: Channel
    user: UserRef | None = None
    billing_address: AddressPhone | None = None
    total_gross: TaxedMoney = Field(alias="total")
    order_lines: list[OrderLine]

    @property
    def shopper_email(self) -> str | None:
        return self.user_email or (self.user.email if self.user else None)

    @property
    def billing_phone(self) -> str | None:
        return self.billing_address.phone if self.billing_address else None

    @property
    def language(self) -> str:
        return self.language_code_enum

    @property
    def total(self) -> Money:
        return self.total_gross.gross

    @property
    def variants(self) -> list[Variant]:
        return [line.variant for line in self.order_lines if line.variant is not None]


SourceObject = Annotated[CheckoutSource | OrderSource, Field(discriminator="typename")]


# ---- payment sessions --------------------------------------------------------------------------------------


class SessionAction(SaleorModel):
    amount: Amount
    currency: str
    action_type: Literal["CHARGE", "AUTHORIZATION"]


class SessionTransaction(SaleorModel):
    id: str
    token: str | None = None
    psp_reference: str | None = None  # "" on the first delivery: normalised to None

    _blank_psp = field_validator("psp_reference", mode="before")(_blank_to_none)


class PaymentGatewayInitializeSession(EventEnvelope):
    amount: Amount | None = None
    data: Any = Field(default=None, repr=False)  # may hold a card token: never in reprs
    source_object: SourceObject


class TransactionInitializeSession(EventEnvelope):
    action: SessionAction
    data: Any = Field(default=None, repr=False)  # may hold a card token: never in reprs
    idempotency_key: str
    merchant_reference: str
    transaction: SessionTransaction
    source_object: SourceObject


class TransactionProcessSession(EventEnvelope):
    action: SessionAction
    data: Any = Field(default=None, repr=False)  # may hold a card token: never in reprs
    merchant_reference: str
    transaction: SessionTransaction
    source_object: SourceObject


# ---- staff actions on a transaction ------------------------------------------------------------------------


class RequestedAction(SaleorModel):
    action_type: Literal["CHARGE", "REFUND", "CANCEL"]
    amount: Amount
    currency: str


class TransactionOwner(SaleorModel):
    id: str
    channel: Channel


class ActionTransaction(SaleorModel):
    id: str
    psp_reference: str | None = None
    authorized_amount: AmountOnly
    charged_amount: AmountOnly
    checkout: TransactionOwner | None = None
    order: TransactionOwner | None = None

    _blank_psp = field_validator("psp_reference", mode="before")(_blank_to_none)

    @property
    def channel_slug(self) -> str | None:
        owner = self.order or self.checkout
        return owner.channel.slug if owner else None


class _ActionRequest(EventEnvelope):
    action: RequestedAction
    transaction: ActionTransaction


class TransactionChargeRequested(_ActionRequest):
    pass


class TransactionCancelationRequested(_ActionRequest):
    pass


class TransactionRefundRequested(_ActionRequest):
    pass


# ---- saved cards -------------------------------------------------------------------------------------------


class SavedCardUser(SaleorModel):
    id: str
    email: str
    default_billing_address: AddressPhone | None = None
    # What the app's documents ask for; None: Saleor withheld it (a staff user's needs MANAGE_STAFF), and the
    # app works from its own record. `privateMetadata` is what older documents (and captured deliveries) carry.
    private_metafields: dict[str, str] | None = None
    private_metadata: list[MetadataItem] | None = None

    @property
    def phone(self) -> str | None:
        return self.default_billing_address.phone if self.default_billing_address else None

    @property
    def private_values(self) -> dict[str, str] | None:
        """The private metadata, or None when Saleor sent none."""
        if self.private_metafields is not None:
            return dict(self.private_metafields)
        return metadata_dict(self.private_metadata) if self.private_metadata is not None else None

    def private_value(self, key: str) -> str | None:
        return (self.private_values or {}).get(key)


class _SavedCardEvent(EventEnvelope):
    user: SavedCardUser
    channel: Channel


class ListStoredPaymentMethods(_SavedCardEvent):
    pass


class StoredPaymentMethodDeleteRequested(_SavedCardEvent):
    payment_method_id: str  # the bare id we listed (`card_…`), never the `app:<id>:` form


class PaymentGatewayInitializeTokenizationSession(_SavedCardEvent):
    data: Any = Field(default=None, repr=False)  # may hold a card token: never in reprs


class PaymentMethodInitializeTokenizationSession(_SavedCardEvent):
    data: Any = Field(default=None, repr=False)  # may hold a card token: never in reprs
    payment_flow_to_support: Literal["INTERACTIVE"]


class PaymentMethodProcessTokenizationSession(_SavedCardEvent):
    data: Any = Field(default=None, repr=False)  # may hold a card token: never in reprs
    id: str  # the id our initialize answer returned


# ---- customer lifecycle and uninstall ----------------------------------------------------------------------


class UpdatedCustomer(SavedCardUser):
    is_active: bool | None = None


class CustomerUpdated(EventEnvelope):
    user: UpdatedCustomer | None = None  # None when Saleor withheld the user (permission): nothing to sync


class CustomerDeleted(EventEnvelope):
    user: UserRef | None = None


class AppRef(SaleorModel):
    id: str


class AppDeleted(EventEnvelope):
    app: AppRef | None = None


PAYLOAD_MODELS: dict[SaleorEvent, type[EventEnvelope]] = {
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION: PaymentGatewayInitializeSession,
    SaleorEvent.TRANSACTION_INITIALIZE_SESSION: TransactionInitializeSession,
    SaleorEvent.TRANSACTION_PROCESS_SESSION: TransactionProcessSession,
    SaleorEvent.TRANSACTION_CHARGE_REQUESTED: TransactionChargeRequested,
    SaleorEvent.TRANSACTION_CANCELATION_REQUESTED: TransactionCancelationRequested,
    SaleorEvent.TRANSACTION_REFUND_REQUESTED: TransactionRefundRequested,
    SaleorEvent.LIST_STORED_PAYMENT_METHODS: ListStoredPaymentMethods,
    SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED: StoredPaymentMethodDeleteRequested,
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION: PaymentGatewayInitializeTokenizationSession,
    SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION: PaymentMethodInitializeTokenizationSession,
    SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION: PaymentMethodProcessTokenizationSession,
    SaleorEvent.CUSTOMER_UPDATED: CustomerUpdated,
    SaleorEvent.CUSTOMER_DELETED: CustomerDeleted,
    SaleorEvent.APP_DELETED: AppDeleted,
}
"""The payload model of each event the app subscribes to."""

# ---- parsing -----------------------------------------------------------------------------------------------

PayloadT = TypeVar("PayloadT", bound=EventEnvelope)


def describe_validation_error(error: ValidationError) -> list[str]:
    """`field.path: rule` for each problem, without the offending values."""
    problems = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        location = ".".join(str(part) for part in item["loc"]) or "(body)"
        problems.append(f"{location}: {item['msg']}")
    return problems


def _nul_paths(value: Any, path: str) -> list[str]:
    """Where a JSON value holds a NUL character (`\\u0000`), as `field.path`s (keys named by their path too)."""
    if isinstance(value, str):
        return [path or "(body)"] if "\x00" in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            found.extend([where] if "\x00" in key else _nul_paths(item, where))
        return found
    if isinstance(value, list):
        return [where for index, item in enumerate(value) for where in _nul_paths(item, f"{path}.{index}")]
    return []


def parse_payload(model: type[PayloadT], raw_body: bytes | str) -> PayloadT:
    """Parse a webhook body into `model`, raising `InvalidPayload` naming each bad field.

    A NUL character anywhere (Saleor never sends one; PostgreSQL can neither store nor compare one) is refused
    here, naming the field, so that the event's use case answers its own failure instead of the database failing.
    """
    text = raw_body.decode("utf-8", "replace") if isinstance(raw_body, bytes) else raw_body
    if "\\u0000" in text:
        try:
            holding = _nul_paths(json.loads(text), "")
        except ValueError:
            holding = []
        if holding:
            problems = [f"{where}: must not contain a NUL character (\\u0000)" for where in holding]
            raise InvalidPayload(model.__name__, problems)
    try:
        return model.model_validate_json(raw_body)
    except ValidationError as error:
        raise InvalidPayload(model.__name__, describe_validation_error(error)) from None


class WrongRecipient(SaleorLayerError):
    """The delivery was meant for another app (answer 403)."""


def require_recipient(payload: EventEnvelope, app_id: str) -> None:
    """Refuse a delivery whose `recipient.id` is not the installation's app id."""
    if payload.recipient.id != app_id:
        raise WrongRecipient("recipient.id: not this installation's app")


def bare_stored_method_id(method_id: str, app_identifier: str) -> str:
    """`app:<manifest id>:card_x` (how storefronts see a saved card) -> `card_x` (how the app stores it).

    Webhooks carry the bare id already; storefront `data` may carry either form.
    """
    prefix = f"app:{app_identifier}:"
    return method_id[len(prefix) :] if method_id.startswith(prefix) else method_id


def whole_yen(amount: Decimal, *, field: str) -> int:
    """A JPY amount as an integer; fractional yen do not exist."""
    if amount != amount.to_integral_value():
        raise InvalidPayload("amount", [f"{field}: must be a whole number of yen"])
    return int(amount)

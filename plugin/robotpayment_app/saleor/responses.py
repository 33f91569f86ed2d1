"""Answers to Saleor's sync webhooks: one small class per result, each fixing its `actions`.

A handler picks the class for the outcome and fills in the facts; it cannot combine a result with the wrong
actions or leave out a field Saleor requires for that result (e.g. `pspReference` with SUCCESS and REQUEST).
Shapes follow Saleor's JSON Schemas (`shared/saleor/json_schemas/`), which the tests validate against.

`ACTIONS = None` means the answer leaves `actions` out, so Saleor keeps the transaction's current actions: a
failed capture leaves an authorization cancellable and capturable, a refund of part of a charge leaves REFUND.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import ClassVar, Literal, TypeAlias
from urllib.parse import urlsplit

from .errors import SaleorLayerError

JsonValue: TypeAlias = "dict[str, JsonValue] | list[JsonValue] | str | int | float | bool | None"
TransactionActionName = Literal["CHARGE", "REFUND", "CANCEL"]

MESSAGE_MAX_CHARS = 512
EXTERNAL_URL_MAX_CHARS = 2083
_ELLIPSIS = "…"


class InvalidResponse(SaleorLayerError):
    """A response object was built with a value Saleor would reject (names the field and the rule)."""


def truncate_message(message: str, limit: int = MESSAGE_MAX_CHARS) -> str:
    """At most `limit` characters (not bytes), ending in an ellipsis when cut; never splits a surrogate."""
    if len(message) <= limit:
        return message
    cut = message[: limit - len(_ELLIPSIS)]
    if cut and "\ud800" <= cut[-1] <= "\udbff":  # a lone high surrogate (only from surrogateescape input)
        cut = cut[:-1]
    return cut + _ELLIPSIS


def json_amount(amount: Decimal) -> int | float:
    """A Decimal as a JSON number: an integer when whole (always for JPY)."""
    if not amount.is_finite() or amount < 0:
        raise InvalidResponse("amount: must be a finite, non-negative number")
    if amount == amount.to_integral_value():
        return int(amount)
    as_float = float(amount)
    if not math.isfinite(as_float):
        raise InvalidResponse("amount: out of range")
    return as_float


def iso_time(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidResponse("time: must be timezone-aware")
    return moment.isoformat()


def _check_external_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise InvalidResponse("externalUrl: must be an absolute http(s) URL")
    if len(url) > EXTERNAL_URL_MAX_CHARS:
        raise InvalidResponse(f"externalUrl: at most {EXTERNAL_URL_MAX_CHARS} characters")
    return url


def _check_psp_reference(value: str | None, *, required: bool) -> None:
    if value is None:
        if required:
            raise InvalidResponse("pspReference: required for this result")
        return
    if not value.strip():
        raise InvalidResponse("pspReference: must not be blank")


@dataclass(frozen=True, kw_only=True)
class CardDetails:
    """`paymentMethodDetails` of a card payment (Saleor 3.22+): the masked number's visible digits."""

    name: str
    brand: str | None = None
    first_digits: str | None = None
    last_digits: str | None = None
    exp_month: int | None = None
    exp_year: int | None = None

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > 256:
            raise InvalidResponse("paymentMethodDetails.name: 1 to 256 characters")
        if self.brand is not None and len(self.brand) > 40:
            raise InvalidResponse("paymentMethodDetails.brand: at most 40 characters")
        for label, digits in (("firstDigits", self.first_digits), ("lastDigits", self.last_digits)):
            if digits is not None and not (digits.isascii() and digits.isdigit() and 1 <= len(digits) <= 4):
                raise InvalidResponse(f"paymentMethodDetails.{label}: 1 to 4 digits")
        if self.exp_month is not None and not 1 <= self.exp_month <= 12:
            raise InvalidResponse("paymentMethodDetails.expMonth: 1 to 12")
        if self.exp_year is not None and self.exp_year < 2000:
            raise InvalidResponse("paymentMethodDetails.expYear: a four-digit year from 2000")

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"type": "CARD", "name": self.name}
        optional = {
            "brand": self.brand,
            "firstDigits": self.first_digits,
            "lastDigits": self.last_digits,
            "expMonth": self.exp_month,
            "expYear": self.exp_year,
        }
        out.update({key: value for key, value in optional.items() if value is not None})
        return out


# ---- transaction results -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class _TransactionResult:
    RESULT: ClassVar[str]
    ACTIONS: ClassVar[tuple[TransactionActionName, ...] | None] = None
    PSP_REFERENCE_REQUIRED: ClassVar[bool] = False

    psp_reference: str | None = None
    amount: Decimal | None = None
    message: str | None = None
    time: datetime | None = None
    external_url: str | None = None

    def __post_init__(self) -> None:
        _check_psp_reference(self.psp_reference, required=self.PSP_REFERENCE_REQUIRED)
        if self.amount is not None:
            json_amount(self.amount)
        if self.time is not None:
            iso_time(self.time)
        if self.external_url is not None:
            _check_external_url(self.external_url)

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"result": self.RESULT}
        if self.psp_reference is not None:
            out["pspReference"] = self.psp_reference
        if self.amount is not None:
            out["amount"] = json_amount(self.amount)
        if self.ACTIONS is not None:
            out["actions"] = list(self.ACTIONS)
        if self.message:
            out["message"] = truncate_message(self.message)
        if self.time is not None:
            out["time"] = iso_time(self.time)
        if self.external_url is not None:
            out["externalUrl"] = self.external_url
        return out


@dataclass(frozen=True, kw_only=True)
class _SessionResult(_TransactionResult):
    """Results of TRANSACTION_INITIALIZE_SESSION / _PROCESS_SESSION (the charge ones also for capture)."""

    data: JsonValue = None  # handed to the storefront verbatim
    payment_method_details: CardDetails | None = None

    def to_json(self) -> dict[str, JsonValue]:
        out = super().to_json()
        if self.data is not None:
            out["data"] = self.data
        if self.payment_method_details is not None:
            out["paymentMethodDetails"] = self.payment_method_details.to_json()
        return out


@dataclass(frozen=True, kw_only=True)
class ChargeSuccess(_SessionResult):
    RESULT = "CHARGE_SUCCESS"
    ACTIONS = ("REFUND",)
    PSP_REFERENCE_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class ChargeFailure(_SessionResult):
    RESULT = "CHARGE_FAILURE"


@dataclass(frozen=True, kw_only=True)
class ChargeRequest(_SessionResult):
    """The charge was sent and its outcome is not known yet (timeout): pending, settled by a later report."""

    RESULT = "CHARGE_REQUEST"
    PSP_REFERENCE_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class ChargeActionRequired(_SessionResult):
    RESULT = "CHARGE_ACTION_REQUIRED"


@dataclass(frozen=True, kw_only=True)
class AuthorizationSuccess(_SessionResult):
    RESULT = "AUTHORIZATION_SUCCESS"
    ACTIONS = ("CHARGE", "CANCEL")
    PSP_REFERENCE_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class AuthorizationFailure(_SessionResult):
    RESULT = "AUTHORIZATION_FAILURE"


@dataclass(frozen=True, kw_only=True)
class AuthorizationRequest(_SessionResult):
    RESULT = "AUTHORIZATION_REQUEST"
    PSP_REFERENCE_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class AuthorizationActionRequired(_SessionResult):
    RESULT = "AUTHORIZATION_ACTION_REQUIRED"


@dataclass(frozen=True, kw_only=True)
class CancelSuccess(_TransactionResult):
    RESULT = "CANCEL_SUCCESS"
    ACTIONS = ()
    PSP_REFERENCE_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class CancelFailure(_TransactionResult):
    RESULT = "CANCEL_FAILURE"


@dataclass(frozen=True, kw_only=True)
class RefundSuccess(_TransactionResult):
    RESULT = "REFUND_SUCCESS"
    PSP_REFERENCE_REQUIRED = True


@dataclass(frozen=True, kw_only=True)
class RefundFailure(_TransactionResult):
    RESULT = "REFUND_FAILURE"


@dataclass(frozen=True, kw_only=True)
class _ActionAccepted:
    """The async form `{pspReference}`: Saleor records a *_REQUEST event and waits for transactionEventReport.

    For a capture/cancel/refund whose outcome the gateway has not told yet: never report that as failed.
    """

    psp_reference: str

    def __post_init__(self) -> None:
        _check_psp_reference(self.psp_reference, required=True)

    def to_json(self) -> dict[str, JsonValue]:
        return {"pspReference": self.psp_reference}


@dataclass(frozen=True, kw_only=True)
class ChargeRequestAccepted(_ActionAccepted):
    pass


@dataclass(frozen=True, kw_only=True)
class CancelRequestAccepted(_ActionAccepted):
    pass


@dataclass(frozen=True, kw_only=True)
class RefundRequestAccepted(_ActionAccepted):
    pass


# ---- gateway initialisation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class GatewayInitialized:
    """PAYMENT_GATEWAY_INITIALIZE_SESSION: `data` becomes `gatewayConfigs[].data` for the storefront."""

    data: JsonValue

    def to_json(self) -> dict[str, JsonValue]:
        return {"data": self.data}


# ---- stored payment methods --------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StoredCard:
    """One saved card in LIST_STORED_PAYMENT_METHODS. Saleor drops `creditCardInfo` unless brand, lastDigits,
    expMonth and expYear are all present, so they are all required here."""

    id: str
    name: str
    brand: str
    last_digits: str
    exp_month: int
    exp_year: int
    first_digits: str | None = None
    data: JsonValue = None

    def __post_init__(self) -> None:
        if not self.id:
            raise InvalidResponse("paymentMethods[].id: must not be empty")
        if not self.brand:
            raise InvalidResponse("paymentMethods[].creditCardInfo.brand: must not be empty")
        CardDetails(
            name=self.name or "card",
            last_digits=self.last_digits,
            first_digits=self.first_digits,
            exp_month=self.exp_month,
            exp_year=self.exp_year,
        )

    def to_json(self) -> dict[str, JsonValue]:
        card: dict[str, JsonValue] = {
            "brand": self.brand,
            "lastDigits": self.last_digits,
            "expMonth": self.exp_month,
            "expYear": self.exp_year,
        }
        if self.first_digits is not None:
            card["firstDigits"] = self.first_digits
        out: dict[str, JsonValue] = {
            "id": self.id,
            "supportedPaymentFlows": ["INTERACTIVE"],
            "type": "card",
            "name": self.name,
            "creditCardInfo": card,
        }
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class StoredPaymentMethods:
    cards: Sequence[StoredCard] = field(default_factory=tuple)

    def to_json(self) -> dict[str, JsonValue]:
        return {"paymentMethods": [card.to_json() for card in self.cards]}


@dataclass(frozen=True)
class DeleteSucceeded:
    def to_json(self) -> dict[str, JsonValue]:
        return {"result": "SUCCESSFULLY_DELETED"}


@dataclass(frozen=True)
class DeleteFailed:
    error: str  # shown to the shopper

    def to_json(self) -> dict[str, JsonValue]:
        return {"result": "FAILED_TO_DELETE", "error": truncate_message(self.error)}


# ---- tokenization (saving a card outside a payment) --------------------------------------------------------


@dataclass(frozen=True)
class TokenizationInitialized:
    """PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION success; `data` goes to the storefront."""

    data: JsonValue = None

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"result": "SUCCESSFULLY_INITIALIZED"}
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class TokenizationFailedToInitialize:
    error: str

    def to_json(self) -> dict[str, JsonValue]:
        return {"result": "FAILED_TO_INITIALIZE", "error": truncate_message(self.error)}


def _check_method_id(value: str) -> None:
    if not value:
        raise InvalidResponse("id: must not be empty")


@dataclass(frozen=True)
class PaymentMethodTokenized:
    """The card is saved; `id` is the bare id (Saleor shows it as `app:<app id>:<id>`)."""

    id: str
    data: JsonValue = None

    def __post_init__(self) -> None:
        _check_method_id(self.id)

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"result": "SUCCESSFULLY_TOKENIZED", "id": self.id}
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class TokenizationAdditionalActionRequired:
    """The storefront must act (3-D Secure), then call paymentMethodProcessTokenization with this `id`."""

    id: str
    data: JsonValue = None

    def __post_init__(self) -> None:
        _check_method_id(self.id)

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"result": "ADDITIONAL_ACTION_REQUIRED", "id": self.id}
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class TokenizationPending:
    id: str | None = None
    data: JsonValue = None

    def __post_init__(self) -> None:
        if self.id is not None:
            _check_method_id(self.id)

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"result": "PENDING"}
        if self.id is not None:
            out["id"] = self.id
        if self.data is not None:
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class FailedToTokenize:
    error: str  # shown to the shopper

    def to_json(self) -> dict[str, JsonValue]:
        return {"result": "FAILED_TO_TOKENIZE", "error": truncate_message(self.error)}


SessionResult: TypeAlias = (
    ChargeSuccess
    | ChargeFailure
    | ChargeRequest
    | ChargeActionRequired
    | AuthorizationSuccess
    | AuthorizationFailure
    | AuthorizationRequest
    | AuthorizationActionRequired
)
"""Any answer to TRANSACTION_INITIALIZE_SESSION / TRANSACTION_PROCESS_SESSION."""

ChargeRequestedResult: TypeAlias = ChargeSuccess | ChargeFailure | ChargeRequestAccepted
CancelRequestedResult: TypeAlias = CancelSuccess | CancelFailure | CancelRequestAccepted
RefundRequestedResult: TypeAlias = RefundSuccess | RefundFailure | RefundRequestAccepted
TokenizationResult: TypeAlias = (
    PaymentMethodTokenized | TokenizationAdditionalActionRequired | TokenizationPending | FailedToTokenize
)


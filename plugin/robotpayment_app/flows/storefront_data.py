"""The storefront contract (v1): the `data` storefronts send to and receive from the payment events.

These names are public API (see `docs/design.md` and `frontend_snippets/README.md`): fields may be added,
never renamed. Incoming `data` is validated strictly (unknown fields, wrong JSON types, malformed values →
`InvalidPaymentData` naming them, before anything is sent); outgoing `data` is built from typed values here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from robotpayment_app.flows.card_brand import card_brand
from robotpayment_app.flows.errors import FlowError, InvalidPaymentData
from robotpayment_app.flows.language import Language
from robotpayment_app.saleor.responses import JsonValue

CONTRACT_VERSION = 1

MethodCode = Literal["10", "61", "80"]
# printable ASCII without spaces, as the gateway's tkn (半角英数記号)
_TOKEN = Annotated[str, Field(min_length=1, max_length=2048, pattern=r"^[!-~]+$", repr=False)]
_BRAND = Annotated[str | None, BeforeValidator(card_brand)]


class _StorefrontModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class NewCardPayment(_StorefrontModel):
    """`{"tkn", "saveCard"?, "md"?, "pt"?, "brand"?}`: pay with a token made by CPToken.js and authenticated by
    3DS. `brand` (an addition to v1) is the brand the storefront saw in the number (customize mode), kept in
    upper case to name the card; absent in popup mode."""

    token: _TOKEN = Field(alias="tkn")
    save_card: bool = Field(default=False, alias="saveCard")
    md: MethodCode | None = None
    pt: int | None = None
    brand: _BRAND = None


class SavedCardPayment(_StorefrontModel):
    """`{"paymentMethodId", "md"?, "pt"?}`: one-touch charge of a saved card (with or without `app:<id>:`)."""

    payment_method_id: str = Field(alias="paymentMethodId", min_length=1, max_length=255)
    md: MethodCode | None = None
    pt: int | None = None


PaymentData = NewCardPayment | SavedCardPayment

_NEW_CARD_FIELDS = ("tkn", "saveCard", "md", "pt", "brand")
_SAVED_CARD_FIELDS = ("paymentMethodId", "md", "pt")


def _rule(error_type: str, message: str, allowed: Sequence[str]) -> str:
    if error_type == "extra_forbidden":
        return "unknown field (allowed: " + ", ".join(allowed) + ")"
    if error_type == "missing":
        return "required"
    if error_type == "value_error":  # our own validators' rules, without pydantic's prefix
        return message.removeprefix("Value error, ")
    return message


def parse_payment_data(data: object) -> PaymentData:
    """The storefront's `transactionInitialize` data, or `InvalidPaymentData` naming every bad field."""
    if not isinstance(data, Mapping):
        raise InvalidPaymentData("data", "must be an object with tkn (new card) or paymentMethodId (saved card)")
    if "tkn" in data and "paymentMethodId" in data:
        raise InvalidPaymentData("data", "give tkn (new card) or paymentMethodId (saved card), not both")
    model: type[PaymentData]
    allowed: tuple[str, ...]
    if "paymentMethodId" in data:
        model, allowed = SavedCardPayment, _SAVED_CARD_FIELDS
    else:
        model, allowed = NewCardPayment, _NEW_CARD_FIELDS
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        problems = [
            (".".join(str(part) for part in item["loc"]) or "data", _rule(item["type"], item["msg"], allowed))
            for item in error.errors(include_url=False, include_input=False, include_context=False)
        ]
    if len(problems) == 1:
        raise InvalidPaymentData(*problems[0])
    raise InvalidPaymentData(
        ", ".join(field for field, _ in problems), "; ".join(f"{field}: {rule}" for field, rule in problems)
    )


# ---- answers ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorefrontError:
    """`error` in our answers: a stable code, the shopper's message, whether trying again can help."""

    code: str
    message: str
    retryable: bool

    @classmethod
    def of(cls, failure: FlowError, language: Language) -> StorefrontError:
        return cls(failure.code, failure.shopper_text(language), failure.retryable)

    def to_json(self) -> dict[str, JsonValue]:
        return {"code": self.code, "message": self.message, "retryable": self.retryable}


@dataclass(frozen=True)
class SavedCardRef:
    """`savedCard` in a payment answer: the id Saleor lists the card under and its display name."""

    id: str
    name: str

    def to_json(self) -> dict[str, JsonValue]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class PaymentOutcomeData:
    """`transactionInitialize` / `transactionProcess` data: `{version, gid, savedCard, error}`."""

    gid: str | None = None
    saved_card: SavedCardRef | None = None
    error: StorefrontError | None = None

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "version": CONTRACT_VERSION,
            "gid": self.gid,
            "savedCard": self.saved_card.to_json() if self.saved_card else None,
            "error": self.error.to_json() if self.error else None,
        }


@dataclass(frozen=True)
class OfferedMethod:
    """One entry of `paymentMethods`: `md`, the instalment counts for 61, and whether it needs a saved card."""

    md: str
    installments: tuple[int, ...] = ()
    saved_card_only: bool = False

    def to_json(self) -> dict[str, JsonValue]:
        out: dict[str, JsonValue] = {"md": self.md}
        if self.installments:
            out["installments"] = list(self.installments)
        if self.saved_card_only:
            out["savedCardOnly"] = True
        return out


@dataclass(frozen=True)
class GatewayConfigData:
    """`paymentGatewayInitialize` data for a configured channel (never a secret in it)."""

    store_id: str
    cp_token_url: str
    three_ds_url: str
    token_mode: str
    cvv: bool
    methods: tuple[OfferedMethod, ...]
    save_card_allowed: bool
    has_saved_cards: bool
    three_ds_payment: Mapping[str, str | int] | None
    three_ds_save_card: Mapping[str, str | int] | None
    error: StorefrontError | None = None

    def to_json(self) -> dict[str, JsonValue]:
        return {
            "version": CONTRACT_VERSION,
            "aid": self.store_id,
            "scripts": {"cpToken": self.cp_token_url, "threeDS": self.three_ds_url},
            "tokenMode": self.token_mode,
            "cvv": self.cvv,
            "paymentMethods": [method.to_json() for method in self.methods],
            "saveCard": {"allowed": self.save_card_allowed, "hasSavedCards": self.has_saved_cards},
            "threeDS": {
                "payment": dict(self.three_ds_payment) if self.three_ds_payment is not None else None,
                "saveCard": dict(self.three_ds_save_card) if self.three_ds_save_card is not None else None,
            },
            "error": self.error.to_json() if self.error else None,
        }


@dataclass(frozen=True)
class GatewayUnavailableData:
    """`paymentGatewayInitialize` data when the channel cannot take payments: `{version, error}`."""

    error: StorefrontError

    def to_json(self) -> dict[str, JsonValue]:
        return {"version": CONTRACT_VERSION, "error": self.error.to_json()}


def json_object(value: Mapping[str, Any]) -> dict[str, JsonValue]:
    """A plain dict copy (for answers built from stored JSON)."""
    return dict(value)

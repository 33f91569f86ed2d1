"""Typed models of the apps' answers to sync webhooks, with Saleor's acceptance rules.

The rules mirror Saleor's JSON Schemas (`saleor/json_schemas/`) and how Saleor core reads an
answer: `null` means "use the default", unknown actions are dropped, `message` is cut to 512
characters, an invalid stored method is skipped and an invalid `creditCardInfo` dropped.
Each `parse_*` function returns a typed answer or an `InvalidAnswer` carrying Saleor-style text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    ValidationError,
    WrapValidator,
    field_validator,
)
from pydantic import ValidatorFunctionWrapHandler as Handler
from pydantic_core import PydanticOmit, PydanticUseDefault

from .domain.records import PaymentMethodDetails, TransactionAction, TransactionEventType

MESSAGE_MAX_LENGTH = 512
_T = TypeVar("_T")


@dataclass(frozen=True)
class InvalidAnswer:
    """The app answered, but not in a form Saleor accepts; `reason` is what Saleor reports."""

    reason: str


def _none_is_default(value: Any) -> Any:
    if value is None:
        raise PydanticUseDefault()
    return value


def _skip_when_invalid(value: Any, handler: Handler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        raise PydanticOmit() from None


def _default_when_invalid(value: Any, handler: Handler) -> Any:
    try:
        return handler(value)
    except ValidationError:
        raise PydanticUseDefault() from None


NoneIsDefault = Annotated[_T, BeforeValidator(_none_is_default)]
SkipWhenInvalid = Annotated[_T, WrapValidator(_skip_when_invalid)]
DefaultWhenInvalid = Annotated[_T, WrapValidator(_default_when_invalid)]
ActionName = Literal["CHARGE", "REFUND", "CANCEL"]


def describe_validation_error(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        if item["type"] == "missing":
            parts.append(f"Missing value for field: {field}.")
        else:
            parts.append(f"Incorrect value ({item['input']!r}) for field: {field}. Error: {item['msg']}.")
    return " ".join(parts)


def _aware_utc(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("Expected ISO 8601 format") from None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


class _Answer(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class CardDetails(_Answer):
    type: Literal["CARD"]
    name: str = Field(max_length=256)
    brand: str | None = Field(default=None, max_length=40)
    first_digits: str | None = Field(default=None, max_length=4, alias="firstDigits")
    last_digits: str | None = Field(default=None, max_length=4, alias="lastDigits")
    exp_month: int | None = Field(default=None, ge=1, le=12, alias="expMonth")
    exp_year: int | None = Field(default=None, ge=2000, alias="expYear")


class OtherDetails(_Answer):
    type: Literal["OTHER"]
    name: str = Field(max_length=256)


class _TransactionAnswer(_Answer):
    psp_reference: NoneIsDefault[str | None] = Field(default=None, alias="pspReference")
    amount: NoneIsDefault[Decimal | None] = None
    time: NoneIsDefault[Annotated[datetime, BeforeValidator(_aware_utc)] | None] = None
    external_url: NoneIsDefault[HttpUrl | None] = Field(default=None, alias="externalUrl")
    message: NoneIsDefault[str] = ""
    actions: list[SkipWhenInvalid[ActionName]] | None = None

    @field_validator("message", mode="before")
    @classmethod
    def _cut_message(cls, value: Any) -> Any:
        return value[:MESSAGE_MAX_LENGTH] if isinstance(value, str) else value

    @field_validator("amount")
    @classmethod
    def _not_negative(cls, value: Decimal | None) -> Decimal | None:
        if value is not None and (not value.is_finite() or value < 0):
            raise ValueError("amount must be a non-negative number")
        return value


class _SessionAnswer(_TransactionAnswer):
    data: Any = None
    payment_method_details: Annotated[CardDetails | OtherDetails, Field(discriminator="type")] | None = Field(
        default=None, alias="paymentMethodDetails"
    )


_RESULTS_WITH_REFERENCE = (
    "AUTHORIZATION_SUCCESS",
    "CHARGE_SUCCESS",
    "AUTHORIZATION_REQUEST",
    "CHARGE_REQUEST",
)
_RESULTS_WITHOUT_REFERENCE = (
    "AUTHORIZATION_FAILURE",
    "CHARGE_FAILURE",
    "AUTHORIZATION_ACTION_REQUIRED",
    "CHARGE_ACTION_REQUIRED",
)


class _SessionWithReference(_SessionAnswer):
    # success and request results must say which PSP operation they are about
    psp_reference: str = Field(alias="pspReference")


class _SessionWithoutReference(_SessionAnswer):
    pass


@dataclass(frozen=True)
class TransactionAnswer:
    """A parsed session or action answer: the event it reports and what comes with it."""

    result: TransactionEventType | None  # None: the async form {pspReference} of an action answer
    psp_reference: str | None
    amount: Decimal | None
    time: datetime | None
    external_url: str
    message: str
    actions: list[TransactionAction] | None
    payment_method_details: PaymentMethodDetails | None = None


def _to_answer(model: _TransactionAnswer, result: str | None) -> TransactionAnswer:
    details: PaymentMethodDetails | None = None
    if isinstance(model, _SessionAnswer) and model.payment_method_details is not None:
        raw = model.payment_method_details
        if isinstance(raw, CardDetails):
            details = PaymentMethodDetails(
                type="CARD",
                name=raw.name,
                brand=raw.brand,
                first_digits=raw.first_digits,
                last_digits=raw.last_digits,
                exp_month=raw.exp_month,
                exp_year=raw.exp_year,
            )
        else:
            details = PaymentMethodDetails(type="OTHER", name=raw.name)
    actions = None if model.actions is None else [TransactionAction(a) for a in dict.fromkeys(model.actions)]
    return TransactionAnswer(
        result=TransactionEventType(result) if result else None,
        psp_reference=model.psp_reference,
        amount=model.amount,
        time=model.time,
        external_url=str(model.external_url) if model.external_url is not None else "",
        message=model.message,
        actions=actions,
        payment_method_details=details,
    )


def parse_session_answer(raw: Any) -> TransactionAnswer | InvalidAnswer:
    """TRANSACTION_INITIALIZE_SESSION / TRANSACTION_PROCESS_SESSION answers."""
    if not isinstance(raw, dict):
        return InvalidAnswer("The answer must be a JSON object.")
    result = raw.get("result")
    model_type: type[_SessionAnswer]
    if result in _RESULTS_WITH_REFERENCE:
        model_type = _SessionWithReference
    elif result in _RESULTS_WITHOUT_REFERENCE:
        model_type = _SessionWithoutReference
    else:
        return InvalidAnswer(f"Missing or invalid value for `result`: {result}.")
    try:
        model = model_type.model_validate(raw)
    except ValidationError as error:
        return InvalidAnswer(describe_validation_error(error)[:MESSAGE_MAX_LENGTH])
    return _to_answer(model, result)


class _ActionSuccess(_TransactionAnswer):
    psp_reference: str = Field(alias="pspReference")


class _ActionAsync(_Answer):
    psp_reference: str = Field(alias="pspReference")
    actions: list[SkipWhenInvalid[ActionName]] | None = None


_ACTION_RESULTS: dict[TransactionEventType, tuple[str, str]] = {
    TransactionEventType.CHARGE_REQUEST: ("CHARGE_SUCCESS", "CHARGE_FAILURE"),
    TransactionEventType.REFUND_REQUEST: ("REFUND_SUCCESS", "REFUND_FAILURE"),
    TransactionEventType.CANCEL_REQUEST: ("CANCEL_SUCCESS", "CANCEL_FAILURE"),
}


def parse_action_answer(raw: Any, request_type: TransactionEventType) -> TransactionAnswer | InvalidAnswer:
    """TRANSACTION_CHARGE/REFUND/CANCELATION_REQUESTED answers: sync success/failure or async."""
    if not isinstance(raw, dict):
        return InvalidAnswer("The answer must be a JSON object.")
    success, failure = _ACTION_RESULTS[request_type]
    result = raw.get("result")
    try:
        if result == success:
            return _to_answer(_ActionSuccess.model_validate(raw), result)
        if result == failure:
            return _to_answer(_TransactionAnswer.model_validate(raw), result)
        if result is None:
            pending = _ActionAsync.model_validate(raw)
            actions = None if pending.actions is None else [TransactionAction(a) for a in pending.actions]
            return TransactionAnswer(None, pending.psp_reference, None, None, "", "", actions)
    except ValidationError as error:
        return InvalidAnswer(describe_validation_error(error)[:MESSAGE_MAX_LENGTH])
    return InvalidAnswer(f"Missing or invalid value for `result`: {result}. Possible values: {success}, {failure}.")


# -- payment gateway initialize ------------------------------------------------------------


class _GatewayInitialize(_Answer):
    data: Any


def parse_gateway_initialize_answer(raw: Any) -> Any | InvalidAnswer:
    """PAYMENT_GATEWAY_INITIALIZE_SESSION: `{"data": ...}` with `data` required (it may be null)."""
    if not isinstance(raw, dict):
        return InvalidAnswer("The answer must be a JSON object.")
    try:
        return _GatewayInitialize.model_validate(raw).data
    except ValidationError as error:
        return InvalidAnswer(describe_validation_error(error))


# -- stored payment methods ------------------------------------------------------------------


class CreditCardInfo(_Answer):
    brand: str
    last_digits: Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)] = Field(
        alias="lastDigits"
    )
    exp_year: int = Field(alias="expYear")
    exp_month: int = Field(alias="expMonth")
    first_digits: NoneIsDefault[str | None] = Field(default=None, alias="firstDigits")


class StoredMethod(_Answer):
    id: str
    type: str
    supported_payment_flows: NoneIsDefault[list[Literal["INTERACTIVE"]]] = Field(
        default_factory=list, alias="supportedPaymentFlows"
    )
    name: NoneIsDefault[str | None] = None
    data: Any = None
    credit_card_info: DefaultWhenInvalid[CreditCardInfo | None] = Field(default=None, alias="creditCardInfo")


class _StoredMethods(_Answer):
    payment_methods: NoneIsDefault[list[SkipWhenInvalid[StoredMethod]]] = Field(
        default_factory=list, alias="paymentMethods"
    )


def parse_stored_methods_answer(raw: Any) -> list[StoredMethod] | InvalidAnswer:
    """LIST_STORED_PAYMENT_METHODS: invalid methods are skipped, an invalid card info dropped."""
    if not isinstance(raw, dict):
        return InvalidAnswer("The answer must be a JSON object.")
    try:
        return _StoredMethods.model_validate(raw).payment_methods
    except ValidationError as error:
        return InvalidAnswer(describe_validation_error(error))


# -- stored method delete and tokenization ----------------------------------------------------

DeleteResult = Literal["SUCCESSFULLY_DELETED", "FAILED_TO_DELETE", "FAILED_TO_DELIVER"]
GatewayTokenizationResult = Literal["SUCCESSFULLY_INITIALIZED", "FAILED_TO_INITIALIZE", "FAILED_TO_DELIVER"]
TokenizationResult = Literal[
    "SUCCESSFULLY_TOKENIZED",
    "PENDING",
    "ADDITIONAL_ACTION_REQUIRED",
    "FAILED_TO_TOKENIZE",
    "FAILED_TO_DELIVER",
]


@dataclass(frozen=True)
class DeleteAnswer:
    result: DeleteResult
    error: str | None


@dataclass(frozen=True)
class GatewayTokenizationAnswer:
    result: GatewayTokenizationResult
    data: Any
    error: str | None


@dataclass(frozen=True)
class TokenizationAnswer:
    result: TokenizationResult
    bare_id: str | None
    data: Any
    error: str | None


class _Delete(_Answer):
    result: DeleteResult
    error: str | None = None


class _GatewayTokenization(_Answer):
    result: GatewayTokenizationResult
    data: Any = None
    error: str | None = None


class _TokenizationSuccess(_Answer):
    result: Literal["SUCCESSFULLY_TOKENIZED", "ADDITIONAL_ACTION_REQUIRED"]
    id: str
    data: Any = None


class _TokenizationPending(_Answer):
    result: Literal["PENDING"]
    id: str | None = None
    data: Any = None


class _TokenizationFailed(_Answer):
    result: Literal["FAILED_TO_TOKENIZE", "FAILED_TO_DELIVER"]
    error: str | None = None


_TOKENIZATION_MODELS: dict[str, type[_TokenizationSuccess | _TokenizationPending | _TokenizationFailed]] = {
    "SUCCESSFULLY_TOKENIZED": _TokenizationSuccess,
    "ADDITIONAL_ACTION_REQUIRED": _TokenizationSuccess,
    "PENDING": _TokenizationPending,
    "FAILED_TO_TOKENIZE": _TokenizationFailed,
    "FAILED_TO_DELIVER": _TokenizationFailed,
}


def parse_delete_answer(raw: Any) -> DeleteAnswer:
    """STORED_PAYMENT_METHOD_DELETE_REQUESTED; an invalid answer becomes FAILED_TO_DELETE."""
    if raw is None:
        return DeleteAnswer("FAILED_TO_DELIVER", "Failed to delivery request.")
    try:
        model = _Delete.model_validate(raw)
    except ValidationError as error:
        return DeleteAnswer("FAILED_TO_DELETE", describe_validation_error(error))
    return DeleteAnswer(model.result, model.error)


def parse_gateway_tokenization_answer(raw: Any) -> GatewayTokenizationAnswer:
    """PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION; invalid becomes FAILED_TO_INITIALIZE."""
    if raw is None:
        return GatewayTokenizationAnswer("FAILED_TO_DELIVER", None, "Failed to delivery request.")
    try:
        model = _GatewayTokenization.model_validate(raw)
    except ValidationError as error:
        return GatewayTokenizationAnswer("FAILED_TO_INITIALIZE", None, describe_validation_error(error))
    return GatewayTokenizationAnswer(model.result, model.data, model.error)


def parse_tokenization_answer(raw: Any) -> TokenizationAnswer:
    """PAYMENT_METHOD_INITIALIZE/PROCESS_TOKENIZATION_SESSION; invalid becomes FAILED_TO_TOKENIZE."""
    if raw is None:
        return TokenizationAnswer("FAILED_TO_DELIVER", None, None, "Failed to delivery request.")
    result = raw.get("result") if isinstance(raw, dict) else None
    model_type = _TOKENIZATION_MODELS.get(result) if isinstance(result, str) else None
    if model_type is None:
        return TokenizationAnswer("FAILED_TO_TOKENIZE", None, None, f"Missing or invalid value for `result`: {result}.")
    try:
        model = model_type.model_validate(raw)
    except ValidationError as error:
        return TokenizationAnswer("FAILED_TO_TOKENIZE", None, None, describe_validation_error(error))
    if isinstance(model, _TokenizationFailed):
        return TokenizationAnswer(model.result, None, None, model.error)
    return TokenizationAnswer(model.result, model.id, model.data, None)

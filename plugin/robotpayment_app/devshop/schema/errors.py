"""Saleor's per-mutation error types and their code enums (values are subsets of Saleor's)."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

from ..errors import ShopError


@strawberry.enum(name="AccountErrorCode")
class AccountErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INACTIVE = "INACTIVE"
    INVALID = "INVALID"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    UNIQUE = "UNIQUE"
    DELETE_STAFF_ACCOUNT = "DELETE_STAFF_ACCOUNT"
    JWT_INVALID_TOKEN = "JWT_INVALID_TOKEN"  # noqa: S105 - an error code, not a secret
    JWT_SIGNATURE_EXPIRED = "JWT_SIGNATURE_EXPIRED"
    ACCOUNT_NOT_CONFIRMED = "ACCOUNT_NOT_CONFIRMED"


@strawberry.enum(name="CheckoutErrorCode")
class CheckoutErrorCode(Enum):
    BILLING_ADDRESS_NOT_SET = "BILLING_ADDRESS_NOT_SET"
    CHECKOUT_NOT_FULLY_PAID = "CHECKOUT_NOT_FULLY_PAID"
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    ZERO_QUANTITY = "ZERO_QUANTITY"
    QUANTITY_GREATER_THAN_LIMIT = "QUANTITY_GREATER_THAN_LIMIT"
    UNAVAILABLE_VARIANT_IN_CHANNEL = "UNAVAILABLE_VARIANT_IN_CHANNEL"
    CHANNEL_INACTIVE = "CHANNEL_INACTIVE"
    MISSING_CHANNEL_SLUG = "MISSING_CHANNEL_SLUG"
    EMAIL_NOT_SET = "EMAIL_NOT_SET"
    NO_LINES = "NO_LINES"


@strawberry.enum(name="PaymentGatewayConfigErrorCode")
class PaymentGatewayConfigErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"


@strawberry.enum(name="PaymentGatewayInitializeErrorCode")
class PaymentGatewayInitializeErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"


@strawberry.enum(name="TransactionInitializeErrorCode")
class TransactionInitializeErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    UNIQUE = "UNIQUE"
    CHECKOUT_COMPLETION_IN_PROGRESS = "CHECKOUT_COMPLETION_IN_PROGRESS"


@strawberry.enum(name="TransactionProcessErrorCode")
class TransactionProcessErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    TRANSACTION_ALREADY_PROCESSED = "TRANSACTION_ALREADY_PROCESSED"
    MISSING_PAYMENT_APP_RELATION = "MISSING_PAYMENT_APP_RELATION"
    MISSING_PAYMENT_APP = "MISSING_PAYMENT_APP"
    CHECKOUT_COMPLETION_IN_PROGRESS = "CHECKOUT_COMPLETION_IN_PROGRESS"


@strawberry.enum(name="TransactionRequestActionErrorCode")
class TransactionRequestActionErrorCode(Enum):
    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    NOT_FOUND = "NOT_FOUND"
    MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK = "MISSING_TRANSACTION_ACTION_REQUEST_WEBHOOK"


@strawberry.enum(name="TransactionEventReportErrorCode")
class TransactionEventReportErrorCode(Enum):
    INVALID = "INVALID"
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    NOT_FOUND = "NOT_FOUND"
    INCORRECT_DETAILS = "INCORRECT_DETAILS"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    REQUIRED = "REQUIRED"


@strawberry.enum(name="MetadataErrorCode")
class MetadataErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    NOT_UPDATED = "NOT_UPDATED"


@strawberry.enum(name="StoredPaymentMethodRequestDeleteErrorCode")
class StoredPaymentMethodRequestDeleteErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CHANNEL_INACTIVE = "CHANNEL_INACTIVE"
    GATEWAY_ERROR = "GATEWAY_ERROR"


@strawberry.enum(name="PaymentGatewayInitializeTokenizationErrorCode")
class PaymentGatewayInitializeTokenizationErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CHANNEL_INACTIVE = "CHANNEL_INACTIVE"
    GATEWAY_ERROR = "GATEWAY_ERROR"


@strawberry.enum(name="PaymentMethodInitializeTokenizationErrorCode")
class PaymentMethodInitializeTokenizationErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CHANNEL_INACTIVE = "CHANNEL_INACTIVE"
    GATEWAY_ERROR = "GATEWAY_ERROR"


@strawberry.enum(name="PaymentMethodProcessTokenizationErrorCode")
class PaymentMethodProcessTokenizationErrorCode(Enum):
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    NOT_FOUND = "NOT_FOUND"
    CHANNEL_INACTIVE = "CHANNEL_INACTIVE"
    GATEWAY_ERROR = "GATEWAY_ERROR"


@strawberry.enum(name="AppErrorCode")
class AppErrorCode(Enum):
    FORBIDDEN = "FORBIDDEN"
    GRAPHQL_ERROR = "GRAPHQL_ERROR"
    INVALID = "INVALID"
    INVALID_PERMISSION = "INVALID_PERMISSION"
    INVALID_URL_FORMAT = "INVALID_URL_FORMAT"
    INVALID_MANIFEST_FORMAT = "INVALID_MANIFEST_FORMAT"
    MANIFEST_URL_CANT_CONNECT = "MANIFEST_URL_CANT_CONNECT"
    NOT_FOUND = "NOT_FOUND"
    REQUIRED = "REQUIRED"
    UNIQUE = "UNIQUE"
    UNSUPPORTED_SALEOR_VERSION = "UNSUPPORTED_SALEOR_VERSION"


@strawberry.type(name="AccountError")
class AccountError:
    field: str | None
    message: str | None
    code: AccountErrorCode


@strawberry.type(name="CheckoutError")
class CheckoutError:
    field: str | None
    message: str | None
    code: CheckoutErrorCode


@strawberry.type(name="PaymentGatewayConfigError")
class PaymentGatewayConfigError:
    field: str | None
    message: str | None
    code: PaymentGatewayConfigErrorCode


@strawberry.type(name="PaymentGatewayInitializeError")
class PaymentGatewayInitializeError:
    field: str | None
    message: str | None
    code: PaymentGatewayInitializeErrorCode


@strawberry.type(name="TransactionInitializeError")
class TransactionInitializeError:
    field: str | None
    message: str | None
    code: TransactionInitializeErrorCode


@strawberry.type(name="TransactionProcessError")
class TransactionProcessError:
    field: str | None
    message: str | None
    code: TransactionProcessErrorCode


@strawberry.type(name="TransactionRequestActionError")
class TransactionRequestActionError:
    field: str | None
    message: str | None
    code: TransactionRequestActionErrorCode


@strawberry.type(name="TransactionEventReportError")
class TransactionEventReportError:
    field: str | None
    message: str | None
    code: TransactionEventReportErrorCode


@strawberry.type(name="MetadataError")
class MetadataError:
    field: str | None
    message: str | None
    code: MetadataErrorCode


@strawberry.type(name="PaymentMethodRequestDeleteError")
class PaymentMethodRequestDeleteError:
    field: str | None
    message: str | None
    code: StoredPaymentMethodRequestDeleteErrorCode


@strawberry.type(name="PaymentGatewayInitializeTokenizationError")
class PaymentGatewayInitializeTokenizationError:
    field: str | None
    message: str | None
    code: PaymentGatewayInitializeTokenizationErrorCode


@strawberry.type(name="PaymentMethodInitializeTokenizationError")
class PaymentMethodInitializeTokenizationError:
    field: str | None
    message: str | None
    code: PaymentMethodInitializeTokenizationErrorCode


@strawberry.type(name="PaymentMethodProcessTokenizationError")
class PaymentMethodProcessTokenizationError:
    field: str | None
    message: str | None
    code: PaymentMethodProcessTokenizationErrorCode


@strawberry.type(name="AppError")
class AppError:
    field: str | None
    message: str | None
    code: AppErrorCode


_E = TypeVar("_E")


def error_list(error_type: type[_E], code_enum: type[Enum], error: ShopError) -> list[_E]:
    """One Saleor error object from a ShopError; unknown codes fall back to INVALID."""
    code = code_enum.__members__.get(error.code) or code_enum.__members__["INVALID"]
    return [error_type(field=error.field, message=error.message, code=code)]  # type: ignore[call-arg]

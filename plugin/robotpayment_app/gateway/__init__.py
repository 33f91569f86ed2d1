"""ROBOT PAYMENT gateway client: typed requests, pure wire codec, error catalogue, httpx client, kickbacks.

This layer knows nothing of Saleor. Wire names (`aid`, `uid`, `key`, `tkn`, `num`, `jb`) appear only in the
codec and in `wire_params()`; everything else uses English names (`store_id`, `customer_id`, `customer_key`,
`token`, `card_seq`, `job`).
"""

from .answers import CardDetails, CardRecord, CustomerRecord, PaymentResult
from .calls import CallSummary
from .client import PRODUCTION_BASE_URL, GatewayTimeouts, ReadRetryPolicy, RobotPaymentClient
from .error_catalogue import ErrorEntry, Fixer, catalogue, lookup_error
from .errors import (
    GatewayAnswerError,
    GatewayError,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayUnavailable,
    GatewayValidationError,
)
from .fields import INSTALLMENT_COUNTS, JobType, PaymentMethod
from .kickback import KickbackNotification, kickback_from_params, parse_kickback
from .payments import (
    AmountsCharge,
    BulkRegistrationPayment,
    Charge,
    OneTouchCharge,
    ProductCharge,
    TokenPayment,
)
from .requests import (
    CardDeletion,
    CardLookup,
    CardRegistration,
    CardUpdate,
    CustomerDeletion,
    CustomerLookup,
    CustomerRegistration,
    CustomerUpdate,
    GatewayRequest,
)
from .sales_and_cancel import Cancellation, Capture

__all__ = [
    "INSTALLMENT_COUNTS",
    "PRODUCTION_BASE_URL",
    "AmountsCharge",
    "BulkRegistrationPayment",
    "CallSummary",
    "Cancellation",
    "Capture",
    "CardDeletion",
    "CardDetails",
    "CardLookup",
    "CardRecord",
    "CardRegistration",
    "CardUpdate",
    "Charge",
    "CustomerDeletion",
    "CustomerLookup",
    "CustomerRecord",
    "CustomerRegistration",
    "CustomerUpdate",
    "ErrorEntry",
    "Fixer",
    "GatewayAnswerError",
    "GatewayError",
    "GatewayOutcomeUnknown",
    "GatewayRejected",
    "GatewayRequest",
    "GatewayTimeouts",
    "GatewayUnavailable",
    "GatewayValidationError",
    "JobType",
    "KickbackNotification",
    "OneTouchCharge",
    "PaymentMethod",
    "PaymentResult",
    "ProductCharge",
    "ReadRetryPolicy",
    "RobotPaymentClient",
    "TokenPayment",
    "catalogue",
    "kickback_from_params",
    "lookup_error",
    "parse_kickback",
]

"""The stand-in app's subscription documents: one per event, asking for what a payment app needs."""

from __future__ import annotations

_COMMON = """
      version
      issuedAt
      recipient { id identifier }
      issuingPrincipal { __typename ... on App { id } ... on User { id email } }
"""

_SOURCE = """
      sourceObject {
        __typename
        ... on Checkout {
          id
          email
          languageCode
          channel { id slug currencyCode }
          user { id email firstName lastName }
          totalPrice { gross { amount currency } }
          billingAddress { firstName lastName phone countryArea city postalCode country { code } }
          lines { quantity variant { id sku name product { id name } } }
        }
        ... on Order {
          id
          number
          userEmail
          languageCodeEnum
          channel { id slug currencyCode }
          user { id email }
          total { gross { amount currency } }
        }
      }
"""

_TRANSACTION_FOR_ACTION = """
      action { actionType amount currency }
      transaction {
        id
        token
        pspReference
        authorizedAmount { amount currency }
        chargedAmount { amount currency }
        refundedAmount { amount }
        checkout { id channel { slug } }
        order { id channel { slug } }
      }
"""

_USER_AND_CHANNEL = """
      user { id email firstName lastName privateMetadata { key value } }
      channel { id slug currencyCode }
"""

_CUSTOMER = """
      user {
        id
        email
        firstName
        lastName
        isActive
        note
        languageCode
        updatedAt
        metadata { key value }
        defaultBillingAddress { postalCode countryArea country { code } }
      }
"""


def _subscription(name: str, body: str) -> str:
    return f"subscription {name} {{\n  event {{\n    ... on {name} {{{_COMMON}{body}    }}\n  }}\n}}\n"


DOCUMENTS: dict[str, str] = {
    "PAYMENT_GATEWAY_INITIALIZE_SESSION": _subscription(
        "PaymentGatewayInitializeSession", "      amount\n      data\n" + _SOURCE
    ),
    "TRANSACTION_INITIALIZE_SESSION": _subscription(
        "TransactionInitializeSession",
        """      action { amount currency actionType }
      data
      idempotencyKey
      merchantReference
      customerIpAddress
      transaction { id token pspReference }
"""
        + _SOURCE,
    ),
    "TRANSACTION_PROCESS_SESSION": _subscription(
        "TransactionProcessSession",
        """      action { amount currency actionType }
      data
      merchantReference
      customerIpAddress
      transaction { id token pspReference }
"""
        + _SOURCE,
    ),
    "TRANSACTION_CHARGE_REQUESTED": _subscription("TransactionChargeRequested", _TRANSACTION_FOR_ACTION),
    "TRANSACTION_CANCELATION_REQUESTED": _subscription("TransactionCancelationRequested", _TRANSACTION_FOR_ACTION),
    "TRANSACTION_REFUND_REQUESTED": _subscription(
        "TransactionRefundRequested", _TRANSACTION_FOR_ACTION + "      grantedRefund { id }\n"
    ),
    "LIST_STORED_PAYMENT_METHODS": _subscription("ListStoredPaymentMethods", _USER_AND_CHANNEL),
    "STORED_PAYMENT_METHOD_DELETE_REQUESTED": _subscription(
        "StoredPaymentMethodDeleteRequested", _USER_AND_CHANNEL + "      paymentMethodId\n"
    ),
    "PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION": _subscription(
        "PaymentGatewayInitializeTokenizationSession", _USER_AND_CHANNEL + "      data\n"
    ),
    "PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION": _subscription(
        "PaymentMethodInitializeTokenizationSession", _USER_AND_CHANNEL + "      data\n      paymentFlowToSupport\n"
    ),
    "PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION": _subscription(
        "PaymentMethodProcessTokenizationSession", _USER_AND_CHANNEL + "      data\n      id\n"
    ),
    "CUSTOMER_UPDATED": _subscription(
        "CustomerUpdated", _CUSTOMER.replace("metadata {", "privateMetadata { key value }\n        metadata {")
    ),
    "CUSTOMER_DELETED": _subscription("CustomerDeleted", _CUSTOMER),
    "CHECKOUT_FULLY_PAID": _subscription(
        "CheckoutFullyPaid",
        """      checkout {
        id
        totalPrice { gross { amount currency } }
        chargeStatus
        authorizeStatus
        transactions { id pspReference chargedAmount { amount currency } }
      }
""",
    ),
    "APP_DELETED": _subscription("AppDeleted", "      app { id identifier name }\n"),
}

ASYNC_EVENTS = frozenset({"CUSTOMER_UPDATED", "CUSTOMER_DELETED", "CHECKOUT_FULLY_PAID", "APP_DELETED"})

"""Saleor enums the devshop serves (each value exists in Saleor's enum of the same name)."""

from __future__ import annotations

from enum import Enum

import strawberry


@strawberry.enum(name="TransactionEventTypeEnum")
class TransactionEventTypeEnum(Enum):
    AUTHORIZATION_SUCCESS = "AUTHORIZATION_SUCCESS"
    AUTHORIZATION_FAILURE = "AUTHORIZATION_FAILURE"
    AUTHORIZATION_ADJUSTMENT = "AUTHORIZATION_ADJUSTMENT"
    AUTHORIZATION_REQUEST = "AUTHORIZATION_REQUEST"
    AUTHORIZATION_ACTION_REQUIRED = "AUTHORIZATION_ACTION_REQUIRED"
    CHARGE_ACTION_REQUIRED = "CHARGE_ACTION_REQUIRED"
    CHARGE_SUCCESS = "CHARGE_SUCCESS"
    CHARGE_FAILURE = "CHARGE_FAILURE"
    CHARGE_BACK = "CHARGE_BACK"
    CHARGE_REQUEST = "CHARGE_REQUEST"
    REFUND_SUCCESS = "REFUND_SUCCESS"
    REFUND_FAILURE = "REFUND_FAILURE"
    REFUND_REVERSE = "REFUND_REVERSE"
    REFUND_REQUEST = "REFUND_REQUEST"
    CANCEL_SUCCESS = "CANCEL_SUCCESS"
    CANCEL_FAILURE = "CANCEL_FAILURE"
    CANCEL_REQUEST = "CANCEL_REQUEST"
    INFO = "INFO"


@strawberry.enum(name="TransactionActionEnum")
class TransactionActionEnum(Enum):
    CHARGE = "CHARGE"
    REFUND = "REFUND"
    CANCEL = "CANCEL"


@strawberry.enum(name="TransactionFlowStrategyEnum")
class TransactionFlowStrategyEnum(Enum):
    AUTHORIZATION = "AUTHORIZATION"
    CHARGE = "CHARGE"


@strawberry.enum(name="TokenizedPaymentFlowEnum")
class TokenizedPaymentFlowEnum(Enum):
    INTERACTIVE = "INTERACTIVE"


@strawberry.enum(name="CheckoutAuthorizeStatusEnum")
class CheckoutAuthorizeStatusEnum(Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"


@strawberry.enum(name="CheckoutChargeStatusEnum")
class CheckoutChargeStatusEnum(Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"
    OVERCHARGED = "OVERCHARGED"


@strawberry.enum(name="OrderAuthorizeStatusEnum")
class OrderAuthorizeStatusEnum(Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"


@strawberry.enum(name="OrderChargeStatusEnum")
class OrderChargeStatusEnum(Enum):
    NONE = "NONE"
    PARTIAL = "PARTIAL"
    FULL = "FULL"
    OVERCHARGED = "OVERCHARGED"


@strawberry.enum(name="OrderStatus")
class OrderStatus(Enum):
    UNCONFIRMED = "UNCONFIRMED"
    UNFULFILLED = "UNFULFILLED"
    FULFILLED = "FULFILLED"
    CANCELED = "CANCELED"


@strawberry.enum(name="OrderOriginEnum")
class OrderOriginEnum(Enum):
    CHECKOUT = "CHECKOUT"


@strawberry.enum(name="LanguageCodeEnum")
class LanguageCodeEnum(Enum):
    EN = "EN"
    EN_US = "EN_US"
    JA = "JA"
    JA_JP = "JA_JP"


@strawberry.enum(name="CountryCode")
class CountryCode(Enum):
    JP = "JP"
    US = "US"


@strawberry.enum(name="PermissionEnum")
class PermissionEnum(Enum):
    MANAGE_USERS = "MANAGE_USERS"
    MANAGE_STAFF = "MANAGE_STAFF"
    IMPERSONATE_USER = "IMPERSONATE_USER"
    MANAGE_APPS = "MANAGE_APPS"
    MANAGE_OBSERVABILITY = "MANAGE_OBSERVABILITY"
    MANAGE_CHECKOUTS = "MANAGE_CHECKOUTS"
    HANDLE_CHECKOUTS = "HANDLE_CHECKOUTS"
    HANDLE_TAXES = "HANDLE_TAXES"
    MANAGE_TAXES = "MANAGE_TAXES"
    MANAGE_CHANNELS = "MANAGE_CHANNELS"
    MANAGE_CUSTOMER_TYPES_AND_ATTRIBUTES = "MANAGE_CUSTOMER_TYPES_AND_ATTRIBUTES"
    MANAGE_DISCOUNTS = "MANAGE_DISCOUNTS"
    MANAGE_GIFT_CARD = "MANAGE_GIFT_CARD"
    MANAGE_MENUS = "MANAGE_MENUS"
    MANAGE_ORDERS = "MANAGE_ORDERS"
    MANAGE_ORDERS_IMPORT = "MANAGE_ORDERS_IMPORT"
    MANAGE_PAGES = "MANAGE_PAGES"
    MANAGE_PAGE_TYPES_AND_ATTRIBUTES = "MANAGE_PAGE_TYPES_AND_ATTRIBUTES"
    HANDLE_PAYMENTS = "HANDLE_PAYMENTS"
    MANAGE_PLUGINS = "MANAGE_PLUGINS"
    MANAGE_PRODUCTS = "MANAGE_PRODUCTS"
    MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES = "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES"
    MANAGE_SHIPPING = "MANAGE_SHIPPING"
    MANAGE_SETTINGS = "MANAGE_SETTINGS"
    MANAGE_TRANSLATIONS = "MANAGE_TRANSLATIONS"


@strawberry.enum(name="StoredPaymentMethodRequestDeleteResult")
class StoredPaymentMethodRequestDeleteResult(Enum):
    SUCCESSFULLY_DELETED = "SUCCESSFULLY_DELETED"
    FAILED_TO_DELETE = "FAILED_TO_DELETE"
    FAILED_TO_DELIVER = "FAILED_TO_DELIVER"


@strawberry.enum(name="PaymentGatewayInitializeTokenizationResult")
class PaymentGatewayInitializeTokenizationResult(Enum):
    SUCCESSFULLY_INITIALIZED = "SUCCESSFULLY_INITIALIZED"
    FAILED_TO_INITIALIZE = "FAILED_TO_INITIALIZE"
    FAILED_TO_DELIVER = "FAILED_TO_DELIVER"


@strawberry.enum(name="PaymentMethodTokenizationResult")
class PaymentMethodTokenizationResult(Enum):
    SUCCESSFULLY_TOKENIZED = "SUCCESSFULLY_TOKENIZED"
    PENDING = "PENDING"
    ADDITIONAL_ACTION_REQUIRED = "ADDITIONAL_ACTION_REQUIRED"
    FAILED_TO_TOKENIZE = "FAILED_TO_TOKENIZE"
    FAILED_TO_DELIVER = "FAILED_TO_DELIVER"


@strawberry.enum(name="JobStatusEnum")
class JobStatusEnum(Enum):
    PENDING = "PENDING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    DELETED = "DELETED"


@strawberry.enum(name="AppTypeEnum")
class AppTypeEnum(Enum):
    LOCAL = "LOCAL"
    THIRDPARTY = "THIRDPARTY"

"""storedPaymentMethodRequestDelete and the three tokenization mutations."""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

import strawberry

from ...context import Info
from ...errors import ShopError
from ...services.stored_methods import TokenizationOutcome
from ..enums import (
    PaymentGatewayInitializeTokenizationResult,
    PaymentMethodTokenizationResult,
    StoredPaymentMethodRequestDeleteResult,
    TokenizedPaymentFlowEnum,
)
from ..errors import (
    PaymentGatewayInitializeTokenizationError,
    PaymentGatewayInitializeTokenizationErrorCode,
    PaymentMethodInitializeTokenizationError,
    PaymentMethodInitializeTokenizationErrorCode,
    PaymentMethodProcessTokenizationError,
    PaymentMethodProcessTokenizationErrorCode,
    PaymentMethodRequestDeleteError,
    StoredPaymentMethodRequestDeleteErrorCode,
    error_list,
)
from ..scalars import JSON


@strawberry.type(name="StoredPaymentMethodRequestDelete")
class StoredPaymentMethodRequestDelete:
    result: StoredPaymentMethodRequestDeleteResult
    errors: list[PaymentMethodRequestDeleteError] = strawberry.field(default_factory=list)


@strawberry.type(name="PaymentGatewayInitializeTokenization")
class PaymentGatewayInitializeTokenization:
    result: PaymentGatewayInitializeTokenizationResult
    data: JSON | None = None
    errors: list[PaymentGatewayInitializeTokenizationError] = strawberry.field(default_factory=list)


@strawberry.type(name="PaymentMethodInitializeTokenization")
class PaymentMethodInitializeTokenization:
    result: PaymentMethodTokenizationResult
    id: str | None = None
    data: JSON | None = None
    errors: list[PaymentMethodInitializeTokenizationError] = strawberry.field(default_factory=list)


@strawberry.type(name="PaymentMethodProcessTokenization")
class PaymentMethodProcessTokenization:
    result: PaymentMethodTokenizationResult
    id: str | None = None
    data: JSON | None = None
    errors: list[PaymentMethodProcessTokenizationError] = strawberry.field(default_factory=list)


_FINE_TOKENIZATION = ("SUCCESSFULLY_TOKENIZED", "ADDITIONAL_ACTION_REQUIRED", "PENDING")


def _gateway_error(message: str | None) -> ShopError:
    return ShopError("GATEWAY_ERROR", message or "", None)


@strawberry.type
class StoredMethodMutations:
    @strawberry.mutation
    async def stored_payment_method_request_delete(
        self, info: Info, id: strawberry.ID, channel: str
    ) -> StoredPaymentMethodRequestDelete | None:
        try:
            answer = await info.context.shop.stored_methods.request_delete(info.context.requester, id, channel)
        except ShopError as error:
            return StoredPaymentMethodRequestDelete(
                result=StoredPaymentMethodRequestDeleteResult.FAILED_TO_DELIVER,
                errors=error_list(PaymentMethodRequestDeleteError, StoredPaymentMethodRequestDeleteErrorCode, error),
            )
        errors = []
        if answer.result != "SUCCESSFULLY_DELETED":
            errors = error_list(
                PaymentMethodRequestDeleteError,
                StoredPaymentMethodRequestDeleteErrorCode,
                _gateway_error(answer.error),
            )
        return StoredPaymentMethodRequestDelete(
            result=StoredPaymentMethodRequestDeleteResult[answer.result], errors=errors
        )

    @strawberry.mutation
    async def payment_gateway_initialize_tokenization(
        self, info: Info, id: str, channel: str, data: JSON | None = None
    ) -> PaymentGatewayInitializeTokenization | None:
        code = PaymentGatewayInitializeTokenizationErrorCode
        try:
            answer = await info.context.shop.stored_methods.initialize_gateway(
                info.context.requester, id, channel, data
            )
        except ShopError as error:
            return PaymentGatewayInitializeTokenization(
                result=PaymentGatewayInitializeTokenizationResult.FAILED_TO_DELIVER,
                errors=error_list(PaymentGatewayInitializeTokenizationError, code, error),
            )
        errors = []
        if answer.result != "SUCCESSFULLY_INITIALIZED":
            errors = error_list(PaymentGatewayInitializeTokenizationError, code, _gateway_error(answer.error))
        return PaymentGatewayInitializeTokenization(
            result=PaymentGatewayInitializeTokenizationResult[answer.result], data=answer.data, errors=errors
        )

    @strawberry.mutation
    async def payment_method_initialize_tokenization(
        self,
        info: Info,
        id: str,
        channel: str,
        payment_flow_to_support: TokenizedPaymentFlowEnum,
        data: JSON | None = None,
    ) -> PaymentMethodInitializeTokenization | None:
        code = PaymentMethodInitializeTokenizationErrorCode
        try:
            outcome = await info.context.shop.stored_methods.initialize_method(
                info.context.requester, id, channel, payment_flow_to_support.value, data
            )
        except ShopError as error:
            return PaymentMethodInitializeTokenization(
                result=PaymentMethodTokenizationResult.FAILED_TO_DELIVER,
                errors=error_list(PaymentMethodInitializeTokenizationError, code, error),
            )
        return PaymentMethodInitializeTokenization(
            result=PaymentMethodTokenizationResult[outcome.answer.result],
            id=outcome.public_id,
            data=outcome.answer.data,
            errors=_tokenization_errors(outcome, PaymentMethodInitializeTokenizationError, code),
        )

    @strawberry.mutation
    async def payment_method_process_tokenization(
        self, info: Info, id: str, channel: str, data: JSON | None = None
    ) -> PaymentMethodProcessTokenization | None:
        code = PaymentMethodProcessTokenizationErrorCode
        try:
            outcome = await info.context.shop.stored_methods.process_method(info.context.requester, id, channel, data)
        except ShopError as error:
            return PaymentMethodProcessTokenization(
                result=PaymentMethodTokenizationResult.FAILED_TO_DELIVER,
                errors=error_list(PaymentMethodProcessTokenizationError, code, error),
            )
        return PaymentMethodProcessTokenization(
            result=PaymentMethodTokenizationResult[outcome.answer.result],
            id=outcome.public_id,
            data=outcome.answer.data,
            errors=_tokenization_errors(outcome, PaymentMethodProcessTokenizationError, code),
        )


_E = TypeVar("_E")


def _tokenization_errors(outcome: TokenizationOutcome, error_type: type[_E], code: type[Enum]) -> list[_E]:
    if outcome.answer.result in _FINE_TOKENIZATION:
        return []
    return error_list(error_type, code, _gateway_error(outcome.answer.error))

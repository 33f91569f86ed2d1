"""paymentGatewayInitialize, transactionInitialize, transactionProcess, transactionRequestAction,
transactionEventReport."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from ...context import Info
from ...domain.records import TransactionAction, TransactionEventType, TransactionFlowStrategy
from ...errors import ShopError
from ...services.transactions import EventReport
from ..enums import TransactionActionEnum, TransactionEventTypeEnum, TransactionFlowStrategyEnum
from ..errors import (
    PaymentGatewayConfigError,
    PaymentGatewayConfigErrorCode,
    PaymentGatewayInitializeError,
    PaymentGatewayInitializeErrorCode,
    TransactionEventReportError,
    TransactionEventReportErrorCode,
    TransactionInitializeError,
    TransactionInitializeErrorCode,
    TransactionProcessError,
    TransactionProcessErrorCode,
    TransactionRequestActionError,
    TransactionRequestActionErrorCode,
    error_list,
)
from ..inputs import (
    MetadataInput,
    PaymentGatewayToInitialize,
    PaymentMethodDetailsInput,
    payment_method_details_record,
)
from ..nodes import TransactionEvent, TransactionItem
from ..scalars import JSON, PositiveDecimal


@strawberry.type(name="PaymentGatewayConfig")
class PaymentGatewayConfig:
    id: str
    data: JSON | None
    errors: list[PaymentGatewayConfigError] | None


@strawberry.type(name="PaymentGatewayInitialize")
class PaymentGatewayInitialize:
    gateway_configs: list[PaymentGatewayConfig] | None = None
    errors: list[PaymentGatewayInitializeError] = strawberry.field(default_factory=list)


@strawberry.type(name="TransactionInitialize")
class TransactionInitialize:
    transaction: TransactionItem | None = None
    transaction_event: TransactionEvent | None = None
    data: JSON | None = None
    errors: list[TransactionInitializeError] = strawberry.field(default_factory=list)


@strawberry.type(name="TransactionProcess")
class TransactionProcess:
    transaction: TransactionItem | None = None
    transaction_event: TransactionEvent | None = None
    data: JSON | None = None
    errors: list[TransactionProcessError] = strawberry.field(default_factory=list)


@strawberry.type(name="TransactionRequestAction")
class TransactionRequestAction:
    transaction: TransactionItem | None = None
    errors: list[TransactionRequestActionError] = strawberry.field(default_factory=list)


@strawberry.type(name="TransactionEventReport")
class TransactionEventReport:
    already_processed: bool | None = None
    transaction: TransactionItem | None = None
    transaction_event: TransactionEvent | None = None
    errors: list[TransactionEventReportError] = strawberry.field(default_factory=list)


def _customer_ip(info: Info, given: str | None) -> str | None:
    # only a payment app may state the shopper's IP; otherwise it is the caller's address
    if (
        given is not None
        and info.context.requester.app is not None
        and info.context.requester.has_any("HANDLE_PAYMENTS")
    ):
        return given
    return info.context.client_ip


@strawberry.type
class PaymentMutations:
    @strawberry.mutation
    async def payment_gateway_initialize(
        self,
        info: Info,
        id: strawberry.ID,
        amount: PositiveDecimal | None = None,
        payment_gateways: list[PaymentGatewayToInitialize] | None = None,
    ) -> PaymentGatewayInitialize | None:
        gateways = None if payment_gateways is None else [(g.id, g.data) for g in payment_gateways]
        try:
            configs = await info.context.shop.sessions.initialize_gateways(info.context.requester, id, gateways, amount)
        except ShopError as error:
            return PaymentGatewayInitialize(
                errors=error_list(PaymentGatewayInitializeError, PaymentGatewayInitializeErrorCode, error)
            )
        result = []
        for config in configs:
            errors = []
            if config.error_code is not None:
                failure = ShopError(config.error_code, config.error_message or "", "id")
                errors = error_list(PaymentGatewayConfigError, PaymentGatewayConfigErrorCode, failure)
            result.append(PaymentGatewayConfig(id=config.identifier, data=config.data, errors=errors))
        return PaymentGatewayInitialize(gateway_configs=result)

    @strawberry.mutation
    async def transaction_initialize(
        self,
        info: Info,
        id: strawberry.ID,
        payment_gateway: PaymentGatewayToInitialize,
        action: TransactionFlowStrategyEnum | None = None,
        amount: PositiveDecimal | None = None,
        customer_ip_address: str | None = None,
        idempotency_key: str | None = None,
    ) -> TransactionInitialize | None:
        try:
            outcome = await info.context.shop.sessions.initialize_transaction(
                info.context.requester,
                source_id=id,
                gateway_id=payment_gateway.id,
                gateway_data=payment_gateway.data,
                amount=amount,
                action=TransactionFlowStrategy(action.value) if action is not None else None,
                idempotency_key=idempotency_key,
                customer_ip_address=_customer_ip(info, customer_ip_address),
            )
        except ShopError as error:
            return TransactionInitialize(
                errors=error_list(TransactionInitializeError, TransactionInitializeErrorCode, error)
            )
        return TransactionInitialize(
            transaction=TransactionItem(record=outcome.transaction),
            transaction_event=TransactionEvent(record=outcome.event),
            data=outcome.data,
        )

    @strawberry.mutation
    async def transaction_process(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
        data: JSON | None = None,
        customer_ip_address: str | None = None,
    ) -> TransactionProcess | None:
        try:
            outcome = await info.context.shop.sessions.process_transaction(
                info.context.requester,
                transaction_id=id,
                token=token,
                data=data,
                customer_ip_address=_customer_ip(info, customer_ip_address),
            )
        except ShopError as error:
            return TransactionProcess(errors=error_list(TransactionProcessError, TransactionProcessErrorCode, error))
        return TransactionProcess(
            transaction=TransactionItem(record=outcome.transaction),
            transaction_event=TransactionEvent(record=outcome.event),
            data=outcome.data,
        )

    @strawberry.mutation
    async def transaction_request_action(
        self,
        info: Info,
        action_type: TransactionActionEnum,
        id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
        amount: PositiveDecimal | None = None,
        refund_reason: str | None = None,
        refund_reason_reference: strawberry.ID | None = None,
    ) -> TransactionRequestAction | None:
        try:
            transaction = await info.context.shop.transactions.request_action(
                info.context.requester,
                transaction_id=id,
                token=token,
                action=TransactionAction(action_type.value),
                amount=amount,
                refund_reason=refund_reason,
            )
        except ShopError as error:
            return TransactionRequestAction(
                errors=error_list(TransactionRequestActionError, TransactionRequestActionErrorCode, error)
            )
        return TransactionRequestAction(transaction=TransactionItem(record=transaction))

    @strawberry.mutation
    async def transaction_event_report(
        self,
        info: Info,
        psp_reference: str,
        type: TransactionEventTypeEnum,
        id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
        amount: PositiveDecimal | None = None,
        time: datetime | None = None,
        external_url: str | None = None,
        message: str | None = None,
        available_actions: list[TransactionActionEnum] | None = None,
        transaction_metadata: list[MetadataInput] | None = None,
        transaction_private_metadata: list[MetadataInput] | None = None,
        payment_method_details: PaymentMethodDetailsInput | None = None,
    ) -> TransactionEventReport | None:
        try:
            report = EventReport(
                psp_reference=psp_reference,
                type=TransactionEventType(type.value),
                amount=amount,
                available_actions=None
                if available_actions is None
                else [TransactionAction(a.value) for a in available_actions],
                message=message,
                time=time,
                external_url=external_url,
                payment_method_details=payment_method_details_record(payment_method_details)
                if payment_method_details is not None
                else None,
            )
            outcome = await info.context.shop.transactions.report_event(info.context.requester, id, token, report)
        except ShopError as error:
            return TransactionEventReport(
                errors=error_list(TransactionEventReportError, TransactionEventReportErrorCode, error)
            )
        record = outcome.transaction
        if transaction_metadata:
            record.metadata.update({m.key: m.value for m in transaction_metadata})
        if transaction_private_metadata:
            record.private_metadata.update({m.key: m.value for m in transaction_private_metadata})
        return TransactionEventReport(
            already_processed=outcome.already_processed,
            transaction=TransactionItem(record=record),
            transaction_event=TransactionEvent(record=outcome.event),
        )

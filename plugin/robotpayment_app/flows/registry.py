"""Which use case answers which Saleor event. The web layer mounts one route per manifest webhook and looks
its handler up here, so an event without a use case is caught by a test, not by Saleor."""

from __future__ import annotations

from collections.abc import Mapping

from robotpayment_app.flows import (
    app_deleted,
    cancel,
    capture,
    customer_sync,
    gateway_initialize,
    refund,
    stored_method_delete,
    stored_methods_list,
    tokenization_gateway_initialize,
    tokenization_initialize,
    tokenization_process,
    transaction_initialize,
    transaction_process,
)
from robotpayment_app.flows.context import EventHandler
from robotpayment_app.saleor.webhooks import SaleorEvent

HANDLERS: Mapping[SaleorEvent, EventHandler] = {
    SaleorEvent.APP_DELETED: app_deleted.forget_installation,
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION: gateway_initialize.initialize_gateway,
    SaleorEvent.TRANSACTION_INITIALIZE_SESSION: transaction_initialize.initialize_transaction,
    SaleorEvent.TRANSACTION_PROCESS_SESSION: transaction_process.process_transaction,
    SaleorEvent.TRANSACTION_CHARGE_REQUESTED: capture.capture_payment,
    SaleorEvent.TRANSACTION_CANCELATION_REQUESTED: cancel.cancel_payment,
    SaleorEvent.TRANSACTION_REFUND_REQUESTED: refund.refund_payment,
    SaleorEvent.LIST_STORED_PAYMENT_METHODS: stored_methods_list.list_stored_payment_methods,
    SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED: stored_method_delete.delete_stored_payment_method,
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION: (
        tokenization_gateway_initialize.initialize_tokenization_gateway
    ),
    SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION: tokenization_initialize.initialize_tokenization,
    SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION: tokenization_process.process_tokenization,
    SaleorEvent.CUSTOMER_UPDATED: customer_sync.sync_updated_customer,
    SaleorEvent.CUSTOMER_DELETED: customer_sync.purge_deleted_customer,
}

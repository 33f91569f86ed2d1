"""The one table of Saleor events this app subscribes to: event, sync/async, subscription document, route.

The manifest lists them and the web layer mounts one route per entry, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

WEBHOOK_PATH_PREFIX = "/api/webhooks/"


class SaleorEvent(StrEnum):
    PAYMENT_GATEWAY_INITIALIZE_SESSION = "PAYMENT_GATEWAY_INITIALIZE_SESSION"
    TRANSACTION_INITIALIZE_SESSION = "TRANSACTION_INITIALIZE_SESSION"
    TRANSACTION_PROCESS_SESSION = "TRANSACTION_PROCESS_SESSION"
    TRANSACTION_CHARGE_REQUESTED = "TRANSACTION_CHARGE_REQUESTED"
    TRANSACTION_CANCELATION_REQUESTED = "TRANSACTION_CANCELATION_REQUESTED"
    TRANSACTION_REFUND_REQUESTED = "TRANSACTION_REFUND_REQUESTED"
    LIST_STORED_PAYMENT_METHODS = "LIST_STORED_PAYMENT_METHODS"
    STORED_PAYMENT_METHOD_DELETE_REQUESTED = "STORED_PAYMENT_METHOD_DELETE_REQUESTED"
    PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION = "PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION"
    PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION = "PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION"
    PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION = "PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION"
    CUSTOMER_UPDATED = "CUSTOMER_UPDATED"
    CUSTOMER_DELETED = "CUSTOMER_DELETED"
    APP_DELETED = "APP_DELETED"

    @property
    def typename(self) -> str:
        """The GraphQL type of this event's payload (`APP_DELETED` -> `AppDeleted`).

        Every subscription document selects `__typename`, and the signature covers it: a genuine body of one event
        cannot be replayed to another event's route (Saleor signs the body, not the event header or the URL).
        """
        return "".join(part.capitalize() for part in self.value.split("_"))

    @property
    def header_value(self) -> str:
        """The `Saleor-Event` header Saleor sends with this event (lower case)."""
        return self.value.lower()


@dataclass(frozen=True)
class WebhookDefinition:
    event: SaleorEvent
    is_sync: bool
    document: str  # relative to graphql/

    @property
    def path(self) -> str:
        """The exact route (no trailing slash: Saleor does not follow redirects)."""
        return WEBHOOK_PATH_PREFIX + self.event.header_value

    @property
    def name(self) -> str:
        return self.event.header_value.replace("_", "-")


def _subscription(event: SaleorEvent, *, is_sync: bool) -> WebhookDefinition:
    return WebhookDefinition(event, is_sync, f"subscriptions/{event.header_value}.graphql")


WEBHOOKS: tuple[WebhookDefinition, ...] = (
    _subscription(SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION, is_sync=True),
    _subscription(SaleorEvent.TRANSACTION_INITIALIZE_SESSION, is_sync=True),
    _subscription(SaleorEvent.TRANSACTION_PROCESS_SESSION, is_sync=True),
    _subscription(SaleorEvent.TRANSACTION_CHARGE_REQUESTED, is_sync=True),
    _subscription(SaleorEvent.TRANSACTION_CANCELATION_REQUESTED, is_sync=True),
    _subscription(SaleorEvent.TRANSACTION_REFUND_REQUESTED, is_sync=True),
    _subscription(SaleorEvent.LIST_STORED_PAYMENT_METHODS, is_sync=True),
    _subscription(SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED, is_sync=True),
    _subscription(SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION, is_sync=True),
    _subscription(SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION, is_sync=True),
    _subscription(SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION, is_sync=True),
    _subscription(SaleorEvent.CUSTOMER_UPDATED, is_sync=False),
    _subscription(SaleorEvent.CUSTOMER_DELETED, is_sync=False),
    _subscription(SaleorEvent.APP_DELETED, is_sync=False),
)


def webhook_for_event_header(header_value: str) -> WebhookDefinition | None:
    """The definition whose `Saleor-Event` header is `header_value` (case-insensitive), if any."""
    wanted = header_value.strip().lower()
    return next((hook for hook in WEBHOOKS if hook.event.header_value == wanted), None)

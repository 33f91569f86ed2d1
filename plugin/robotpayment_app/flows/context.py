"""What every use case receives: its collaborators and the verified installation the event came from.

Flows depend on this protocol, not on the web layer; the web layer's `AppServices` satisfies it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from robotpayment_app.gateway import RobotPaymentClient
from robotpayment_app.saleor.graphql_client import SaleorGraphQLClient
from robotpayment_app.store.records import Installation
from robotpayment_app.store.repositories import Store


@dataclass(frozen=True)
class SettlementPolicy:
    """How the app treats outcomes the gateway's answers left open (settings `NOTIFICATION_HOLD_SECONDS`,
    `UNRESOLVED_ALERT_MINUTES`)."""

    # a notification that may settle a payment waits this long for a contradicting one before it does
    notification_hold: timedelta = timedelta(seconds=60)
    # a payment still without an outcome after this long is logged once and counted for a person
    alert_after: timedelta = timedelta(minutes=15)


class Dependencies(Protocol):
    @property
    def store(self) -> Store: ...

    @property
    def settlement_policy(self) -> SettlementPolicy: ...

    def clock(self) -> datetime: ...

    def gateway(self, base_url: str) -> RobotPaymentClient: ...

    def saleor(self, installation: Installation) -> SaleorGraphQLClient: ...


@dataclass(frozen=True)
class WebhookContext:
    deps: Dependencies
    installation: Installation
    request_id: str


JsonObject = Mapping[str, Any]

EventHandler = Callable[[WebhookContext, JsonObject], Awaitable[JsonObject]]
"""A use case for one Saleor event: the verified payload in, Saleor's answer (a JSON object) out."""

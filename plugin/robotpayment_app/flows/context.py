"""What every use case receives: its collaborators and the verified installation the event came from.

Flows depend on this protocol, not on the web layer; the web layer's `AppServices` satisfies it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from robotpayment_app.gateway import RobotPaymentClient
from robotpayment_app.saleor.graphql_client import SaleorGraphQLClient
from robotpayment_app.store.records import Installation
from robotpayment_app.store.repositories import Store


class Dependencies(Protocol):
    @property
    def store(self) -> Store: ...

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

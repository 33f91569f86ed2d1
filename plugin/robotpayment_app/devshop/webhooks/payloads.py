"""Webhook bodies: the app's subscription document executed against the devshop's schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from inspect import isawaitable
from typing import Any

from graphql import GraphQLSchema
from graphql.execution import ExecutionResult, Executor, execute_subscription_event

from ..domain.records import AppWebhook, InstalledApp
from .events import ShopEvent


class PayloadError(Exception):
    """The subscription document could not be executed (it was validated at install time)."""


class PayloadBuilder:
    """Runs `subscription { event { ... } }` with the event as root, as the recipient app.

    `event_root` maps a ShopEvent to its GraphQL object; `context_for` builds the resolver
    context in which the recipient app is the requester (so permissions apply as on Saleor).
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        event_root: Callable[[ShopEvent, InstalledApp], object],
        context_for: Callable[[InstalledApp], object],
    ) -> None:
        self._schema = schema
        self._event_root = event_root
        self._context_for = context_for

    async def build(self, app: InstalledApp, webhook: AppWebhook, event: ShopEvent) -> bytes:
        executor = Executor.build(self._schema, webhook.document, context_value=self._context_for(app))
        if isinstance(executor, list):
            raise PayloadError("; ".join(error.message for error in executor))
        result = execute_subscription_event(executor.build_per_event_executor(self._event_root(event, app)))
        if isawaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        data = result.data or {}
        payload: dict[str, Any] = data.get("event") or {}
        if result.errors:
            # Saleor appends execution errors to the payload (without server details)
            payload["errors"] = [{"message": e.message, "path": e.path} for e in result.errors]
        # Python's json.dumps defaults, as Saleor: ", "/": " separators, non-ASCII as \uXXXX
        return json.dumps(payload).encode()

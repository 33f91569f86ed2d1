"""Stored payment methods: listing (with Saleor's 5-minute answer cache), deletion, tokenization."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..answers import (
    DeleteAnswer,
    GatewayTokenizationAnswer,
    StoredMethod,
    TokenizationAnswer,
    parse_delete_answer,
    parse_gateway_tokenization_answer,
    parse_stored_methods_answer,
    parse_tokenization_answer,
)
from ..config import DevshopConfig
from ..context import Requester
from ..domain.records import Channel, Principal, User
from ..domain.store import ShopStore
from ..errors import ShopError
from ..ids import from_stored_method_id, to_stored_method_id
from ..webhooks.dispatcher import Subscriber, WebhookDispatcher
from ..webhooks.events import (
    ListStoredPaymentMethods,
    PaymentGatewayInitializeTokenizationSession,
    PaymentMethodInitializeTokenizationSession,
    PaymentMethodProcessTokenizationSession,
    StoredPaymentMethodDeleteRequested,
)


@dataclass(frozen=True)
class ListedMethod:
    """One app's stored method as the storefront sees it (`app:<identifier>:<id>`)."""

    app_identifier: str
    app_name: str
    currency: str
    method: StoredMethod

    @property
    def public_id(self) -> str:
        return to_stored_method_id(self.app_identifier, self.method.id)


@dataclass(frozen=True)
class TokenizationOutcome:
    answer: TokenizationAnswer
    app_identifier: str | None

    @property
    def public_id(self) -> str | None:
        if self.answer.bare_id is None or self.app_identifier is None:
            return None
        return to_stored_method_id(self.app_identifier, self.answer.bare_id)


_CacheKey = tuple[int, int, str]


class StoredMethodsService:
    def __init__(
        self,
        store: ShopStore,
        webhooks: WebhookDispatcher,
        config: DevshopConfig,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._webhooks = webhooks
        self._ttl = config.stored_methods_cache_ttl_seconds
        self._clock = clock
        self._cache: dict[_CacheKey, tuple[float, list[StoredMethod]]] = {}

    def invalidate(self, app_identifier: str, user_pk: int, channel_slug: str) -> None:
        app = self._store.app_by_identifier(app_identifier)
        if app is not None:
            self._cache.pop((app.pk, user_pk, channel_slug), None)

    def _channel(self, slug: str) -> Channel:
        channel = self._store.channels.get(slug)
        if channel is None:
            raise ShopError("NOT_FOUND", f"Channel with '{slug}' slug does not exist.", "channel")
        if not channel.is_active:
            raise ShopError("CHANNEL_INACTIVE", f"Channel with '{slug}' slug is not active.", "channel")
        return channel

    async def list_methods(self, user: User, channel_slug: str, requester: Requester) -> list[ListedMethod]:
        # only the shopper sees their own stored methods; nobody else triggers the webhook
        if requester.app is not None or requester.user is None or requester.user.pk != user.pk:
            return []
        channel = self._store.channels.get(channel_slug)
        if channel is None:
            return []
        listed: list[ListedMethod] = []
        for subscriber in self._webhooks.subscribers(ListStoredPaymentMethods.event_type):
            methods = await self._methods_of(subscriber, user, channel)
            listed.extend(
                ListedMethod(subscriber.app.identifier, subscriber.app.name, channel.currency_code, m) for m in methods
            )
        return listed

    async def _methods_of(self, subscriber: Subscriber, user: User, channel: Channel) -> list[StoredMethod]:
        # only the shopper themself gets here (list_methods), so they are the issuing principal
        key = (subscriber.app.pk, user.pk, channel.slug)
        cached = self._cache.get(key)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        event = ListStoredPaymentMethods(user=user, channel=channel, issuing_principal=Principal("user", user.pk))
        delivery = await self._webhooks.call(subscriber, event)
        parsed = parse_stored_methods_answer(delivery.answer) if delivery.succeeded else []
        methods = parsed if isinstance(parsed, list) else []
        if self._ttl > 0 and delivery.succeeded:
            self._cache[key] = (self._clock() + self._ttl, methods)
        return methods

    def _payment_app(self, identifier: str, event_type: str) -> Subscriber:
        app = self._store.app_by_identifier(identifier)
        subscriber = self._webhooks.subscriber(app, event_type) if app is not None else None
        if subscriber is None:
            raise ShopError("NOT_FOUND", "No active payment app to handle requested action.", "id")
        return subscriber

    async def request_delete(self, requester: Requester, public_id: str, channel_slug: str) -> DeleteAnswer:
        user = requester.user
        if user is None or requester.app is not None:
            raise ShopError("INVALID", "You need to be authenticated user to delete a payment method.")
        channel = self._channel(channel_slug)
        parsed = from_stored_method_id(public_id)
        if parsed is None:
            raise ShopError("INVALID", f"Invalid payment method id: {public_id!r}.", "id")
        identifier, bare_id = parsed
        subscriber = self._payment_app(identifier, StoredPaymentMethodDeleteRequested.event_type)
        event = StoredPaymentMethodDeleteRequested(
            user=user, channel=channel, payment_method_id=bare_id, issuing_principal=requester.principal
        )
        delivery = await self._webhooks.call(subscriber, event)
        answer = parse_delete_answer(delivery.answer if delivery.succeeded else None)
        if answer.result == "SUCCESSFULLY_DELETED":
            self.invalidate(identifier, user.pk, channel.slug)
        return answer

    async def initialize_gateway(
        self, requester: Requester, identifier: str, channel_slug: str, data: Any
    ) -> GatewayTokenizationAnswer:
        user = requester.require_user()
        channel = self._channel(channel_slug)
        subscriber = self._payment_app(identifier, PaymentGatewayInitializeTokenizationSession.event_type)
        event = PaymentGatewayInitializeTokenizationSession(
            user=user, channel=channel, data=data, issuing_principal=requester.principal
        )
        delivery = await self._webhooks.call(subscriber, event)
        return parse_gateway_tokenization_answer(delivery.answer if delivery.succeeded else None)

    async def initialize_method(
        self, requester: Requester, identifier: str, channel_slug: str, flow: str, data: Any
    ) -> TokenizationOutcome:
        user = requester.require_user()
        channel = self._channel(channel_slug)
        subscriber = self._payment_app(identifier, PaymentMethodInitializeTokenizationSession.event_type)
        event = PaymentMethodInitializeTokenizationSession(
            user=user,
            channel=channel,
            data=data,
            payment_flow_to_support=flow,
            issuing_principal=requester.principal,
        )
        return await self._tokenize(subscriber, event, user, channel)

    async def process_method(
        self, requester: Requester, public_id: str, channel_slug: str, data: Any
    ) -> TokenizationOutcome:
        user = requester.require_user()
        channel = self._channel(channel_slug)
        parsed = from_stored_method_id(public_id)
        if parsed is None:
            raise ShopError("INVALID", f"Invalid payment method id: {public_id!r}.", "id")
        identifier, bare_id = parsed
        subscriber = self._payment_app(identifier, PaymentMethodProcessTokenizationSession.event_type)
        event = PaymentMethodProcessTokenizationSession(
            user=user, channel=channel, data=data, id=bare_id, issuing_principal=requester.principal
        )
        return await self._tokenize(subscriber, event, user, channel)

    async def _tokenize(
        self,
        subscriber: Subscriber,
        event: PaymentMethodInitializeTokenizationSession | PaymentMethodProcessTokenizationSession,
        user: User,
        channel: Channel,
    ) -> TokenizationOutcome:
        delivery = await self._webhooks.call(subscriber, event)
        answer = parse_tokenization_answer(delivery.answer if delivery.succeeded else None)
        if answer.result in ("SUCCESSFULLY_TOKENIZED", "PENDING"):
            self.invalidate(subscriber.app.identifier, user.pk, channel.slug)
        return TokenizationOutcome(answer, subscriber.app.identifier)

"""Which app gets which event, and how: sync calls inline, async ones in the background."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import httpx

from ..config import DevshopConfig
from ..domain.records import AppWebhook, InstalledApp
from ..domain.store import ShopStore
from .events import REQUIRED_PERMISSION, ShopEvent
from .payloads import PayloadBuilder
from .transport import Delivery, WebhookTransport

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Subscriber:
    app: InstalledApp
    webhook: AppWebhook


class WebhookDispatcher:
    def __init__(
        self, store: ShopStore, payloads: PayloadBuilder, transport: WebhookTransport, config: DevshopConfig
    ) -> None:
        self._store = store
        self._payloads = payloads
        self._transport = transport
        self._config = config
        self._background: set[asyncio.Task[None]] = set()
        # every attempt, newest last; for the demo's log and for tests ("no webhook was sent")
        self.deliveries: list[Delivery] = []

    def subscriber(self, app: InstalledApp, event_type: str) -> Subscriber | None:
        """The app's active webhook for the event, if the app may receive it."""
        if not app.is_active or REQUIRED_PERMISSION[event_type] not in app.permissions:
            return None
        for webhook in app.webhooks:
            if webhook.is_active and event_type in webhook.sync_events | webhook.async_events:
                return Subscriber(app, webhook)
        return None

    def subscribers(self, event_type: str) -> list[Subscriber]:
        found = (self.subscriber(app, event_type) for app in self._store.apps.values())
        return [s for s in found if s is not None]

    def _sync_timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self._config.sync_read_timeout_seconds, connect=self._config.sync_connect_timeout_seconds)

    async def _send(self, subscriber: Subscriber, event_type: str, body: bytes, limits: httpx.Timeout) -> Delivery:
        delivery = await self._transport.post(event_type, subscriber.webhook.target_url, body, limits)
        self.deliveries.append(delivery)
        return delivery

    async def call(self, subscriber: Subscriber, event: ShopEvent) -> Delivery:
        """A sync webhook: one attempt, 2 s to connect and 18 s to answer (Saleor's limits)."""
        body = await self._payloads.build(subscriber.app, subscriber.webhook, event)
        return await self._send(subscriber, event.event_type, body, self._sync_timeout())

    async def call_with_retries(self, subscriber: Subscriber, event: ShopEvent) -> Delivery:
        """charge/refund/cancel requests: re-sent (same body) while the app answers 5xx."""
        body = await self._payloads.build(subscriber.app, subscriber.webhook, event)
        delivery = await self._send(subscriber, event.event_type, body, self._sync_timeout())
        for _ in range(self._config.action_retry_count):
            if delivery.status_code is None or delivery.status_code < 500:
                break
            await asyncio.sleep(self._config.action_retry_delay_seconds)
            delivery = await self._send(subscriber, event.event_type, body, self._sync_timeout())
        return delivery

    async def publish(self, event: ShopEvent) -> None:
        """An async event: payloads are built now (the data may be gone later), sent in the background."""
        limits = httpx.Timeout(self._config.async_timeout_seconds)
        for subscriber in self.subscribers(event.event_type):
            body = await self._payloads.build(subscriber.app, subscriber.webhook, event)
            task = asyncio.create_task(self._send_quietly(subscriber, event.event_type, body, limits))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _send_quietly(self, subscriber: Subscriber, event_type: str, body: bytes, limits: httpx.Timeout) -> None:
        delivery = await self._send(subscriber, event_type, body, limits)
        if not delivery.succeeded:
            logger.warning(
                "async webhook %s to app %s failed: %s", event_type, subscriber.app.identifier, delivery.error
            )

    async def drain(self) -> None:
        """Wait until every async delivery started so far has finished."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

"""Result notifications (kickbacks): an HTTP GET to the store's URL, retried until it is answered.

A delivery counts as done when the receiver answers 2xx with a non-empty body (the spec asks the
receiver to output something; the vendor's own module answers `ok`). Otherwise it is retried after
backoff, backoff*2, backoff*4 ... up to the configured number of attempts [inferred: the real
schedule is not documented]. Deliveries run as background tasks and never hold up an answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from itertools import count

import httpx

ClientFactory = Callable[[], httpx.AsyncClient]


class DeliveryState(Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    at: float
    status: int | None  # None: no HTTP answer
    body_bytes: int
    error: str


@dataclass(slots=True)
class KickbackDelivery:
    delivery_id: int
    gid: int
    url: str = field(repr=False)  # carries the user key for bulk registrations
    state: DeliveryState = DeliveryState.PENDING
    attempts: list[DeliveryAttempt] = field(default_factory=list)


class KickbackSender:
    def __init__(
        self,
        *,
        attempts: int,
        backoff_seconds: float,
        timeout_seconds: float,
        clock: Callable[[], float],
        client_factory: ClientFactory | None = None,
    ) -> None:
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._timeout = timeout_seconds
        self._clock = clock
        self._client_factory = client_factory or self._default_client
        self._ids = count(1)
        self._tasks: set[asyncio.Task[None]] = set()
        self.deliveries: list[KickbackDelivery] = []

    def _default_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=self._timeout, follow_redirects=False)

    def schedule(self, gid: int, url: str) -> KickbackDelivery:
        delivery = KickbackDelivery(delivery_id=next(self._ids), gid=gid, url=url)
        self.deliveries.append(delivery)
        task = asyncio.get_running_loop().create_task(self._deliver(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return delivery

    async def _deliver(self, delivery: KickbackDelivery) -> None:
        async with self._client_factory() as client:
            for attempt in range(self._attempts):
                if attempt:
                    await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
                if await self._attempt(client, delivery):
                    delivery.state = DeliveryState.DELIVERED
                    return
        delivery.state = DeliveryState.FAILED

    async def _attempt(self, client: httpx.AsyncClient, delivery: KickbackDelivery) -> bool:
        at = self._clock()
        try:
            response = await client.get(delivery.url)
        except httpx.HTTPError as failure:
            delivery.attempts.append(DeliveryAttempt(at=at, status=None, body_bytes=0, error=type(failure).__name__))
            return False
        body_bytes = len(response.content)
        delivered = response.is_success and body_bytes > 0
        status = response.status_code
        problem = "" if delivered else ("empty body" if response.is_success else f"HTTP {status}")
        delivery.attempts.append(DeliveryAttempt(at=at, status=status, body_bytes=body_bytes, error=problem))
        return delivered

    async def wait_idle(self) -> None:
        """Wait until every scheduled delivery has been delivered or given up (for tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def aclose(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def clear(self) -> None:
        self.deliveries.clear()

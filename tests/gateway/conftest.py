"""Fixtures for the gateway layer: a scripted gateway behind `httpx.MockTransport` and a client over it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import httpx
import pytest

from robotpayment_app.gateway import GatewayTimeouts, ReadRetryPolicy, RobotPaymentClient

from .samples import BASE_URL

Reply = bytes | str | httpx.Response | Exception | Callable[[httpx.Request], Awaitable[httpx.Response]]


@dataclass
class ScriptedGateway:
    """Answers requests from a script, one reply per request (the last reply repeats), and records them."""

    replies: list[Reply] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)

    def reply(self, *replies: Reply) -> None:
        self.replies = list(replies)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        if isinstance(reply, bytes | str):
            return httpx.Response(200, content=reply.encode() if isinstance(reply, str) else reply)
        return await reply(request)

    def sent(self, index: int = -1) -> list[tuple[str, str]]:
        """The form parameters of a recorded request, in order."""
        return parse_qsl(self.requests[index].content.decode("ascii"), keep_blank_values=True)

    def path(self, index: int = -1) -> str:
        return self.requests[index].url.path


@dataclass
class SleepRecorder:
    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@pytest.fixture
def gateway() -> ScriptedGateway:
    return ScriptedGateway()


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def http(gateway: ScriptedGateway) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(gateway.handle)) as client:
        yield client


@pytest.fixture
def client(http: httpx.AsyncClient, sleeps: SleepRecorder) -> RobotPaymentClient:
    return RobotPaymentClient(
        http,
        base_url=BASE_URL,
        timeouts=GatewayTimeouts(total=5.0),
        read_retry=ReadRetryPolicy(attempts=3, first_delay=0.2, max_delay=0.3),
        sleep=sleeps,
    )

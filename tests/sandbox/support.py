"""Helpers for the sandbox tests: a running sandbox bundled with a client, a hand-moved clock, configs."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass

import httpx

from robotpayment_app.sandbox.config import SandboxConfig
from robotpayment_app.sandbox.gateway import SandboxGateway
from robotpayment_app.sandbox.shopper import SandboxShopper
from robotpayment_app.sandbox.state import PaymentState

VISA = "4444333322221111"
AID = "000000"
FAR_EXPIRY = "3012"  # December 2030


class ManualClock:
    """A clock the test moves by hand (2026-11-27 10:00 JST at start)."""

    def __init__(self, now: float = 1_795_741_200.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def fast_config(**changes: object) -> SandboxConfig:
    """Defaults with timings small enough for tests."""
    base = SandboxConfig(
        slow_delay_seconds=1.0,
        kickback_attempts=3,
        kickback_backoff_seconds=0.01,
        kickback_timeout_seconds=2.0,
    )
    return base.model_copy(update=changes)


@dataclass
class Sandbox:
    """A running sandbox: its base URL, the in-process gateway object, an HTTP client and a shopper."""

    base: str
    gateway: SandboxGateway
    http: httpx.AsyncClient
    shopper: SandboxShopper
    clock: ManualClock

    def url(self, page: str) -> str:
        return f"{self.base}/gateway/{page}"

    async def post(self, page: str, **fields: str | int) -> str:
        response = await self.http.post(self.url(page), data={k: str(v) for k, v in fields.items()})
        assert response.status_code == 200
        return response.text

    async def get(self, page: str, **fields: str | int) -> str:
        response = await self.http.get(self.url(page), params={k: str(v) for k, v in fields.items()})
        assert response.status_code == 200
        return response.text

    async def register_user(self, uid: str, em: str = "taro@example.com", aid: str = AID) -> str:
        """carduser.aspx cmd 0; answers the issued key."""
        line = await self.post("carduser.aspx", aid=aid, cmd=0, uid=uid, em=em)
        rst, ec, answered_uid, key = line.split(",")
        assert (rst, ec, answered_uid) == ("1", "", uid)
        return key

    async def token(self, card: str = VISA, *, auth: dict[str, str | int] | None = None, aid: str = AID) -> str:
        """A token for `card`, authenticated with `auth` (aid added) unless auth is None."""
        token = await self.shopper.create_token(aid, card, FAR_EXPIRY, "TARO", "YAMADA")
        if auth is not None:
            assert await self.shopper.authenticate({"aid": aid, **auth}, token) == "Success"
        return token

    def payment_state(self, line: str) -> PaymentState:
        """The sandbox's state of the payment an answer line names by its gid."""
        payment = self.gateway.payment(int(line.split(",")[0]))
        assert payment is not None
        return payment.state

    async def register_card(self, uid: str, key: str, card: str = VISA) -> str:
        token = await self.token(card, auth={"uid": uid})
        return await self.post("carduser_token.aspx", aid=AID, cmd=4, uid=uid, key=key, tkn=token)


SandboxFactory = Callable[..., AbstractAsyncContextManager[Sandbox]]

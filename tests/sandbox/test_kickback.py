"""Kickback delivery: GET to the store's URL with the spec's parameters, retried on an empty body."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from robotpayment_app.sandbox.config import StoreConfig
from robotpayment_app.sandbox.kickback import DeliveryState
from robotpayment_app.sandbox.server import serving
from tests.sandbox.support import AID, Sandbox, SandboxFactory, fast_config

pytestmark = pytest.mark.asyncio(loop_scope="module")
AMOUNTS = {"am": 1000, "tx": 80, "sf": 500, "em": "taro@example.com"}


class Receiver:
    """The merchant's notification URL: records each GET and answers the scripted bodies, then `ok`."""

    def __init__(self, bodies: list[str]) -> None:
        self.bodies = bodies
        self.received: list[list[tuple[str, str]]] = []
        self.release = asyncio.Event()
        self.release.set()

    async def notify(self, request: Request) -> PlainTextResponse:
        await self.release.wait()
        self.received.append(list(request.query_params.multi_items()))
        return PlainTextResponse(self.bodies.pop(0) if self.bodies else "ok")


@contextlib.asynccontextmanager
async def receiving(
    start_sandbox: SandboxFactory, bodies: list[str], **config: object
) -> AsyncIterator[tuple[Sandbox, Receiver]]:
    receiver = Receiver(bodies)
    app = Starlette(routes=[Route("/kickback", receiver.notify)])
    async with serving(app) as receiver_base:
        store = StoreConfig(kickback_url=f"{receiver_base}/kickback?shop=1")
        async with start_sandbox(fast_config(stores=(store,), **config)) as sandbox:
            yield sandbox, receiver


async def test_bulk_registration_kickback_is_retried_until_the_body_is_not_empty(
    start_sandbox: SandboxFactory,
) -> None:
    async with receiving(start_sandbox, ["", ""]) as (sandbox, receiver):
        token = await sandbox.token(auth=AMOUNTS)
        line = await sandbox.post(
            "gateway_token.aspx", aid=AID, jb="AUTH", rt=0, cod="test 1", uid="u1", tkn=token, memo="x y", **AMOUNTS
        )
        await sandbox.gateway.kickbacks.wait_idle()
        gid, rst, ap, ec, god, cod, am, tx, sf, ta, _id, _ps, uid, key, num, _free = line.split(",")
        expected = [
            ("shop", "1"),
            ("gid", gid),
            ("rst", rst),
            ("ap", ap),
            ("ec", ec),
            ("god", god),
            ("cod", cod),
            ("am", am),
            ("tx", tx),
            ("sf", sf),
            ("ta", ta),
            ("uid", uid),
            ("key", key),
            ("num", num),
            ("memo", "x y"),
        ]
        assert receiver.received == [expected] * 3
        assert ta == "1580" and cod == "test 1"
        [delivery] = sandbox.gateway.kickbacks.deliveries
        assert delivery.state is DeliveryState.DELIVERED
        assert [(a.status, a.body_bytes, a.error) for a in delivery.attempts] == [
            (200, 0, "empty body"),
            (200, 0, "empty body"),
            (200, 2, ""),
        ]
        shown = (await sandbox.http.get(f"{sandbox.base}/sandbox/kickbacks")).json()
        assert key not in shown[0]["url"] and "key=%2A%2A%2A" in shown[0]["url"] and shown[0]["state"] == "delivered"


async def _one_touch(sandbox: Sandbox, rt: int) -> str:
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key, card="4000000000000556")
    line = await sandbox.post(
        "onetouch.aspx", aid=AID, rt=rt, cmd=4, uid="u1", key=key, num=1, jb="CAPTURE", am=100, tx=0, sf=0
    )
    await sandbox.gateway.kickbacks.wait_idle()
    return line


@pytest.mark.parametrize("rt", [0, 1])
async def test_one_touch_kickback_has_no_registration_fields(start_sandbox: SandboxFactory, rt: int) -> None:
    # rt=1 notifies only with kickback_for_rt1: the other reading of the spec, which the app must survive too
    async with receiving(start_sandbox, [], kickback_for_rt1=rt == 1) as (sandbox, receiver):
        line = await _one_touch(sandbox, rt)
        [received] = receiver.received
        assert [name for name, _value in received] == [
            "shop",
            "gid",
            "rst",
            "ap",
            "ec",
            "god",
            "cod",
            "am",
            "tx",
            "sf",
            "ta",
        ]
        assert dict(received)["ec"] == "G5542G550000" == line.split(",")[3]
        assert dict(received)["rst"] == "2"


async def test_by_default_an_rt1_call_sends_no_kickback(start_sandbox: SandboxFactory) -> None:
    # the spec documents kickbacks for rt=0 only (■キックバック(rt=0)仕様): the sandbox does not promise more
    async with receiving(start_sandbox, []) as (sandbox, receiver):
        line = await _one_touch(sandbox, 1)
        assert line.split(",")[1] == "2"
        assert receiver.received == [] and sandbox.gateway.kickbacks.deliveries == []


async def test_delivery_gives_up_after_the_configured_attempts(start_sandbox: SandboxFactory) -> None:
    async with receiving(start_sandbox, ["", "", "", ""]) as (sandbox, receiver):
        token = await sandbox.token(auth=AMOUNTS)
        await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=0, tkn=token, **AMOUNTS)
        await sandbox.gateway.kickbacks.wait_idle()
        assert len(receiver.received) == sandbox.gateway.config.kickback_attempts == 3
        assert sandbox.gateway.kickbacks.deliveries[0].state is DeliveryState.FAILED


async def test_an_unreachable_receiver_is_recorded_as_failed_attempts(sandbox: Sandbox) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sandbox.gateway.kickbacks.schedule(1, f"http://127.0.0.1:{closed_port}/kickback")
    await sandbox.gateway.kickbacks.wait_idle()
    [delivery] = sandbox.gateway.kickbacks.deliveries
    assert delivery.state is DeliveryState.FAILED
    assert [a.status for a in delivery.attempts] == [None, None, None] and delivery.attempts[0].error == "ConnectError"


async def test_delivery_never_holds_up_the_gateway_answer(start_sandbox: SandboxFactory) -> None:
    async with receiving(start_sandbox, []) as (sandbox, receiver):
        receiver.release.clear()  # the receiver hangs until released
        token = await sandbox.token(auth=AMOUNTS)
        line = await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=0, tkn=token, **AMOUNTS)
        assert line.split(",")[1] == "1"
        assert receiver.received == []
        assert sandbox.gateway.kickbacks.deliveries[0].state is DeliveryState.PENDING
        receiver.release.set()
        await sandbox.gateway.kickbacks.wait_idle()
        assert sandbox.gateway.kickbacks.deliveries[0].state is DeliveryState.DELIVERED
        assert dict(receiver.received[0])["gid"] == line.split(",")[0]

"""Injected faults, misbehaving test cards, and the /sandbox/ inspection endpoints, over a real socket."""

from __future__ import annotations

import httpx
import pytest

from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.sandbox.state import PaymentState
from tests.sandbox.support import AID, Sandbox

pytestmark = pytest.mark.asyncio(loop_scope="module")

SHORT = httpx.Timeout(5.0, read=0.2)  # shorter than the configured slow delay (1 s)


async def add_fault(sandbox: Sandbox, **fault: object) -> httpx.Response:
    return await sandbox.http.post(f"{sandbox.base}/sandbox/faults", json=fault)


async def read_user(sandbox: Sandbox) -> httpx.Response:
    return await sandbox.http.post(sandbox.url("carduser.aspx"), data={"aid": AID, "cmd": 3, "uid": "u1"})


async def test_immediate_fault_modes_answer_without_processing(sandbox: Sandbox) -> None:
    await sandbox.register_user("u1")
    assert (await add_fault(sandbox, endpoint="carduser.aspx", mode="status", status=502)).status_code == 201
    failed = await read_user(sandbox)
    assert failed.status_code == 502
    await add_fault(sandbox, endpoint="carduser.aspx", mode="empty")
    assert (await read_user(sandbox)).text == ""
    await add_fault(sandbox, endpoint="carduser.aspx", mode="garbage")
    assert (await read_user(sandbox)).text.startswith("<html>")
    await add_fault(sandbox, endpoint="carduser.aspx", mode="busy")
    assert (await read_user(sandbox)).text == "2,ER010,u1,,,"
    await add_fault(sandbox, endpoint="onetouch.aspx", mode="maintenance")
    assert await sandbox.post("onetouch.aspx", aid=AID) == "ER:ER999"
    assert (await read_user(sandbox)).text.startswith("1,,u1,")


async def test_a_fault_lasts_for_its_count_and_only_on_its_endpoint(sandbox: Sandbox) -> None:
    await sandbox.register_user("u1")
    sandbox.gateway.faults.add(Fault(endpoint="carduser.aspx", mode=FaultMode.BUSY, count=2))
    assert await sandbox.post("gateway.aspx", aid=AID, jb="SALES", tid=5, rt=1) == "0,2,,ER053,,,0,0,0,0,,"
    listed = (await sandbox.http.get(f"{sandbox.base}/sandbox/faults")).json()
    assert listed == [
        {
            "fault": {"endpoint": "carduser.aspx", "mode": "busy", "count": 2, "status": 503, "delay_seconds": None},
            "remaining": 2,
        }
    ]
    assert [(await read_user(sandbox)).text for _ in range(3)][0:2] == ["2,ER010,u1,,,"] * 2
    assert (await read_user(sandbox)).text.startswith("1,,u1,")
    await add_fault(sandbox, mode="busy", count=5)  # endpoint "*": any page
    assert await sandbox.post("onetouch.aspx", aid=AID) == "ER:ER010"
    assert (await sandbox.http.delete(f"{sandbox.base}/sandbox/faults")).status_code == 204
    assert (await read_user(sandbox)).text.startswith("1,,u1,")


async def test_fault_requests_are_validated(sandbox: Sandbox) -> None:
    for bad in (
        {"mode": "explode"},
        {"mode": "busy", "endpoint": "other.aspx"},
        {"mode": "busy", "count": 0},
        {"mode": "status", "status": 200},  # a fault answers an error status: 3xx to 5xx
    ):
        response = await add_fault(sandbox, **bad)
        assert response.status_code == 422, bad
    assert sandbox.gateway.faults.pending() == []


async def test_drop_fault_closes_the_connection_before_processing(sandbox: Sandbox) -> None:
    await add_fault(sandbox, endpoint="carduser.aspx", mode="drop")
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="u1", em="a@b.jp")
    assert sandbox.gateway.customers() == []


async def test_drop_after_and_slow_faults_process_the_call_first(sandbox: Sandbox) -> None:
    await add_fault(sandbox, endpoint="carduser.aspx", mode="drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="u1", em="a@b.jp")
    assert sandbox.gateway.customer("u1") is not None
    await add_fault(sandbox, endpoint="carduser.aspx", mode="slow", delay_seconds=1.0)
    with pytest.raises(httpx.ReadTimeout):
        await sandbox.http.post(
            sandbox.url("carduser.aspx"), data={"aid": AID, "cmd": 0, "uid": "u2", "em": "a@b.jp"}, timeout=SHORT
        )
    assert sandbox.gateway.customer("u2") is not None


async def test_slow_and_dropping_cards_on_a_payment(sandbox: Sandbox) -> None:
    amounts = {"am": 500, "tx": 0, "sf": 0, "em": "a@b.jp"}

    async def pay(card: str, timeout: httpx.Timeout | None = None) -> httpx.Response:
        token = await sandbox.token(card, auth=amounts)
        fields = {"aid": AID, "jb": "CAPTURE", "rt": 1, "tkn": token, **amounts}
        return await sandbox.http.post(sandbox.url("gateway_token.aspx"), data=fields, timeout=timeout or 5.0)

    with pytest.raises(httpx.ReadTimeout):
        await pay("4000000000000994", SHORT)  # slow: charged, answered too late
    with pytest.raises(httpx.RemoteProtocolError):
        await pay("4000000000000978")  # charged, then dropped
    with pytest.raises(httpx.RemoteProtocolError):
        await pay("4000000000000986")  # dropped before anything
    charged = {p.card_masked: p.state for p in sandbox.gateway.payments()}
    assert charged == {"*****0994": PaymentState.CAPTURE, "*****0978": PaymentState.CAPTURE}
    slow = await pay("4000000000000994")  # waited for, the slow card answers normally
    assert slow.text.split(",")[1] == "1"


async def test_a_dropped_one_touch_charge_on_a_stored_card(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    with pytest.raises(httpx.RemoteProtocolError):  # the card is registered, the answer lost
        await sandbox.register_card("u1", key, card="4000000000000978")
    customer = sandbox.gateway.customer("u1")
    assert customer is not None and list(customer.cards) == [1]
    with pytest.raises(httpx.RemoteProtocolError):
        await sandbox.post("onetouch.aspx", aid=AID, rt=1, cmd=4, uid="u1", key=key, num=1, jb="AUTH", am=1, tx=0, sf=0)
    assert [p.state for p in sandbox.gateway.payments()] == [PaymentState.AUTH]


async def test_inspection_shows_state_without_secrets_and_reset_forgets_it(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1", em="taro@example.com")
    await sandbox.register_card("u1", key)
    await sandbox.post("onetouch.aspx", aid=AID, rt=1, cmd=4, uid="u1", key=key, num=1, jb="AUTH", am=10, tx=1, sf=0)
    customers = (await sandbox.http.get(f"{sandbox.base}/sandbox/customers")).text
    payments = (await sandbox.http.get(f"{sandbox.base}/sandbox/payments")).json()
    assert key not in customers and "4444333322221111" not in customers and "*****1111" in customers
    assert payments[0]["state"] == "AUTH" and payments[0]["ta"] == 11 and payments[0]["brand"] == "VISA"
    cards = (await sandbox.http.get(f"{sandbox.base}/sandbox/cards")).json()
    assert {"number": "4000000000000556", "behaviour": "decline", "decline_code": "G55"}.items() <= cards[5].items()
    assert (await sandbox.http.post(f"{sandbox.base}/sandbox/reset")).status_code == 204
    assert sandbox.gateway.customers() == [] and sandbox.gateway.payments() == []
    assert (await sandbox.http.get(f"{sandbox.base}/sandbox/payments")).json() == []

"""gateway_token.aspx, onetouch.aspx and gateway.aspx (SALES / CANCEL), in the exact answer format."""

from __future__ import annotations

import re

import pytest

from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.state import PaymentState
from tests.sandbox.support import AID, Sandbox, SandboxFactory

pytestmark = pytest.mark.asyncio(loop_scope="module")

PAYMENT_LINE = re.compile(r"(?P<gid>\d+),(?P<rst>[12]),(?P<ap>\d{7})?,(?P<ec>[A-Z0-9]*),(?P<god>\d+),(?P<rest>.*)")
AMOUNTS = {"am": 1000, "tx": 100, "sf": 500}
EMAIL = {"em": "taro@example.com"}


def fields_of(line: str) -> list[str]:
    return line.split(",")


async def bulk_payment(sandbox: Sandbox, uid: str = "u1", card: str = "4444333322221111", **extra: str | int) -> str:
    token = await sandbox.token(card, auth={**AMOUNTS, **EMAIL})
    fields = {"aid": AID, "jb": "CAPTURE", "rt": 1, "cod": "order-1", "uid": uid, "tkn": token, **AMOUNTS, **EMAIL}
    return await sandbox.post("gateway_token.aspx", **(fields | extra))


async def one_touch(sandbox: Sandbox, uid: str, key: str, /, **extra: str | int) -> str:
    fields = {"aid": AID, "rt": 1, "cmd": 4, "uid": uid, "key": key, "num": 1, "jb": "AUTH", **AMOUNTS}
    return await sandbox.post("onetouch.aspx", **(fields | extra))


async def test_bulk_registration_payment_registers_user_and_card_and_answers_15_fields(sandbox: Sandbox) -> None:
    line = await bulk_payment(sandbox, memo="hello")
    gid, rst, ap, ec, god, cod, am, tx, sf, ta, issued_id, ps, uid, key, num, free = fields_of(line)
    assert (rst, ec, cod, am, tx, sf, ta, issued_id, ps, uid, num, free) == (
        "1",
        "",
        "order-1",
        "1000",
        "100",
        "500",
        "1600",
        "",
        "",
        "u1",
        "1",
        "memo=hello",
    )
    assert re.fullmatch(r"\d{7}", ap) and re.fullmatch(r"[A-Za-z0-9]{10}", key)
    customer = sandbox.gateway.customer("u1")
    assert customer is not None and customer.key == key and customer.email == "taro@example.com"
    payment = sandbox.gateway.payment(int(gid))
    assert payment is not None and payment.state is PaymentState.CAPTURE and str(payment.god) == god
    # The saved card now charges in one touch.
    assert fields_of(await one_touch(sandbox, "u1", key))[1] == "1"


async def test_plain_token_payment_answers_12_fields_and_saves_nothing(sandbox: Sandbox) -> None:
    token = await sandbox.token(auth={**AMOUNTS, **EMAIL})
    line = await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=1, tkn=token, **AMOUNTS, **EMAIL)
    assert len(fields_of(line)) == 12 and fields_of(line)[1] == "1"
    assert sandbox.gateway.customers() == []
    assert sandbox.payment_state(line) is PaymentState.AUTH


async def test_check_job_validates_a_card_without_charging(sandbox: Sandbox) -> None:
    zero = {"am": 0, "tx": 0, "sf": 0}
    token = await sandbox.token(auth={**zero, **EMAIL})
    line = await sandbox.post("gateway_token.aspx", aid=AID, jb="CHECK", rt=1, tkn=token, **zero, **EMAIL)
    assert fields_of(line)[1] == "1" and sandbox.payment_state(line) is PaymentState.CHECK
    # CHECK exists for plain token payments only, and saves through bulk registration are charged.
    assert fields_of(await bulk_payment(sandbox, jb="CHECK"))[3] == "ER051"


async def test_3ds_parameters_must_match_the_payment(sandbox: Sandbox) -> None:
    token = await sandbox.token(auth={**AMOUNTS, **EMAIL})
    other_amount = {**AMOUNTS, "am": 1001}
    line = await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=1, tkn=token, **other_amount, **EMAIL)
    assert line == "0,2,,ER900,,,0,0,0,0,,"
    # The token is spent by the failed attempt.
    again = await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=1, tkn=token, **AMOUNTS, **EMAIL)
    assert again == "0,2,,ER584,,,0,0,0,0,,"
    other_email = await sandbox.token(auth={**AMOUNTS, **EMAIL})
    line = await sandbox.post(
        "gateway_token.aspx", aid=AID, jb="AUTH", rt=1, tkn=other_email, **AMOUNTS, em="jiro@example.com"
    )
    assert fields_of(line)[3] == "ER900"
    for_registration = await sandbox.token(auth={"uid": "u1"})
    line = await sandbox.post(
        "gateway_token.aspx", aid=AID, jb="AUTH", rt=1, uid="u1", tkn=for_registration, **AMOUNTS, **EMAIL
    )
    assert line == "0,2,,ER900,,,0,0,0,0,,,u1,,"
    assert sandbox.gateway.payments() == [] and sandbox.gateway.customers() == []


async def test_declines_answer_the_card_company_code_with_a_gid_and_register_nobody(sandbox: Sandbox) -> None:
    for card, code in (
        ("4000000000000044", "G0442G040000"),
        ("4000000000000556", "G5542G550000"),
        ("4000000000000127", "G1242G120000"),
        ("4000000000000838", "G8342G830000"),
    ):
        line = await bulk_payment(sandbox, uid="u" + card[-4:], card=card)
        gid, rst, ap, ec, _god, cod, am, *_ignored, uid, key, num = fields_of(line)
        assert (rst, ap, ec, cod, am, uid, key, num) == ("2", "", code, "order-1", "1000", "u" + card[-4:], "", "")
        assert sandbox.gateway.payment(int(gid)) is not None
    assert sandbox.gateway.customers() == []
    assert {p.state for p in sandbox.gateway.payments()} == {PaymentState.DECLINED}


async def test_bulk_registration_of_an_existing_uid_is_refused_before_the_token_is_spent(sandbox: Sandbox) -> None:
    await sandbox.register_user("u1")
    token = await sandbox.token(auth={**AMOUNTS, **EMAIL})
    fields = {"aid": AID, "jb": "AUTH", "rt": 1, "tkn": token, **AMOUNTS, **EMAIL}
    assert await sandbox.post("gateway_token.aspx", uid="u1", **fields) == "0,2,,ER021,,,0,0,0,0,,,u1,,"
    assert fields_of(await sandbox.post("gateway_token.aspx", **fields))[1] == "1"


async def test_product_payments_take_amounts_from_the_catalogue(sandbox: Sandbox) -> None:
    token = await sandbox.token(auth={"iid": "ITEM002", **EMAIL})
    line = await sandbox.post("gateway_token.aspx", aid=AID, rt=1, uid="u1", tkn=token, iid="ITEM002", **EMAIL)
    _gid, rst, _ap, _ec, _god, _cod, am, tx, sf, ta, issued_id, ps, uid, key, num = fields_of(line)
    assert (rst, am, tx, sf, ta, issued_id, ps, uid, num) == ("1", "1200", "120", "500", "1820", "", "", "u1", "1")
    assert sandbox.payment_state(line) is PaymentState.CAPTURE  # the product forms send no jb
    content = await one_touch(sandbox, "u1", key, iid="CONTENT001", jb="")
    assert re.fullmatch(r"\d+,1,\d{7},,\d+,,980,98,0,1078,ID\d+,[A-Za-z0-9]{8}", content)
    assert await one_touch(sandbox, "u1", key, iid="NOPE") == "ER:ER005"
    assert await one_touch(sandbox, "u1", key, iid="bad id") == "ER:ER068"


async def test_one_touch_errors_are_bare_er_lines(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key)
    wrong_key = "Z" * 10 if key != "Z" * 10 else "Y" * 10
    cases = [
        ({"uid": "nobody"}, "ER021"),
        ({"key": wrong_key}, "ER021"),
        ({"num": 2}, "ER021"),
        ({"cmd": 3}, "ER069"),
        ({"rt": 2}, "ER052"),
        ({"jb": "SALES"}, "ER051"),
        ({"am": -1}, "ER061"),
        ({"tx": ""}, "ER062"),
        ({"sf": "x"}, "ER063"),
        ({"am": 0, "tx": 0, "sf": 0}, "ER017"),
        ({"am": 99_999_999}, "ER018"),
        ({"cod": "a,b"}, "ER054"),
        ({"cod": "x" * 51}, "ER054"),
        ({"md": "99"}, "ER064"),
        ({"md": "61"}, "ER065"),
        ({"md": "61", "pt": 4}, "ER065"),
        ({"md": "10", "pt": 3}, "ER065"),
        ({"em": "bad"}, "ER059"),
        ({"aid": "999999"}, "ER004"),
    ]
    for extra, code in cases:
        assert await one_touch(sandbox, "u1", key, **extra) == f"ER:{code}", extra
    assert sandbox.gateway.payments() == []


async def test_one_touch_pays_in_instalments_or_revolving_and_updates_the_user(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1", em="old@example.com")
    await sandbox.register_card("u1", key)
    line = await one_touch(sandbox, "u1", key, md="61", pt=12, em="new@example.com", pn="0311112222", cod="c9", x="y")
    assert re.fullmatch(r"\d+,1,\d{7},,\d+,c9,1000,100,500,1600,,,x=y", line)
    payment = sandbox.gateway.payment(int(fields_of(line)[0]))
    assert payment is not None and (payment.method, payment.instalments) == ("61", 12)
    revolving = await one_touch(sandbox, "u1", key, md="80")
    assert sandbox.payment_state(revolving) is PaymentState.AUTH
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=3, uid="u1") == f"1,,u1,{key},new@example.com,0311112222"


async def test_one_touch_follows_the_stored_cards_behaviour(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key, card="4000000000000556")
    line = await one_touch(sandbox, "u1", key)
    assert fields_of(line)[1:4] == ["2", "", "G5542G550000"]


async def test_instalments_or_revolving_not_contracted(start_sandbox: SandboxFactory) -> None:
    config = SandboxConfig(stores=(StoreConfig(instalments=False, revolving=False),))
    async with start_sandbox(config) as sandbox:
        key = await sandbox.register_user("u1")
        await sandbox.register_card("u1", key)
        assert await one_touch(sandbox, "u1", key, md="61", pt=3) == "ER:ER064"
        assert await one_touch(sandbox, "u1", key, md="80") == "ER:ER064"
        assert fields_of(await one_touch(sandbox, "u1", key, md="10"))[1] == "1"


async def test_sales_and_cancel_state_machine(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key)
    auth = fields_of(await one_touch(sandbox, "u1", key))
    gid = auth[0]

    async def job(jb: str, tid: str = gid) -> str:
        return await sandbox.post("gateway.aspx", aid=AID, jb=jb, tid=tid, rt=1)

    captured = await job("SALES")
    assert fields_of(captured)[:10] == auth[:10]
    assert sandbox.gateway.payment(int(gid)).state is PaymentState.SALES  # type: ignore[union-attr]
    assert await job("SALES") == "0,2,,ER032,,,0,0,0,0,,"
    assert fields_of(await job("CANCEL"))[1] == "1"
    assert await job("CANCEL") == "0,2,,ER033,,,0,0,0,0,,"
    assert await job("SALES") == "0,2,,ER032,,,0,0,0,0,,"
    payment = sandbox.gateway.payment(int(gid))
    assert payment is not None and [e.action for e in payment.events] == ["AUTH", "SALES", "CANCEL"]

    charged = fields_of(await one_touch(sandbox, "u1", key, jb="CAPTURE"))[0]
    assert await job("SALES", charged) == "0,2,,ER032,,,0,0,0,0,,"
    assert fields_of(await job("CANCEL", charged))[1] == "1"

    assert await job("SALES", "99999999") == "0,2,,ER053,,,0,0,0,0,,"
    assert await job("SALES", "abc") == "0,2,,ER053,,,0,0,0,0,,"
    assert await job("RETURN") == "0,2,,ER051,,,0,0,0,0,,"
    assert await sandbox.post("gateway.aspx", aid=AID, jb="SALES", tid=gid) == "0,2,,ER052,,,0,0,0,0,,"


async def test_a_declined_payment_cannot_be_captured_or_cancelled(sandbox: Sandbox) -> None:
    gid = fields_of(await bulk_payment(sandbox, card="4000000000000044"))[0]
    assert await sandbox.post("gateway.aspx", aid=AID, jb="SALES", tid=gid, rt=1) == "0,2,,ER032,,,0,0,0,0,,"
    assert await sandbox.post("gateway.aspx", aid=AID, jb="CANCEL", tid=gid, rt=1) == "0,2,,ER033,,,0,0,0,0,,"

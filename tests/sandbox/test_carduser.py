"""carduser.aspx (users and card read/delete) and the checks every page makes, over a real socket."""

from __future__ import annotations

import re

import pytest

from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from tests.sandbox.support import AID, Sandbox, SandboxFactory, fast_config

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_user_register_answers_rst_ec_uid_and_a_new_ten_character_key(sandbox: Sandbox) -> None:
    line = await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="user1", em="taro@example.com")
    assert re.fullmatch(r"1,,user1,[A-Za-z0-9]{10}", line)
    customer = sandbox.gateway.customer("user1")
    assert customer is not None and customer.email == "taro@example.com" and customer.key == line.split(",")[3]


async def test_get_works_like_post_and_free_data_is_echoed_at_the_end(sandbox: Sandbox) -> None:
    line = await sandbox.get("carduser.aspx", aid=AID, cmd=0, uid="u2", pn="09011111111", memo="a b,c", n="1")
    assert re.fullmatch(r"1,,u2,[A-Za-z0-9]{10},memo=a%20b%2Cc&n=1", line)


async def test_user_read_answers_email_and_phone_without_needing_the_key(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1", em="taro@example.com")
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=3, uid="u1") == f"1,,u1,{key},taro@example.com,"


async def test_user_update_changes_only_what_is_sent(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1", em="taro@example.com")
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=1, uid="u1", key=key, pn="0312345678") == f"1,,u1,{key}"
    read = await sandbox.post("carduser.aspx", aid=AID, cmd=3, uid="u1")
    assert read == f"1,,u1,{key},taro@example.com,0312345678"
    # Nothing to update is fine once the user has an e-mail or phone.
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=1, uid="u1", key=key) == f"1,,u1,{key}"


async def test_user_delete_removes_the_user_and_its_cards(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    assert (await sandbox.register_card("u1", key)) == f"1,,u1,{key},1"
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=2, uid="u1", key=key) == f"1,,u1,{key}"
    assert sandbox.gateway.customer("u1") is None
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=3, uid="u1") == "2,ER021,u1,,,"


async def test_card_read_and_delete_answer_in_the_table_order(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key)
    read = await sandbox.post("carduser.aspx", aid=AID, cmd=6, uid="u1", key=key, num=1)
    assert read == f"1,,u1,{key},1,*****1111,3012,TARO,YAMADA"
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=5, uid="u1", key=key, num=1) == f"1,,u1,{key},1"
    gone = await sandbox.post("carduser.aspx", aid=AID, cmd=6, uid="u1", key=key, num=1)
    assert gone == "2,ER021,u1,,1,,,,"


async def test_wrong_key_unknown_uid_and_duplicate_uid_are_er021_and_never_echo_the_key(
    sandbox: Sandbox,
) -> None:
    key = await sandbox.register_user("u1")
    wrong = "X" * 10 if key != "X" * 10 else "Y" * 10
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=2, uid="u1", key=wrong) == "2,ER021,u1,"
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=1, uid="nobody", key=key, em="a@b.jp") == "2,ER021,nobody,"
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="u1", em="a@b.jp") == "2,ER021,u1,"
    assert sandbox.gateway.customer("u1") is not None


async def test_parameter_errors_name_their_field_by_code(sandbox: Sandbox) -> None:
    cases = [
        ({"aid": "00000", "cmd": 0, "uid": "u", "em": "a@b.jp"}, "2,ER050,u,"),
        ({"aid": "000000,000000", "cmd": 0, "uid": "u", "em": "a@b.jp"}, "2,ER050,u,"),
        ({"aid": "123456", "cmd": 0, "uid": "u", "em": "a@b.jp"}, "2,ER004,u,"),
        ({"aid": AID, "cmd": 4, "uid": "u", "em": "a@b.jp"}, "2,ER069,u,"),
        ({"aid": AID, "cmd": 0, "uid": "u,1", "em": "a@b.jp"}, "2,ER001,u,1,"),
        ({"aid": AID, "cmd": 0, "uid": "u" * 51, "em": "a@b.jp"}, "2,ER001," + "u" * 51 + ","),
        ({"aid": AID, "cmd": 0, "uid": "u"}, "2,ER059,u,"),
        ({"aid": AID, "cmd": 0, "uid": "u", "em": "not-an-address"}, "2,ER059,u,"),
        ({"aid": AID, "cmd": 0, "uid": "u", "pn": "090-1111-1111"}, "2,ER060,u,"),
        ({"aid": AID, "cmd": 6, "uid": "u", "key": "K"}, "2,ER001,u,,,,,,"),
        (
            {"aid": AID, "cmd": 0, "uid": "u", "em": "a@b.jp", "memo": "x" * 1100},
            "2,ER001,u,,memo=" + "x" * 1100,
        ),
    ]
    for fields, expected in cases:
        assert await sandbox.post("carduser.aspx", **fields) == expected, fields
    assert sandbox.gateway.customers() == []


async def test_source_ip_outside_the_allow_list_gets_er003_on_every_page(
    start_sandbox: SandboxFactory,
) -> None:
    async with start_sandbox(fast_config(allowed_ips=("192.0.2.10",))) as sandbox:
        assert await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="u1", em="a@b.jp") == "2,ER003,u1,"
        token_payment = await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=1, cod="c1", uid="u1")
        assert token_payment == "0,2,,ER003,,c1,0,0,0,0,,,u1,,"
        assert await sandbox.post("onetouch.aspx", aid=AID) == "ER:ER003"
        assert await sandbox.post("gateway.aspx", aid=AID, jb="SALES", tid=1, rt=1) == "0,2,,ER003,,,0,0,0,0,,"
        assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1") == "2,ER003,u1,,"
        assert sandbox.gateway.customers() == []


async def test_stores_are_separate_and_crlf_can_be_switched_on(start_sandbox: SandboxFactory) -> None:
    config = SandboxConfig(stores=(StoreConfig(), StoreConfig(store_id="123456")), line_ending="\r\n")
    async with start_sandbox(config) as sandbox:
        first = await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="same", em="a@b.jp")
        second = await sandbox.post("carduser.aspx", aid="123456", cmd=0, uid="same", em="a@b.jp")
        assert first.endswith("\r\n") and second.startswith("1,,same,")
        assert {c.store_id for c in sandbox.gateway.customers()} == {"000000", "123456"}

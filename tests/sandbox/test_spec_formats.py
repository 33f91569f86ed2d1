"""The sandbox as strict as the spec's 形式 column (uid, key, iid, card names), the lenient forms behind
`lenient_fields`, and the answer forms behind options: the bulk registration's printed 14-field layout and the
empty free-data field."""

from __future__ import annotations

import re

import pytest

from robotpayment_app.sandbox.shopper import TokenRefused
from tests.sandbox.support import AID, FAR_EXPIRY, VISA, Sandbox, SandboxFactory, fast_config
from tests.sandbox.test_payments import AMOUNTS, EMAIL, bulk_payment, fields_of, one_touch

pytestmark = pytest.mark.asyncio(loop_scope="module")

ELEVEN = "K" * 11  # one character over the card and one-touch tables' 半角英数(10)


async def test_uid_is_letters_and_digits_only(sandbox: Sandbox) -> None:
    for uid in ("user-1", "a.b", "a_b", "a@b", "a+b", "a=b"):
        assert await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid=uid, em="a@b.jp") == f"2,ER001,{uid},"
    assert fields_of(await bulk_payment(sandbox, uid="u-1"))[3] == "ER001"
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key)
    assert await one_touch(sandbox, "u.1", key) == "ER:ER001"
    assert sandbox.gateway.customers()[0].uid == "u1"


async def test_authenticate_takes_a_uid_with_symbols_as_its_table_says(sandbox: Sandbox) -> None:
    token = await sandbox.token()
    assert await sandbox.shopper.authenticate({"aid": AID, "uid": "saleor-user-1"}, token) == "Success"


async def test_key_has_at_most_ten_characters_on_card_and_one_touch_calls(sandbox: Sandbox) -> None:
    await sandbox.register_user("u1")
    token = await sandbox.token(auth={"uid": "u1"})
    card_fields = {"aid": AID, "uid": "u1", "key": ELEVEN}
    assert await sandbox.post("carduser.aspx", cmd=6, num=1, **card_fields) == "2,ER001,u1,,1,,,,"
    assert await sandbox.post("carduser.aspx", cmd=5, num=1, **card_fields) == "2,ER001,u1,,1"
    assert await sandbox.post("carduser_token.aspx", cmd=4, tkn=token, **card_fields) == "2,ER001,u1,,"
    assert await one_touch(sandbox, "u1", ELEVEN) == "ER:ER001"
    # user update and delete take keys of up to 100 (their table's 半角英数(100)): a wrong key, not a malformed one
    assert await sandbox.post("carduser.aspx", cmd=1, pn="0311112222", **card_fields) == "2,ER021,u1,"
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=2, uid="u1", key="K" * 100) == "2,ER021,u1,"
    assert await sandbox.post("carduser.aspx", aid=AID, cmd=2, uid="u1", key="K" * 101) == "2,ER001,u1,"


async def test_iid_is_letters_and_digits_only(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    await sandbox.register_card("u1", key)
    assert await one_touch(sandbox, "u1", key, iid="ITEM_001", jb="") == "ER:ER068"
    assert await one_touch(sandbox, "u1", key, iid="ITEM-001", jb="") == "ER:ER068"
    token = await sandbox.token(auth={"iid": "ITEM001", **EMAIL})
    line = await sandbox.post("gateway_token.aspx", aid=AID, rt=1, tkn=token, iid="ITEM-1", **EMAIL)
    assert fields_of(line)[3] == "ER068"


async def test_card_names_are_letters_digits_periods_and_hyphens(sandbox: Sandbox) -> None:
    assert await sandbox.shopper.create_token(AID, VISA, FAR_EXPIRY, "J.R.", "O-NEIL")
    for first, last, code in (("MARY ANN", "SMITH", "ER057"), ("TARO", "VAN DYKE", "ER058")):
        with pytest.raises(TokenRefused) as refused:
            await sandbox.shopper.create_token(AID, VISA, FAR_EXPIRY, first, last)
        assert refused.value.code == code


async def test_lenient_fields_accept_what_the_spec_does_not(start_sandbox: SandboxFactory) -> None:
    async with start_sandbox(fast_config(lenient_fields=True)) as sandbox:
        key = await sandbox.post("carduser.aspx", aid=AID, cmd=0, uid="user-1", em="a@b.jp")
        assert re.fullmatch(r"1,,user-1,[A-Za-z0-9]{10}", key)
        # the format passes; the key is wrong
        assert await sandbox.post("carduser.aspx", aid=AID, cmd=6, uid="user-1", key=ELEVEN, num=1) == (
            "2,ER021,user-1,,1,,,,"
        )
        assert await one_touch(sandbox, "user-1", ELEVEN) == "ER:ER021"
        assert await one_touch(sandbox, "user-1", ELEVEN, iid="ITEM_001", jb="") == "ER:ER005"  # a valid form
        assert await sandbox.shopper.create_token(AID, VISA, FAR_EXPIRY, "MARY ANN", "VAN DYKE")


async def test_bulk_registration_answers_the_printed_14_field_layout_when_asked(
    start_sandbox: SandboxFactory,
) -> None:
    async with start_sandbox(fast_config(bulk_answer_layout="sample")) as sandbox:
        paid = fields_of(await bulk_payment(sandbox))
        # gid,rst,ap,ec,god,cod,am,tx,sf,ta,id,uid,key,num: as the spec's sample, without ps
        assert len(paid) == 14 and paid[1] == "1" and paid[10:12] == ["", "u1"] and paid[13] == "1"
        customer = sandbox.gateway.customer("u1")
        assert customer is not None and paid[12] == customer.key
        with_memo = fields_of(await bulk_payment(sandbox, uid="u2", memo="x"))
        assert len(with_memo) == 15 and with_memo[11] == "u2" and with_memo[14] == "memo=x"
        taken = await bulk_payment(sandbox)  # u1 is registered: refused, in the same layout
        assert taken == "0,2,,ER021,,order-1,0,0,0,0,,u1,,"
        token = await sandbox.token(auth={**AMOUNTS, **EMAIL})
        plain = await sandbox.post("gateway_token.aspx", aid=AID, jb="AUTH", rt=1, tkn=token, **AMOUNTS, **EMAIL)
        assert len(fields_of(plain)) == 12  # only the bulk registration has two layouts


async def test_an_empty_free_data_field_ends_the_line_when_asked(start_sandbox: SandboxFactory) -> None:
    async with start_sandbox(fast_config(bulk_answer_layout="sample", empty_free_data_field=True)) as sandbox:
        paid = await bulk_payment(sandbox)
        assert paid.endswith(",1,") and len(fields_of(paid)) == 15  # `…,1006,,012345,vnpjBycDO5,1,`
        assert (await bulk_payment(sandbox, uid="u2", memo="x")).endswith(",1,memo=x")
        key = fields_of(paid)[12]
        assert await sandbox.post("carduser.aspx", aid=AID, cmd=3, uid="u1") == f"1,,u1,{key},taro@example.com,,"

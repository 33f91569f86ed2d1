"""CPToken / ThreeDSAdapter endpoints and carduser_token.aspx: tokens, 3-D Secure, card registration."""

from __future__ import annotations

import pytest

from robotpayment_app.sandbox.cards import CHALLENGE_CODE
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.shopper import SandboxShopper, TokenRefused
from tests.sandbox.support import AID, FAR_EXPIRY, VISA, Sandbox, SandboxFactory

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_registered_card_gets_num_1_then_2_and_an_update_keeps_its_num(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    assert await sandbox.register_card("u1", key) == f"1,,u1,{key},1"
    assert await sandbox.register_card("u1", key, card="5555555555554444") == f"1,,u1,{key},2"
    token = await sandbox.token("3530111333300000", auth={"uid": "u1"})
    updated = await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, num=1, tkn=token, m="x")
    assert updated == f"1,,u1,{key},1,m=x"
    customer = sandbox.gateway.customer("u1")
    assert customer is not None
    assert {seq: (card.masked, card.brand) for seq, card in customer.cards.items()} == {
        1: ("*****0000", "JCB"),
        2: ("*****4444", "MASTER"),
    }


async def test_a_token_is_used_once(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    token = await sandbox.token(auth={"uid": "u1"})
    fields = {"aid": AID, "cmd": 4, "uid": "u1", "key": key, "tkn": token}
    assert await sandbox.post("carduser_token.aspx", **fields) == f"1,,u1,{key},1"
    assert await sandbox.post("carduser_token.aspx", **fields) == "2,ER584,u1,,"
    assert await sandbox.shopper.authenticate({"aid": AID, "uid": "u1"}, token) == "ER584"


async def test_a_token_expires_after_the_configured_time(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    token = await sandbox.token(auth={"uid": "u1"})
    sandbox.clock.advance(sandbox.gateway.config.token_ttl_seconds + 1)
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn=token) == "2,ER585,u1,,"


async def test_missing_and_unknown_tokens(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key) == "2,ER583,u1,,"
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn="forged") == "2,ER584,u1,,"
    assert await sandbox.shopper.authenticate({"aid": AID, "uid": "u1"}, "forged") == "ER584"


async def test_card_registration_checks_its_3ds_against_the_uid_and_refuses_raw_card_numbers(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    await sandbox.register_user("u2")
    other_uid = await sandbox.token(auth={"uid": "u2"})
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn=other_uid) == "2,ER900,u1,,"
    never = await sandbox.token()
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn=never) == "2,ER900,u1,,"
    raw = await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn="t", cn=VISA)
    assert raw == "2,ER586,u1,,"
    wrong_cmd = await sandbox.post("carduser_token.aspx", aid=AID, cmd=1, uid="u1", key=key, tkn="t")
    assert wrong_cmd == "2,ER069,u1,,"
    unknown_num = await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, num=7, tkn="t")
    assert unknown_num == "2,ER021,u1,,7"
    customer = sandbox.gateway.customer("u1")
    assert customer is not None and customer.cards == {}


async def test_3ds_failure_card_and_challenge_card(sandbox: Sandbox) -> None:
    key = await sandbox.register_user("u1")
    assert await sandbox.register_card("u1", key, card="4000000000000903") == "2,ER900,u1,,"
    # The challenge card passes with the documented code...
    assert await sandbox.register_card("u1", key, card="4000000000000911") == f"1,,u1,{key},1"
    # ...and any other code is accepted by the adapter (Success) but fails the registration with ER901.
    token = await sandbox.token("4000000000000911")
    assert await sandbox.shopper.authenticate({"aid": AID, "uid": "u1"}, token, challenge_code="0000") == "Success"
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn=token) == "2,ER901,u1,,"
    # A challenge never answered fails the same way.
    pending = await sandbox.token("4000000000000911")
    response = await sandbox.http.post(
        sandbox.url("sandbox/3ds/authenticate"),
        data={"aid": AID, "tkn": pending, "uid": "u1"},
        headers={"Origin": "http://127.0.0.1:3000"},
    )
    assert response.json() == {"resultCode": "Challenge", "errMsg": "", "hint": f"sandbox code: {CHALLENGE_CODE}"}
    assert await sandbox.post("carduser_token.aspx", aid=AID, cmd=4, uid="u1", key=key, tkn=pending) == "2,ER901,u1,,"


@pytest.mark.parametrize(
    ("card", "expiry", "first", "last", "cvv", "code"),
    [
        ("4444333322221112", FAR_EXPIRY, "TARO", "YAMADA", None, "ER014"),
        ("44443333", FAR_EXPIRY, "TARO", "YAMADA", None, "ER055"),
        (VISA, "2610", "TARO", "YAMADA", None, "ER056"),
        (VISA, "3013", "TARO", "YAMADA", None, "ER056"),
        (VISA, FAR_EXPIRY, "太郎", "YAMADA", None, "ER057"),
        (VISA, FAR_EXPIRY, "TARO", "Y" * 44, None, "ER058"),
        (VISA, FAR_EXPIRY, "T" * 22, "Y" * 23, None, "ER058"),
        (VISA, FAR_EXPIRY, "TARO", "YAMADA", "12", "ER079"),
    ],
)
async def test_token_creation_validates_like_a_real_gateway(
    sandbox: Sandbox, card: str, expiry: str, first: str, last: str, cvv: str | None, code: str
) -> None:
    with pytest.raises(TokenRefused) as refused:
        await sandbox.shopper.create_token(AID, card, expiry, first, last, cvv)
    assert refused.value.code == code
    assert sandbox.gateway.state.tokens == {}


async def test_token_calls_check_store_and_page_origin(sandbox: Sandbox) -> None:
    for aid, code in (("12345", "ER050"), ("999999", "ER004")):
        with pytest.raises(TokenRefused) as refused:
            await sandbox.shopper.create_token(aid, VISA, FAR_EXPIRY, "TARO", "YAMADA")
        assert refused.value.code == code
    stranger = SandboxShopper(sandbox.http, sandbox.base, origin="https://evil.example")
    with pytest.raises(TokenRefused) as refused:
        await stranger.create_token(AID, VISA, FAR_EXPIRY, "TARO", "YAMADA")
    assert refused.value.code == "ER002"
    token = await sandbox.token()
    assert await stranger.authenticate({"aid": AID, "uid": "u1"}, token) == "ER002"
    no_origin = await sandbox.http.post(sandbox.url("sandbox/token"), data={"aid": AID, "cn": VISA})
    assert no_origin.json()["resultCode"] == "ER002"


async def test_authenticate_parameter_errors(sandbox: Sandbox) -> None:
    token = await sandbox.token()
    cases = [
        ({"aid": AID, "uid": "u1", "am": 100, "tx": 0, "sf": 0, "em": "a@b.jp"}, "ER001"),  # uid in a payment's
        ({"aid": AID, "am": 100, "tx": 0, "sf": 0}, "ER059"),  # neither em nor pn
        ({"aid": AID, "am": "1e3", "tx": 0, "sf": 0, "em": "a@b.jp"}, "ER061"),
        ({"aid": AID, "am": 100, "sf": 0, "em": "a@b.jp"}, "ER062"),
        ({"aid": AID, "iid": "NOPE", "em": "a@b.jp"}, "ER005"),
        ({"aid": AID}, "ER001"),
    ]
    for params, code in cases:
        assert await sandbox.shopper.authenticate(params, token) == code, params
    response = await sandbox.http.post(
        sandbox.url("sandbox/3ds/authenticate"), data={"aid": AID, "uid": "u1"}, headers={"Origin": "http://localhost"}
    )
    assert response.json()["resultCode"] == "ER583"


async def test_browser_endpoints_answer_cors_and_preflight(sandbox: Sandbox) -> None:
    origin = "http://127.0.0.1:5173"
    preflight = await sandbox.http.options(
        sandbox.url("sandbox/token"),
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == origin
    assert "POST" in preflight.headers["access-control-allow-methods"]
    created = await sandbox.http.post(
        sandbox.url("sandbox/token"),
        data={"aid": AID, "cn": VISA, "ed": FAR_EXPIRY, "fn": "TARO", "ln": "YAMADA"},
        headers={"Origin": origin},
    )
    assert created.headers["access-control-allow-origin"] == origin
    assert created.json()["resultCode"] == "Success" and len(created.json()["tkn"]) >= 32
    assert (await sandbox.http.post(sandbox.url("sandbox/nothing"))).status_code == 404


async def test_stores_without_token_payments_or_with_cvv_required(start_sandbox: SandboxFactory) -> None:
    config = SandboxConfig(
        stores=(
            StoreConfig(),
            StoreConfig(store_id="111111", token_payments=False),
            StoreConfig(store_id="222222", cvv_required=True),
        ),
    )
    async with start_sandbox(config) as sandbox:
        with pytest.raises(TokenRefused) as refused:
            await sandbox.shopper.create_token("111111", VISA, FAR_EXPIRY, "TARO", "YAMADA")
        assert refused.value.code == "ER565"
        no_tokens = await sandbox.post("carduser_token.aspx", aid="111111", cmd=4, uid="u1", key="k", tkn="t")
        assert no_tokens == "2,ER565,u1,,"
        payment = await sandbox.post("gateway_token.aspx", aid="111111", jb="AUTH", rt=1, tkn="t")
        assert payment == "0,2,,ER565,,,0,0,0,0,,"
        with pytest.raises(TokenRefused) as refused:
            await sandbox.shopper.create_token("222222", VISA, FAR_EXPIRY, "TARO", "YAMADA")
        assert refused.value.code == "ER079"
        assert await sandbox.shopper.create_token("222222", VISA, FAR_EXPIRY, "TARO", "YAMADA", cvv="123")


async def test_scripts_and_jquery_are_served(sandbox: Sandbox) -> None:
    for name, marker in (
        ("CPToken.js", "window.CPToken"),
        ("EMV3DSAdapter.js", "window.ThreeDSAdapter"),
        ("jquery.js", "jQuery"),
    ):
        response = await sandbox.http.get(sandbox.url(f"js/{name}"))
        assert response.status_code == 200 and marker in response.text
        assert response.headers["content-type"].startswith("application/javascript")
    assert (await sandbox.http.get(sandbox.url("js/other.js"))).status_code == 404

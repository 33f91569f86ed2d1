"""Deliveries look like Saleor's: headers, signature, body bytes, async events and their permissions."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from tests.devshop.harness import Harness, Start
from tests.devshop.queries import TRANSACTION_INITIALIZE
from tests.support.shared import SALEOR_DIR

CUSTOMER_UPDATE = """
mutation($id: ID!, $input: CustomerInput!) {
  customerUpdate(id: $id, input: $input) { user { id email note updatedAt } errors { field code message } }
}
"""


async def _a_session_delivery(shop: Harness) -> tuple[dict[str, str], bytes]:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"memo": "テスト決済"}}, token=token)
    [delivery] = shop.standin.of("TRANSACTION_INITIALIZE_SESSION")
    return delivery.headers, delivery.raw_body


async def test_headers_match_a_real_saleor_delivery(shop: Harness) -> None:
    headers, _ = await _a_session_delivery(shop)
    captured = json.loads((SALEOR_DIR / "captured" / "transaction_initialize_session.json").read_text())["headers"]
    for name in (
        "Saleor-Event",
        "Saleor-Domain",
        "Saleor-Signature",
        "Saleor-Api-Url",
        "X-Saleor-Event",
        "X-Saleor-Domain",
        "X-Saleor-Signature",
        "Content-Type",
        "User-Agent",
    ):
        assert name.lower() in headers, name
        assert name in captured
    assert headers["saleor-event"] == "transaction_initialize_session"
    assert headers["saleor-api-url"] == shop.api_url
    assert headers["saleor-domain"] == shop.devshop.config.domain
    assert headers["x-saleor-signature"] == headers["saleor-signature"]
    assert headers["user-agent"] == "Saleor/3.24"
    assert "authorization" not in headers  # Saleor sends no token to apps


async def test_the_signature_is_saleors_form_and_covers_the_raw_bytes(shop: Harness) -> None:
    headers, raw = await _a_session_delivery(shop)
    signature = headers["saleor-signature"]
    protected, empty, _ = signature.split(".")
    assert empty == ""
    header = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))
    assert header == {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": shop.devshop.key.kid, "typ": "JWT"}
    jwks = (await shop.http.get(f"{shop.devshop_url}/.well-known/jwks.json")).json()
    key = jwt.PyJWK(jwks["keys"][0]).key
    jwt.PyJWS().decode(signature, key, algorithms=["RS256"], detached_payload=raw)
    compact = json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False).encode()
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.PyJWS().decode(signature, key, algorithms=["RS256"], detached_payload=compact)


async def test_bodies_are_python_json_dumps_with_floats_and_escaped_non_ascii(shop: Harness) -> None:
    _, raw = await _a_session_delivery(shop)
    assert raw.isascii()
    assert b'"memo": "\\u30c6\\u30b9\\u30c8\\u6c7a\\u6e08"' in raw
    assert b'"amount": 3000.0' in raw
    assert raw == json.dumps(json.loads(raw)).encode()


async def test_customer_updates_reach_apps_with_manage_users_in_the_background(shop: Harness) -> None:
    staff = await shop.login(shop.devshop.config.staff)
    customer_id = (await shop.data("{ customers(first: 1) { edges { node { id } } } }", token=staff))["customers"][
        "edges"
    ][0]["node"]["id"]
    result = await shop.data(
        CUSTOMER_UPDATE, {"id": customer_id, "input": {"note": "VIP", "email": "hanako@example.com"}}, token=staff
    )
    assert result["customerUpdate"]["errors"] == []
    await shop.devshop.webhooks.drain()
    [delivery] = shop.standin.of("CUSTOMER_UPDATED")
    assert delivery.payload["user"]["email"] == "hanako@example.com"
    assert delivery.payload["user"]["note"] == "VIP"
    assert delivery.payload["issuingPrincipal"]["__typename"] == "User"


async def test_private_metadata_updates_fire_customer_updated(shop: Harness) -> None:
    customer_id = (await shop.data("{ customers(first: 1) { edges { node { id } } } }", token=shop.app_token))[
        "customers"
    ]["edges"][0]["node"]["id"]
    result = await shop.data(
        """mutation($id: ID!) { updatePrivateMetadata(id: $id, input: [{key: "gateway_uid", value: "u-1"}]) {
             item { privateMetadata { key value } } errors { field code message } } }""",
        {"id": customer_id},
        token=shop.app_token,
    )
    assert result["updatePrivateMetadata"]["item"] == {"privateMetadata": [{"key": "gateway_uid", "value": "u-1"}]}
    await shop.devshop.webhooks.drain()
    [delivery] = shop.standin.of("CUSTOMER_UPDATED")
    assert delivery.payload["user"]["privateMetadata"] == [{"key": "gateway_uid", "value": "u-1"}]
    assert delivery.payload["issuingPrincipal"]["__typename"] == "App"


async def test_customer_deleted_carries_the_user_as_it_was(shop: Harness) -> None:
    staff = await shop.login(shop.devshop.config.staff)
    customer_id = (await shop.data("{ customers(first: 1) { edges { node { id } } } }", token=staff))["customers"][
        "edges"
    ][0]["node"]["id"]
    deleted = await shop.data(
        "mutation($id: ID!) { customerDelete(id: $id) { user { id email } errors { code } } }",
        {"id": customer_id},
        token=staff,
    )
    assert deleted["customerDelete"]["user"]["email"] == "shopper@example.com"
    await shop.devshop.webhooks.drain()
    [delivery] = shop.standin.of("CUSTOMER_DELETED")
    assert delivery.payload["user"]["id"] == customer_id
    assert delivery.payload["user"]["defaultBillingAddress"]["countryArea"] == "東京都"
    shopper = shop.devshop.config.shopper
    gone = await shop.data(
        "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token errors { code } } }",
        {"e": shopper.email, "p": shopper.password.get_secret_value()},
    )
    assert gone["tokenCreate"] == {"token": None, "errors": [{"code": "INVALID_CREDENTIALS"}]}


async def test_async_events_need_their_permission(start: Start) -> None:
    async with start() as shop:
        shop.standin.permissions = ["HANDLE_PAYMENTS"]
        await shop.install()
        staff = await shop.login(shop.devshop.config.staff)
        customer_id = (await shop.data("{ customers(first: 1) { edges { node { id } } } }", token=staff))["customers"][
            "edges"
        ][0]["node"]["id"]
        await shop.data(CUSTOMER_UPDATE, {"id": customer_id, "input": {"note": "x"}}, token=staff)
        token = await shop.login(shop.devshop.config.shopper)
        checkout = await shop.new_checkout(token)
        answer = {"result": "CHARGE_SUCCESS", "pspReference": "c-1", "amount": 3000.0}
        await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"answer": answer}}, token=token)
        await shop.devshop.webhooks.drain()
        assert shop.standin.of("CUSTOMER_UPDATED") == []
        assert shop.standin.of("CHECKOUT_FULLY_PAID") == []  # needs MANAGE_CHECKOUTS
        assert len(shop.standin.of("TRANSACTION_INITIALIZE_SESSION")) == 1
        assert shop.standin.problems == []

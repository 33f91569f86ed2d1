"""Attacks on the webhook routes with the real use cases behind them: a captured genuine delivery replayed (as
is, many times at once, or to another route), tampered copies, deliveries signed by another Saleor, bodies too
large to read (declared or streamed), malformed JSON, unknown routes and methods. Each is refused or answered
from the ledger; nothing moves money and nothing stored changes.

(tests/web/test_webhook_authenticity.py checks each refusal reaches no use case; this file checks state.)
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.store.records import JobType
from robotpayment_app.web.webhook_routes import MAX_WEBHOOK_BODY_BYTES
from tests.abuse.support import signed_as, state_of, webhook_path
from tests.flows_cards.support import CardOwner
from tests.flows_payments.support import USER_ID, Checkout, Transaction, action_payload, initialize_payload
from tests.support.app_harness import AppHarness, as_delivered
from tests.support.fake_saleor import SALEOR_API_URL
from tests.support.signing import SigningKey

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION
REFUND = SaleorEvent.TRANSACTION_REFUND_REQUESTED
EMAIL = "hanako.suzuki@example.com"


@dataclass
class Captured:
    """A genuine one-touch delivery as it went over the wire, and what the app answered."""

    body: bytes
    headers: dict[str, str]
    answer: dict[str, Any]
    transaction: Transaction


@pytest.fixture
async def captured(app_harness: AppHarness) -> AsyncIterator[Captured]:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    owner = CardOwner(app_harness, USER_ID, EMAIL)
    saved = await owner.save_card()
    transaction = Transaction()
    payload = initialize_payload(transaction, {"paymentMethodId": saved["id"]}, Checkout(user_id=USER_ID, email=EMAIL))
    body = json.dumps(as_delivered(INITIALIZE, payload)).encode()
    headers = app_harness.signed_headers(INITIALIZE, body)
    response = await app_harness.client.post(webhook_path(INITIALIZE), content=body, headers=headers)
    assert response.status_code == 200 and response.json()["result"] == "CHARGE_SUCCESS"
    await app_harness.sandbox.kickbacks.wait_idle()
    yield Captured(body, headers, response.json(), transaction)


async def test_a_replayed_payment_is_answered_from_the_ledger_and_charges_nothing(
    app_harness: AppHarness, captured: Captured
) -> None:
    before = await state_of(app_harness)

    replays = await asyncio.gather(
        *(
            app_harness.client.post(webhook_path(INITIALIZE), content=captured.body, headers=captured.headers)
            for _ in range(10)
        )
    )

    assert all(reply.status_code == 200 and reply.json() == captured.answer for reply in replays)
    assert await state_of(app_harness) == before


async def test_a_replayed_refund_is_sent_to_the_gateway_once(app_harness: AppHarness, captured: Captured) -> None:
    gid = captured.answer["pspReference"]
    payload = action_payload(captured.transaction.id, gid, "REFUND", 3500.0, charged=3500.0)
    body = json.dumps(as_delivered(REFUND, payload)).encode()
    headers = app_harness.signed_headers(REFUND, body)
    first = await app_harness.client.post(webhook_path(REFUND), content=body, headers=headers)
    assert first.json()["result"] == "REFUND_SUCCESS"
    after_refund = await state_of(app_harness)

    replays = [await app_harness.client.post(webhook_path(REFUND), content=body, headers=headers) for _ in range(3)]

    assert [reply.json() for reply in replays] == [first.json()] * 3
    assert await state_of(app_harness) == after_refund
    payment = app_harness.sandbox.payment(int(gid))
    assert payment is not None and [event.action for event in payment.events].count("CANCEL") == 1


@pytest.mark.parametrize(
    "tamper",
    ["amount", "card of another shopper", "channel", "signature of another Saleor", "Saleor-Api-Url"],
)
async def test_tampered_copies_are_refused_and_change_nothing(
    app_harness: AppHarness, captured: Captured, tamper: str
) -> None:
    payload = json.loads(captured.body)
    payload["transaction"]["id"] += "-tampered"  # a new transaction: a copy that got through would charge
    headers = dict(captured.headers)
    if tamper == "amount":
        payload["action"]["amount"] = 1.0
    elif tamper == "card of another shopper":
        payload["data"]["paymentMethodId"] = "card_belonging_to_someone_else"
    elif tamper == "channel":
        payload["sourceObject"]["channel"]["slug"] = "other-channel"
    body = json.dumps(payload).encode()  # the captured signature no longer covers these bytes
    if tamper == "signature of another Saleor":
        headers["Saleor-Signature"] = SigningKey.generate("test-kid-1").sign_webhook(body)
    elif tamper == "Saleor-Api-Url":
        headers["Saleor-Api-Url"] = "https://other-shop.example.com/graphql/"
        headers["Saleor-Signature"] = app_harness.saleor.signing_key.sign_webhook(body)
    before = await state_of(app_harness)

    response = await app_harness.client.post(webhook_path(INITIALIZE), content=body, headers=headers)

    assert response.status_code == 401
    assert await state_of(app_harness) == before


async def test_another_installations_saleor_cannot_act_here(app_harness: AppHarness, captured: Captured) -> None:
    """A second shop installed the app: its genuinely signed deliveries name its own Saleor, never ours."""
    other_key = SigningKey.generate("other-shop-kid")
    other_url = "https://other-shop.example.com/graphql/"
    await app_harness.services.store.installations.upsert(
        saleor_api_url=other_url,
        domain="other-shop.example.com",
        app_id=app_harness.saleor.app_id,
        app_token=app_harness.installation.app_token,
        jwks=other_key.jwks(),
    )
    payload = json.loads(captured.body)
    payload["transaction"]["id"] += "-other-shop"
    before = await state_of(app_harness)

    # signed by the other shop but claiming to be ours; then genuinely the other shop's
    body, headers = signed_as(other_key, SALEOR_API_URL, INITIALIZE, payload)
    claimed = await app_harness.client.post(webhook_path(INITIALIZE), content=body, headers=headers)
    body, headers = signed_as(other_key, other_url, INITIALIZE, payload)
    own = await app_harness.client.post(webhook_path(INITIALIZE), content=body, headers=headers)

    assert claimed.status_code == 401
    # the other shop has no channel configured and never saw this card: refused inside the use case
    assert own.status_code == 200 and own.json()["result"] == "CHARGE_FAILURE"
    after = await state_of(app_harness)
    assert {key: value for key, value in after.items() if key != "installations"} == {
        key: value for key, value in before.items() if key != "installations"
    }


async def test_bodies_too_large_are_refused_before_reading_them_all(app_harness: AppHarness) -> None:
    path = webhook_path(INITIALIZE)
    chunk = b" " * 65536

    async def streamed() -> AsyncIterator[bytes]:  # no Content-Length: the route must count as it reads
        for _ in range(MAX_WEBHOOK_BODY_BYTES // len(chunk) + 2):
            yield chunk

    headers = app_harness.signed_headers(INITIALIZE, b"{}")
    declared = await app_harness.client.post(
        path, content=b"{}", headers={**headers, "Content-Length": str(MAX_WEBHOOK_BODY_BYTES + 1)}
    )
    stream = await app_harness.client.post(path, content=streamed(), headers=headers)
    big = b'{"recipient": {"id": "QXBwOjQ="}, "pad": "' + b"x" * MAX_WEBHOOK_BODY_BYTES + b'"}'
    signed = await app_harness.client.post(path, content=big, headers=app_harness.signed_headers(INITIALIZE, big))

    assert (declared.status_code, stream.status_code, signed.status_code) == (413, 413, 413)
    assert app_harness.sandbox.payments() == []


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b'"text"', b"null", b"\xff\xfe", b'{"recipient": "QXBwOjQ="}', b"{}" * 1000],
)
async def test_malformed_json_with_a_valid_signature_is_a_client_error(app_harness: AppHarness, body: bytes) -> None:
    response = await app_harness.client.post(
        webhook_path(INITIALIZE), content=body, headers=app_harness.signed_headers(INITIALIZE, body)
    )
    assert 400 <= response.status_code < 500
    assert app_harness.sandbox.payments() == []


async def test_an_event_saleor_could_not_build_is_not_blamed_on_the_recipient(app_harness: AppHarness) -> None:
    """When a field the app may not read nulls the whole event, Saleor sends only its errors: the answer says
    so, instead of "recipient.id is not this installation's app"."""
    errors = [{"message": "You need one of the following permissions: MANAGE_STAFF", "path": ["event", "user"]}]
    body = json.dumps({"errors": errors}).encode()

    response = await app_harness.client.post(
        webhook_path(INITIALIZE), content=body, headers=app_harness.signed_headers(INITIALIZE, body)
    )

    assert response.status_code == 422
    assert "recipient" not in response.text and "MANAGE_STAFF" in response.json()["error"]


async def test_unknown_routes_events_and_methods_are_client_errors(app_harness: AppHarness) -> None:
    body = b'{"recipient": {"id": "QXBwOjQ="}}'
    headers = app_harness.signed_headers(INITIALIZE, body)
    unknown_route = await app_harness.client.post("/api/webhooks/order_created", content=body, headers=headers)
    unknown_event = await app_harness.client.post(
        webhook_path(INITIALIZE), content=body, headers={**headers, "Saleor-Event": "order_created"}
    )
    wrong_method = await app_harness.client.get(webhook_path(INITIALIZE), headers=headers)
    traversal = await app_harness.client.post("/api/webhooks/../register", content=body, headers=headers)

    assert unknown_route.status_code == 404
    assert unknown_event.status_code == 400
    assert wrong_method.status_code == 405
    assert 400 <= traversal.status_code < 500


# Saleor signs the body only: not the event, not the URL. A genuine body delivered to another route, with that
# route's Saleor-Event header, carries its own `__typename` (every subscription selects it), which the route refuses.
CROSS_ROUTE = [hook.event for hook in WEBHOOKS if hook.event not in (INITIALIZE, SaleorEvent.APP_DELETED)]


@pytest.mark.parametrize("event", CROSS_ROUTE, ids=[event.value for event in CROSS_ROUTE])
async def test_a_genuine_payment_body_replayed_to_another_route_changes_nothing(
    app_harness: AppHarness, captured: Captured, event: SaleorEvent
) -> None:
    before = await state_of(app_harness)

    response = await app_harness.client.post(
        webhook_path(event), content=captured.body, headers={**captured.headers, "Saleor-Event": event.header_value}
    )

    assert response.status_code == 400
    assert await state_of(app_harness) == before


async def test_a_genuine_payment_body_replayed_as_app_deleted_changes_nothing(
    app_harness: AppHarness, captured: Captured
) -> None:
    before = await state_of(app_harness)
    event = SaleorEvent.APP_DELETED

    response = await app_harness.client.post(
        webhook_path(event), content=captured.body, headers={**captured.headers, "Saleor-Event": event.header_value}
    )

    assert response.status_code == 400
    assert await state_of(app_harness) == before


async def test_webhook_routes_take_no_requests_from_browsers(app_harness: AppHarness) -> None:
    """No CORS grant: a shopper's browser page cannot read webhook answers even with a stolen signature."""
    preflight = await app_harness.client.options(
        webhook_path(INITIALIZE),
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


async def test_a_genuine_card_list_body_replayed_as_customer_deleted_changes_nothing(
    app_harness: AppHarness, captured: Captured
) -> None:
    owner = CardOwner(app_harness, USER_ID, EMAIL)
    list_body = json.dumps(as_delivered(SaleorEvent.LIST_STORED_PAYMENT_METHODS, owner._payload())).encode()
    list_headers = app_harness.signed_headers(SaleorEvent.LIST_STORED_PAYMENT_METHODS, list_body)
    listed = await app_harness.client.post(
        webhook_path(SaleorEvent.LIST_STORED_PAYMENT_METHODS), content=list_body, headers=list_headers
    )
    assert len(listed.json()["paymentMethods"]) == 1  # a genuine delivery, as Saleor sent it
    before = await state_of(app_harness)
    event = SaleorEvent.CUSTOMER_DELETED

    response = await app_harness.client.post(
        webhook_path(event), content=list_body, headers={**list_headers, "Saleor-Event": event.header_value}
    )

    assert response.status_code < 500
    assert await state_of(app_harness) == before

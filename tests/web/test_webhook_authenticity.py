"""Every webhook route refuses anything that is not an authentic delivery for this installation, before any
use-case code runs; an authentic one reaches its use case with the parsed payload."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from tests.support.app_harness import AppHarness, open_app_harness
from tests.support.fake_saleor import SALEOR_API_URL
from tests.support.signing import SigningKey

EVENT = SaleorEvent.LIST_STORED_PAYMENT_METHODS
PATH = next(hook.path for hook in WEBHOOKS if hook.event is EVENT)


class RecordingHandlers(dict[SaleorEvent, Any]):
    """A use case per event that only records that it ran."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[SaleorEvent, JsonObject]] = []
        for hook in WEBHOOKS:
            self[hook.event] = self._handler(hook.event)

    def _handler(self, event: SaleorEvent) -> Any:
        async def handle(context: WebhookContext, payload: JsonObject) -> JsonObject:
            self.calls.append((event, payload))
            return {"paymentMethods": []}

        return handle


@pytest.fixture
async def harness(database_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    handlers = RecordingHandlers()
    async with open_app_harness(database_url, tmp_path / "data", handlers=handlers) as harness:
        harness.handlers = handlers  # type: ignore[attr-defined]
        yield harness


def _payload(app_id: str = "QXBwOjQ=", event: SaleorEvent = EVENT) -> dict[str, Any]:
    return {
        "__typename": event.typename,
        "version": "3.24.0-a.0",
        "issuedAt": "2026-11-28T00:15:29+00:00",
        "recipient": {"id": app_id},
        "user": {"id": "VXNlcjo0OQ==", "email": "a@example.com"},
        "channel": {"slug": "default-channel", "currencyCode": "JPY"},
    }


async def test_authentic_delivery_reaches_its_use_case(harness: AppHarness) -> None:
    response = await harness.deliver(EVENT, _payload())
    assert response.status_code == 200
    assert response.json() == {"paymentMethods": []}
    assert [event for event, _ in harness.handlers.calls] == [EVENT]  # type: ignore[attr-defined]


async def _post(harness: AppHarness, body: bytes, headers: dict[str, str], path: str = PATH) -> int:
    response = await harness.client.post(path, content=body, headers=headers)
    return response.status_code


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("tampered body", 401),
        ("wrong key", 401),
        ("unknown kid", 401),
        ("missing signature", 401),
        ("forged signature", 401),
        ("missing api url", 401),
        ("unknown api url", 401),
        ("wrong event header", 400),
        ("event of another route", 400),
        ("genuine body replayed to another route", 400),
        ("wrong recipient", 403),
        ("not json", 400),
    ],
)
async def test_refused_deliveries_run_no_use_case(harness: AppHarness, case: str, status: int) -> None:
    body = json.dumps(_payload()).encode()
    headers = harness.signed_headers(EVENT, body)
    if case == "tampered body":
        body = body.replace(b"a@example.com", b"b@example.com")
    elif case == "wrong key":
        headers["Saleor-Signature"] = SigningKey.generate("test-kid-1").sign_webhook(body)
    elif case == "unknown kid":
        headers["Saleor-Signature"] = SigningKey.generate("other-kid").sign_webhook(body)
    elif case == "missing signature":
        del headers["Saleor-Signature"]
    elif case == "forged signature":
        header, _, signature = headers["Saleor-Signature"].partition("..")
        headers["Saleor-Signature"] = header + ".." + signature[::-1]
    elif case == "missing api url":
        del headers["Saleor-Api-Url"]
    elif case == "unknown api url":
        headers["Saleor-Api-Url"] = "https://evil.example.com/graphql/"
    elif case == "wrong event header":
        headers["Saleor-Event"] = "not_an_event"
    elif case == "event of another route":
        headers["Saleor-Event"] = SaleorEvent.TRANSACTION_INITIALIZE_SESSION.header_value
    elif case == "genuine body replayed to another route":
        # Saleor signs the body only; the body's own __typename tells the routes apart
        other = SaleorEvent.CUSTOMER_DELETED
        headers["Saleor-Event"] = other.header_value
        path = next(hook.path for hook in WEBHOOKS if hook.event is other)
        assert await _post(harness, body, headers, path) == status
        assert harness.handlers.calls == []  # type: ignore[attr-defined]
        return
    elif case == "wrong recipient":
        body = json.dumps(_payload(app_id="QXBwOjk5")).encode()
        headers = harness.signed_headers(EVENT, body)
    elif case == "not json":
        body = b"\xff not json"
        headers = harness.signed_headers(EVENT, body)
    assert await _post(harness, body, headers) == status
    assert harness.handlers.calls == []  # type: ignore[attr-defined]


async def test_unknown_kid_refetches_jwks_once_then_rate_limits(harness: AppHarness) -> None:
    body = json.dumps(_payload()).encode()
    headers = harness.signed_headers(EVENT, body)
    headers["Saleor-Signature"] = SigningKey.generate("rotated-kid").sign_webhook(body)
    for _ in range(5):
        assert await _post(harness, body, headers) == 401
    assert harness.saleor.jwks_fetches == 1
    assert harness.handlers.calls == []  # type: ignore[attr-defined]


async def test_oversized_body_is_refused(harness: AppHarness) -> None:
    payload = _payload() | {"padding": "x" * 300_000}
    body = json.dumps(payload).encode()
    assert await _post(harness, body, harness.signed_headers(EVENT, body)) == 413
    assert harness.handlers.calls == []  # type: ignore[attr-defined]


async def test_every_manifest_webhook_has_a_route(harness: AppHarness) -> None:
    for hook in WEBHOOKS:
        body = json.dumps(_payload(event=hook.event)).encode()
        response = await harness.client.post(hook.path, content=body, headers=harness.signed_headers(hook.event, body))
        assert response.status_code == 200, hook.path
    assert SALEOR_API_URL  # the installation the harness made answers every route

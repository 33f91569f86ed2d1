"""Bodies no honest caller sends, on every route that reads one (register, the signed webhooks, the configuration
API): too large, declared or streamed, and JSON nested thousands of levels deep. Each is refused with a 4xx and a
one-line reason in the route's own error shape, as soon as it is known, and nothing stored changes.

(The memory a refused 200 MB body costs the server is measured on a real process in
tests/operations/test_request_memory.py.)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.web.config_api.router import MAX_REQUEST_BYTES
from robotpayment_app.web.installation_routes import MAX_REGISTER_BODY_BYTES
from robotpayment_app.web.json_body import MAX_JSON_DEPTH
from robotpayment_app.web.webhook_routes import MAX_WEBHOOK_BODY_BYTES
from tests.abuse.support import state_of, webhook_path
from tests.support.app_harness import AppHarness
from tests.support.fake_saleor import SALEOR_API_URL, SALEOR_DOMAIN
from tests.web.dashboard import dashboard_token

EVENT = SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION
CHUNK = 64 * 1024
HOSTILE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class BodyRoute:
    """A route that reads a body: where it is, how much it accepts, the headers an honest caller sends (a signed
    webhook is signed over the body itself) and where its answers carry the reason."""

    name: str
    path: str
    max_bytes: int
    headers: Callable[[AppHarness, bytes], dict[str, str]]
    reason: Callable[[Any], str]
    # wraps a nested JSON value in a body the route otherwise accepts
    wrap: Callable[[AppHarness, bytes], bytes]


def _register_body(_harness: AppHarness, value: bytes) -> bytes:
    return b'{"auth_token": "token-for-nothing", "pad": ' + value + b"}"


def _webhook_body(harness: AppHarness, value: bytes) -> bytes:
    return (
        b'{"__typename": "' + EVENT.typename.encode() + b'", "recipient": {"id": "'
        + harness.installation.app_id.encode() + b'"}, "pad": ' + value + b"}"
    )  # fmt: skip


def _staff_headers(harness: AppHarness, _body: bytes) -> dict[str, str]:
    return {"Saleor-Api-Url": SALEOR_API_URL, "Authorization": f"Bearer {dashboard_token(harness)}"}


def _config_body(_harness: AppHarness, value: bytes) -> bytes:
    return b'{"query": "{ kickbackUrl }", "variables": {"pad": ' + value + b"}}"


ROUTES = [
    BodyRoute(
        "register",
        "/api/register",
        MAX_REGISTER_BODY_BYTES,
        lambda _harness, _body: {"Saleor-Api-Url": SALEOR_API_URL, "Saleor-Domain": SALEOR_DOMAIN},
        lambda answer: answer["error"]["message"],
        _register_body,
    ),
    BodyRoute(
        "webhook",
        webhook_path(EVENT),
        MAX_WEBHOOK_BODY_BYTES,
        lambda harness, body: harness.signed_headers(EVENT, body),
        lambda answer: answer["error"],
        _webhook_body,
    ),
    BodyRoute(
        "configuration API",
        "/graphql",
        MAX_REQUEST_BYTES,
        _staff_headers,
        lambda answer: answer["errors"][0]["message"],
        _config_body,
    ),
]


class CountedBody:
    """A body the client streams chunk by chunk (no Content-Length), counting the chunks the app asked for."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.pulled * CHUNK < self.total:
            self.pulled += 1
            yield b" " * CHUNK


def _one_line(reason: str) -> str:
    assert reason and "\n" not in reason, reason
    return reason


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
async def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_routes_limit(
    app_harness: AppHarness, route: BodyRoute
) -> None:
    before = await state_of(app_harness)
    body = CountedBody(HOSTILE_BYTES)
    answer = await app_harness.client.post(route.path, content=body, headers=route.headers(app_harness, b""))

    assert answer.status_code == 413
    assert f"at most {route.max_bytes} bytes" in _one_line(route.reason(answer.json()))
    assert body.pulled * CHUNK <= route.max_bytes + CHUNK  # read no further than the chunk that passed the limit
    assert await state_of(app_harness) == before


@pytest.mark.parametrize(
    ("path", "max_bytes", "reason"),
    [(route.path, route.max_bytes, route.reason) for route in ROUTES]
    + [("/api/kickback/anything", 16 * 1024, lambda answer: answer["error"])],
    ids=[route.name for route in ROUTES] + ["a route that reads no body"],
)
async def test_a_declared_length_over_the_limit_is_refused_before_anything_is_read(
    app_harness: AppHarness, path: str, max_bytes: int, reason: Callable[[Any], str]
) -> None:
    body = CountedBody(max_bytes + 1)
    answer = await app_harness.client.post(path, content=body, headers={"Content-Length": str(max_bytes + 1)})

    assert answer.status_code == 413
    assert f"at most {max_bytes} bytes" in _one_line(reason(answer.json()))
    assert body.pulled == 0


def _nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


async def _post(harness: AppHarness, route: BodyRoute, body: bytes) -> httpx.Response:
    headers = {"Content-Type": "application/json", **route.headers(harness, body)}
    return await harness.client.post(route.path, content=body, headers=headers)


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH + 1, 5_000], ids=["just past the limit", "5000 levels"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
async def test_json_nested_deeper_than_the_limit_is_a_400_naming_the_limit(
    app_harness: AppHarness, route: BodyRoute, levels: int
) -> None:
    before = await state_of(app_harness)
    answer = await _post(app_harness, route, route.wrap(app_harness, _nested(levels)))

    assert answer.status_code == 400
    assert f"JSON nested deeper than {MAX_JSON_DEPTH} levels" in _one_line(route.reason(answer.json()))
    assert await state_of(app_harness) == before


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
async def test_json_nested_to_the_limit_is_read(app_harness: AppHarness, route: BodyRoute) -> None:
    # the body's own object is one level, the configuration API's variables another
    own_levels = 2 if route.path == "/graphql" else 1
    answer = await _post(app_harness, route, route.wrap(app_harness, _nested(MAX_JSON_DEPTH - own_levels)))

    assert "nested deeper" not in answer.text
    assert answer.status_code < 500
    assert json.loads(answer.text) is not None

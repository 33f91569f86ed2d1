"""Hypothesis against the HTTP routes: random bodies and headers, and random *authentically signed* payloads that
reach the use cases, never get a 5xx; bad input gets a 4xx (or, for a use case, its own 200 refusal). Random
kickback queries to the real kickback URL are always acknowledged and never settle a payment.

The gateway's parsers (CSV answers, kickback queries, form encoding) are fuzzed where they live:
tests/gateway/test_codec_properties.py.

The app's state lives in the test's event loop; Hypothesis runs its examples in a worker thread and hands each
request to that loop, so one harness serves every example.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.store.records import JobType, LedgerStatus
from tests.abuse.support import state_of
from tests.flows_payments.claims import unknown_payment
from tests.flows_payments.support import Checkout, Transaction, initialize_payload
from tests.support.app_harness import AppHarness
from tests.support.fake_saleor import SALEOR_API_URL

T = TypeVar("T")
PATHS = [hook.path for hook in WEBHOOKS]
EVENTS = [hook.event for hook in WEBHOOKS]
FUZZ = settings(max_examples=120, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


def _mutations(template: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A real payload with one field at any depth replaced by random JSON (or removed)."""
    paths: list[tuple[str | int, ...]] = []

    def walk(value: Any, path: tuple[str | int, ...]) -> None:
        paths.append(path)
        if isinstance(value, dict):
            for key, child in value.items():
                walk(child, (*path, key))
        elif isinstance(value, list):
            for index, child in enumerate(value):
                walk(child, (*path, index))

    walk(template, ())

    def mutate(path: tuple[str | int, ...], replacement: Any, remove: bool) -> dict[str, Any]:
        payload = json.loads(json.dumps(template))
        if not path:
            return payload
        parent = payload
        for step in path[:-1]:
            parent = parent[step]
        if remove and isinstance(parent, dict):
            parent.pop(path[-1], None)
        else:
            parent[path[-1]] = replacement
        return payload

    return st.builds(mutate, st.sampled_from(paths[1:]), JSON, st.booleans())


def _in_loop(loop: asyncio.AbstractEventLoop) -> Callable[[Awaitable[T]], T]:
    def run(awaitable: Awaitable[T]) -> T:
        async def wrapped() -> T:
            return await awaitable

        return asyncio.run_coroutine_threadsafe(wrapped(), loop).result(timeout=60)

    return run


async def test_random_requests_never_get_a_server_error(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    run = _in_loop(asyncio.get_running_loop())
    seen: set[int] = set()

    @FUZZ
    @given(
        path=st.sampled_from(PATHS)
        | st.text(alphabet="abcdefghijklmnopqrstuvwxyz_/.%", max_size=40).map(lambda tail: "/api/webhooks/" + tail),
        body=st.binary(max_size=2048) | JSON.map(lambda value: json.dumps(value).encode()),
        event=st.sampled_from([e.header_value for e in EVENTS]) | st.text(max_size=20),
        api_url=st.just(SALEOR_API_URL) | st.text(max_size=60),
        signature=st.text(max_size=200) | st.just("eyJhbGciOiJub25lIn0..") | st.none(),
        content_type=st.sampled_from(["application/json", "text/plain", "", "multipart/form-data; boundary=x"]),
    )
    def check(path: str, body: bytes, event: str, api_url: str, signature: str | None, content_type: str) -> None:
        headers = {"Saleor-Event": event, "Saleor-Api-Url": api_url, "Content-Type": content_type}
        if signature is not None:
            headers["Saleor-Signature"] = signature
        headers = {name: value for name, value in headers.items() if value.isprintable() and value.isascii()}
        response = run(app_harness.client.post(path, content=body, headers=headers))
        seen.add(response.status_code)
        assert 400 <= response.status_code < 500, (response.status_code, response.text[:200])

    await asyncio.to_thread(check)
    assert app_harness.sandbox.payments() == []
    assert 401 in seen  # the examples did reach the signature check


async def test_random_authentic_payloads_reach_the_use_cases_and_never_get_a_server_error(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    run = _in_loop(asyncio.get_running_loop())
    template = initialize_payload(Transaction(), {"paymentMethodId": "card_x"}, Checkout())
    answered: set[int] = set()

    @FUZZ
    @given(
        event=st.sampled_from(EVENTS),
        payload=_mutations(template) | st.dictionaries(st.text(max_size=12), JSON, max_size=6),
    )
    def check(event: SaleorEvent, payload: dict[str, Any]) -> None:
        payload = {**payload, "recipient": {"id": app_harness.saleor.app_id}}  # so that it passes authentication
        response = run(app_harness.deliver(event, payload))
        answered.add(response.status_code)
        assert response.status_code < 500, (event, response.status_code, response.text[:300])
        assert response.status_code == 200 or 400 <= response.status_code < 500
        assert isinstance(response.json(), dict)

    await asyncio.to_thread(check)
    assert 200 in answered  # the examples did reach the use cases
    assert app_harness.sandbox.payments() == []  # no random payload found a way to pay


async def test_random_kickback_queries_are_acknowledged_and_settle_nothing(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    transaction = Transaction()
    ledger = app_harness.services.store.ledger
    unknown = await unknown_payment(app_harness, transaction)  # one payment whose answer was lost
    run = _in_loop(asyncio.get_running_loop())
    url = f"/api/kickback/{app_harness.installation.kickback_secret}"
    fields = ["gid", "rst", "ap", "ec", "god", "cod", "am", "tx", "sf", "ta", "id", "ps", "uid", "key", "num", "aid"]
    before = await state_of(app_harness)

    @FUZZ
    @given(
        query=st.lists(
            st.tuples(st.sampled_from(fields) | st.text(max_size=8), st.text(max_size=30) | st.integers().map(str)),
            max_size=14,
        ).map(urlencode)
        | st.text(max_size=300).map(lambda text: quote(text, safe="=&%+;")),
    )
    def check(query: str) -> None:
        response = run(app_harness.client.get(url + "?" + query))
        assert (response.status_code, bool(response.text)) == (200, True)

    await asyncio.to_thread(check)
    after = await ledger.get(unknown.id)
    assert after is not None and after.status is LedgerStatus.UNKNOWN
    assert app_harness.saleor.reported_events == []
    changed = await state_of(app_harness)
    assert {k: v for k, v in changed.items() if not k.startswith("kickbacks:")} == {
        k: v for k, v in before.items() if not k.startswith("kickbacks:")
    }

"""Prometheus metrics: webhooks by event, status and result; gateway calls by page and outcome, timed through
the client the app's lifespan installs; open ledger rows counted at scrape time; the text format parses;
scrapes from outside private networks are not served."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import httpx
from pydantic import SecretStr

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.settings import load_settings
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.store.database_urls import is_sqlite_url, sqlite_file_path
from robotpayment_app.store.records import JobType
from robotpayment_app.web.app import create_app
from robotpayment_app.web.metrics import TimedGatewayTransport, timed_gateway_client
from robotpayment_app.web.services import open_services
from tests.flows_payments.conftest import GatewayNetwork
from tests.flows_payments.support import Checkout, Transaction, pay_with_new_card
from tests.operations.support import parse_exposition, sample
from tests.support.app_harness import APP_BASE_URL, CLIENT_IP, GATEWAY_BASE_URL, AppHarness, open_app_harness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION.value
DROPPED_AFTER_CHARGING = "4000000000000978"


async def _scrape(harness: AppHarness, client_ip: tuple[str, int] = CLIENT_IP) -> httpx.Response:
    transport = httpx.ASGITransport(app=harness.app, client=client_ip)
    async with httpx.AsyncClient(transport=transport, base_url=APP_BASE_URL) as client:
        return await client.get("/metrics")


async def test_webhooks_gateway_calls_and_open_ledger_rows_are_counted(database_url: str, tmp_path: Path) -> None:
    # no kickbacks: the lost answer stays unknown, as it does until a notification or a person settles it
    async with open_app_harness(database_url, tmp_path / "data", kickbacks=False) as harness:
        await harness.configure_channel(job_type=JobType.CAPTURE)
        network = GatewayNetwork(httpx.ASGITransport(app=harness.sandbox_app, client=CLIENT_IP))
        harness.services.gateway_http = timed_gateway_client(
            httpx.AsyncClient(transport=network), harness.app.state.metrics
        )
        paid = await pay_with_new_card(harness, Checkout(user_id=None), Transaction())
        lost = await pay_with_new_card(harness, Checkout(user_id=None), Transaction(), card=DROPPED_AFTER_CHARGING)
        forged = await harness.client.post(
            "/api/webhooks/transaction_initialize_session",
            content=b"{}",
            headers={
                **harness.signed_headers(SaleorEvent.TRANSACTION_INITIALIZE_SESSION, b"{}"),
                "Saleor-Signature": "x..y",
            },
        )
        response = await _scrape(harness)
        # once the lost payment has waited longer than the alert age (15 minutes), a person is needed: counted
        harness.pass_time(15 * 60 + 1)
        later = parse_exposition((await _scrape(harness)).text)

    assert (paid["result"], lost["result"], forged.status_code) == ("CHARGE_SUCCESS", "CHARGE_REQUEST", 401)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    samples = parse_exposition(response.text)
    webhooks = "robotpayment_webhooks_total"
    assert sample(samples, webhooks, event=INITIALIZE, status="200", result="CHARGE_SUCCESS") == 1
    assert sample(samples, webhooks, event=INITIALIZE, status="200", result="CHARGE_REQUEST") == 1
    assert sample(samples, webhooks, event=INITIALIZE, status="401", result="refused") == 1
    gateway_initialize = SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_SESSION.value
    assert sample(samples, webhooks, event=gateway_initialize, status="200", result="none") == 2
    assert sample(samples, "robotpayment_webhook_duration_seconds_count", event=INITIALIZE) == 3
    calls = "robotpayment_gateway_call_duration_seconds_count"
    assert sample(samples, calls, endpoint="gateway_token.aspx", outcome="2xx") == 1
    assert sample(samples, calls, endpoint="gateway_token.aspx", outcome="dropped") == 1
    assert sample(
        samples, "robotpayment_gateway_call_duration_seconds_bucket", endpoint="gateway_token.aspx", outcome="2xx",
        le="+Inf",
    ) == 1  # fmt: skip
    assert sample(samples, "robotpayment_ledger_open_entries", status="unknown") == 1
    assert sample(samples, "robotpayment_ledger_open_entries", status="pending") == 0
    assert sample(samples, "robotpayment_database_up") == 1
    attention = "robotpayment_payments_needing_attention"
    assert sample(samples, attention, reason="no_outcome") == sample(samples, attention, reason="conflict") == 0
    assert sample(later, attention, reason="no_outcome") == 1 and sample(later, attention, reason="conflict") == 0


async def test_scrapes_from_public_addresses_are_not_served(app_harness: AppHarness) -> None:
    public = await _scrape(app_harness, ("8.8.4.4", 40000))
    private = await _scrape(app_harness, ("10.1.2.3", 40000))

    assert public.status_code == 404 and "robotpayment" not in public.text
    assert private.status_code == 200


async def test_the_lifespan_times_every_gateway_call_through_the_apps_own_client(
    database_url: str, tmp_path: Path
) -> None:
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path,
        encryption_key=SecretStr(generate_key()),
        apply_migrations_on_start=False,
    )
    sandbox = httpx.ASGITransport(app=create_sandbox_app(), client=CLIENT_IP)
    app = create_app(settings, services_factory=partial(open_services, gateway_transport=sandbox))

    async with app.router.lifespan_context(app):
        services = app.state.services
        wrapped = services.gateway_http
        answer = await wrapped.post(GATEWAY_BASE_URL + "carduser.aspx", data={"aid": "000000", "cmd": "3"})
        histogram = app.state.metrics.gateway_seconds

    assert isinstance(wrapped._transport, TimedGatewayTransport)
    assert answer.status_code == 200 and answer.text  # the sandbox's error answer, passed through unchanged
    assert histogram.count("carduser.aspx", "2xx") == 1
    assert services.gateway_http is not wrapped and wrapped.is_closed


async def test_an_unreadable_database_still_answers_a_scrape(empty_database_url: str, tmp_path: Path) -> None:
    if is_sqlite_url(empty_database_url):
        Path(sqlite_file_path(empty_database_url)).touch()  # a database without a schema (the app creates no file)
    settings = load_settings(
        database_url=empty_database_url,
        data_dir=tmp_path,
        encryption_key=SecretStr(generate_key()),
        apply_migrations_on_start=False,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=CLIENT_IP)
        async with httpx.AsyncClient(transport=transport, base_url=APP_BASE_URL) as client:
            response = await client.get("/metrics")
            ready = await client.get("/readyz")
            alive = await client.get("/healthz")

    samples = parse_exposition(response.text)
    assert response.status_code == 200
    assert sample(samples, "robotpayment_database_up") == 0
    assert not any(name == "robotpayment_ledger_open_entries" for name, _ in samples)
    assert not any(name == "robotpayment_payments_needing_attention" for name, _ in samples)
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    assert alive.status_code == 200

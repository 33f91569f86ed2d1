"""Prometheus metrics at `GET /metrics`, in the text exposition format (0.0.4), without a client library.

Enough to run the app: webhooks answered (by event, HTTP status and Saleor result) with their duration, gateway
calls (by page and transport outcome) with their duration, and, counted at scrape time, the ledger's open rows
(pending, unknown) and the money-moving calls that have waited for a person longer than the alert age (no
outcome, or frozen in conflict: alert on any of these above zero). Counters live in the process: with several
worker processes on one port a scrape reaches one of them, so run one worker per container and let Prometheus
scrape each replica (see README, Deployment).
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from robotpayment_app.store.records import LedgerStatus
from robotpayment_app.store.repositories import Store

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METRICS_PATH = "/metrics"
# Seconds. Webhooks answer in milliseconds unless the gateway is slow; Saleor gives up after 20 s.
LATENCY_BUCKETS: tuple[float, ...] = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0)
# Every unresolved row, whatever its age: `list_unresolved` counts pending rows created before this horizon.
_OPEN_ROWS_HORIZON = timedelta(days=1)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    pairs = [f'{name}="{_escape(value)}"' for name, value in zip(names, values, strict=True)]
    if extra:
        pairs.append(extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


@dataclass
class Counter:
    name: str
    help: str
    label_names: tuple[str, ...]
    _values: dict[tuple[str, ...], float] = field(default_factory=dict)

    def inc(self, *labels: str, amount: float = 1.0) -> None:
        if len(labels) != len(self.label_names):
            raise ValueError(f"{self.name}: expected labels {self.label_names}, got {labels}")
        self._values[labels] = self._values.get(labels, 0.0) + amount

    def value(self, *labels: str) -> float:
        return self._values.get(labels, 0.0)

    def exposition(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} counter"
        for labels, value in sorted(self._values.items()):
            yield f"{self.name}{_labels(self.label_names, labels)} {_number(value)}"


@dataclass
class _Series:
    bucket_counts: list[int]
    total: float = 0.0
    count: int = 0


@dataclass
class Histogram:
    name: str
    help: str
    label_names: tuple[str, ...]
    buckets: tuple[float, ...] = LATENCY_BUCKETS
    _series: dict[tuple[str, ...], _Series] = field(default_factory=dict)

    def observe(self, value: float, *labels: str) -> None:
        if len(labels) != len(self.label_names):
            raise ValueError(f"{self.name}: expected labels {self.label_names}, got {labels}")
        series = self._series.get(labels)
        if series is None:
            series = self._series[labels] = _Series(bucket_counts=[0] * len(self.buckets))
        for index, bound in enumerate(self.buckets):
            if value <= bound:
                series.bucket_counts[index] += 1
        series.total += value
        series.count += 1

    def count(self, *labels: str) -> int:
        series = self._series.get(labels)
        return series.count if series else 0

    def exposition(self) -> Iterable[str]:
        yield f"# HELP {self.name} {self.help}"
        yield f"# TYPE {self.name} histogram"
        for labels, series in sorted(self._series.items()):
            for bound, bucket_count in zip(self.buckets, series.bucket_counts, strict=True):
                bucket = _labels(self.label_names, labels, 'le="' + _number(bound) + '"')
                yield f"{self.name}_bucket{bucket} {bucket_count}"
            infinite = _labels(self.label_names, labels, 'le="+Inf"')
            yield f"{self.name}_bucket{infinite} {series.count}"
            yield f"{self.name}_sum{_labels(self.label_names, labels)} {_number(series.total)}"
            yield f"{self.name}_count{_labels(self.label_names, labels)} {series.count}"


@dataclass
class AppMetrics:
    """The app's metrics for one process; `app.state.metrics`."""

    webhooks: Counter = field(
        default_factory=lambda: Counter(
            "robotpayment_webhooks_total",
            "Saleor webhook deliveries answered, by event, HTTP status and the answer's result",
            ("event", "status", "result"),
        )
    )
    webhook_seconds: Histogram = field(
        default_factory=lambda: Histogram(
            "robotpayment_webhook_duration_seconds", "Time to answer a Saleor webhook", ("event",)
        )
    )
    gateway_seconds: Histogram = field(
        default_factory=lambda: Histogram(
            "robotpayment_gateway_call_duration_seconds",
            "ROBOT PAYMENT gateway calls by page and transport outcome (2xx, 5xx, timeout, connect_error, ...)",
            ("endpoint", "outcome"),
        )
    )
    kickbacks: Counter = field(
        default_factory=lambda: Counter(
            "robotpayment_kickbacks_total", "Gateway result notifications received, by HTTP status", ("status",)
        )
    )
    started_at: float = field(default_factory=time.time)

    def render(
        self, open_ledger_rows: Mapping[str, int] | None, needing_attention: Mapping[str, int] | None = None
    ) -> str:
        """The exposition text; the counts are None when the database could not be read."""
        lines: list[str] = []
        for family in (self.webhooks, self.webhook_seconds, self.gateway_seconds, self.kickbacks):
            lines.extend(family.exposition())
        lines.append("# HELP robotpayment_database_up Whether the last scrape could read the database")
        lines.append("# TYPE robotpayment_database_up gauge")
        lines.append(f"robotpayment_database_up {0 if open_ledger_rows is None else 1}")
        if open_ledger_rows is not None:
            lines.append(
                "# HELP robotpayment_ledger_open_entries Ledger rows not settled: pending (in flight, or left by "
                "a stopped process) and unknown (sent, no answer: waiting for a kickback or an operator)"
            )
            lines.append("# TYPE robotpayment_ledger_open_entries gauge")
            for status in sorted(open_ledger_rows):
                lines.append(f'robotpayment_ledger_open_entries{{status="{status}"}} {open_ledger_rows[status]}')
        if needing_attention is not None:
            lines.append(
                "# HELP robotpayment_payments_needing_attention Payments, captures, cancels and refunds unresolved "
                "for longer than the alert age (unresolved_alert_minutes): no_outcome (no answer, no "
                "notification) or conflict (disagreeing notifications). A person settles them: "
                "robotpayment-app payments list --unresolved"
            )
            lines.append("# TYPE robotpayment_payments_needing_attention gauge")
            for reason in sorted(needing_attention):
                value = needing_attention[reason]
                lines.append(f'robotpayment_payments_needing_attention{{reason="{reason}"}} {value}')
        lines.append("# HELP robotpayment_process_start_time_seconds Start time of the process (Unix time)")
        lines.append("# TYPE robotpayment_process_start_time_seconds gauge")
        lines.append(f"robotpayment_process_start_time_seconds {_number(round(self.started_at, 3))}")
        return "\n".join(lines) + "\n"


async def open_ledger_rows(store: Store, now_utc: datetime) -> dict[str, int]:
    """Pending and unknown ledger rows of every installation, counted by status."""
    counts = {LedgerStatus.PENDING.value: 0, LedgerStatus.UNKNOWN.value: 0}
    for entry in await store.ledger.list_unresolved(pending_before=now_utc + _OPEN_ROWS_HORIZON):
        counts[entry.status.value] = counts.get(entry.status.value, 0) + 1
    return counts


# ---- gateway calls --------------------------------------------------------------------------------------------


def _endpoint_of(url: httpx.URL) -> str:
    page = url.path.rsplit("/", 1)[-1]
    return page if page.endswith(".aspx") else "other"


class TimedGatewayTransport(httpx.AsyncBaseTransport):
    """Sends each request through the transport of the app's pooled gateway client and times it by page and
    outcome. Time is measured up to the answer's headers.

    It wraps the client's transport (the real network in production, the in-process sandbox in tests) rather than
    the client itself: a client in front of a client paid httpx's per-request work twice, about a tenth of a
    one-touch payment's CPU. Closing it leaves the transport open: the client that owns it closes it.
    """

    def __init__(self, transport: httpx.AsyncBaseTransport, histogram: Histogram) -> None:
        self._transport = transport
        self._histogram = histogram

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        outcome = "cancelled"  # stays so when the caller's time budget cancels the call
        try:
            response = await self._transport.handle_async_request(request)
        except httpx.TimeoutException:
            outcome = "timeout"
            raise
        except httpx.ConnectError:
            outcome = "connect_error"
            raise
        except httpx.TransportError:
            outcome = "dropped"
            raise
        except Exception:
            outcome = "error"
            raise
        else:
            outcome = f"{response.status_code // 100}xx"
            return response
        finally:
            self._histogram.observe(time.perf_counter() - started, _endpoint_of(request.url), outcome)

    async def aclose(self) -> None:
        """The wrapped transport belongs to the untimed client, which closes it."""


def timed_gateway_client(client: httpx.AsyncClient, metrics: AppMetrics) -> httpx.AsyncClient:
    """A client that behaves as `client` (same transport, timeout, redirects) and records every gateway call in
    `metrics`. Closing it leaves `client` and its transport open (their owner closes them)."""
    # httpx offers no public accessor for a client's transport; it is what the client was built with
    transport: httpx.AsyncBaseTransport = client._transport
    return httpx.AsyncClient(
        transport=TimedGatewayTransport(transport, metrics.gateway_seconds),
        timeout=client.timeout,
        follow_redirects=client.follow_redirects,
    )


# ---- the route -------------------------------------------------------------------------------------------------


def scraper_allowed(host: str | None) -> bool:
    """Metrics are for the operator's network: loopback and private addresses only (the public load balancer
    should not route /metrics at all; this is the second line)."""
    if host is None:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    address = mapped or address
    return address.is_loopback or address.is_private


def metrics_router() -> APIRouter:
    router = APIRouter()

    @router.get(METRICS_PATH, include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if not scraper_allowed(request.client.host if request.client else None):
            return PlainTextResponse("Not Found", status_code=404)
        app_metrics: AppMetrics = request.app.state.metrics
        services = request.app.state.services
        now = services.clock()
        try:
            counts: dict[str, int] | None = await open_ledger_rows(services.store, now)
            overdue: dict[str, int] | None = await services.store.settlements.count_unresolved_older_than(
                now - services.settlement_policy.alert_after
            )
        except Exception:  # a scrape must still answer; robotpayment_database_up says what went wrong
            counts = overdue = None
        return PlainTextResponse(app_metrics.render(counts, overdue), media_type=CONTENT_TYPE)

    return router

"""Fixtures for the fault tests: the harness's sandbox gateway served on a real loopback socket, so that the app's
gateway client meets real dropped connections, real refusals and real timeouts, not in-process stand-ins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from robotpayment_app.gateway import GatewayTimeouts
from robotpayment_app.sandbox.server import serving
from robotpayment_app.store.records import ChannelConfig, JobType
from tests.support.app_harness import AppHarness

# Short, so that a `slow` answer outlives the app's patience within a test: the sandbox waits longer.
TIMEOUTS = GatewayTimeouts(connect=0.5, read=1.0, write=0.5, pool=0.5, total=1.0)
SLOW_ANSWER_SECONDS = 1.6


@dataclass
class ServedGateway:
    harness: AppHarness
    gateway_url: str

    async def configure_channel(self, *, gateway_url: str | None = None, **overrides: Any) -> ChannelConfig:
        overrides.setdefault("job_type", JobType.CAPTURE)
        return await self.harness.configure_channel(gateway_base_url=gateway_url or self.gateway_url, **overrides)

    @property
    def notifies(self) -> bool:
        """The sandbox sends a kickback after the app's rt=1 calls."""
        return bool(self.harness.sandbox.config.kickback_for_rt1)

    async def add_fault(self, **fault: Any) -> None:
        """Through the sandbox's public fault API, as an operator would."""
        response = await self.harness.sandbox_http.post("/sandbox/faults", json=fault)
        assert response.status_code == 201, response.text


@pytest.fixture
async def served_gateway(either_gateway: AppHarness) -> AsyncIterator[ServedGateway]:
    """Against both readings of the spec: the gateway notifies after rt=1 calls, or (as the spec says) it
    does not."""
    app_harness = either_gateway
    async with serving(app_harness.sandbox_app) as base_url:
        original = app_harness.services.gateway_http
        app_harness.services.gateway_http = httpx.AsyncClient()  # the real network stack
        app_harness.services.gateway_timeouts = TIMEOUTS
        try:
            yield ServedGateway(app_harness, base_url + "/gateway/")
        finally:
            await app_harness.sandbox.kickbacks.wait_idle()
            await app_harness.services.gateway_http.aclose()
            app_harness.services.gateway_http = original

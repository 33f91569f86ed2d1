"""Fixtures: a sandbox gateway served by uvicorn on a free loopback port, and a client for it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import SandboxConfig
from robotpayment_app.sandbox.server import serving
from robotpayment_app.sandbox.shopper import SandboxShopper
from tests.sandbox.support import ManualClock, Sandbox, SandboxFactory, fast_config


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


def _start(clock: ManualClock) -> SandboxFactory:
    @contextlib.asynccontextmanager
    async def start(config: SandboxConfig | None = None) -> AsyncIterator[Sandbox]:
        app = create_sandbox_app(config or fast_config(), clock=clock)
        async with serving(app) as base, httpx.AsyncClient(timeout=5.0) as http:
            yield Sandbox(base, app.state.sandbox, http, SandboxShopper(http, base), clock)

    return start


@pytest.fixture
def start_sandbox(clock: ManualClock) -> SandboxFactory:
    """Start a sandbox of one's own (another configuration); `async with start_sandbox(config) as sandbox`."""
    return _start(clock)


# One served sandbox per test module (uvicorn takes ~0.2 s to stop), reset before each test.
# Test modules run on a module-wide event loop: pytestmark = pytest.mark.asyncio(loop_scope="module").
@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def module_sandbox() -> AsyncIterator[Sandbox]:
    async with _start(ManualClock())() as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module")
async def sandbox(module_sandbox: Sandbox) -> Sandbox:
    await module_sandbox.gateway.reset()
    module_sandbox.clock.now = ManualClock().now
    return module_sandbox

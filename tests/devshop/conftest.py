"""Fixtures: Saleor's schema (built once), shared loopback servers, and a fresh devshop per test.

The two uvicorn servers live for the whole session (in the session event loop); each test plugs
a new Devshop and a new stand-in app into them, so tests never share state but pay no server
start-up. Async tests here therefore run in the session loop (see `pytest_collection_modifyitems`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from graphql import GraphQLSchema, build_schema
from tests.devshop.harness import Harness, ManualClock, Servers, Start, running, serving_both
from tests.support.shared import SALEOR_DIR

from robotpayment_app.devshop.schema.build import build_schema as build_devshop_schema

_HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if _HERE in Path(str(item.fspath)).parents and item.get_closest_marker("asyncio") is not None:
            item.add_marker(session_loop, append=False)


@pytest.fixture(scope="session")
def saleor_schema() -> GraphQLSchema:
    return build_schema((SALEOR_DIR / "schema.graphql").read_text())


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def servers() -> AsyncIterator[Servers]:
    async with serving_both(build_devshop_schema()) as both:
        yield both


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def start(servers: Servers, saleor_schema: GraphQLSchema, clock: ManualClock) -> Start:
    """`async with start(stored_methods_cache_ttl_seconds=0) as shop:` for non-default settings."""

    def _start(**config: Any) -> Any:
        return running(servers, saleor_schema, clock, **config)

    return _start


@pytest_asyncio.fixture(loop_scope="session")
async def shop(start: Start) -> AsyncIterator[Harness]:
    """A devshop with the stand-in app installed; fails the test if the stand-in saw a bad webhook."""
    async with start() as harness:
        await harness.install()
        yield harness
        assert harness.standin.problems == []

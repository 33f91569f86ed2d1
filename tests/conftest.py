"""Shared pytest configuration. Layer-specific fixtures live in each folder's conftest.py."""
pytest_plugins = ["tests.support.database"]


import pytest  # noqa: E402

from tests.support.app_harness import AppHarness, open_app_harness  # noqa: E402


@pytest.fixture
async def app_harness(database_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """The app, the sandbox gateway and a fake Saleor in process; see tests/support/app_harness.py."""
    async with open_app_harness(database_url, tmp_path / "data") as harness:
        yield harness


@pytest.fixture(params=[False, True], ids=["no-rt1-kickbacks", "rt1-kickbacks"])
async def either_gateway(request, database_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """`app_harness` against both readings of the spec: a gateway that notifies only after rt=0 calls (as the
    spec describes; the app sends rt=1), and one that also notifies after rt=1 calls."""
    async with open_app_harness(database_url, tmp_path / "data", kickback_for_rt1=request.param) as harness:
        yield harness


__all__ = ["AppHarness"]


@pytest.fixture
async def notifying_gateway(database_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """`app_harness` whose sandbox also notifies after rt=1 calls (the other reading of the spec)."""
    async with open_app_harness(database_url, tmp_path / "data", kickback_for_rt1=True) as harness:
        yield harness

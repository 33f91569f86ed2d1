"""Shared pytest configuration. Layer-specific fixtures live in each folder's conftest.py."""
pytest_plugins = ["tests.support.database"]


import pytest  # noqa: E402

from tests.support.app_harness import AppHarness, open_app_harness  # noqa: E402


@pytest.fixture
async def app_harness(database_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """The app, the sandbox gateway and a fake Saleor in process; see tests/support/app_harness.py."""
    async with open_app_harness(database_url, tmp_path / "data") as harness:
        yield harness


__all__ = ["AppHarness"]

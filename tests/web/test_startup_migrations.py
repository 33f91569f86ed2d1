"""With `apply_migrations_on_start`, the app brings an empty database to the newest schema before serving."""

from __future__ import annotations

from pathlib import Path

from robotpayment_app.store.database_urls import is_sqlite_url, sqlite_file_path
from robotpayment_app.store.migrations import current_revision, head_revision
from tests.support.fake_saleor import APP_TOKEN, SALEOR_API_URL, SALEOR_DOMAIN
from tests.web.apps import app_settings, running_app


async def test_the_app_migrates_an_empty_database_at_start(empty_database_url: str, tmp_path: Path) -> None:
    assert current_revision(empty_database_url) is None
    settings = app_settings(empty_database_url, tmp_path / "data", apply_migrations_on_start=True)
    async with running_app(settings) as (client, _, _):
        ready = await client.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"status": "ok", "database": "ok"}
        registered = await client.post(
            "/api/register",
            json={"auth_token": APP_TOKEN},
            headers={"Saleor-Api-Url": SALEOR_API_URL, "Saleor-Domain": SALEOR_DOMAIN},
        )
        assert registered.json() == {"success": True}
    assert current_revision(empty_database_url) == head_revision()


async def test_without_the_setting_an_empty_database_is_left_alone(empty_database_url: str, tmp_path: Path) -> None:
    if is_sqlite_url(empty_database_url):
        # a SQLite file without a schema: without any file the app refuses to start (test_database_file.py)
        Path(sqlite_file_path(empty_database_url)).touch()
    settings = app_settings(empty_database_url, tmp_path / "data", apply_migrations_on_start=False)
    async with running_app(settings) as (client, _, _):
        assert (await client.get("/readyz")).status_code == 503
    assert current_revision(empty_database_url) is None

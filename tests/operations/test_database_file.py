"""The SQLite file the app serves from stays the one it opened at start, or the app says so.

Found in review: `/readyz` answered 200 after the SQLite file was deleted (the open connections kept writing to the
unlinked file: lost at the next restart) or overwritten with garbage (they answered from their page cache). Readiness
now answers 503 naming what happened, connections refuse a file that is no longer the one opened at start (and never
create one), and the app refuses to start on a file that is missing, unless it is to create it by migrating, or that
is not a SQLite database. These tests use a SQLite file of their own whatever the suite's database.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from robotpayment_app.settings import SettingsError
from robotpayment_app.store.database import DatabaseFileError
from tests.web.apps import app_settings, running_app

GARBAGE = os.urandom(8192)


def _delete(path: Path) -> None:
    path.unlink()


def _overwrite_in_place(path: Path) -> None:
    with path.open("r+b") as file:  # same inode, same name: only the content changes
        file.write(GARBAGE)
        file.truncate()


def _replace_with_another_database(path: Path) -> None:
    other = path.with_name("other.sqlite3")
    shutil.copyfile(path, other)
    other.replace(path)


async def _store_something(services: object) -> None:
    store = services.store  # type: ignore[attr-defined]
    await store.installations.upsert(
        saleor_api_url="https://shop.example.com/graphql/",
        domain="shop.example.com",
        app_id="QXBwOjE=",
        app_token=SecretStr("token"),
        jwks={"keys": []},
    )


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_delete, "missing"),
        (_overwrite_in_place, "not a database"),
        (_replace_with_another_database, "replaced"),
    ],
    ids=["deleted", "overwritten in place", "replaced by another database"],
)
async def test_readiness_fails_once_the_file_is_not_the_one_opened_at_start(
    tmp_path: Path, change: Callable[[Path], None], problem: str
) -> None:
    path = tmp_path / "app.sqlite3"
    settings = app_settings(f"sqlite:///{path}", tmp_path / "data", apply_migrations_on_start=True)
    async with running_app(settings) as (client, services, _):
        await _store_something(services)  # connections are open and pooled, as in a serving app
        assert (await client.get("/readyz")).status_code == 200
        change(path)
        ready = await client.get("/readyz")

        assert (ready.status_code, ready.json()) == (503, {"status": "unavailable", "database": problem})
        if problem != "not a database":  # a file garbled in place fails SQLite's own reads and writes
            with pytest.raises(DatabaseFileError):
                await _store_something(services)
    if problem == "missing":
        assert not path.exists()  # no connection created an empty file in its place


async def test_without_its_file_the_app_refuses_to_start_unless_it_is_to_create_it(tmp_path: Path) -> None:
    path = tmp_path / "app.sqlite3"
    refused = app_settings(f"sqlite:///{path}", tmp_path / "data", apply_migrations_on_start=False)
    with pytest.raises(SettingsError) as error:
        async with running_app(refused):
            pass
    assert not path.exists()
    assert str(error.value) == (
        f"invalid configuration: ROBOTPAYMENT_APP_DATABASE_URL: there is no SQLite database at {path} (the app "
        "creates one only when ROBOTPAYMENT_APP_APPLY_MIGRATIONS_ON_START is true, or when `robotpayment-app "
        "migrate` runs)"
    )

    created = app_settings(f"sqlite:///{path}", tmp_path / "data", apply_migrations_on_start=True)
    async with running_app(created) as (client, _, _):
        assert (await client.get("/readyz")).status_code == 200


@pytest.mark.parametrize("migrate", [True, False], ids=["migrating at start", "not migrating"])
async def test_the_app_refuses_to_start_on_a_file_that_is_not_a_sqlite_database(tmp_path: Path, migrate: bool) -> None:
    path = tmp_path / "app.sqlite3"
    path.write_bytes(GARBAGE)
    settings = app_settings(f"sqlite:///{path}", tmp_path / "data", apply_migrations_on_start=migrate)
    with pytest.raises(SettingsError) as error:
        async with running_app(settings):
            pass
    assert str(error.value) == f"invalid configuration: ROBOTPAYMENT_APP_DATABASE_URL: {path} is not a SQLite database"
    assert path.read_bytes() == GARBAGE

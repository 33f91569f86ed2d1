"""Database fixtures shared by every test folder (loaded from tests/conftest.py).

The backend comes from ROBOTPAYMENT_APP_TEST_DATABASE:
- `sqlite` (default): the schema is migrated once per test session into a template file, and every test gets
  its own copy in its tmp_path.
- `postgresql`: a fresh database `rp_test_<random>` per test session on the server at
  ROBOTPAYMENT_APP_TEST_POSTGRES_URL (default postgresql://127.0.0.1:5432/, trust auth, as the OS user or
  `postgres`), migrated once, emptied before every test, dropped at the end.

Fixtures: `database_backend`, `database_url` (migrated, empty), `empty_database_url` (no schema at all),
`engine` (async), `session_factory`.
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.ext.asyncio import AsyncEngine

from robotpayment_app.store.database import SessionFactory, create_engine_from_url, create_session_factory
from robotpayment_app.store.migrations import upgrade_to_head
from robotpayment_app.store.tables import Base

BACKEND_VARIABLE = "ROBOTPAYMENT_APP_TEST_DATABASE"
SERVER_VARIABLE = "ROBOTPAYMENT_APP_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgresql")


def selected_backend() -> str:
    backend = os.environ.get(BACKEND_VARIABLE, "sqlite").strip().lower() or "sqlite"
    if backend not in BACKENDS:
        raise pytest.UsageError(f"{BACKEND_VARIABLE}: must be one of {', '.join(BACKENDS)}, not {backend!r}")
    return backend


class PostgresServer:
    """Creates and drops throw-away databases on a local PostgreSQL server (trust authentication)."""

    def __init__(self, server_url: str) -> None:
        netloc = server_url.partition("://")[2].split("/", 1)[0]
        user, at, self._host_part = netloc.rpartition("@")
        self._user = user if at else self._find_user()

    def url(self, database: str) -> str:
        return f"postgresql://{self._user}@{self._host_part}/{database}"

    def _find_user(self) -> str:
        failures = []
        for user in dict.fromkeys((getpass.getuser(), "postgres")):
            try:
                with self._admin_connection(user):
                    return user
            except psycopg.OperationalError as error:
                failures.append(f"{user}: {str(error).strip().splitlines()[-1]}")
        raise pytest.UsageError(f"cannot reach PostgreSQL at {self._host_part}: " + "; ".join(failures))

    def _admin_connection(self, user: str | None = None) -> psycopg.Connection[tuple[object, ...]]:
        last_error: psycopg.OperationalError | None = None
        for maintenance_db in ("postgres", "template1"):
            try:
                return psycopg.connect(
                    f"postgresql://{user or self._user}@{self._host_part}/{maintenance_db}",
                    autocommit=True,
                    connect_timeout=5,
                )
            except psycopg.OperationalError as error:
                last_error = error
        assert last_error is not None
        raise last_error

    def create_database(self) -> str:
        name = f"rp_test_{secrets.token_hex(6)}"
        with self._admin_connection() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        with self._admin_connection() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def empty_tables(self, name: str) -> None:
        tables = [table.name for table in Base.metadata.sorted_tables]
        with psycopg.connect(self.url(name), autocommit=True, connect_timeout=5) as connection:
            connection.execute("SET lock_timeout = '10s'")
            connection.execute(
                sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                    sql.SQL(", ").join(sql.Identifier(table) for table in tables)
                )
            )


@pytest.fixture(scope="session")
def database_backend() -> str:
    """`sqlite` or `postgresql`, from ROBOTPAYMENT_APP_TEST_DATABASE."""
    return selected_backend()


@pytest.fixture(scope="session")
def postgres_server(database_backend: str) -> PostgresServer | None:
    if database_backend != "postgresql":
        return None
    return PostgresServer(os.environ.get(SERVER_VARIABLE, "postgresql://127.0.0.1:5432/"))


@pytest.fixture(scope="session")
def migrated_database_template(
    database_backend: str, postgres_server: PostgresServer | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """SQLite: path of a migrated template file. PostgreSQL: name of the session's migrated database."""
    if postgres_server is None:
        template = tmp_path_factory.mktemp("database") / "template.sqlite3"
        upgrade_to_head(f"sqlite:///{template}")
        yield str(template)
        return
    name = postgres_server.create_database()
    try:
        upgrade_to_head(postgres_server.url(name))
        yield name
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
def database_url(
    migrated_database_template: str, postgres_server: PostgresServer | None, tmp_path: Path
) -> str:
    """URL of a database at the newest schema revision, with every table empty."""
    if postgres_server is None:
        copy = tmp_path / "app.sqlite3"
        shutil.copyfile(migrated_database_template, copy)
        return f"sqlite+aiosqlite:///{copy}"
    postgres_server.empty_tables(migrated_database_template)
    return postgres_server.url(migrated_database_template).replace(
        "postgresql://", "postgresql+psycopg://", 1
    )


@pytest.fixture
def empty_database_url(postgres_server: PostgresServer | None, tmp_path: Path) -> Iterator[str]:
    """URL of a brand-new database with no schema (for migration tests)."""
    if postgres_server is None:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    name = postgres_server.create_database()
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.drop_database(name)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine_from_url(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> SessionFactory:
    return create_session_factory(engine)

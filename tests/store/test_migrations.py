from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from robotpayment_app.store.database import create_sync_engine_from_url
from robotpayment_app.store.migrations import current_revision, head_revision, upgrade_to_head
from robotpayment_app.store.tables import Base

TABLES = {"installations", "channel_configs", "customers", "cards", "payments", "kickback_notifications"}


def test_empty_database_is_migrated_to_head(empty_database_url: str, database_backend: str) -> None:
    assert current_revision(empty_database_url) is None

    assert upgrade_to_head(empty_database_url) == head_revision()

    engine = create_sync_engine_from_url(empty_database_url)
    try:
        assert engine.dialect.name == database_backend
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) >= TABLES
        assert {"uq_payments_installation_id_dedup_key"} <= {
            constraint["name"] for constraint in inspector.get_unique_constraints("payments")
        }
        assert {
            "ix_payments_installation_id_psp_reference",
            "ix_payments_installation_id_saleor_transaction_id",
        } <= {index["name"] for index in inspector.get_indexes("payments")}
    finally:
        engine.dispose()
    assert current_revision(empty_database_url) == head_revision()


def test_upgrading_again_changes_nothing(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    assert upgrade_to_head(empty_database_url) == head_revision()


def test_migrated_schema_matches_the_models(empty_database_url: str) -> None:
    upgrade_to_head(empty_database_url)
    engine = create_sync_engine_from_url(empty_database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_concurrent_upgrades_both_end_at_head(empty_database_url: str) -> None:
    results: list[str] = []
    errors: list[BaseException] = []

    def upgrade() -> None:
        try:
            results.append(upgrade_to_head(empty_database_url))
        except BaseException as error:  # collected and reported below
            errors.append(error)

    threads = [threading.Thread(target=upgrade) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results == [head_revision(), head_revision()]


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(
    empty_database_url: str, database_backend: str
) -> None:
    if database_backend != "sqlite":
        pytest.skip("SQLite pragmas")
    upgrade_to_head(empty_database_url)
    engine = create_sync_engine_from_url(empty_database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() >= 5000
    finally:
        engine.dispose()

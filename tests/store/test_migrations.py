from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from pydantic import SecretStr
from sqlalchemy import inspect, text

from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import create_sync_engine_from_url
from robotpayment_app.store.migrations import alembic_config, current_revision, head_revision, upgrade_to_head
from robotpayment_app.store.tables import Base

TABLES = {
    "installations",
    "channel_configs",
    "customers",
    "cards",
    "payments",
    "kickback_notifications",
    "payment_resolutions",
}


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


def test_sqlite_connections_enforce_foreign_keys_and_use_wal(empty_database_url: str, database_backend: str) -> None:
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


def _upgrade_to(database_url: str, revision: str) -> None:
    engine = create_sync_engine_from_url(database_url, sqlite_foreign_keys=False)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()


def _seed_revision_0002(database_url: str) -> None:
    """An installation with a plain kickback secret, a payment a kickback settled and one it left unknown."""
    engine = create_sync_engine_from_url(database_url)
    now = datetime(2026, 11, 28, tzinfo=UTC).replace(tzinfo=None)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO installations (id, saleor_api_url, domain, app_id, app_token_encrypted, jwks, "
                    "kickback_secret, created_at, updated_at) VALUES (1, 'https://s.example/graphql/', 's', 'a', "
                    "'rpenc1:x:y', NULL, 'plain-kickback-secret-0123456789', :now, :now)"
                ),
                {"now": now},
            )
            for row_id, status in ((1, "succeeded"), (2, "unknown")):
                connection.execute(
                    text(
                        "INSERT INTO payments (id, installation_id, dedup_key, kind, status, request_fingerprint, "
                        "created_at, updated_at) VALUES (:id, 1, :key, 'payment', :status, 'f', :now, :now)"
                    ),
                    {"id": row_id, "key": f"initialize:{row_id}", "status": status, "now": now},
                )
            connection.execute(
                text(
                    "INSERT INTO kickback_notifications (id, installation_id, received_at, psp_reference, result, "
                    "matched, payment_id, outcome, processed_at) VALUES (7, 1, :now, '1001', '1', :true, 1, "
                    "'resolved', :now)"
                ),
                {"now": now, "true": True},
            )
    finally:
        engine.dispose()


def test_upgrading_seals_the_kickback_secret_and_marks_what_settled_each_payment(empty_database_url: str) -> None:
    _upgrade_to(empty_database_url, "0002")
    _seed_revision_0002(empty_database_url)
    box = SecretBox.from_secret(SecretStr(generate_key()))

    with pytest.raises(RuntimeError, match="seals the kickback secrets"):
        upgrade_to_head(empty_database_url)  # no key: refused, nothing half done
    assert current_revision(empty_database_url) == "0002"
    upgrade_to_head(empty_database_url, secret_box=box)

    engine = create_sync_engine_from_url(empty_database_url)
    try:
        with engine.connect() as connection:
            installation = connection.execute(
                text("SELECT kickback_secret_hash, kickback_secret_encrypted FROM installations")
            ).one()
            payments = connection.execute(text("SELECT id, settled_by, claim_id FROM payments ORDER BY id")).all()
            notification = connection.execute(text("SELECT state, fingerprint FROM kickback_notifications")).one()
    finally:
        engine.dispose()
    secret = "plain-kickback-secret-0123456789"
    assert installation[0] == hashlib.sha256(secret.encode()).hexdigest()
    opened = box.decrypt(installation[1], context="installations.kickback_secret:https://s.example/graphql/")
    assert opened.get_secret_value() == secret
    assert [tuple(row) for row in payments] == [(1, "notification", 7), (2, None, None)]
    assert notification[0] == "applied" and len(notification[1]) == 64


def test_a_channel_in_product_mode_keeps_the_capture_the_app_assumed_until_0004(empty_database_url: str) -> None:
    _upgrade_to(empty_database_url, "0003")
    engine = create_sync_engine_from_url(empty_database_url)
    now = datetime(2026, 12, 1, tzinfo=UTC).replace(tzinfo=None)
    try:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO installations (id, saleor_api_url, domain, app_id, app_token_encrypted, jwks, "
                    "kickback_secret_hash, kickback_secret_encrypted, kickback_secret_created_at, created_at, "
                    "updated_at) VALUES (1, 'https://s.example/graphql/', 's', 'a', 'rpenc1:x:y', NULL, :hash, "
                    "'rpenc1:x:z', :now, :now, :now)"
                ),
                {"now": now, "hash": "0" * 64},
            )
            for row_id, product_mode in ((1, True), (2, False)):
                connection.execute(
                    text(
                        "INSERT INTO channel_configs (id, installation_id, channel_slug, store_id, gateway_base_url, "
                        "job_type, token_mode, payment_methods, installment_counts, product_mode, "
                        "product_code_metadata_key, save_cards_allowed, cvv_required, split_tax_and_shipping, "
                        "updated_at) VALUES (:id, 1, :slug, '000000', 'https://g/gateway/', 'AUTH', 'popup', "
                        "'[\"10\"]', '[]', :product, 'k', :true, :false, :false, :now)"
                    ),
                    {
                        "id": row_id,
                        "slug": f"c{row_id}",
                        "product": product_mode,
                        "now": now,
                        "true": True,
                        "false": False,
                    },
                )
    finally:
        engine.dispose()

    upgrade_to_head(empty_database_url, secret_box=SecretBox.from_secret(SecretStr(generate_key())))

    engine = create_sync_engine_from_url(empty_database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, product_job_type FROM channel_configs ORDER BY id")).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in rows] == [(1, "CAPTURE"), (2, None)]

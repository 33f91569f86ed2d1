from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from robotpayment_app.store.command import add_command
from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.migrations import current_revision, head_revision
from robotpayment_app.store.repositories import Store


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ROBOTPAYMENT_APP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _migrate(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="robotpayment-app")
    add_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["migrate", *argv])
    return int(args.run(args))


def test_migrate_brings_an_empty_database_to_head(
    empty_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _migrate("--check", "--database-url", empty_database_url) == 1
    assert "at an empty schema" in capsys.readouterr().out

    assert _migrate("--database-url", empty_database_url) == 0
    assert f"schema at revision {head_revision()}" in capsys.readouterr().out
    assert current_revision(empty_database_url) == head_revision()
    assert _migrate("--check", "--database-url", empty_database_url) == 0


def test_migrate_uses_the_settings_database_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATA_DIR", str(tmp_path / "state"))

    assert _migrate() == 0

    assert (tmp_path / "state" / "robotpayment-app.sqlite3").exists()
    assert str(tmp_path / "state") in capsys.readouterr().out


def test_bad_configuration_exits_2_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATABASE_URL", "mysql://db/app")
    assert _migrate() == 2
    assert "ROBOTPAYMENT_APP_DATABASE_URL: unsupported scheme 'mysql'" in capsys.readouterr().err


def test_unreachable_database_exits_1_without_the_password(capsys: pytest.CaptureFixture[str]) -> None:
    assert _migrate("--database-url", "postgresql://app:pw-s3cret@127.0.0.1:1/none") == 1
    error = capsys.readouterr().err
    assert "postgresql+psycopg://app:***@127.0.0.1:1/none" in error
    assert "pw-s3cret" not in error


async def test_reencrypt_secrets_rotates_to_the_first_key(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = generate_key(), generate_key()
    engine = create_engine_from_url(database_url)
    try:
        store = Store.create(create_session_factory(engine), SecretBox.from_secret(SecretStr(old)))
        installation = await store.installations.upsert(
            saleor_api_url="https://s.example/graphql/",
            domain="s",
            app_id="a",
            app_token=SecretStr("tok"),
            jwks=None,
        )
        await store.customers.create(
            installation_id=installation.id,
            store_id="000001",
            saleor_user_id="u",
            gateway_customer_id="g",
            gateway_key=SecretStr("key"),
        )
        await engine.dispose()
        monkeypatch.setenv("ROBOTPAYMENT_APP_ENCRYPTION_KEY", f"{new},{old}")

        # the command runs its own event loop, as from a shell: give it a thread
        assert await asyncio.to_thread(_migrate, "--database-url", database_url, "--reencrypt-secrets") == 0
        # the app token, the kickback secret and the gateway key
        assert "re-sealed 3 secret(s)" in capsys.readouterr().out

        only_new = Store.create(create_session_factory(engine), SecretBox.from_secret(SecretStr(new)))
        reread = await only_new.installations.get(installation.id)
        assert reread is not None and reread.app_token.get_secret_value() == "tok"
        assert reread.kickback_secret == installation.kickback_secret
        customers = await only_new.customers.list_for_installation(installation.id)
        assert [customer.gateway_key.get_secret_value() for customer in customers] == ["key"]
        assert await asyncio.to_thread(_migrate, "--database-url", database_url, "--reencrypt-secrets") == 0
        assert "re-sealed 0 secret(s)" in capsys.readouterr().out
    finally:
        await engine.dispose()

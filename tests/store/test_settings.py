from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pydantic import SecretStr

from robotpayment_app.settings import (
    AppSettings,
    Environment,
    SettingsError,
    load_encryption_key,
    load_settings,
)
from robotpayment_app.store.crypto import SecretBox, generate_key


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("ROBOTPAYMENT_APP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def _problems(**values: object) -> dict[str, str]:
    with pytest.raises(SettingsError) as raised:
        load_settings(**values)
    return dict(raised.value.problems)


def test_defaults_put_the_database_and_data_under_data_dir(tmp_path: Path) -> None:
    settings = load_settings()

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path}/data/robotpayment-app.sqlite3"
    assert settings.public_url == "http://127.0.0.1:8000"
    assert settings.encryption_key is None
    assert settings.gateway_total_timeout_seconds <= 15
    assert settings.apply_migrations_on_start is True


def test_values_come_from_prefixed_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    key = generate_key()
    monkeypatch.setenv("ROBOTPAYMENT_APP_ENVIRONMENT", "Production")
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATABASE_URL", "postgresql://app:s3cret@db.internal:5432/payments")
    monkeypatch.setenv("ROBOTPAYMENT_APP_PUBLIC_URL", "https://pay.example.com/")
    monkeypatch.setenv("ROBOTPAYMENT_APP_ENCRYPTION_KEY", key)
    monkeypatch.setenv(
        "ROBOTPAYMENT_APP_SALEOR_API_URL_ALLOWLIST", "https://*.saleor.cloud/graphql/ , https://a.b/g/"
    )
    monkeypatch.setenv("ROBOTPAYMENT_APP_GATEWAY_READ_TIMEOUT_SECONDS", "9.5")
    monkeypatch.setenv("ROBOTPAYMENT_APP_LOG_LEVEL", "debug")
    monkeypatch.setenv("ROBOTPAYMENT_APP_APPLY_MIGRATIONS_ON_START", "false")

    settings = load_settings()

    assert settings.environment is Environment.PRODUCTION
    assert settings.database_url == "postgresql+psycopg://app:s3cret@db.internal:5432/payments"
    assert settings.public_url == "https://pay.example.com"
    assert settings.encryption_key is not None and settings.encryption_key.get_secret_value() == key
    assert settings.saleor_api_url_allowlist == ["https://*.saleor.cloud/graphql/", "https://a.b/g/"]
    assert settings.gateway_read_timeout_seconds == 9.5
    assert settings.log_level == "DEBUG"
    assert settings.apply_migrations_on_start is False


@pytest.mark.parametrize(
    ("given", "normalized"),
    [
        ("sqlite:///relative/app.db", "sqlite+aiosqlite:///relative/app.db"),
        ("sqlite:////abs/app.db", "sqlite+aiosqlite:////abs/app.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_database_urls_are_normalised_to_the_async_drivers(given: str, normalized: str) -> None:
    assert load_settings(database_url=given).database_url == normalized


@pytest.mark.parametrize(
    ("variable", "value", "rule"),
    [
        ("database_url", "mysql://h/db", "unsupported scheme 'mysql'"),
        ("database_url", "sqlite://", "in-memory SQLite is not supported"),
        ("database_url", "sqlite:///:memory:", "in-memory SQLite is not supported"),
        ("database_url", "postgresql://host/", "needs a database name"),
        ("database_url", "nonsense", "must look like"),
        ("public_url", "ftp://example.com", "must be an http(s) URL"),
        ("environment", "staging", "'development' or 'production'"),
        ("log_level", "LOUD", "'DEBUG', 'INFO', 'WARNING', 'ERROR' or 'CRITICAL'"),
        ("gateway_read_timeout_seconds", "soon", "valid number"),
        ("gateway_connect_timeout_seconds", "0", "greater than 0"),
        ("gateway_read_timeout_seconds", "16", "must not exceed the total timeout"),
        ("apply_migrations_on_start", "perhaps", "valid boolean"),
        ("database_pool_size", "0", "greater than or equal to 1"),
        ("database_pool_overflow", "-1", "greater than or equal to 0"),
        ("saleor_api_url_allowlist", "saleor.example.com", "must start with http:// or https://"),
        ("encryption_key", "not-a-key!", "key #1 is not URL-safe base64"),
    ],
)
def test_a_bad_value_names_its_environment_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, rule: str
) -> None:
    name = "ROBOTPAYMENT_APP_" + variable.upper()
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    problems = dict(raised.value.problems)
    assert rule in problems[name]
    assert name in str(raised.value)


def test_production_requires_a_key_and_an_allowlist() -> None:
    problems = _problems(environment="production")

    assert "required in production" in problems["ROBOTPAYMENT_APP_ENCRYPTION_KEY"]
    assert "required in production" in problems["ROBOTPAYMENT_APP_SALEOR_API_URL_ALLOWLIST"]


def test_secret_values_never_appear_in_repr_or_errors() -> None:
    key = generate_key()
    settings = load_settings(encryption_key=key, database_url="postgresql://app:hunter2pw@db/payments")

    assert key not in repr(settings) and key not in str(settings)
    assert "hunter2pw" not in repr(settings)
    assert settings.database_url_for_display == "postgresql+psycopg://app:***@db/payments"
    broken_key = key[:-6]
    problems = _problems(encryption_key=broken_key)
    assert broken_key not in str(problems)


def test_allowlist_patterns_match_within_a_host_or_segment_only() -> None:
    settings = load_settings(saleor_api_url_allowlist="https://*.saleor.cloud/graphql/")

    assert settings.saleor_url_allowlist().permits("https://my-shop.saleor.cloud/graphql/")
    assert not settings.saleor_url_allowlist().permits("https://evil.example/x.saleor.cloud/graphql/")
    assert not settings.saleor_url_allowlist().permits("https://evil.example#.saleor.cloud/graphql/")
    assert not settings.saleor_url_allowlist().permits("https://my-shop.saleor.cloud/graphql/extra")
    assert not settings.saleor_url_allowlist().permits("http://my-shop.saleor.cloud/graphql/")


def test_an_empty_allowlist_allows_any_saleor_in_development_only() -> None:
    assert load_settings().saleor_url_allowlist().permits("http://localhost:8000/graphql/")
    production = AppSettings.model_construct(environment=Environment.PRODUCTION, saleor_api_url_allowlist=[])
    assert not production.saleor_url_allowlist().permits("http://localhost:8000/graphql/")


def test_development_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = load_settings()

    first = load_encryption_key(settings)
    key_file = tmp_path / "data" / "encryption.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_encryption_key(load_settings()).get_secret_value() == first.get_secret_value()
    box = SecretBox.from_secret(first)
    assert box.decrypt(box.encrypt("x", context="c"), context="c").get_secret_value() == "x"


def test_development_key_file_with_loose_permissions_is_tightened(tmp_path: Path) -> None:
    key_file = tmp_path / "data" / "encryption.key"
    key_file.parent.mkdir()
    key_file.write_text(generate_key())
    key_file.chmod(0o644)

    load_encryption_key(load_settings())

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


def test_a_configured_key_is_used_as_is_and_no_file_is_written(tmp_path: Path) -> None:
    key = generate_key()
    assert load_encryption_key(load_settings(encryption_key=key)) == SecretStr(key)
    assert not (tmp_path / "data" / "encryption.key").exists()


def test_outside_development_a_missing_key_refuses_to_start() -> None:
    settings = AppSettings.model_construct(environment=Environment.PRODUCTION, encryption_key=None)
    with pytest.raises(SettingsError, match="ROBOTPAYMENT_APP_ENCRYPTION_KEY: required in production"):
        load_encryption_key(settings)


def test_an_allowlist_pattern_registration_cannot_apply_is_refused_at_start() -> None:
    """Found in review: `https://shop*.example.com/graphql/` passed the settings and made /api/register a 500."""
    problems = _problems(saleor_api_url_allowlist="https://shop*.example.com/graphql/")
    assert "ROBOTPAYMENT_APP_SALEOR_API_URL_ALLOWLIST" in problems

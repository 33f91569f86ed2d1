"""Application settings, read from `ROBOTPAYMENT_APP_*` environment variables.

`load_settings()` is the entry point: it turns every invalid value into a `SettingsError` whose message names
the environment variable and the rule, never the value of a secret.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from robotpayment_app.saleor.registration import InvalidAllowlistPattern, SaleorUrlAllowlist
from robotpayment_app.store.crypto import EncryptionKeyError, generate_key, parse_keys
from robotpayment_app.store.database_urls import DatabaseUrlError, normalize_database_url, redact_database_url

ENV_PREFIX = "ROBOTPAYMENT_APP_"
DATABASE_FILE_NAME = "robotpayment-app.sqlite3"
ENCRYPTION_KEY_FILE_NAME = "encryption.key"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


def env_var(field_name: str) -> str:
    """The environment variable that sets `field_name`."""
    return ENV_PREFIX + field_name.upper()


class SettingsError(Exception):
    """Invalid configuration. `problems` holds (environment variable, rule) pairs."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        self.problems = list(problems)
        super().__init__(
            "invalid configuration: " + "; ".join(f"{name}: {rule}" for name, rule in self.problems)
        )


class AppSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        case_sensitive=False,
        extra="ignore",
        frozen=True,
        validate_default=True,
    )

    environment: Environment = Environment.DEVELOPMENT
    data_dir: Path = Field(
        default=Path("data"), description="folder for the SQLite file and the development key"
    )
    database_url: str = Field(
        default="",
        repr=False,  # may hold a password; see `database_url_for_display`
        description="sqlite:///… or postgresql://…; default: a SQLite file in data_dir",
    )
    public_url: str = Field(
        default="http://127.0.0.1:8000", description="where Saleor and browsers reach the app"
    )
    encryption_key: SecretStr | None = Field(
        default=None, description="comma-separated keys, newest first; required in production"
    )
    saleor_api_url_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Saleor API URLs allowed to install (`*` matches within one host or path segment); "
        "empty allows any, in development only",
    )
    gateway_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="in production, hosts a channel's gateway URL may name besides credit.j-payment.co.jp "
        "(an egress proxy); they must resolve to public addresses",
    )
    gateway_connect_timeout_seconds: float = Field(default=3.0, gt=0, le=60)
    gateway_read_timeout_seconds: float = Field(default=12.0, gt=0, le=60)
    # Saleor waits 2 s + 18 s for a sync webhook: the whole gateway call must end well before
    gateway_total_timeout_seconds: float = Field(default=15.0, gt=0, le=60)
    log_level: LogLevel = "INFO"
    apply_migrations_on_start: bool = True
    # PostgreSQL connections each process keeps open, and how many more it may open at a busy moment
    database_pool_size: int = Field(default=20, ge=1, le=500)
    database_pool_overflow: int = Field(default=10, ge=0, le=500)
    # saved-card lists served from memory while no card changed (store/card_lists.py); PostgreSQL needs LISTEN
    card_list_cache: bool = True
    # a result notification that may settle a payment waits this long for a contradicting one first
    notification_hold_seconds: float = Field(default=60.0, ge=0, le=86_400)
    # a payment without an outcome for this long is logged (once) and counted in /metrics for a person
    unresolved_alert_minutes: float = Field(default=15.0, gt=0, le=43_200)

    @field_validator("environment", mode="before")
    @classmethod
    def _environment_lowercase(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level_uppercase(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("data_dir")
    @classmethod
    def _absolute_data_dir(cls, value: Path) -> Path:
        return value.expanduser().absolute()

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http(s) URL such as https://payments.example.com")
        if parts.query or parts.fragment:
            raise ValueError("must not have a query or fragment")
        return value.strip().rstrip("/")

    @field_validator("encryption_key")
    @classmethod
    def _well_formed_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        try:
            parse_keys(value.get_secret_value())
        except EncryptionKeyError as error:
            raise ValueError(str(error)) from None
        return value

    @field_validator("saleor_api_url_allowlist", mode="before")
    @classmethod
    def _split_patterns(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [pattern for pattern in re.split(r"[\s,]+", value.strip()) if pattern]
        return value

    @field_validator("gateway_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [host for host in re.split(r"[\s,]+", value.strip().lower()) if host]
        return value

    @field_validator("gateway_hosts")
    @classmethod
    def _bare_host_names(cls, value: list[str]) -> list[str]:
        for host in value:
            if not re.fullmatch(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+", host):
                raise ValueError(f"{host!r} must be a host name such as proxy.example.com (no scheme, port or path)")
        return value

    @field_validator("saleor_api_url_allowlist")
    @classmethod
    def _http_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            if not pattern.startswith(("http://", "https://")):
                raise ValueError(f"pattern {pattern!r} must start with http:// or https://")
        try:
            SaleorUrlAllowlist(value)  # one set of pattern rules: the ones registration applies
        except InvalidAllowlistPattern as error:
            raise ValueError(str(error)) from None
        return value

    @model_validator(mode="after")
    def _derived_and_production_rules(self) -> Self:
        problems: list[tuple[str, str]] = []
        try:
            url = self.database_url.strip() or f"sqlite:///{self.data_dir / DATABASE_FILE_NAME}"
            object.__setattr__(self, "database_url", normalize_database_url(url))
        except DatabaseUrlError as error:
            problems.append((env_var("database_url"), str(error)))
        if self.gateway_connect_timeout_seconds > self.gateway_total_timeout_seconds:
            problems.append((env_var("gateway_connect_timeout_seconds"), "must not exceed the total timeout"))
        if self.gateway_read_timeout_seconds > self.gateway_total_timeout_seconds:
            problems.append((env_var("gateway_read_timeout_seconds"), "must not exceed the total timeout"))
        if self.environment is Environment.PRODUCTION:
            if self.encryption_key is None:
                problems.append(
                    (env_var("encryption_key"), "required in production (keep it outside the database)")
                )
            if not self.saleor_api_url_allowlist:
                problems.append(
                    (
                        env_var("saleor_api_url_allowlist"),
                        "required in production: list the Saleor API URLs allowed",
                    )
                )
        if problems:
            raise _Problems(problems)
        return self

    @property
    def database_url_for_display(self) -> str:
        return redact_database_url(self.database_url)

    def saleor_url_allowlist(self) -> SaleorUrlAllowlist:
        """Who may install the app: the configured patterns; an empty list allows any, in development only."""
        return SaleorUrlAllowlist(
            self.saleor_api_url_allowlist, allow_any=self.environment is Environment.DEVELOPMENT
        )


class _Problems(ValueError):
    """Raised from the model validator to carry problems already named by variable."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {rule}" for name, rule in problems))
        self.problems = problems


def load_settings(**overrides: Any) -> AppSettings:
    """Read the settings from the environment (`overrides` win, by field name).

    Raises `SettingsError` naming each offending variable.
    """
    try:
        return AppSettings(**overrides)
    except ValidationError as error:
        raise SettingsError(_problems_of(error)) from None


def _problems_of(error: ValidationError) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for detail in error.errors(include_input=False, include_url=False):
        location = detail.get("loc", ())
        context = detail.get("ctx") or {}
        cause = context.get("error")
        if isinstance(cause, _Problems):
            problems.extend(cause.problems)
            continue
        message = str(cause) if isinstance(cause, ValueError) else detail.get("msg", "invalid value")
        name = env_var(str(location[0])) if location else ENV_PREFIX + "*"
        problems.append((name, message))
    return problems


def load_encryption_key(settings: AppSettings) -> SecretStr:
    """The configured encryption key(s), or in development a key kept in `<data_dir>/encryption.key`.

    The development key file is created once (mode 0600) and reused, so restarts can read what was sealed.
    """
    if settings.encryption_key is not None:
        return settings.encryption_key
    if settings.environment is not Environment.DEVELOPMENT:
        raise SettingsError([(env_var("encryption_key"), "required in production")])
    return SecretStr(_development_key(settings.data_dir / ENCRYPTION_KEY_FILE_NAME))


def _development_key(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # write aside, then link into place: a concurrent starter either wins or reads the winner's key
        staging = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(generate_key() + "\n")
            with contextlib.suppress(FileExistsError):  # another process won: use its key
                os.link(staging, path)
        finally:
            staging.unlink(missing_ok=True)
    if path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
    key = path.read_text(encoding="ascii").strip()
    try:
        parse_keys(key)
    except EncryptionKeyError as error:
        raise SettingsError([(str(path), f"development key file is damaged ({error}); remove it")]) from None
    return key

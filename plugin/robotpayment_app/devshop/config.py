"""Configuration of the devshop: what it seeds, how it signs and how it talks to apps."""

from __future__ import annotations

import secrets
import string
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

TransactionFlow = Literal["CHARGE", "AUTHORIZATION"]


_PASSWORD_ALPHABET = string.ascii_letters + string.digits


def _random_password() -> SecretStr:
    # letters and digits only, so the printed password pastes cleanly into any command line
    return SecretStr("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(16)))


class SeedAccount(BaseModel):
    """A seeded user; the password is random per run unless given, and never shown in reprs."""

    model_config = ConfigDict(frozen=True)

    email: str
    password: SecretStr = Field(default_factory=_random_password)
    first_name: str
    last_name: str


class DevshopConfig(BaseModel):
    """Everything `create_devshop_app` needs. Tests shorten the TTLs and delays."""

    model_config = ConfigDict(frozen=True)

    # Origin the devshop is reachable at; the API URL is `<public_url>/graphql/` as on Saleor.
    public_url: str = "http://127.0.0.1:8000"
    channel_slug: str = "default-channel"
    channel_name: str = "Default channel"
    default_transaction_flow: TransactionFlow = "CHARGE"
    shopper: SeedAccount = SeedAccount(email="shopper@example.com", first_name="Hanako", last_name="Suzuki")
    staff: SeedAccount = SeedAccount(email="staff@example.com", first_name="Taro", last_name="Yamada")
    # PEM file with an RSA private key; None generates a fresh key at start-up.
    signing_key_path: Path | None = None
    access_token_ttl_seconds: int = Field(default=300, gt=0)
    # Saleor caches LIST_STORED_PAYMENT_METHODS answers for 300 s; 0 disables the cache.
    stored_methods_cache_ttl_seconds: float = Field(default=300.0, ge=0)
    sync_connect_timeout_seconds: float = Field(default=2.0, gt=0)
    sync_read_timeout_seconds: float = Field(default=18.0, gt=0)
    async_timeout_seconds: float = Field(default=10.0, gt=0)
    # charge/refund/cancel requests are re-sent this many times when the app answers 5xx.
    action_retry_count: int = Field(default=5, ge=0)
    action_retry_delay_seconds: float = Field(default=0.5, ge=0)
    # browsers on these origins may call /graphql/ (Saleor's ALLOWED_GRAPHQL_ORIGINS, "*" by default)
    allowed_graphql_origins: tuple[str, ...] = ("*",)
    saleor_version: str = "3.24.0"
    schema_version: str = "3.24"

    @field_validator("public_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("public_url must start with http:// or https://")
        return value.rstrip("/")

    @property
    def api_url(self) -> str:
        return f"{self.public_url}/graphql/"

    @property
    def domain(self) -> str:
        """Host[:port] as Saleor sends it in `Saleor-Domain`."""
        return self.public_url.split("://", 1)[1].split("/", 1)[0]

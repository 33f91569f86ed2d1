from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLSchema, build_schema

from .support import SCHEMA_PATH, SigningKey, captured_deliveries, captured_jwks


@pytest.fixture(scope="session")
def saleor_schema() -> GraphQLSchema:
    """Saleor's schema (~1 MB): built once per session."""
    return build_schema(SCHEMA_PATH.read_text(encoding="utf-8"), assume_valid=True, assume_valid_sdl=True)


@pytest.fixture(scope="session")
def deliveries() -> dict[str, dict[str, Any]]:
    return captured_deliveries()


@pytest.fixture(scope="session")
def saleor_jwks() -> dict[str, Any]:
    return captured_jwks()


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate("local-key-1")


@pytest.fixture(scope="session")
def other_signing_key() -> SigningKey:
    return SigningKey.generate("local-key-2")

"""Fixtures for the store tests: a key box and the repositories on the test database."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.records import Installation
from robotpayment_app.store.repositories import Store

SALEOR_API_URL = "https://shop.example.com/graphql/"
APP_TOKEN = "app-token-Zq8yQ1x7"


@pytest.fixture
def secret_box() -> SecretBox:
    return SecretBox.from_secret(SecretStr(generate_key()))


@pytest.fixture
def store(session_factory: SessionFactory, secret_box: SecretBox) -> Store:
    return Store.create(session_factory, secret_box)


@pytest.fixture
async def installation(store: Store) -> Installation:
    return await store.installations.upsert(
        saleor_api_url=SALEOR_API_URL,
        domain="shop.example.com",
        app_id="QXBwOjE=",
        app_token=SecretStr(APP_TOKEN),
        jwks={"keys": [{"kid": "k1", "kty": "RSA", "n": "abc", "e": "AQAB"}]},
    )

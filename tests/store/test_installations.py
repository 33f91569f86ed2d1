from __future__ import annotations

import hashlib

from pydantic import SecretStr
from sqlalchemy import text

from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.records import (
    CardDetails,
    ChannelSettings,
    Installation,
    KickbackNotice,
    LedgerIntent,
    LedgerKind,
)
from robotpayment_app.store.repositories import Store
from tests.store.conftest import APP_TOKEN, SALEOR_API_URL


async def _raw(session_factory: SessionFactory, query: str) -> list[tuple[object, ...]]:
    async with session_factory() as session:
        return [tuple(row) for row in (await session.execute(text(query))).all()]


async def test_installation_is_stored_and_found(store: Store, installation: Installation) -> None:
    found = await store.installations.get_by_api_url(SALEOR_API_URL)

    assert found == installation
    assert found is not None
    assert found.app_token.get_secret_value() == APP_TOKEN
    assert found.jwks == {"keys": [{"kid": "k1", "kty": "RSA", "n": "abc", "e": "AQAB"}]}
    assert await store.installations.get(installation.id) == installation
    assert await store.installations.get_by_kickback_secret(installation.kickback_secret) == installation
    assert await store.installations.get_by_api_url("https://other.example.com/graphql/") is None
    assert await store.installations.list_all() == [installation]


async def test_app_token_column_never_holds_the_plaintext(
    session_factory: SessionFactory, installation: Installation
) -> None:
    rows = await _raw(session_factory, "SELECT app_token_encrypted FROM installations")

    assert len(rows) == 1
    stored = str(rows[0][0])
    assert APP_TOKEN not in stored
    assert stored.startswith("rpenc1:")


async def test_the_kickback_secret_is_sealed_at_rest_and_found_by_its_hash(
    session_factory: SessionFactory, installation: Installation
) -> None:
    [(digest, sealed)] = await _raw(
        session_factory, "SELECT kickback_secret_hash, kickback_secret_encrypted FROM installations"
    )
    dumped = " ".join(str(value) for row in await _raw(session_factory, "SELECT * FROM installations") for value in row)

    assert installation.kickback_secret not in dumped
    assert str(sealed).startswith("rpenc1:")
    assert digest == hashlib.sha256(installation.kickback_secret.encode()).hexdigest()


async def test_a_rotated_kickback_secret_replaces_the_old_one(store: Store, installation: Installation) -> None:
    rotated = await store.installations.rotate_kickback_secret(installation.id)

    assert rotated.kickback_secret != installation.kickback_secret and len(rotated.kickback_secret) >= 32
    assert rotated.kickback_secret_created_at is not None
    assert installation.kickback_secret_created_at is not None
    assert rotated.kickback_secret_created_at >= installation.kickback_secret_created_at
    assert await store.installations.get_by_kickback_secret(installation.kickback_secret) is None
    assert await store.installations.get_by_kickback_secret(rotated.kickback_secret) == rotated
    assert (await store.installations.get(installation.id)) == rotated


async def test_secrets_stay_out_of_the_record_repr(installation: Installation) -> None:
    assert APP_TOKEN not in repr(installation)
    assert installation.kickback_secret not in repr(installation)


async def test_reinstall_replaces_the_token_and_keeps_id_and_kickback_secret(
    store: Store, installation: Installation
) -> None:
    again = await store.installations.upsert(
        saleor_api_url=SALEOR_API_URL,
        domain="shop.example.com",
        app_id="QXBwOjI=",
        app_token=SecretStr("second-token"),
        jwks=None,
    )

    assert again.id == installation.id
    assert again.kickback_secret == installation.kickback_secret
    assert again.app_id == "QXBwOjI="
    assert again.app_token.get_secret_value() == "second-token"
    assert again.jwks is None
    assert again.created_at == installation.created_at
    assert len(await store.installations.list_all()) == 1


async def test_each_installation_gets_its_own_url_safe_kickback_secret(
    store: Store, installation: Installation
) -> None:
    other = await store.installations.upsert(
        saleor_api_url="https://other.example.com/graphql/",
        domain="other.example.com",
        app_id="QXBwOjM=",
        app_token=SecretStr("t"),
        jwks=None,
    )

    assert other.kickback_secret != installation.kickback_secret
    assert len(other.kickback_secret) >= 32
    assert all(char.isalnum() or char in "-_" for char in other.kickback_secret)


async def test_jwks_can_be_replaced(store: Store, installation: Installation) -> None:
    updated = await store.installations.update_jwks(installation.id, {"keys": []})
    assert updated.jwks == {"keys": []}
    assert (await store.installations.get(installation.id)) == updated


async def test_deleting_an_installation_removes_everything_stored_for_it(
    store: Store, installation: Installation, session_factory: SessionFactory
) -> None:
    await store.channels.upsert(installation.id, "default-channel", ChannelSettings(store_id="123456"))
    customer = await store.customers.create(
        installation_id=installation.id,
        store_id="123456",
        saleor_user_id="VXNlcjox",
        gateway_customer_id="u1",
        gateway_key=SecretStr("k"),
    )
    await store.cards.add(customer.id, 1, CardDetails(masked_number="*****1111"))
    begun = await store.ledger.begin(installation.id, "init:a", "f", LedgerIntent(kind=LedgerKind.PAYMENT))
    notice = KickbackNotice(psp_reference="1", result="1", fingerprint="f" * 64)
    recorded = await store.kickbacks.record(installation.id, notice)
    assert begun.created and recorded.first

    assert await store.installations.delete(SALEOR_API_URL) is True

    for table in (
        "installations",
        "channel_configs",
        "customers",
        "cards",
        "payments",
        "kickback_notifications",
    ):
        assert await _raw(session_factory, f"SELECT id FROM {table}") == [], table  # noqa: S608 (fixed names)
    assert await store.installations.delete(SALEOR_API_URL) is False

"""ROBOTPAYMENT_APP_CARD_LIST_CACHE: the app's services serve saved-card lists from memory unless it is off."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import text

from robotpayment_app.settings import load_settings
from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.records import CardDetails
from robotpayment_app.store.repositories import Store
from robotpayment_app.web.services import open_services

USER = "VXNlcjox"


@pytest.mark.parametrize("enabled", [True, False])
async def test_lists_are_cached_only_when_the_setting_is_on(database_url: str, tmp_path: Path, enabled: bool) -> None:
    key = SecretStr(generate_key())
    settings = load_settings(
        database_url=database_url,
        data_dir=tmp_path,
        encryption_key=key,
        apply_migrations_on_start=False,
        card_list_cache=enabled,
    )
    engine = create_engine_from_url(database_url)
    try:
        # written without announcing (another tool, an operator): this process's own notifications would race
        # with the reads below on PostgreSQL, where a process also hears its own NOTIFY a moment after commit
        quiet = Store.create(create_session_factory(engine), SecretBox.from_secret(key))
        async with open_services(settings) as services:
            store = services.store
            installation = await quiet.installations.upsert(
                saleor_api_url="https://shop.example.com/graphql/",
                domain="shop.example.com",
                app_id="QXBwOjE=",
                app_token=SecretStr("app-token-0123456789"),
                jwks={"keys": []},
            )
            customer = await quiet.customers.create(
                installation_id=installation.id,
                store_id="000123",
                saleor_user_id=USER,
                gateway_customer_id="rp-user",
                gateway_key=SecretStr("k" * 16),
                email="user@example.com",
            )
            card = await quiet.cards.add(customer.id, 1, CardDetails(masked_number="************1111", brand="VISA"))
            assert await store.cards.list_for_webhook(installation.id, "000123", USER) == [card]
            async with engine.begin() as connection:  # behind the app's back: nothing is announced
                await connection.execute(text("DELETE FROM cards"))
            listed = await store.cards.list_for_webhook(installation.id, "000123", USER)
    finally:
        await engine.dispose()

    assert listed == ([card] if enabled else [])

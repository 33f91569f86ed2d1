"""Installation through the real routes: POST /api/register against a fake Saleor (GraphQL + JWKS), and the
APP_DELETED webhook that forgets everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.settings import AppSettings, load_encryption_key
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.installations import app_token_context
from robotpayment_app.store.tables import InstallationRow
from tests.support.app_harness import CHANNEL_SLUG, AppHarness
from tests.support.fake_saleor import SALEOR_API_URL
from tests.web.apps import app_settings, running_app
from tests.web.dashboard import call_config_api

NEW_SHOP_URL = "https://second-shop.example.com/graphql/"


async def _register(
    harness_client: Any, token: str | None, api_url: str = NEW_SHOP_URL, domain: str = "second-shop.example.com"
) -> Any:
    body = {"auth_token": token} if token is not None else {}
    return await harness_client.post(
        "/api/register", json=body, headers={"Saleor-Api-Url": api_url, "Saleor-Domain": domain}
    )


async def test_register_proves_the_token_and_stores_the_installation_with_its_jwks(app_harness: AppHarness) -> None:
    saleor = app_harness.saleor
    response = await _register(app_harness.client, saleor.app_token)
    assert response.status_code == 200
    assert response.json() == {"success": True}
    assert [call["query"] for call in saleor.graphql_calls if "app" in call["query"]], "token not proven"
    assert saleor.jwks_fetches == 1
    installation = await app_harness.services.store.installations.get_by_api_url(NEW_SHOP_URL)
    assert installation is not None
    assert installation.app_id == saleor.app_id
    assert installation.domain == "second-shop.example.com"
    assert installation.app_token.get_secret_value() == saleor.app_token
    assert installation.jwks == saleor.signing_key.jwks()


async def test_a_token_saleor_refuses_installs_nothing(app_harness: AppHarness) -> None:
    response = await _register(app_harness.client, "forged-token")
    assert response.status_code == 401
    assert response.json() == {
        "success": False,
        "error": {"code": "INVALID_TOKEN", "message": "Saleor did not accept the app token."},
    }
    assert await app_harness.services.store.installations.get_by_api_url(NEW_SHOP_URL) is None


async def test_reinstalling_replaces_the_token(app_harness: AppHarness) -> None:
    saleor = app_harness.saleor
    old_token, new_token = "first-install-token-7d1e", "second-install-token-93b0"
    saleor.app_token = old_token
    assert (await _register(app_harness.client, old_token)).json() == {"success": True}
    first = await app_harness.services.store.installations.get_by_api_url(NEW_SHOP_URL)
    saleor.app_token = new_token
    assert (await _register(app_harness.client, new_token)).json() == {"success": True}
    second = await app_harness.services.store.installations.get_by_api_url(NEW_SHOP_URL)
    assert first is not None and second is not None
    assert second.app_token.get_secret_value() == new_token
    # same row and kickback URL: saved cards and the gateway's notification URL stay valid
    assert (second.id, second.kickback_secret) == (first.id, first.kickback_secret)

    sealed = await _sealed_tokens(app_harness.services.settings, NEW_SHOP_URL)
    assert len(sealed) == 1
    assert old_token not in sealed[0] and new_token not in sealed[0]
    box = SecretBox.from_secret(load_encryption_key(app_harness.services.settings))
    assert box.decrypt(sealed[0], context=app_token_context(NEW_SHOP_URL)).get_secret_value() == new_token


async def _sealed_tokens(settings: AppSettings, api_url: str) -> list[str]:
    """The app token column as stored, read straight from the database."""
    engine = create_engine_from_url(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            query = select(InstallationRow.app_token_encrypted).where(InstallationRow.saleor_api_url == api_url)
            return list(await session.scalars(query))
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("body", "headers", "code"),
    [
        (b"not json", {}, "MISSING_AUTH_TOKEN"),
        (b'{"token": "abc"}', {}, "MISSING_AUTH_TOKEN"),
        (b'{"auth_token": 12}', {}, "MISSING_AUTH_TOKEN"),
        (b'{"auth_token": "abc"}', {"Saleor-Api-Url": ""}, "MISSING_SALEOR_API_URL"),
        (b'{"auth_token": "abc"}', {"Saleor-Domain": ""}, "MISSING_SALEOR_DOMAIN"),
        (b'{"auth_token": "abc"}', {"Saleor-Api-Url": "ftp://shop.example.com/graphql/"}, "INVALID_SALEOR_API_URL"),
    ],
)
async def test_a_bad_register_request_gets_a_400_in_saleors_form(
    app_harness: AppHarness, body: bytes, headers: dict[str, str], code: str
) -> None:
    sent = {"Saleor-Api-Url": NEW_SHOP_URL, "Saleor-Domain": "second-shop.example.com", **headers}
    response = await app_harness.client.post("/api/register", content=body, headers=sent)
    assert response.status_code == 400
    answer = response.json()
    assert answer["success"] is False
    assert answer["error"]["code"] == code
    assert answer["error"]["message"]
    assert app_harness.saleor.graphql_calls == []
    assert await app_harness.services.store.installations.get_by_api_url(NEW_SHOP_URL) is None


async def test_production_refuses_saleors_outside_the_allow_list(database_url: str, tmp_path: Path) -> None:
    settings = app_settings(
        database_url,
        tmp_path / "data",
        environment="production",
        saleor_api_url_allowlist="https://*.allowed.example/graphql/",
    )
    async with running_app(settings) as (client, services, saleor):
        refused = await _register(client, saleor.app_token, api_url="https://evil.example.com/graphql/")
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "SALEOR_URL_PROHIBITED"
        assert saleor.graphql_calls == [] and saleor.jwks_fetches == 0
        assert await services.store.installations.list_all() == []

        allowed = await _register(client, saleor.app_token, api_url="https://shop.allowed.example/graphql/")
        assert allowed.json() == {"success": True}
        assert [i.saleor_api_url for i in await services.store.installations.list_all()] == [
            "https://shop.allowed.example/graphql/"
        ]


def _app_deleted_payload(app_id: str) -> dict[str, Any]:
    return {
        "version": "3.24.0",
        "issuedAt": "2026-11-28T00:15:29+00:00",
        "recipient": {"id": app_id},
        "app": {"id": app_id},
    }


async def test_app_deleted_removes_the_installation_and_everything_stored_for_it(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    installation = app_harness.installation
    response = await app_harness.deliver(SaleorEvent.APP_DELETED, _app_deleted_payload(installation.app_id))
    assert response.status_code == 200
    store = app_harness.services.store
    assert await store.installations.get_by_api_url(SALEOR_API_URL) is None
    assert await store.channels.get(installation.id, CHANNEL_SLUG) is None
    # from now on the old installation is a stranger
    again = await app_harness.deliver(SaleorEvent.APP_DELETED, _app_deleted_payload(installation.app_id))
    assert again.status_code == 401
    assert (await call_config_api(app_harness, "{ kickbackUrl }")).status_code == 401


async def test_app_deleted_for_another_app_changes_nothing(app_harness: AppHarness) -> None:
    response = await app_harness.deliver(SaleorEvent.APP_DELETED, _app_deleted_payload("QXBwOjk5"))
    assert response.status_code == 403
    assert await app_harness.services.store.installations.get_by_api_url(SALEOR_API_URL) is not None

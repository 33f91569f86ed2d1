"""Calling the configuration API as the Saleor dashboard's app page does: a signed App Bridge token as Bearer,
plus the installation's Saleor-Api-Url."""

from __future__ import annotations

import time
from typing import Any

import httpx

from tests.support.app_harness import AppHarness
from tests.support.fake_saleor import SALEOR_API_URL
from tests.support.signing import SigningKey

HANDLE_PAYMENTS = "HANDLE_PAYMENTS"
MANAGE_APPS = "MANAGE_APPS"


def dashboard_token(
    harness: AppHarness,
    *,
    permissions: tuple[str, ...] = (MANAGE_APPS, HANDLE_PAYMENTS),
    signing_key: SigningKey | None = None,
    app_permissions: tuple[str, ...] | None = None,
    **claims: Any,
) -> str:
    """A JWT like the one Saleor hands the app page, signed with the fake Saleor's key by default.
    `permissions` are the user's (`user_permissions`); `app_permissions`, the `permissions` claim (the user's
    intersected with the app's; default: that intersection with HANDLE_PAYMENTS and MANAGE_USERS)."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "iat": now,
        "exp": now + 300,
        "app": harness.installation.app_id,
        "email": "staff@example.com",
        "user_id": "VXNlcjox",
        "user_permissions": list(permissions),
        "permissions": list(
            app_permissions
            if app_permissions is not None
            else [p for p in permissions if p in ("HANDLE_PAYMENTS", "MANAGE_USERS")]
        ),
        "type": "thirdparty",
        **claims,
    }
    return (signing_key or harness.saleor.signing_key).sign_jwt(payload)


async def call_config_api(
    harness: AppHarness,
    query: str,
    variables: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    api_url: str = SALEOR_API_URL,
) -> httpx.Response:
    headers = {"Saleor-Api-Url": api_url, "Authorization": f"Bearer {token or dashboard_token(harness)}"}
    return await harness.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def graphql_data(
    harness: AppHarness, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None
) -> dict[str, Any]:
    """The `data` of a successful call (fails the test on any error)."""
    response = await call_config_api(harness, query, variables, token=token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data

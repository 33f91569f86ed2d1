"""Installing the stand-in app from its manifest over real loopback HTTP, and refusing bad ones."""

from __future__ import annotations

import jwt
import pytest
from tests.devshop.harness import Harness, Start
from tests.devshop.standin_app import APP_IDENTIFIER, manifest

from robotpayment_app.devshop import ShopError

APP_INSTALL = """
mutation($url: String!, $permissions: [PermissionEnum!]) {
  appInstall(input: {appName: "Stand-in", manifestUrl: $url, permissions: $permissions}) {
    appInstallation { id status message appName manifestUrl }
    errors { field code message }
  }
}
"""


async def test_install_registers_the_token_and_keeps_the_app(shop: Harness) -> None:
    installation = shop.standin.installation
    assert installation is not None
    assert installation.api_url == shop.api_url
    assert installation.app_id == "QXBwOjE="
    assert installation.jwks == shop.devshop.key.jwks()
    app = await shop.data("{ app { id identifier name permissions { code } } }", token=shop.app_token)
    assert app["app"]["id"] == "QXBwOjE="
    assert app["app"]["identifier"] == APP_IDENTIFIER
    assert {p["code"] for p in app["app"]["permissions"]} == {"HANDLE_PAYMENTS", "MANAGE_USERS", "MANAGE_CHECKOUTS"}
    record = shop.devshop.store.app_by_identifier(APP_IDENTIFIER)
    assert record is not None
    assert len(record.webhooks) == len(manifest(shop.standin_url, [])["webhooks"])
    assert token_not_kept_in_clear(shop)


def token_not_kept_in_clear(shop: Harness) -> bool:
    record = shop.devshop.store.app_by_identifier(APP_IDENTIFIER)
    assert record is not None
    return shop.app_token.encode() not in record.token_hash and shop.app_token not in repr(record)


async def test_staff_can_install_with_app_install(start: Start) -> None:
    async with start() as shop:
        staff = await shop.login(shop.devshop.config.staff)
        result = await shop.data(APP_INSTALL, {"url": f"{shop.standin_url}/api/manifest"}, token=staff)
        installation = result["appInstall"]["appInstallation"]
        assert result["appInstall"]["errors"] == []
        assert installation["status"] == "SUCCESS"
        assert shop.standin.installation is not None


async def test_install_can_grant_fewer_permissions_than_asked(start: Start) -> None:
    async with start() as shop:
        staff = await shop.login(shop.devshop.config.staff)
        await shop.data(
            APP_INSTALL, {"url": f"{shop.standin_url}/api/manifest", "permissions": ["HANDLE_PAYMENTS"]}, token=staff
        )
        record = shop.devshop.store.app_by_identifier(APP_IDENTIFIER)
        assert record is not None and record.permissions == {"HANDLE_PAYMENTS"}


async def test_shoppers_cannot_install_apps(start: Start) -> None:
    async with start() as shop:
        shopper = await shop.login(shop.devshop.config.shopper)
        result = await shop.gql(APP_INSTALL, {"url": f"{shop.standin_url}/api/manifest"}, token=shopper)
        assert result["data"]["appInstall"] is None
        assert result["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
        assert shop.standin.installation is None


async def test_installing_the_same_identifier_twice_is_refused(shop: Harness) -> None:
    with pytest.raises(ShopError) as refused:
        await shop.install()
    assert refused.value.code == "UNIQUE"


@pytest.mark.parametrize(
    ("break_manifest", "code", "words"),
    [
        ({"permissions": ["HANDLE_PAYMENTS", "PRINT_MONEY"]}, "INVALID_PERMISSION", "PRINT_MONEY"),
        ({"tokenTargetUrl": None}, "INVALID_MANIFEST_FORMAT", "tokenTargetUrl"),
        (
            {
                "webhooks": [
                    {
                        "name": "w",
                        "targetUrl": "http://127.0.0.1:9/x",
                        "syncEvents": ["TRANSACTION_INITIALIZE_SESSION"],
                        "query": "subscription { event { ... on TransactionInitializeSession { nope } } }",
                    }
                ]
            },
            "INVALID",
            "nope",
        ),
        (
            {
                "webhooks": [
                    {
                        "name": "w",
                        "targetUrl": "http://127.0.0.1:9/x",
                        "syncEvents": ["TRANSACTION_PROCESS_SESSION"],
                        "query": "subscription { event { ... on TransactionInitializeSession { version } } }",
                    }
                ]
            },
            "INVALID",
            "TRANSACTION_PROCESS_SESSION",
        ),
        (
            {
                "webhooks": [
                    {
                        "name": "w",
                        "targetUrl": "http://127.0.0.1:9/x",
                        "syncEvents": ["PAYMENT_LIST_GATEWAYS"],
                        "query": "subscription { event { version } }",
                    }
                ]
            },
            "INVALID",
            "PAYMENT_LIST_GATEWAYS",
        ),
        (
            {
                "webhooks": [
                    {
                        "name": "w",
                        "targetUrl": "/relative",
                        "asyncEvents": ["CUSTOMER_UPDATED"],
                        "query": "subscription { event { ... on CustomerUpdated { version } } }",
                    }
                ]
            },
            "INVALID_URL_FORMAT",
            "targetUrl",
        ),
        (
            {
                "webhooks": [
                    {
                        "name": "w",
                        "targetUrl": "http://127.0.0.1:9/x",
                        "asyncEvents": ["CUSTOMER_UPDATED"],
                        "query": "query { me { id } }",
                    }
                ]
            },
            "INVALID",
            "subscription",
        ),
    ],
)
async def test_bad_manifests_are_refused_and_leave_no_app(
    start: Start, break_manifest: dict[str, object], code: str, words: str
) -> None:
    async with start() as shop:
        shop.standin.manifest_overrides = break_manifest
        staff = await shop.login(shop.devshop.config.staff)
        result = await shop.data(APP_INSTALL, {"url": f"{shop.standin_url}/api/manifest"}, token=staff)
        assert result["appInstall"]["appInstallation"]["status"] == "FAILED"
        [error] = result["appInstall"]["errors"]
        assert error["code"] == code
        assert words in error["message"]
        assert shop.devshop.store.apps == {}


async def test_a_refused_registration_removes_the_app(start: Start) -> None:
    async with start() as shop:
        shop.standin.register_status = 500
        with pytest.raises(ShopError, match="HTTP 500"):
            await shop.install()
        assert shop.devshop.store.apps == {}


async def test_an_unreachable_manifest_is_reported(start: Start) -> None:
    async with start() as shop:
        with pytest.raises(ShopError) as refused:
            await shop.devshop.install_app(f"{shop.standin_url}/no-such-manifest")
        assert refused.value.code == "MANIFEST_URL_CANT_CONNECT"
        with pytest.raises(ShopError) as refused:
            await shop.devshop.install_app("ftp://example.com/manifest")
        assert refused.value.code == "INVALID_URL_FORMAT"


async def test_staff_get_the_dashboard_token_for_an_app(shop: Harness) -> None:
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data('{ app(id: "QXBwOjE=") { id accessToken } }', token=staff)
    token = result["app"]["accessToken"]
    public = jwt.PyJWK(shop.devshop.key.jwks()["keys"][0]).key
    claims = jwt.decode(token, public, algorithms=["RS256"], options={"verify_aud": False})
    assert claims["app"] == "QXBwOjE=" and claims["type"] == "thirdparty"
    assert claims["email"] == "staff@example.com" and claims["exp"] > claims["iat"]
    assert {"MANAGE_APPS", "HANDLE_PAYMENTS", "MANAGE_USERS"} <= set(claims["user_permissions"])
    assert sorted(claims["permissions"]) == ["HANDLE_PAYMENTS", "MANAGE_CHECKOUTS", "MANAGE_USERS"]
    # used as a bearer token it is the staff user, limited to what the app may do
    assert (await shop.data("{ customers(first: 1) { totalCount } }", token=token))["customers"]["totalCount"] == 1
    limited = await shop.gql(APP_INSTALL, {"url": f"{shop.standin_url}/api/manifest"}, token=token)
    assert limited["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    shopper = await shop.login(shop.devshop.config.shopper)
    refused = await shop.gql('{ app(id: "QXBwOjE=") { accessToken } }', token=shopper)
    assert (
        refused["data"]["app"] is None and refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    )
    own = await shop.data('{ app(id: "QXBwOjE=") { accessToken } }', token=shop.app_token)
    assert own["app"] == {"accessToken": None}  # only a staff user gets one

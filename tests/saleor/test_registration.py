from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from robotpayment_app.saleor.errors import JwksFetchError
from robotpayment_app.saleor.graphql_client import SaleorUnauthorized, SaleorUnavailable
from robotpayment_app.saleor.registration import (
    InvalidAllowlistPattern,
    RegisterApp,
    RegistrationAnswer,
    SaleorUrlAllowlist,
)

API_URL = "https://shop.saleor.cloud/graphql/"
TOKEN = "app-token-SECRET-42"
JWKS = {"keys": [{"kty": "RSA", "kid": "k1", "n": "AQAB", "e": "AQAB"}]}


@pytest.mark.parametrize(
    ("pattern", "url", "allowed"),
    [
        ("https://shop.example.com/graphql/", "https://shop.example.com/graphql/", True),
        ("https://shop.example.com/graphql/", "https://SHOP.example.com:443/graphql/", True),
        ("https://shop.example.com/graphql/", "http://shop.example.com/graphql/", False),
        ("https://shop.example.com/graphql/", "https://shop.example.com:8443/graphql/", False),
        ("https://shop.example.com/graphql/", "https://shop.example.com/graphql/x", False),
        ("https://shop.example.com/graphql/", "https://shop.example.com.evil.test/graphql/", False),
        ("https://*.saleor.cloud/graphql/", "https://a.saleor.cloud/graphql/", True),
        ("https://*.saleor.cloud/graphql/", "https://a.b.saleor.cloud/graphql/", True),
        ("https://*.saleor.cloud/graphql/", "https://saleor.cloud/graphql/", False),
        ("https://*.saleor.cloud/graphql/", "https://evilsaleor.cloud/graphql/", False),
        ("https://*.saleor.cloud/graphql/", "https://evil.test/x.saleor.cloud/graphql/", False),
        ("https://*.saleor.cloud/graphql/", "https://a.saleor.cloud.evil.test/graphql/", False),
        ("http://127.0.0.1:8000/*", "http://127.0.0.1:8000/graphql/", True),
        ("http://127.0.0.1:8000/*", "http://127.0.0.1:8001/graphql/", False),
        ("https://shop.example.com/graphql/", "https://user:pw@shop.example.com/graphql/", False),
        ("https://shop.example.com/graphql/", "https://shop.example.com/graphql/?a=1", False),
        ("https://shop.example.com/graphql/", "javascript:alert(1)", False),
    ],
)
def test_allowlist_patterns(pattern: str, url: str, allowed: bool) -> None:
    assert SaleorUrlAllowlist([pattern]).permits(url) is allowed


@pytest.mark.parametrize(
    "pattern",
    ["shop.example.com", "https://*/graphql/", "https://*.com/graphql/", "https://a*b.com/", "ftp://x.y/"],
)
def test_bad_patterns_are_named(pattern: str) -> None:
    with pytest.raises(InvalidAllowlistPattern, match="allow-list entry"):
        SaleorUrlAllowlist([pattern])


def test_empty_allowlist_allows_nothing_unless_development_says_so() -> None:
    assert not SaleorUrlAllowlist([]).permits(API_URL)
    assert SaleorUrlAllowlist([], allow_any=True).permits(API_URL)
    assert not SaleorUrlAllowlist([], allow_any=True).permits("file:///etc/passwd")
    # A configured list is honoured even in development.
    assert not SaleorUrlAllowlist(["https://other.example.com/graphql/"], allow_any=True).permits(API_URL)


class Installations:
    def __init__(self) -> None:
        self.saved: list[dict[str, Any]] = []

    async def __call__(
        self, *, api_url: str, domain: str, token: str, app_id: str, jwks: Mapping[str, Any]
    ) -> None:
        self.saved.append(
            {"api_url": api_url, "domain": domain, "token": token, "app_id": app_id, "jwks": jwks}
        )


class FakeSaleor:
    def __init__(self) -> None:
        self.app_id_error: Exception | None = None
        self.jwks_error: Exception | None = None
        self.calls: list[tuple[str, ...]] = []

    async def fetch_app_id(self, api_url: str, token: str) -> str:
        self.calls.append(("app", api_url, token))
        if self.app_id_error:
            raise self.app_id_error
        return "QXBwOjQ="

    async def fetch_jwks(self, api_url: str) -> dict[str, Any]:
        self.calls.append(("jwks", api_url))
        if self.jwks_error:
            raise self.jwks_error
        return JWKS


def make_register(saleor: FakeSaleor, store: Installations, patterns: list[str] | None = None) -> RegisterApp:
    return RegisterApp(
        allowlist=SaleorUrlAllowlist(
            patterns if patterns is not None else ["https://*.saleor.cloud/graphql/"]
        ),
        fetch_app_id=saleor.fetch_app_id,
        fetch_jwks=saleor.fetch_jwks,
        save_installation=store,
    )


async def test_successful_registration_saves_the_installation() -> None:
    saleor, store = FakeSaleor(), Installations()
    answer = await make_register(saleor, store)(
        saleor_api_url=API_URL, saleor_domain="shop.saleor.cloud", auth_token=TOKEN
    )
    assert answer == RegistrationAnswer(200) and answer.success
    assert answer.to_json() == {"success": True}
    assert store.saved == [
        {
            "api_url": API_URL,
            "domain": "shop.saleor.cloud",
            "token": TOKEN,
            "app_id": "QXBwOjQ=",
            "jwks": JWKS,
        }
    ]
    assert saleor.calls == [("app", API_URL, TOKEN), ("jwks", API_URL)]


async def test_reinstallation_saves_again_with_the_new_token() -> None:
    saleor, store = FakeSaleor(), Installations()
    register = make_register(saleor, store)
    await register(saleor_api_url=API_URL, saleor_domain="shop.saleor.cloud", auth_token="old-token")
    await register(saleor_api_url=API_URL, saleor_domain="shop.saleor.cloud", auth_token="new-token")
    assert [saved["token"] for saved in store.saved] == ["old-token", "new-token"]


@pytest.mark.parametrize(
    ("api_url", "domain", "token", "status", "code"),
    [
        (None, "d", TOKEN, 400, "MISSING_SALEOR_API_URL"),
        (API_URL, None, TOKEN, 400, "MISSING_SALEOR_DOMAIN"),
        (API_URL, "d", None, 400, "MISSING_AUTH_TOKEN"),
        (API_URL, "d", "", 400, "MISSING_AUTH_TOKEN"),
        ("not a url", "d", TOKEN, 400, "INVALID_SALEOR_API_URL"),
        ("https://evil.example.com/graphql/", "d", TOKEN, 403, "SALEOR_URL_PROHIBITED"),
    ],
)
async def test_refusals_before_calling_saleor(
    api_url: str | None, domain: str | None, token: str | None, status: int, code: str
) -> None:
    saleor, store = FakeSaleor(), Installations()
    answer = await make_register(saleor, store)(
        saleor_api_url=api_url, saleor_domain=domain, auth_token=token
    )
    assert (answer.status_code, answer.error_code, answer.success) == (status, code, False)
    body = answer.to_json()
    assert body["success"] is False and body["error"]["code"] == code and body["error"]["message"]
    assert saleor.calls == [] and store.saved == []


@pytest.mark.parametrize(
    ("app_error", "jwks_error", "status", "code"),
    [
        (SaleorUnauthorized("app: HTTP 401"), None, 401, "INVALID_TOKEN"),
        (SaleorUnavailable("app: timed out"), None, 502, "SALEOR_UNAVAILABLE"),
        (None, JwksFetchError("JWKS request answered HTTP 404"), 502, "JWKS_NOT_AVAILABLE"),
    ],
)
async def test_refusals_after_asking_saleor(
    app_error: Exception | None, jwks_error: Exception | None, status: int, code: str
) -> None:
    saleor, store = FakeSaleor(), Installations()
    saleor.app_id_error, saleor.jwks_error = app_error, jwks_error
    answer = await make_register(saleor, store)(
        saleor_api_url=API_URL, saleor_domain="shop.saleor.cloud", auth_token=TOKEN
    )
    assert (answer.status_code, answer.error_code) == (status, code)
    assert store.saved == [] and TOKEN not in str(answer.to_json())


async def test_development_mode_allows_any_saleor() -> None:
    saleor, store = FakeSaleor(), Installations()
    register = RegisterApp(
        allowlist=SaleorUrlAllowlist([], allow_any=True),
        fetch_app_id=saleor.fetch_app_id,
        fetch_jwks=saleor.fetch_jwks,
        save_installation=store,
    )
    answer = await register(
        saleor_api_url="http://127.0.0.1:8000/graphql/", saleor_domain="x", auth_token=TOKEN
    )
    assert answer.success and len(store.saved) == 1

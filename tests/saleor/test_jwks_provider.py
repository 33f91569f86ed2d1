from __future__ import annotations

import asyncio
from typing import Any

import pytest

from robotpayment_app.saleor.errors import JwksFetchError
from robotpayment_app.saleor.jwks import JwksProvider, JwksUnavailable
from robotpayment_app.saleor.signature import InvalidSignature, SignatureMismatch, UnknownSigningKey

from .support import SigningKey, forge_header

API_URL = "https://shop.example.com/graphql/"
OTHER_API_URL = "https://other.example.com/graphql/"
BODY = b'{"recipient": {"id": "QXBwOjE="}}'


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeSaleorJwks:
    """Serves whatever key set Saleor currently publishes and counts fetches per API URL."""

    def __init__(self, jwks: dict[str, Any]) -> None:
        self.jwks = jwks
        self.calls: list[str] = []
        self.fail = False
        self.delay = 0.0

    async def __call__(self, api_url: str) -> dict[str, Any]:
        self.calls.append(api_url)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise JwksFetchError("JWKS request answered HTTP 503")
        return self.jwks


async def test_known_key_needs_no_fetch(signing_key: SigningKey) -> None:
    saleor = FakeSaleorJwks(signing_key.jwks())
    provider = JwksProvider(saleor, clock=FakeClock())
    refreshed = await provider.verify_webhook(
        API_URL, signing_key.jwks(), BODY, signing_key.sign_webhook(BODY)
    )
    assert refreshed is None and saleor.calls == []


async def test_rotated_key_is_fetched_once_and_returned_for_persisting(
    signing_key: SigningKey, other_signing_key: SigningKey
) -> None:
    saleor = FakeSaleorJwks(other_signing_key.jwks())  # Saleor rotated to the new key
    provider = JwksProvider(saleor, clock=FakeClock())
    signature = other_signing_key.sign_webhook(BODY)
    refreshed = await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, signature)
    assert refreshed == other_signing_key.jwks() and saleor.calls == [API_URL]
    # A later request still carrying the old stored keys uses the fetched ones, without another fetch.
    again = await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, signature)
    assert again == other_signing_key.jwks() and saleor.calls == [API_URL]
    # Once the caller persisted them, nothing more to persist.
    assert await provider.verify_webhook(API_URL, refreshed, BODY, signature) is None


async def test_flood_of_bad_signatures_refetches_at_most_once_per_interval(
    signing_key: SigningKey, other_signing_key: SigningKey
) -> None:
    clock = FakeClock()
    saleor = FakeSaleorJwks(signing_key.jwks())
    provider = JwksProvider(saleor, clock=clock, min_refetch_interval=60.0)
    forged = other_signing_key.sign_webhook(BODY)
    for _ in range(50):
        with pytest.raises(UnknownSigningKey):
            await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, forged)
    assert saleor.calls == [API_URL]
    clock.now += 59.0
    with pytest.raises(UnknownSigningKey):
        await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, forged)
    assert len(saleor.calls) == 1
    clock.now += 1.0
    with pytest.raises(UnknownSigningKey):
        await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, forged)
    assert len(saleor.calls) == 2
    # The limit is per installation: another Saleor may still refetch.
    with pytest.raises(UnknownSigningKey):
        await provider.verify_webhook(OTHER_API_URL, signing_key.jwks(), BODY, forged)
    assert saleor.calls[-1] == OTHER_API_URL


async def test_mismatched_body_also_refetches_then_fails(signing_key: SigningKey) -> None:
    saleor = FakeSaleorJwks(signing_key.jwks())
    provider = JwksProvider(saleor, clock=FakeClock())
    with pytest.raises(SignatureMismatch):
        await provider.verify_webhook(
            API_URL, signing_key.jwks(), BODY + b" ", signing_key.sign_webhook(BODY)
        )
    assert saleor.calls == [API_URL]


async def test_malformed_signature_never_refetches(signing_key: SigningKey) -> None:
    saleor = FakeSaleorJwks(signing_key.jwks())
    provider = JwksProvider(saleor, clock=FakeClock())
    with pytest.raises(InvalidSignature, match="algorithm"):
        hs256 = forge_header({"alg": "HS256", "kid": signing_key.kid, "b64": False, "crit": ["b64"]})
        await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, hs256)
    with pytest.raises(InvalidSignature, match="compact JWS"):
        await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, "nonsense")
    assert saleor.calls == []


async def test_unreachable_jwks_is_a_typed_failure(
    signing_key: SigningKey, other_signing_key: SigningKey
) -> None:
    saleor = FakeSaleorJwks(signing_key.jwks())
    saleor.fail = True
    provider = JwksProvider(saleor, clock=FakeClock())
    with pytest.raises(JwksUnavailable):
        await provider.verify_webhook(API_URL, signing_key.jwks(), BODY, other_signing_key.sign_webhook(BODY))


async def test_no_stored_keys_fetches_them(signing_key: SigningKey) -> None:
    saleor = FakeSaleorJwks(signing_key.jwks())
    provider = JwksProvider(saleor, clock=FakeClock())
    refreshed = await provider.verify_webhook(API_URL, None, BODY, signing_key.sign_webhook(BODY))
    assert refreshed == signing_key.jwks()


async def test_concurrent_requests_share_one_refetch(
    signing_key: SigningKey, other_signing_key: SigningKey
) -> None:
    saleor = FakeSaleorJwks(other_signing_key.jwks())
    saleor.delay = 0.01
    provider = JwksProvider(saleor, clock=FakeClock())
    signature = other_signing_key.sign_webhook(BODY)
    results = await asyncio.gather(
        *(provider.verify_webhook(API_URL, signing_key.jwks(), BODY, signature) for _ in range(10))
    )
    assert saleor.calls == [API_URL]
    assert all(result == other_signing_key.jwks() for result in results)


async def test_provider_runs_any_key_check(signing_key: SigningKey, other_signing_key: SigningKey) -> None:
    saleor = FakeSaleorJwks(other_signing_key.jwks())
    provider = JwksProvider(saleor, clock=FakeClock())
    seen: list[Any] = []

    def check(jwks: Any) -> str:
        seen.append(jwks)
        if jwks != other_signing_key.jwks():
            raise UnknownSigningKey("no key with this kid in the JWKS")
        return "ok"

    result = await provider.run(API_URL, signing_key.jwks(), check)
    assert result.value == "ok" and result.refreshed_jwks == other_signing_key.jwks()
    assert seen == [signing_key.jwks(), other_signing_key.jwks()]

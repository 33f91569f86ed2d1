"""The per-process cache of installations in front of webhook authentication: one database look-up serves many
deliveries, yet a re-install elsewhere (new app id, token, keys) and an uninstall are never acted on stale."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import pytest
from pydantic import SecretStr

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import Installation
from robotpayment_app.web.installation_cache import InstallationCache
from tests.support.app_harness import AppHarness
from tests.support.fake_saleor import SALEOR_API_URL, SALEOR_DOMAIN
from tests.support.signing import SigningKey

LIST = SaleorEvent.LIST_STORED_PAYMENT_METHODS


def _list_payload(app_id: str) -> dict[str, Any]:
    return {
        "recipient": {"id": app_id},
        "user": {"id": "VXNlcjo0OQ==", "email": "a@example.com"},
        "channel": {"slug": "default-channel", "currencyCode": "JPY"},
    }


class CountingLookups:
    """The repository's look-ups, counted."""

    def __init__(self, installation: Installation) -> None:
        self.installation = installation
        self.lookups = 0

    async def get_by_api_url(self, saleor_api_url: str) -> Installation | None:
        self.lookups += 1
        return self.installation if saleor_api_url == self.installation.saleor_api_url else None

    async def update_jwks(self, installation_id: int, jwks: Mapping[str, Any]) -> Installation:
        self.installation = dataclasses.replace(self.installation, jwks=dict(jwks))
        return self.installation


async def test_entries_expire_only_found_installations_are_kept_and_refreshed_keys_replace_them(
    app_harness: AppHarness,
) -> None:
    now = [100.0]
    cache = InstallationCache(ttl_seconds=5.0, clock=lambda: now[0])
    repository = CountingLookups(app_harness.installation)
    cached = cache.in_front_of(repository)

    assert await cached.get_by_api_url(SALEOR_API_URL) == app_harness.installation
    assert await cached.get_by_api_url(SALEOR_API_URL) == app_harness.installation
    assert repository.lookups == 1
    assert await cached.get_by_api_url("https://unknown.example.com/graphql/") is None
    assert await cached.get_by_api_url("https://unknown.example.com/graphql/") is None
    assert repository.lookups == 3  # a miss is never kept: a new installation is seen at once
    refreshed = await cached.update_jwks(app_harness.installation.id, {"keys": [{"kid": "new"}]})
    assert await cached.get_by_api_url(SALEOR_API_URL) == refreshed and repository.lookups == 3
    now[0] += 5.1
    await cached.get_by_api_url(SALEOR_API_URL)
    assert repository.lookups == 4
    assert cache.forget(SALEOR_API_URL) and not cache.forget(SALEOR_API_URL)


def test_a_full_cache_drops_its_oldest_entry(app_harness: AppHarness) -> None:
    now = [0.0]
    cache = InstallationCache(max_entries=2, clock=lambda: now[0])
    for index in range(3):
        now[0] += 1
        cache.put(dataclasses.replace(app_harness.installation, saleor_api_url=f"https://s{index}.example/graphql/"))
    assert [cache.get(f"https://s{index}.example/graphql/") is not None for index in range(3)] == [False, True, True]
    with pytest.raises(ValueError, match="ttl_seconds"):
        InstallationCache(ttl_seconds=-1)


async def test_deliveries_share_one_lookup(app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    repository = app_harness.services.store.installations
    calls: list[str] = []
    original = repository.get_by_api_url

    async def counted(saleor_api_url: str) -> Installation | None:
        calls.append(saleor_api_url)
        return await original(saleor_api_url)

    monkeypatch.setattr(repository, "get_by_api_url", counted)

    answers = [await app_harness.deliver(LIST, _list_payload(app_harness.saleor.app_id)) for _ in range(5)]

    assert [answer.status_code for answer in answers] == [200] * 5
    assert calls == [SALEOR_API_URL]


async def test_a_reinstall_elsewhere_is_seen_at_the_first_refusal(app_harness: AppHarness) -> None:
    assert (await app_harness.deliver(LIST, _list_payload(app_harness.saleor.app_id))).status_code == 200
    # another app process handled a re-install: new app id and a new signing key, in the database only
    new_key = SigningKey.generate("reinstalled-kid")
    await app_harness.services.store.installations.upsert(
        saleor_api_url=SALEOR_API_URL,
        domain=SALEOR_DOMAIN,
        app_id="QXBwOjEwMA==",
        app_token=SecretStr("new-app-token"),
        jwks=new_key.jwks(),
    )
    app_harness.saleor.signing_key = new_key

    answer = await app_harness.deliver(LIST, _list_payload("QXBwOjEwMA=="))
    old_app = await app_harness.deliver(LIST, _list_payload(app_harness.saleor.app_id))

    assert answer.status_code == 200
    assert old_app.status_code == 403  # the previous installation's app id is refused again, from the database


async def test_after_app_deleted_the_installation_is_gone_at_once(app_harness: AppHarness) -> None:
    assert (await app_harness.deliver(LIST, _list_payload(app_harness.saleor.app_id))).status_code == 200
    app_id = app_harness.saleor.app_id
    deleted = await app_harness.deliver(SaleorEvent.APP_DELETED, {"recipient": {"id": app_id}, "app": {"id": app_id}})
    after = await app_harness.deliver(LIST, _list_payload(app_harness.saleor.app_id))

    assert deleted.status_code == 200
    assert after.status_code == 401
    assert await app_harness.services.store.installations.get_by_api_url(SALEOR_API_URL) is None

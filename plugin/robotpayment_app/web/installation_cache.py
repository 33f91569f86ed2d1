"""Installations by Saleor API URL, kept a few seconds per process: every webhook needs its installation, and it
almost never changes, while a database round trip costs milliseconds (a third of a saved-card list's time).

Safe because nothing is decided on a stale entry alone:
- only installations that exist are kept (a new installation is seen at once);
- a JWKS refreshed through the cache updates the entry;
- the webhook route forgets the entry and checks again against the database whenever a delivery is refused
  (a re-install elsewhere changes the app id, token and keys), and after APP_DELETED;
- an uninstall in another process is seen here after at most `ttl_seconds`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from robotpayment_app.store.records import Installation

DEFAULT_TTL_SECONDS = 5.0
DEFAULT_MAX_ENTRIES = 1024


class InstallationLookup(Protocol):
    """What webhook authentication needs from the installations (the repository, or the cache in front of it)."""

    async def get_by_api_url(self, saleor_api_url: str) -> Installation | None: ...

    async def update_jwks(self, installation_id: int, jwks: Mapping[str, Any]) -> Installation: ...


class InstallationCache:
    def __init__(
        self,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if ttl_seconds < 0 or max_entries < 1:
            raise ValueError("InstallationCache: ttl_seconds >= 0 and max_entries >= 1")
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        self._entries: dict[str, tuple[float, Installation]] = {}

    def in_front_of(self, repository: InstallationLookup) -> CachedInstallations:
        return CachedInstallations(self, repository)

    def get(self, saleor_api_url: str) -> Installation | None:
        entry = self._entries.get(saleor_api_url)
        if entry is None:
            return None
        stored_at, installation = entry
        if self._clock() - stored_at > self._ttl:
            del self._entries[saleor_api_url]
            return None
        return installation

    def put(self, installation: Installation) -> None:
        if len(self._entries) >= self._max_entries and installation.saleor_api_url not in self._entries:
            # full: drop the oldest entry (installations are few; this only bounds a misuse)
            oldest = min(self._entries, key=lambda url: self._entries[url][0])
            del self._entries[oldest]
        self._entries[installation.saleor_api_url] = (self._clock(), installation)

    def forget(self, saleor_api_url: str) -> bool:
        """Drop the entry; True if there was one."""
        return self._entries.pop(saleor_api_url, None) is not None


class CachedInstallations:
    """The repository's two look-ups webhook authentication uses, served from the cache when fresh."""

    def __init__(self, cache: InstallationCache, repository: InstallationLookup) -> None:
        self._cache = cache
        self._repository = repository

    async def get_by_api_url(self, saleor_api_url: str) -> Installation | None:
        cached = self._cache.get(saleor_api_url)
        if cached is not None:
            return cached
        installation = await self._repository.get_by_api_url(saleor_api_url)
        if installation is not None:
            self._cache.put(installation)
        return installation

    async def update_jwks(self, installation_id: int, jwks: Mapping[str, Any]) -> Installation:
        installation = await self._repository.update_jwks(installation_id, jwks)
        self._cache.put(installation)
        return installation

"""Saleor's signing keys per installation, with at most one refetch per interval.

Saleor rotates its RSA key rarely; a signature with an unknown `kid` (or one that no longer verifies) is
either a rotation or a forgery. One refetch tells which. The refetch is rate-limited per Saleor API URL, so a
flood of bad signatures cannot make the app hammer Saleor's `/.well-known/jwks.json`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import JwksFetchError, KeyCheckError
from .signature import InvalidSignature, verify_webhook_signature

T = TypeVar("T")

JwksFetcher = Callable[[str], Awaitable[dict[str, Any]]]
"""Fetches the JWKS for a Saleor API URL; raises `JwksFetchError` when it cannot."""

Clock = Callable[[], float]

DEFAULT_MIN_REFETCH_INTERVAL = 60.0


class JwksUnavailable(InvalidSignature):
    """The keys had to be refreshed to check the signature, and Saleor's JWKS could not be fetched."""


@dataclass(frozen=True)
class KeyedResult(Generic[T]):
    value: T
    refreshed_jwks: dict[str, Any] | None
    """The JWKS fetched during this check: the caller persists it for the installation. None if unchanged."""


class JwksProvider:
    """Runs key checks with an installation's JWKS, refetching once (rate-limited) when keys may be stale.

    The installation store is the durable cache: callers pass the stored JWKS and persist `refreshed_jwks`.
    This object also remembers the newest keys it fetched per API URL, so concurrent requests share one
    refetch, and a request still carrying old stored keys is checked against the new ones before refetching.
    """

    def __init__(
        self,
        fetch_jwks: JwksFetcher,
        *,
        clock: Clock = time.monotonic,
        min_refetch_interval: float = DEFAULT_MIN_REFETCH_INTERVAL,
    ) -> None:
        self._fetch_jwks = fetch_jwks
        self._clock = clock
        self._min_refetch_interval = min_refetch_interval
        self._fresh: dict[str, dict[str, Any]] = {}
        self._last_refetch: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def run(
        self,
        api_url: str,
        stored_jwks: Mapping[str, Any] | None,
        check: Callable[[Mapping[str, Any]], T],
    ) -> KeyedResult[T]:
        """`check(jwks)`; when it fails and the keys may be stale, refetch once (if allowed) and retry."""
        keys: Mapping[str, Any] = stored_jwks or self._fresh.get(api_url) or {"keys": []}
        try:
            return KeyedResult(check(keys), None)
        except KeyCheckError as error:
            if not error.stale_keys_possible:
                raise
            failure = error
        async with self._locks.setdefault(api_url, asyncio.Lock()):
            newer = self._fresh.get(api_url)
            if newer is not None and newer != keys:
                # Keys refreshed by an earlier or concurrent request and not yet persisted by the caller.
                try:
                    return KeyedResult(check(newer), newer)
                except KeyCheckError as error:
                    if not error.stale_keys_possible:
                        raise
                    failure = error
            now = self._clock()
            last = self._last_refetch.get(api_url)
            if last is not None and now - last < self._min_refetch_interval:
                raise failure
            self._last_refetch[api_url] = now
            try:
                fresh = await self._fetch_jwks(api_url)
            except JwksFetchError:
                raise JwksUnavailable("keys may have changed; Saleor's JWKS could not be fetched") from None
            if not isinstance(fresh.get("keys"), list):
                raise JwksUnavailable("Saleor's JWKS has no key list")
            self._fresh[api_url] = fresh
        return KeyedResult(check(fresh), fresh)

    async def verify_webhook(
        self, api_url: str, stored_jwks: Mapping[str, Any] | None, raw_body: bytes, signature: str
    ) -> dict[str, Any] | None:
        """Verify a webhook delivery; returns the refreshed JWKS to persist, or None if the stored one served.

        Raises `InvalidSignature` (answer 401) when the signature does not verify, even after a refetch.
        """
        result = await self.run(
            api_url, stored_jwks, lambda jwks: verify_webhook_signature(raw_body, signature, jwks)
        )
        return result.refreshed_jwks

"""Errors of the Saleor layer. Texts name what was wrong, never secrets or request bodies."""

from __future__ import annotations


class SaleorLayerError(Exception):
    """Base of every error this package raises on purpose."""


class KeyCheckError(SaleorLayerError):
    """A JWS/JWT check against an installation's JWKS failed.

    `stale_keys_possible` is true when fresh keys from Saleor could change the outcome (unknown `kid`,
    signature mismatch after a key rotation), so `JwksProvider` knows whether one refetch is worth it.
    """

    stale_keys_possible: bool = False

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class JwksFetchError(SaleorLayerError):
    """Saleor's JWKS could not be fetched or was not a usable key set."""

"""Verification of Saleor's `Saleor-Signature` webhook header.

The header is an RS256 JWS with a detached, unencoded payload (RFC 7797: `b64: false`, `crit: ["b64"]`),
compact form `<b64url(header)>..<b64url(signature)>`; the signed input is `b64url(header) + "." + raw body
bytes`. So the check runs over the body exactly as received: re-serialised JSON would not verify.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

import jwt
from jwt.algorithms import RSAAlgorithm

from .errors import KeyCheckError

ALGORITHM = "RS256"


class InvalidSignature(KeyCheckError):
    """The signature is missing, malformed, made with a refused algorithm, or does not match the body."""


class UnknownSigningKey(InvalidSignature):
    """The signature names a `kid` the known JWKS does not hold (Saleor may have rotated its key)."""

    stale_keys_possible = True


class SignatureMismatch(InvalidSignature):
    """A well-formed RS256 signature that the key does not verify over the body."""

    stale_keys_possible = True


def _b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def read_protected_header(token: str, *, error: type[KeyCheckError]) -> dict[str, Any]:
    """The JOSE header of a compact JWS/JWT, parsed without verifying anything."""
    header_segment = token.split(".", 1)[0]
    try:
        header = json.loads(_b64url_decode(header_segment))
    except (binascii.Error, ValueError):
        raise error("malformed header: not base64url-encoded JSON") from None
    if not isinstance(header, dict):
        raise error("malformed header: not a JSON object")
    return header


def require_rs256_kid(header: Mapping[str, Any], *, error: type[KeyCheckError]) -> str:
    """Refuse every algorithm but RS256 (`none`, HS256 keyed with the public key, …); require a `kid`."""
    alg = header.get("alg")
    if alg != ALGORITHM:
        raise error(f"algorithm {alg!r} refused: only {ALGORITHM} is accepted")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise error("header has no key id (kid)")
    return kid


def find_public_key(jwks: Mapping[str, Any], kid: str, *, error: type[KeyCheckError]) -> Any:
    """The RSA public key with this `kid` from a JWKS, None when absent; `error` for an unusable entry."""
    keys = jwks.get("keys")
    if not isinstance(keys, list):
        raise error("JWKS has no key list")
    for jwk in keys:
        if not isinstance(jwk, dict) or jwk.get("kid") != kid:
            continue
        if jwk.get("kty") != "RSA":
            raise error("JWKS key for this kid is not an RSA key")
        if jwk.get("alg", ALGORITHM) != ALGORITHM or jwk.get("use", "sig") != "sig":
            raise error("JWKS key for this kid is not an RS256 signing key")
        try:
            return RSAAlgorithm.from_jwk(jwk)
        except (jwt.InvalidKeyError, ValueError, KeyError):
            raise error("JWKS key for this kid is not a valid RSA public key") from None
    return None


def verify_webhook_signature(raw_body: bytes, signature: str, jwks: Mapping[str, Any]) -> None:
    """Raise `InvalidSignature` (with a reason, never the body) unless `signature` signs `raw_body`."""
    if not signature:
        raise InvalidSignature("Saleor-Signature header is missing")
    parts = signature.strip().split(".")
    if len(parts) != 3 or not parts[0] or not parts[2]:
        raise InvalidSignature("signature is not a compact JWS <header>..<signature>")
    if parts[1]:
        raise InvalidSignature("signature must carry a detached payload (empty middle segment)")
    header = read_protected_header(signature, error=InvalidSignature)
    kid = require_rs256_kid(header, error=InvalidSignature)
    if header.get("b64") is not False or "b64" not in (header.get("crit") or []):
        raise InvalidSignature("signature must use an unencoded payload (b64: false, crit: [b64])")
    key = find_public_key(jwks, kid, error=InvalidSignature)
    if key is None:
        raise UnknownSigningKey("no key with this kid in the JWKS")
    try:
        jwt.PyJWS().decode(signature.strip(), key, algorithms=[ALGORITHM], detached_payload=raw_body)
    except jwt.InvalidSignatureError:
        raise SignatureMismatch("signature does not match the body") from None
    except jwt.PyJWTError as exc:
        raise InvalidSignature(f"signature rejected ({type(exc).__name__})") from None

"""The devshop's RSA key: JWKS, webhook signatures (detached JWS) and access tokens."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


class SigningKeyError(ValueError):
    """The configured key file is unusable."""


def _b64url_uint(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class SigningKey:
    """One RSA key with its RFC 7638 thumbprint as `kid`. The private part never leaves it."""

    def __init__(self, private_key: rsa.RSAPrivateKey) -> None:
        self._private_key = private_key
        numbers = private_key.public_key().public_numbers()
        self._public_jwk = {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
        thumbprint_input = json.dumps(self._public_jwk, separators=(",", ":"), sort_keys=True).encode()
        self.kid = base64.urlsafe_b64encode(hashlib.sha256(thumbprint_input).digest()).rstrip(b"=").decode()

    def __repr__(self) -> str:
        return f"SigningKey(kid={self.kid!r})"

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @classmethod
    def from_pem_file(cls, path: Path) -> SigningKey:
        """Load an RSA private key; create the file with a new key when it does not exist yet."""
        if not path.exists():
            key = cls.generate()
            pem = key._private_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            return key
        try:
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError as exc:
            raise SigningKeyError(f"signing_key_path {path}: not an unencrypted PEM private key") from exc
        if not isinstance(loaded, rsa.RSAPrivateKey):
            raise SigningKeyError(f"signing_key_path {path}: the key must be RSA")
        return cls(loaded)

    def jwks(self) -> dict[str, list[dict[str, Any]]]:
        """The document served at /.well-known/jwks.json (same fields as Saleor's)."""
        jwk = {**self._public_jwk, "key_ops": ["verify"], "use": "sig", "kid": self.kid, "alg": "RS256"}
        return {"keys": [jwk]}

    def sign_webhook(self, body: bytes) -> str:
        """`Saleor-Signature`: RS256 JWS, unencoded detached payload, compact form `<header>..<sig>`."""
        return jwt.api_jws.PyJWS().encode(
            body,
            self._private_key,
            algorithm="RS256",
            headers={"kid": self.kid, "b64": False, "crit": ["b64"]},
            is_payload_detached=True,
        )

    def issue_token(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self._private_key, algorithm="RS256", headers={"kid": self.kid})

    def verify_token(self, token: str) -> dict[str, Any]:
        """Decode a token this key issued; raises jwt.InvalidTokenError (incl. expiry)."""
        claims: dict[str, Any] = jwt.decode(
            token, self._private_key.public_key(), algorithms=["RS256"], options={"require": ["exp", "iat"]}
        )
        return claims

"""A locally generated RSA key standing in for Saleor's: signs webhooks (detached JWS) and dashboard JWTs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass(frozen=True)
class SigningKey:
    """A locally generated RSA key pair standing in for Saleor's."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls, kid: str) -> SigningKey:
        return cls(kid, rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def public_jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return dict(jwk)

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk()]}

    def sign_webhook(self, body: bytes, **header_overrides: Any) -> str:
        """`<header>..<signature>` like Saleor's Saleor-Signature."""
        headers: dict[str, Any] = {"kid": self.kid, "b64": False, "typ": "JWT", **header_overrides}
        return jwt.PyJWS().encode(
            body, self.private_key, algorithm="RS256", headers=headers, is_payload_detached=True
        )

    def sign_jwt(self, claims: dict[str, Any], **header_overrides: Any) -> str:
        headers = {"kid": self.kid, **header_overrides}
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers=headers)

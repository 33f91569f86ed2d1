"""Helpers shared by the Saleor-layer tests: reference data, local RSA keys, detached-JWS signing."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.shared import SALEOR_DIR as REFERENCE_DIR

CAPTURED_DIR = REFERENCE_DIR / "captured"
JSON_SCHEMAS_DIR = REFERENCE_DIR / "json_schemas"
SCHEMA_PATH = REFERENCE_DIR / "schema.graphql"
NOT_DELIVERIES = {"app_manifest.json", "jwks.json", "verification_summary.json"}


def captured_deliveries() -> dict[str, dict[str, Any]]:
    """file name -> recorded delivery, for every real signed delivery."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(CAPTURED_DIR.glob("*.json"))
        if path.name not in NOT_DELIVERIES
    }


def captured_jwks() -> dict[str, Any]:
    return json.loads((CAPTURED_DIR / "jwks.json").read_text(encoding="utf-8"))


def json_schema(name: str) -> dict[str, Any]:
    return json.loads((JSON_SCHEMAS_DIR / f"{name}.json").read_text(encoding="utf-8"))


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


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge_header(header: dict[str, Any], signature_segment: str = "c2ln") -> str:
    """A compact detached JWS with an arbitrary protected header (for malformed-header tests)."""
    return b64url(json.dumps(header).encode()) + ".." + signature_segment

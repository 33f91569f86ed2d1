"""Helpers shared by the Saleor-layer tests: reference data, local RSA keys, detached-JWS signing."""

from __future__ import annotations

import base64
import json
from typing import Any

from tests.support.shared import SALEOR_DIR as REFERENCE_DIR
from tests.support.signing import SigningKey  # noqa: F401  (re-exported for the Saleor tests)

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


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge_header(header: dict[str, Any], signature_segment: str = "c2ln") -> str:
    """A compact detached JWS with an arbitrary protected header (for malformed-header tests)."""
    return b64url(json.dumps(header).encode()) + ".." + signature_segment

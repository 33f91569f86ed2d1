from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from robotpayment_app.saleor.signature import (
    InvalidSignature,
    SignatureMismatch,
    UnknownSigningKey,
    verify_webhook_signature,
)

from .support import CAPTURED_DIR, SigningKey, b64url, forge_header

BODY = b'{"version": "3.24.0-a.0", "recipient": {"id": "QXBwOjE="}, "data": {"tkn": "tok-secret-123"}}'


def test_every_captured_delivery_verifies(
    deliveries: dict[str, dict[str, Any]], saleor_jwks: dict[str, Any]
) -> None:
    summary = json.loads((CAPTURED_DIR / "verification_summary.json").read_text())
    assert set(deliveries) == {entry["file"] for entry in summary["files"]} and len(deliveries) == 20
    for delivery in deliveries.values():
        raw = delivery["raw_body"].encode()
        assert hashlib.sha256(raw).hexdigest() == delivery["raw_body_sha256"]
        verify_webhook_signature(raw, delivery["headers"]["Saleor-Signature"], saleor_jwks)
        # The deprecated X-Saleor-Signature carries the same JWS.
        verify_webhook_signature(raw, delivery["headers"]["X-Saleor-Signature"], saleor_jwks)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda raw: raw + b" ",
        lambda raw: json.dumps(json.loads(raw), separators=(",", ":")).encode(),  # compact re-serialisation
        lambda raw: raw.replace(b"3500.0", b"3500"),
    ],
    ids=["one-byte-appended", "compact-reserialised", "float-rewritten"],
)
def test_tampered_captured_bodies_fail(
    deliveries: dict[str, dict[str, Any]], saleor_jwks: dict[str, Any], tamper: Any
) -> None:
    for name in ("transaction_initialize_session.json", "transaction_charge_requested.json"):
        delivery = deliveries[name]
        raw = delivery["raw_body"].encode()
        with pytest.raises(SignatureMismatch) as caught:
            verify_webhook_signature(tamper(raw), delivery["headers"]["Saleor-Signature"], saleor_jwks)
        assert caught.value.stale_keys_possible


def test_locally_signed_body_verifies(signing_key: SigningKey) -> None:
    signature = signing_key.sign_webhook(BODY)
    assert signature.split(".")[1] == ""
    verify_webhook_signature(BODY, signature, signing_key.jwks())


def test_wrong_key_with_same_kid_fails(signing_key: SigningKey, other_signing_key: SigningKey) -> None:
    impostor = SigningKey(signing_key.kid, other_signing_key.private_key)
    with pytest.raises(SignatureMismatch):
        verify_webhook_signature(BODY, impostor.sign_webhook(BODY), signing_key.jwks())


def test_unknown_kid_is_told_apart(signing_key: SigningKey, other_signing_key: SigningKey) -> None:
    with pytest.raises(UnknownSigningKey) as caught:
        verify_webhook_signature(BODY, other_signing_key.sign_webhook(BODY), signing_key.jwks())
    assert caught.value.stale_keys_possible


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ({"alg": "none", "kid": "local-key-1", "b64": False, "crit": ["b64"]}, "algorithm 'none' refused"),
        ({"alg": "HS256", "kid": "local-key-1", "b64": False, "crit": ["b64"]}, "algorithm 'HS256' refused"),
        ({"alg": "RS512", "kid": "local-key-1", "b64": False, "crit": ["b64"]}, "algorithm 'RS512' refused"),
        ({"alg": "RS256", "b64": False, "crit": ["b64"]}, "no key id"),
        ({"alg": "RS256", "kid": "", "b64": False, "crit": ["b64"]}, "no key id"),
        ({"alg": "RS256", "kid": "local-key-1"}, "unencoded payload"),
        ({"alg": "RS256", "kid": "local-key-1", "b64": False}, "unencoded payload"),
    ],
)
def test_refused_headers(signing_key: SigningKey, header: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidSignature, match=reason) as caught:
        verify_webhook_signature(BODY, forge_header(header), signing_key.jwks())
    assert not caught.value.stale_keys_possible


def test_hs256_signed_with_the_public_key_as_secret_is_refused(signing_key: SigningKey) -> None:
    # The classic confusion attack: an HMAC keyed with the (public) RSA key material.
    protected = {"alg": "HS256", "kid": signing_key.kid, "b64": False, "crit": ["b64"]}
    header = b64url(json.dumps(protected).encode())
    public_key_material = json.dumps(signing_key.public_jwk()).encode()
    mac = hmac.new(public_key_material, header.encode() + b"." + BODY, hashlib.sha256).digest()
    with pytest.raises(InvalidSignature, match="HS256"):
        verify_webhook_signature(BODY, f"{header}..{b64url(mac)}", signing_key.jwks())


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        ("", "missing"),
        ("abc", "compact JWS"),
        ("a.b", "compact JWS"),
        ("a..", "compact JWS"),
        ("!!!..c2ln", "malformed header"),
        (b64url(b"[1, 2]") + "..c2ln", "not a JSON object"),
        (b64url(b"not json") + "..c2ln", "malformed header"),
    ],
)
def test_malformed_signatures(signing_key: SigningKey, signature: str, reason: str) -> None:
    with pytest.raises(InvalidSignature, match=reason):
        verify_webhook_signature(BODY, signature, signing_key.jwks())


def test_attached_payload_is_refused(signing_key: SigningKey) -> None:
    header, _, sig = signing_key.sign_webhook(BODY).split(".")
    attached = f"{header}.{b64url(BODY)}.{sig}"
    with pytest.raises(InvalidSignature, match="detached payload"):
        verify_webhook_signature(BODY, attached, signing_key.jwks())


def test_unusable_jwks_entries(signing_key: SigningKey) -> None:
    signature = signing_key.sign_webhook(BODY)
    with pytest.raises(InvalidSignature, match="no key list"):
        verify_webhook_signature(BODY, signature, {})
    ec_key = {"keys": [{"kty": "EC", "kid": signing_key.kid, "crv": "P-256", "x": "x", "y": "y"}]}
    with pytest.raises(InvalidSignature, match="not an RSA key"):
        verify_webhook_signature(BODY, signature, ec_key)
    encryption_key = {"keys": [{**signing_key.public_jwk(), "use": "enc"}]}
    with pytest.raises(InvalidSignature, match="not an RS256 signing key"):
        verify_webhook_signature(BODY, signature, encryption_key)
    broken = {"keys": [{"kty": "RSA", "kid": signing_key.kid, "n": "!!", "e": "AQAB"}]}
    with pytest.raises(InvalidSignature, match="not a valid RSA public key"):
        verify_webhook_signature(BODY, signature, broken)


def test_reasons_never_carry_the_body(signing_key: SigningKey, other_signing_key: SigningKey) -> None:
    attempts = [
        other_signing_key.sign_webhook(BODY),
        SigningKey(signing_key.kid, other_signing_key.private_key).sign_webhook(BODY),
        forge_header({"alg": "HS256"}),
        "garbage",
    ]
    for signature in attempts:
        with pytest.raises(InvalidSignature) as caught:
            verify_webhook_signature(BODY, signature, signing_key.jwks())
        assert "tok-secret-123" not in str(caught.value) and "recipient" not in str(caught.value)
        assert caught.value.__cause__ is None

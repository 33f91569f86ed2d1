"""The signing key, its JWKS, webhook signatures, access tokens, and Saleor's id formats."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import jwt
import pytest
from tests.support.shared import SALEOR_DIR

from robotpayment_app.devshop.ids import (
    InvalidGlobalIdError,
    from_global_id,
    from_stored_method_id,
    to_global_id,
    to_stored_method_id,
)
from robotpayment_app.devshop.keys import SigningKey, SigningKeyError


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return SigningKey.generate()


def test_jwks_has_the_same_fields_as_saleors(key: SigningKey) -> None:
    saleor = json.loads((SALEOR_DIR / "captured" / "jwks.json").read_text())
    ours = key.jwks()
    assert set(ours) == set(saleor) == {"keys"}
    assert set(ours["keys"][0]) == set(saleor["keys"][0])
    assert ours["keys"][0]["kid"] == key.kid and ours["keys"][0]["alg"] == "RS256"
    assert "d" not in ours["keys"][0]  # public part only


def test_webhook_signature_is_a_detached_unencoded_rs256_jws(key: SigningKey) -> None:
    body = b'{"amount": 3500.0, "memo": "\\u30c6\\u30b9\\u30c8"}'
    signature = key.sign_webhook(body)
    header_b64, payload, _ = signature.split(".")
    assert payload == ""
    header = json.loads(base64.urlsafe_b64decode(header_b64 + "=" * (-len(header_b64) % 4)))
    assert header == {"alg": "RS256", "b64": False, "crit": ["b64"], "kid": key.kid, "typ": "JWT"}
    public = jwt.PyJWK(key.jwks()["keys"][0]).key
    assert jwt.PyJWS().decode(signature, public, algorithms=["RS256"], detached_payload=body) == body
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.PyJWS().decode(signature, public, algorithms=["RS256"], detached_payload=body + b" ")


def test_access_tokens_verify_and_expire(key: SigningKey) -> None:
    now = int(time.time())
    token = key.issue_token({"iat": now, "exp": now + 60, "user_id": "VXNlcjox"})
    assert key.verify_token(token)["user_id"] == "VXNlcjox"
    expired = key.issue_token({"iat": now - 120, "exp": now - 60})
    with pytest.raises(jwt.ExpiredSignatureError):
        key.verify_token(expired)
    with pytest.raises(jwt.InvalidTokenError):
        SigningKey.generate().verify_token(token)


def test_repr_hides_the_private_key(key: SigningKey) -> None:
    assert repr(key) == f"SigningKey(kid={key.kid!r})"


def test_key_file_is_created_once_then_loaded(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    first = SigningKey.from_pem_file(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert SigningKey.from_pem_file(path).kid == first.kid


def test_a_bad_key_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "key.pem"
    path.write_text("not a key")
    with pytest.raises(SigningKeyError, match="signing_key_path"):
        SigningKey.from_pem_file(path)


def test_global_ids_are_saleors() -> None:
    assert to_global_id("App", 1) == "QXBwOjE="
    assert from_global_id("VXNlcjo0OQ==") == ("User", "49")
    assert from_global_id("VXNlcjo0OQ==", "User") == ("User", "49")
    with pytest.raises(InvalidGlobalIdError, match="Must receive a Checkout id"):
        from_global_id("VXNlcjo0OQ==", "Checkout")
    for bad in ("not base64!", "YWJj", ""):
        with pytest.raises(InvalidGlobalIdError):
            from_global_id(bad)


def test_stored_method_ids_carry_the_app_identifier() -> None:
    assert to_stored_method_id("capture.payment.app", "card-1") == "app:capture.payment.app:card-1"
    assert from_stored_method_id("app:capture.payment.app:card-1") == ("capture.payment.app", "card-1")
    assert from_stored_method_id("app:x:a:b") == ("x", "a:b")
    for bad in ("card-1", "app:only", "other:x:y", "app::y"):
        assert from_stored_method_id(bad) is None

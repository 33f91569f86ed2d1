from __future__ import annotations

import base64

import pytest
from pydantic import SecretStr

from robotpayment_app.store.crypto import (
    DecryptionError,
    EncryptionKeyError,
    SecretBox,
    generate_key,
    key_id,
    parse_keys,
)


def _box(*keys: str) -> SecretBox:
    return SecretBox.from_secret(SecretStr(",".join(keys)))


def test_round_trip_returns_a_secret_and_hides_the_plaintext() -> None:
    box = _box(generate_key())
    sealed = box.encrypt("gateway-key-123", context="customers.gateway_key:1:000000:u1")

    assert "gateway-key-123" not in sealed
    assert sealed.startswith(f"rpenc1:{box.primary_key_id}:")
    opened = box.decrypt(sealed, context="customers.gateway_key:1:000000:u1")
    assert isinstance(opened, SecretStr)
    assert opened.get_secret_value() == "gateway-key-123"


def test_same_plaintext_seals_differently_each_time() -> None:
    box = _box(generate_key())
    assert box.encrypt("same", context="c") != box.encrypt("same", context="c")


def test_value_moved_to_another_row_does_not_open() -> None:
    box = _box(generate_key())
    sealed = box.encrypt("k", context="customers.gateway_key:1:000000:alice")
    with pytest.raises(DecryptionError, match="does not open"):
        box.decrypt(sealed, context="customers.gateway_key:1:000000:mallory")


def test_tampered_value_does_not_open() -> None:
    box = _box(generate_key())
    sealed = box.encrypt("k", context="c")
    body = sealed.rsplit(":", 1)[1]
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        box.decrypt(sealed.rsplit(":", 1)[0] + ":" + flipped, context="c")


def test_value_sealed_with_an_unconfigured_key_names_the_key_id_only() -> None:
    old_key = generate_key()
    sealed = _box(old_key).encrypt("k", context="c")
    with pytest.raises(DecryptionError) as raised:
        _box(generate_key()).decrypt(sealed, context="c")
    message = str(raised.value)
    assert key_id(parse_keys(old_key)[0]) in message
    assert old_key not in message


def test_rotation_new_key_encrypts_old_key_still_decrypts() -> None:
    old, new = generate_key(), generate_key()
    sealed_with_old = _box(old).encrypt("token", context="c")
    rotating = _box(new, old)

    assert rotating.needs_rotation(sealed_with_old)
    assert rotating.decrypt(sealed_with_old, context="c").get_secret_value() == "token"
    resealed = rotating.reencrypt(sealed_with_old, context="c")
    assert not rotating.needs_rotation(resealed)
    assert _box(new).decrypt(resealed, context="c").get_secret_value() == "token"


def test_not_a_sealed_value() -> None:
    with pytest.raises(DecryptionError, match="not a value sealed"):
        _box(generate_key()).decrypt("plain text", context="c")


@pytest.mark.parametrize(
    ("configured", "rule"),
    [
        ("", "no key given"),
        ("!!!not-base64!!!", "key #1 is not URL-safe base64"),
        (base64.urlsafe_b64encode(b"short").decode(), "key #1 must decode to 32 bytes, not 5"),
    ],
)
def test_malformed_keys_are_refused_without_echoing_them(configured: str, rule: str) -> None:
    with pytest.raises(EncryptionKeyError) as raised:
        parse_keys(configured)
    assert rule in str(raised.value)
    if configured:
        assert configured not in str(raised.value)


def test_keys_without_padding_and_duplicates_are_accepted() -> None:
    key = generate_key()
    assert parse_keys(f"{key.rstrip('=')}, {key}") == (base64.urlsafe_b64decode(key),)


def test_repr_shows_key_ids_not_keys() -> None:
    key = generate_key()
    box = _box(key)
    assert key not in repr(box)
    assert box.primary_key_id in repr(box)

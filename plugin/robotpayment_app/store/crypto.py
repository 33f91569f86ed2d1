"""Encryption at rest for the few secrets the app keeps (Saleor app tokens, gateway user keys).

AES-256-GCM with a random 96-bit nonce per value. A stored value reads
`rpenc1:<key id>:<base64url(nonce + ciphertext + tag)>`; the key id names the key that sealed it, so several
keys can be configured at once (the first encrypts, all decrypt) and old values re-encrypted at leisure.
The associated data binds each value to its column and row (`context`), so a ciphertext copied into another
row does not decrypt there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import SecretStr

SEAL_VERSION = "rpenc1"
KEY_BYTES = 32
_NONCE_BYTES = 12
_KEY_SEPARATORS = re.compile(r"[\s,]+")


class EncryptionKeyError(ValueError):
    """A configured key is malformed. The message never contains key material."""


class DecryptionError(Exception):
    """A stored value cannot be decrypted (unknown key id, tampered value, wrong context)."""


def generate_key() -> str:
    """A new random key in the configuration format (URL-safe base64 of 32 bytes)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode("ascii")


def parse_keys(text: str) -> tuple[bytes, ...]:
    """Parse a comma- or space-separated list of keys, newest (the one that encrypts) first."""
    keys: list[bytes] = []
    parts = [part for part in _KEY_SEPARATORS.split(text.strip()) if part]
    if not parts:
        raise EncryptionKeyError(
            "no key given: set it to the output of robotpayment_app.store.crypto.generate_key()"
        )
    for position, part in enumerate(parts, start=1):
        try:
            raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        except (binascii.Error, ValueError):
            raise EncryptionKeyError(f"key #{position} is not URL-safe base64") from None
        if len(raw) != KEY_BYTES:
            raise EncryptionKeyError(f"key #{position} must decode to {KEY_BYTES} bytes, not {len(raw)}")
        if raw not in keys:
            keys.append(raw)
    return tuple(keys)


def key_id(key: bytes) -> str:
    """A short public name for a key: a hash prefix, never the key."""
    return hashlib.sha256(b"robotpayment-app key id\x00" + key).hexdigest()[:8]


class SecretBox:
    """Seals and opens small secrets. The first key encrypts; every key decrypts."""

    __slots__ = ("_ciphers", "_primary_id")

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise EncryptionKeyError("at least one key is needed")
        ciphers: dict[str, AESGCM] = {}
        for key in keys:
            if len(key) != KEY_BYTES:
                raise EncryptionKeyError(f"every key must be {KEY_BYTES} bytes")
            ciphers.setdefault(key_id(key), AESGCM(key))
        self._ciphers = ciphers
        self._primary_id = key_id(keys[0])

    @classmethod
    def from_secret(cls, configured: SecretStr) -> SecretBox:
        """Build from the configuration value (see `parse_keys`)."""
        return cls(parse_keys(configured.get_secret_value()))

    @property
    def primary_key_id(self) -> str:
        return self._primary_id

    @property
    def key_ids(self) -> tuple[str, ...]:
        return tuple(self._ciphers)

    def encrypt(self, plaintext: SecretStr | str, *, context: str) -> str:
        """Seal `plaintext` for the column/row named by `context`."""
        value = plaintext.get_secret_value() if isinstance(plaintext, SecretStr) else plaintext
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._ciphers[self._primary_id].encrypt(
            nonce, value.encode("utf-8"), _associated_data(self._primary_id, context)
        )
        body = base64.urlsafe_b64encode(nonce + sealed).rstrip(b"=").decode("ascii")
        return f"{SEAL_VERSION}:{self._primary_id}:{body}"

    def decrypt(self, stored: str, *, context: str) -> SecretStr:
        """Open a value sealed by `encrypt` with the same `context`."""
        kid, body = _split(stored)
        cipher = self._ciphers.get(kid)
        if cipher is None:
            raise DecryptionError(f"value was sealed with key {kid}, which is not configured")
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            plaintext = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _associated_data(kid, context))
        except (binascii.Error, ValueError, InvalidTag):
            raise DecryptionError(f"value sealed with key {kid} does not open for {context!r}") from None
        return SecretStr(plaintext.decode("utf-8"))

    def needs_rotation(self, stored: str) -> bool:
        """True when `stored` was sealed with a key other than the current (first) one."""
        kid, _ = _split(stored)
        return kid != self._primary_id

    def reencrypt(self, stored: str, *, context: str) -> str:
        """Seal again with the current key (key rotation)."""
        return self.encrypt(self.decrypt(stored, context=context), context=context)

    def __repr__(self) -> str:
        return f"SecretBox(primary_key_id={self._primary_id!r}, key_ids={list(self._ciphers)!r})"


def _associated_data(kid: str, context: str) -> bytes:
    return f"{SEAL_VERSION}:{kid}:{context}".encode()


def _split(stored: str) -> tuple[str, str]:
    version, _, rest = stored.partition(":")
    kid, _, body = rest.partition(":")
    if version != SEAL_VERSION or not kid or not body:
        raise DecryptionError("not a value sealed by this app (expected rpenc1:<key id>:<data>)")
    return kid, body

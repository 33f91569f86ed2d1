"""The register use case (`tokenTargetUrl`), without web glue.

Saleor POSTs `{"auth_token": …}` with `Saleor-Api-Url` and `Saleor-Domain` headers. The app accepts only
allow-listed Saleor instances, proves the token with `{ app { id } }`, fetches the JWKS, and saves the
installation (a re-installation replaces the old token: the store does that).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from .errors import JwksFetchError, SaleorLayerError
from .graphql_client import SaleorApiError, SaleorUnauthorized

_DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidAllowlistPattern(SaleorLayerError, ValueError):
    """An allow-list entry is not a usable URL pattern (names the entry)."""


@dataclass(frozen=True)
class _Pattern:
    scheme: str
    host: str  # exact host, or the suffix after "*." for a wildcard
    wildcard: bool
    port: int
    path: str
    path_prefix: bool

    def matches(self, scheme: str, host: str, port: int, path: str) -> bool:
        if scheme != self.scheme or port != self.port:
            return False
        if self.wildcard:
            if not host.endswith("." + self.host) or host == self.host:
                return False
        elif host != self.host:
            return False
        return path.startswith(self.path) if self.path_prefix else path == self.path


def _split_url(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an absolute http(s) URL without credentials, query or fragment."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    if parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[parts.scheme], parts.path or "/"


def _parse_pattern(pattern: str) -> _Pattern:
    """`https://shop.example.com/graphql/` (exact), `https://*.saleor.cloud/graphql/` (any subdomain), and a
    trailing `*` for a path prefix. `*` is allowed nowhere else, so it never swallows a `/` or a dot."""
    text = pattern.strip()
    path_prefix = text.endswith("*")
    if path_prefix:
        text = text[:-1]
    after_scheme = text.find("://") + 3
    wildcard = text[after_scheme : after_scheme + 2] == "*."
    if wildcard:
        text = text[:after_scheme] + text[after_scheme + 2 :]
    split = None if "*" in text else _split_url(text)
    if split is None or (wildcard and "." not in split[1]):
        raise InvalidAllowlistPattern(
            f"allow-list entry {pattern!r}: expected a Saleor API URL such as https://*.example.com/graphql/"
        )
    scheme, host, port, path = split
    return _Pattern(scheme, host, wildcard, port, path, path_prefix)


class SaleorUrlAllowlist:
    """Which Saleor API URLs may install the app. Empty allows any URL only when `allow_any` says so
    (development); in production an empty list allows nothing."""

    def __init__(self, patterns: Iterable[str], *, allow_any: bool = False) -> None:
        self._patterns = tuple(_parse_pattern(pattern) for pattern in patterns)
        self._allow_any = allow_any

    def permits(self, api_url: str) -> bool:
        split = _split_url(api_url)
        if split is None:
            return False
        if self._allow_any and not self._patterns:
            return True
        return any(pattern.matches(*split) for pattern in self._patterns)


class SaveInstallation(Protocol):
    async def __call__(
        self, *, api_url: str, domain: str, token: str, app_id: str, jwks: Mapping[str, Any]
    ) -> None: ...


@dataclass(frozen=True)
class RegistrationAnswer:
    """Saleor's expected answer and the HTTP status to send it with."""

    status_code: int
    error_code: str | None = None
    message: str | None = None

    @property
    def success(self) -> bool:
        return self.error_code is None

    def to_json(self) -> dict[str, Any]:
        if self.error_code is None:
            return {"success": True}
        return {"success": False, "error": {"code": self.error_code, "message": self.message or ""}}


def _refuse(status_code: int, code: str, message: str) -> RegistrationAnswer:
    return RegistrationAnswer(status_code, code, message)


class RegisterApp:
    """`await register(saleor_api_url=…, saleor_domain=…, auth_token=…)` -> `RegistrationAnswer`."""

    def __init__(
        self,
        *,
        allowlist: SaleorUrlAllowlist,
        fetch_app_id: Callable[[str, str], Awaitable[str]],
        fetch_jwks: Callable[[str], Awaitable[dict[str, Any]]],
        save_installation: SaveInstallation,
    ) -> None:
        self._allowlist = allowlist
        self._fetch_app_id = fetch_app_id
        self._fetch_jwks = fetch_jwks
        self._save_installation = save_installation

    async def __call__(
        self, *, saleor_api_url: str | None, saleor_domain: str | None, auth_token: str | None
    ) -> RegistrationAnswer:
        if not saleor_api_url:
            return _refuse(400, "MISSING_SALEOR_API_URL", "The Saleor-Api-Url header is required.")
        if not saleor_domain:
            return _refuse(400, "MISSING_SALEOR_DOMAIN", "The Saleor-Domain header is required.")
        if not auth_token or not isinstance(auth_token, str):
            return _refuse(400, "MISSING_AUTH_TOKEN", "The body must be JSON with a string auth_token.")
        if _split_url(saleor_api_url) is None:
            return _refuse(400, "INVALID_SALEOR_API_URL", "Saleor-Api-Url must be an absolute http(s) URL.")
        if not self._allowlist.permits(saleor_api_url):
            return _refuse(403, "SALEOR_URL_PROHIBITED", "This Saleor instance may not install the app.")
        try:
            app_id = await self._fetch_app_id(saleor_api_url, auth_token)
        except SaleorUnauthorized:
            return _refuse(401, "INVALID_TOKEN", "Saleor did not accept the app token.")
        except SaleorApiError:
            return _refuse(502, "SALEOR_UNAVAILABLE", "The app could not reach Saleor to verify the token.")
        try:
            jwks = await self._fetch_jwks(saleor_api_url)
        except JwksFetchError:
            return _refuse(502, "JWKS_NOT_AVAILABLE", "The app could not fetch Saleor's signing keys.")
        await self._save_installation(
            api_url=saleor_api_url, domain=saleor_domain, token=auth_token, app_id=app_id, jwks=jwks
        )
        return RegistrationAnswer(200)

"""Which gateway a channel may point at in production.

A channel's gateway URL receives every one-touch uid/key and card token of that channel, and the connection test
calls it on a staff user's word: pointed elsewhere it leaks them, or turns the app into a request-forgery tool
against its own network. So in production the URL must be ROBOT PAYMENT's own (`OFFICIAL_GATEWAY_URL`) or name a
host the operator listed (`ROBOTPAYMENT_APP_GATEWAY_HOSTS`, e.g. an egress proxy), over HTTPS on the standard port,
and the host must resolve only to public addresses: loopback, private, link-local (cloud metadata at
169.254.169.254), shared, reserved and unique-local addresses are refused, however they are spelled
(`127.1`, `0x7f000001`, `localhost.`), because the check looks at what the name resolves to.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Collection
from urllib.parse import urlsplit

OFFICIAL_GATEWAY_HOST = "credit.j-payment.co.jp"
OFFICIAL_GATEWAY_URL = f"https://{OFFICIAL_GATEWAY_HOST}/gateway/"
HTTPS_PORT = 443

# host name -> the addresses it resolves to (raises OSError when it does not resolve)
HostResolver = Callable[[str], Awaitable[list[str]]]


async def resolve_host(host: str) -> list[str]:
    """The system resolver's addresses for `host` (IPv4 and IPv6)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, HTTPS_PORT, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def _public(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return bool((mapped or parsed).is_global)


async def production_gateway_problem(
    base_url: str, *, extra_hosts: Collection[str], resolve: HostResolver = resolve_host
) -> str | None:
    """What is wrong with `base_url` as a production gateway, or None."""
    parts = urlsplit(base_url)
    if parts.scheme != "https":
        return "must be an https:// URL in production"
    if parts.username is not None or parts.password is not None:
        return "must not carry a user name or password"
    try:
        port = parts.port
    except ValueError:
        return "must have a valid port"
    if port not in (None, HTTPS_PORT):
        return f"must use the standard HTTPS port {HTTPS_PORT} in production"
    host = (parts.hostname or "").lower()
    allowed = {OFFICIAL_GATEWAY_HOST, *(name.lower() for name in extra_hosts)}
    if host not in allowed:
        listed = "" if not extra_hosts else f" or a host in ROBOTPAYMENT_APP_GATEWAY_HOSTS ({', '.join(extra_hosts)})"
        return f"must be {OFFICIAL_GATEWAY_URL}{listed} in production"
    if host == OFFICIAL_GATEWAY_HOST and parts.path != "/gateway/":
        return f"must be {OFFICIAL_GATEWAY_URL} (the gateway's folder) in production"
    try:
        addresses = await resolve(host)
    except OSError:
        return f"{host} does not resolve here: check the name and this server's DNS"
    if not addresses:
        return f"{host} does not resolve here: check the name and this server's DNS"
    private = [address for address in addresses if not _public(address)]
    if private:
        return (
            f"{host} resolves to {', '.join(private)}: a loopback, private, link-local or otherwise non-public "
            "address, which is refused in production"
        )
    return None

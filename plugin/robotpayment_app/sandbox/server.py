"""Serving the sandbox with uvicorn, able to drop a connection the way a failing gateway does.

ASGI gives an application no way to close a socket without answering. The sandbox's HTTP protocol
(uvicorn's h11 protocol plus one line) puts the connection's transport into the request scope's
`state`, where `drop_connection` finds it. Served any other way, a drop raises ConnectionDropped
instead, which an in-process client (httpx.ASGITransport) also sees as an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

TRANSPORT_STATE_KEY = "robotpayment_sandbox.transport"


class ConnectionDropped(Exception):
    """Raised where the server cannot really drop the connection."""


class TransportExposingH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app_state = {**self.app_state, TRANSPORT_STATE_KEY: transport}


async def drop_connection(request: Request) -> None:
    """Close the client's connection at once, without a status line; returns once it is gone."""
    state: dict[str, Any] = request.scope.get("state", {})
    transport = state.get(TRANSPORT_STATE_KEY)
    if not isinstance(transport, asyncio.Transport):
        raise ConnectionDropped("the sandbox dropped the connection")
    transport.abort()
    # Wait for uvicorn to notice, so that it does not try to answer on the closed connection.
    for _ in range(1000):
        if (await request.receive())["type"] == "http.disconnect":
            return


def uvicorn_config(app: ASGIApp, *, host: str, port: int, log_level: str = "warning") -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=TransportExposingH11Protocol,
        log_level=log_level,
        # No access log: GET query strings carry user keys and tokens.
        access_log=False,
        timeout_graceful_shutdown=2,
    )


def bound_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto IPPROTO_TCP: asyncio then sets TCP_NODELAY on accepted connections (else each answer waits
    # for the client's delayed ACK between the header and body writes, ~40 ms).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    # Listening at once: a client told the address may connect before uvicorn has started accepting.
    sock.listen(128)
    return sock


def base_url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextlib.asynccontextmanager
async def serving(app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Serve `app` on the running loop (port 0: a free port); yields its base URL, e.g. http://127.0.0.1:5123."""
    sock = bound_socket(host, port)
    server = uvicorn.Server(uvicorn_config(app, host=host, port=port))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the server stopped while starting")
            await asyncio.sleep(0.005)
        yield base_url(host, sock.getsockname()[1])
    finally:
        server.should_exit = True
        await task
        sock.close()

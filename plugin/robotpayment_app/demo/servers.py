"""Serving several ASGI apps on one event loop, each on a socket bound beforehand.

Binding every port before anything starts lets the demo fail at once, naming the port, when one is taken, and
lets `--port 0` report the ports it got. uvicorn's own signal capture is switched off: with four servers in one
process each would take over SIGINT from the previous one, so the demo command handles Ctrl-C once, for all.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
from collections.abc import AsyncIterator, Generator

import uvicorn
from starlette.types import ASGIApp

from robotpayment_app.sandbox.server import TransportExposingH11Protocol, base_url, bound_socket

HOST = "127.0.0.1"


class PortUnavailable(Exception):
    """A port the demo needs cannot be bound; names the service and the port."""

    def __init__(self, service: str, port: int, reason: str) -> None:
        super().__init__(f"{service}: cannot listen on {HOST}:{port} ({reason})")
        self.service = service
        self.port = port


class _SharedProcessServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        # the process owner decides when to stop (see module docstring)
        yield


def bind(service: str, port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (port 0: a free one); PortUnavailable when the port is taken."""
    if not 0 <= port <= 65535:
        raise PortUnavailable(service, port, "ports go from 1 to 65535")
    try:
        return bound_socket(HOST, port)
    except OSError as error:
        reason = "already in use" if error.errno == errno.EADDRINUSE else (error.strerror or str(error))
        raise PortUnavailable(service, port, reason) from None


def url_of(sock: socket.socket) -> str:
    return base_url(HOST, sock.getsockname()[1])


@contextlib.asynccontextmanager
async def serving(name: str, app: ASGIApp, sock: socket.socket, *, log_level: str) -> AsyncIterator[str]:
    """Serve `app` on `sock` until the block ends; yields the base URL once the app's start-up has run."""
    url = url_of(sock)
    config = uvicorn.Config(
        app,
        host=HOST,
        port=sock.getsockname()[1],
        # the sandbox drops connections through it (its failure modes); harmless for the others
        http=TransportExposingH11Protocol,
        log_level=log_level,
        log_config=None,  # the process's logging stays as its owner set it up (JSON lines in the demo)
        # no access log: paths and queries carry the kickback secret, tokens and gateway answer fields
        access_log=False,
        timeout_graceful_shutdown=2,
    )
    server = _SharedProcessServer(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name=f"demo-{name}")
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError(f"the {name} server stopped while starting (see the log above)")
            await asyncio.sleep(0.01)
        yield url
    finally:
        server.should_exit = True
        await task
        sock.close()

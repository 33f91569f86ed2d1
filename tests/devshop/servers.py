"""Serving ASGI apps with uvicorn on free loopback ports, inside the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import uvicorn
from starlette.types import ASGIApp, Receive, Scope, Send


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit this; without it Nagle + delayed ACK add ~40 ms per answer
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def base_url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()
    return f"http://{host}:{port}"


class Switchboard:
    """An ASGI app that forwards to whichever app a test plugged in (servers outlive tests)."""

    def __init__(self) -> None:
        self.target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        if self.target is None:
            await send({"type": "http.response.start", "status": 503, "headers": []})
            await send({"type": "http.response.body", "body": b"no app plugged in"})
            return
        await self.target(scope, receive, send)


@contextlib.asynccontextmanager
async def serving(*apps: tuple[ASGIApp, socket.socket]) -> AsyncIterator[list[str]]:
    """Run each app on its already bound socket until the block ends; yields their base URLs."""
    servers = [uvicorn.Server(uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)) for app, _ in apps]
    tasks = [asyncio.create_task(server.serve(sockets=[sock])) for server, (_, sock) in zip(servers, apps, strict=True)]
    try:
        while not all(server.started for server in servers):
            for task in tasks:
                if task.done():
                    task.result()
            await asyncio.sleep(0.005)
        yield [base_url_of(sock) for _, sock in apps]
    finally:
        for server in servers:
            server.should_exit = True
        await asyncio.gather(*tasks)

"""Real app processes for the crash and concurrency tests: `robotpayment-app serve` in subprocesses on the test's
database, the sandbox gateway and a fake Saleor served on loopback sockets in the test's own event loop, and the
gateway's result notifications caught so that a test decides when they arrive.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import Receive, Scope, Send

from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.gateway import SandboxGateway
from robotpayment_app.sandbox.server import serving
from robotpayment_app.sandbox.shopper import SandboxShopper
from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.records import ChannelSettings, Installation, JobType
from robotpayment_app.store.repositories import Store
from robotpayment_app.store.tables import KickbackNotificationRow, PaymentRow
from tests.support.app_harness import CHANNEL_SLUG, STORE_ID, as_delivered, shared_signing_key
from tests.support.fake_saleor import FakeSaleor

COMMAND = Path(sys.executable).with_name("robotpayment-app")
START_DEADLINE_SECONDS = 60.0
# Where the sandbox believes it sends notifications; `CaughtKickbacks` answers in the app's stead.
NOTIFICATION_URL = "http://gateway-notifications.invalid/kickback"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def saleor_asgi(saleor: FakeSaleor) -> Any:
    """The fake Saleor (an httpx transport) as an ASGI app, to serve it to app processes on a socket."""
    transport = saleor.transport()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while (message := await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        query = scope.get("query_string", b"").decode()
        url = f"http://saleor.test{scope['path']}" + (f"?{query}" if query else "")
        headers = [(name.decode("latin-1"), value.decode("latin-1")) for name, value in scope["headers"]]
        response = await transport.handle_async_request(
            httpx.Request(scope["method"], url, headers=headers, content=body)
        )
        content = await response.aread()
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": content})

    return app


@dataclass
class CaughtKickbacks:
    """The sandbox's notifications, answered `ok` here and kept (query strings) for the test to deliver."""

    queries: list[str] = field(default_factory=list)

    def client(self) -> httpx.AsyncClient:
        def answer(request: httpx.Request) -> httpx.Response:
            self.queries.append(request.url.query.decode())
            return httpx.Response(200, text="ok")

        return httpx.AsyncClient(transport=httpx.MockTransport(answer))


@dataclass
class AppProcess:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def kill(self) -> None:
        """The process dies at once (power cut, OOM killer): no shutdown, no commit."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class World:
    """The test's database, gateway, Saleor and app processes."""

    engine: AsyncEngine
    store: Store
    installation: Installation
    saleor: FakeSaleor
    saleor_api_url: str
    sandbox: SandboxGateway
    sandbox_http: httpx.AsyncClient
    kickbacks: CaughtKickbacks
    environment: dict[str, str]
    tmp_path: Path
    processes: list[AppProcess] = field(default_factory=list)

    def shopper(self) -> SandboxShopper:
        return SandboxShopper(self.sandbox_http, str(self.sandbox_http.base_url).rstrip("/"))

    async def start_app(self) -> AppProcess:
        port = free_port()
        log = self.tmp_path / f"app-{len(self.processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [str(COMMAND), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        served = AppProcess(process, f"http://127.0.0.1:{port}", log)
        self.processes.append(served)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + START_DEADLINE_SECONDS
        async with httpx.AsyncClient(timeout=2.0) as client:
            while loop.time() < deadline:
                if process.poll() is not None:
                    raise AssertionError("the app did not start:\n" + log.read_text(errors="replace"))
                try:
                    if (await client.get(served.base_url + "/readyz")).status_code == 200:
                        return served
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.05)
        raise AssertionError("the app did not become ready:\n" + log.read_text(errors="replace"))

    def signed(self, event: SaleorEvent, payload: Mapping[str, Any]) -> tuple[str, bytes, dict[str, str]]:
        """Path, body and headers of a webhook as Saleor signs it."""
        body = json.dumps(as_delivered(event, payload)).encode()
        path = next(hook.path for hook in WEBHOOKS if hook.event is event)
        headers = {
            "Content-Type": "application/json",
            "Saleor-Event": event.header_value,
            "Saleor-Domain": "127.0.0.1",
            "Saleor-Api-Url": self.saleor_api_url,
            "Saleor-Signature": self.saleor.signing_key.sign_webhook(body),
        }
        return path, body, headers

    async def deliver(
        self, app: AppProcess, event: SaleorEvent, payload: Mapping[str, Any], *, timeout: float = 30.0
    ) -> httpx.Response:
        path, body, headers = self.signed(event, payload)
        async with httpx.AsyncClient(base_url=app.base_url, timeout=timeout) as client:
            return await client.post(path, content=body, headers=headers)

    async def let_time_pass(self, entry_id: int, seconds: float) -> None:
        """Move a ledger row's creation back in time, as if `seconds` had passed (the app is another process:
        its clock cannot be set)."""
        async with self.engine.begin() as connection:
            created = (
                await connection.execute(select(PaymentRow.created_at).where(PaymentRow.id == entry_id))
            ).scalar_one()
            await connection.execute(
                update(PaymentRow)
                .where(PaymentRow.id == entry_id)
                .values(created_at=created - timedelta(seconds=seconds))
            )

    async def expire_notification_leases(self) -> int:
        """As if the lease of every notification a dead process was processing had run out; how many there were."""
        async with self.engine.begin() as connection:
            result = await connection.execute(
                update(KickbackNotificationRow)
                .where(KickbackNotificationRow.processing_until.is_not(None))
                .values(processing_until=datetime.now(UTC) - timedelta(seconds=1))
            )
            return int(result.rowcount)

    async def deliver_kickbacks(self, app: AppProcess) -> list[httpx.Response]:
        """What the gateway's retries would do once the app is back: the caught notifications, in order."""
        url = f"{app.base_url}/api/kickback/{self.installation.kickback_secret}"
        async with httpx.AsyncClient(timeout=30.0) as client:
            return [await client.get(f"{url}?{query}") for query in self.kickbacks.queries]


@asynccontextmanager
async def world(database_url: str, tmp_path: Path, *, slow_delay_seconds: float = 2.0) -> AsyncIterator[World]:
    """The sandbox notifies after the app's rt=1 calls too (the reading of the spec these crash tests need: a
    notification to deliver), and the app processes settle an agreeing claim at once (no hold: another
    process's clock cannot be moved)."""
    saleor = FakeSaleor(shared_signing_key())
    encryption_key = generate_key()
    kickbacks = CaughtKickbacks()
    config = SandboxConfig(
        stores=(StoreConfig(store_id=STORE_ID, kickback_url=NOTIFICATION_URL),),
        slow_delay_seconds=slow_delay_seconds,
        kickback_for_rt1=True,
    )
    sandbox_app = create_sandbox_app(config, kickback_client_factory=kickbacks.client)
    engine = create_engine_from_url(database_url)
    store = Store.create(create_session_factory(engine), SecretBox.from_secret(SecretStr(encryption_key)))
    async with AsyncExitStack() as stack:
        stack.push_async_callback(engine.dispose)
        sandbox_url = await stack.enter_async_context(serving(sandbox_app))
        saleor_url = await stack.enter_async_context(serving(saleor_asgi(saleor)))
        sandbox_http = await stack.enter_async_context(
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=sandbox_app, client=("127.0.0.1", 50000)), base_url=sandbox_url
            )
        )
        saleor_api_url = saleor_url + "/graphql/"
        installation = await store.installations.upsert(
            saleor_api_url=saleor_api_url,
            domain="127.0.0.1",
            app_id=saleor.app_id,
            app_token=SecretStr(saleor.app_token),
            jwks=saleor.signing_key.jwks(),
        )
        settings = ChannelSettings(
            store_id=STORE_ID, gateway_base_url=sandbox_url + "/gateway/", job_type=JobType.CAPTURE
        )
        await store.channels.upsert(installation.id, CHANNEL_SLUG, settings)
        inherited = {name: value for name, value in os.environ.items() if not name.startswith("ROBOTPAYMENT_APP_")}
        environment = {
            **inherited,
            "ROBOTPAYMENT_APP_DATABASE_URL": database_url,
            "ROBOTPAYMENT_APP_DATA_DIR": str(tmp_path / "data"),
            "ROBOTPAYMENT_APP_ENCRYPTION_KEY": encryption_key,
            "ROBOTPAYMENT_APP_APPLY_MIGRATIONS_ON_START": "false",
            "ROBOTPAYMENT_APP_LOG_LEVEL": "INFO",
            "ROBOTPAYMENT_APP_NOTIFICATION_HOLD_SECONDS": "0",
        }
        current = World(
            engine=engine,
            store=store,
            installation=installation,
            saleor=saleor,
            saleor_api_url=saleor_api_url,
            sandbox=sandbox_app.state.sandbox,
            sandbox_http=sandbox_http,
            kickbacks=kickbacks,
            environment=environment,
            tmp_path=tmp_path,
        )
        try:
            yield current
        finally:
            for process in current.processes:
                process.stop()
            await current.sandbox.kickbacks.aclose()

"""The servers a dashboard page test needs, all on loopback ports of the test's event loop:

- the app itself, built by its factory and served by uvicorn (its lifespan opens the real services);
- the sandbox gateway, which the connection test calls over HTTP;
- a stand-in for Saleor: its dashboard (a page that frames the app page and speaks App Bridge) and its JWKS,
  on another origin than the app.

The stand-in is reached as http://localhost:<port> (the shop's origin: saleorApiUrl points there) or as
http://127.0.0.1:<port>, a different origin serving the same page: a dashboard the app page must not trust.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlencode

import uvicorn
from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import SecretStr

from robotpayment_app.sandbox.server import base_url, bound_socket, uvicorn_config
from robotpayment_app.settings import AppSettings, load_settings
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.store.records import Installation
from robotpayment_app.web.app import create_app
from robotpayment_app.web.services import AppServices
from tests.support.signing import SigningKey

APP_ID = "QXBwOjQy"
APP_TOKEN = "app-token-dashboard-test-NEVER-SHOWN"
HANDLE_PAYMENTS = "HANDLE_PAYMENTS"
MANAGE_APPS = "MANAGE_APPS"

Lifespan = Literal["auto", "on", "off"]


def staff_token(
    key: SigningKey,
    *,
    app_id: str = APP_ID,
    permissions: tuple[str, ...] = (MANAGE_APPS, HANDLE_PAYMENTS),
    lifetime_seconds: int = 600,
    **claims: Any,
) -> str:
    """A JWT like the one Saleor's dashboard hands the app page."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "iat": now,
        "exp": now + lifetime_seconds,
        "app": app_id,
        "email": "staff@example.com",
        "user_id": "VXNlcjox",
        "user_permissions": list(permissions),
        "type": "thirdparty",
        **claims,
    }
    return key.sign_jwt(payload)


@dataclass
class Scenario:
    """What the stand-in dashboard does with the app page: which URL it frames, which token it answers
    notifyReady with (None: it never answers)."""

    app_page_url: str = ""
    token: str | None = None


@dataclass
class SaleorStandIn:
    signing_key: SigningKey
    scenario: Scenario = field(default_factory=Scenario)
    port: int = 0

    @property
    def origin(self) -> str:
        """The shop's origin: the Saleor API and the dashboard the app page trusts."""
        return f"http://localhost:{self.port}"

    @property
    def other_origin(self) -> str:
        """The same page on another origin: a framing site the app page must not trust."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.origin}/graphql/"

    @property
    def domain(self) -> str:
        return f"localhost:{self.port}"

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/jwks.json")
        async def jwks() -> JSONResponse:
            return JSONResponse(self.signing_key.jwks())

        @app.get("/dashboard/apps/app")
        async def dashboard() -> HTMLResponse:
            return HTMLResponse(_dashboard_page(self.scenario))

        return app


def _dashboard_page(scenario: Scenario) -> str:
    # Like Saleor's AppFrame: frame the app page, answer its notifyReady with `response` and the handshake.
    token = json.dumps(scenario.token).replace("</", "<\\/")
    app_url = json.dumps(scenario.app_page_url).replace("</", "<\\/")
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Saleor dashboard (stand-in)</title>
<style>body{{margin:0;font-family:sans-serif}} header{{padding:8px 16px;background:#111;color:#eee}}
iframe{{display:block;width:100%;height:2260px;border:0}}</style></head>
<body><header>Saleor dashboard · Apps · ROBOT PAYMENT</header>
<script>
const token = {token};
const frame = document.createElement("iframe");
frame.id = "app-frame";
frame.allow = "clipboard-read; clipboard-write";
frame.src = {app_url};
const appOrigin = new URL(frame.src).origin;
window.received = [];
window.addEventListener("message", (event) => {{
  if (event.source !== frame.contentWindow) return;
  window.received.push({{origin: event.origin, data: event.data}});
  const message = event.data || {{}};
  if (message.type === "notifyReady" && token) {{
    const actionId = message.payload.actionId;
    frame.contentWindow.postMessage({{type: "response", payload: {{actionId, ok: true}}}}, appOrigin);
    frame.contentWindow.postMessage({{type: "handshake", payload: {{token, version: 1}}}}, appOrigin);
  }}
}});
window.sendToApp = (message) => frame.contentWindow.postMessage(message, appOrigin);
document.body.append(frame);
</script></body></html>"""


@asynccontextmanager
async def serving_on_loopback(app: Any, *, lifespan: Lifespan = "auto") -> AsyncIterator[str]:
    """Serve an ASGI app on a free 127.0.0.1 port; yields its base URL."""
    async with _serving(app, bound_socket("127.0.0.1", 0), lifespan=lifespan) as url:
        yield url


@asynccontextmanager
async def _serving(app: Any, sock: socket.socket, *, lifespan: Lifespan) -> AsyncIterator[str]:
    port = sock.getsockname()[1]
    config = uvicorn_config(app, host="127.0.0.1", port=port)
    config.lifespan = lifespan
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the server stopped while starting")
            await asyncio.sleep(0.005)
        yield base_url("127.0.0.1", port)
    finally:
        server.should_exit = True
        await task
        sock.close()


@dataclass
class RunningApp:
    base_url: str
    settings: AppSettings
    services: AppServices
    saleor: SaleorStandIn
    installation: Installation | None = None

    @property
    def installed(self) -> Installation:
        assert self.installation is not None, "install() first"
        return self.installation

    async def install(self) -> Installation:
        """Install the app for the stand-in's shop (a fresh installation after the tables were emptied)."""
        self.installation = await self.services.store.installations.upsert(
            saleor_api_url=self.saleor.api_url,
            domain=self.saleor.domain,
            app_id=APP_ID,
            app_token=SecretStr(APP_TOKEN),
            jwks=self.saleor.signing_key.jwks(),
        )
        return self.installation

    def page_url(self, *, theme: str = "light", locale: str = "en") -> str:
        query = urlencode(
            {
                "domain": self.saleor.domain,
                "saleorApiUrl": self.saleor.api_url,
                "id": APP_ID,
                "theme": theme,
                "locale": locale,
            }
        )
        return f"{self.base_url}/dashboard?{query}"


@asynccontextmanager
async def running_app(database_url: str, data_dir: Path, saleor: SaleorStandIn) -> AsyncIterator[RunningApp]:
    """The app on a free port (its public URL known before it starts, for the kickback URL)."""
    sock = bound_socket("127.0.0.1", 0)
    public_url = base_url("127.0.0.1", sock.getsockname()[1])
    settings = load_settings(
        database_url=database_url,
        data_dir=data_dir,
        public_url=public_url,
        encryption_key=SecretStr(generate_key()),
        apply_migrations_on_start=False,
    )
    app = create_app(settings)
    async with _serving(app, sock, lifespan="on") as url:
        yield RunningApp(url, settings, app.state.services, saleor)

"""The servers a dashboard page test needs, all on loopback ports of the test's event loop:

- the app itself, built by its factory and served by uvicorn (its lifespan opens the real services);
- the sandbox gateway, which the connection test calls over HTTP;
- a stand-in for Saleor: its API's JWKS and its dashboard (a page that frames the app page and speaks App Bridge
  as Saleor's dashboard 3.23 does), on other origins than the app.

One stand-in server answers under three host names, as three sites: http://localhost:<port> is the Saleor API
(saleorApiUrl points there), http://dashboard.localhost:<port> the shop's self-hosted dashboard (another host name,
like dashboard.shop.jp beside api.shop.jp), and http://127.0.0.1:<port> a site that is neither.
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
    """What the stand-in dashboard does with the app page: which URL it frames (through `hop_origin`'s page that
    opens it, when set), which token it hands over (None: it never sends a handshake), the dashboard's own locale
    and theme (sent after the handshake), and the frame's referrer policy."""

    app_page_url: str = ""
    token: str | None = None
    locale: str = "en"
    theme: str = "light"
    hop_origin: str | None = None
    referrer_policy: str | None = None
    sandbox: str | None = None


SALEOR_VERSION = "3.24.0"
DASHBOARD_VERSION = "3.23.27"
# The sandbox of Saleor's AppIFrame (3.23), with no `allow` attribute. It lacks allow-modals, so window.confirm()
# returns false at once inside the app page, and clipboard access is not delegated: the stand-in frames without it
# unless a test asks for it (`Scenario.sandbox`), so that the page's confirmations and copy button can be tested.
SALEOR_FRAME_SANDBOX = "allow-same-origin allow-forms allow-scripts allow-downloads allow-popups"


@dataclass
class SaleorStandIn:
    signing_key: SigningKey
    scenario: Scenario = field(default_factory=Scenario)
    port: int = 0
    # what the GraphQL API answers the app's `channels` query; None: Saleor's API does not answer (503)
    channels: list[dict[str, Any]] | None = None

    @property
    def origin(self) -> str:
        """The Saleor API's origin."""
        return f"http://localhost:{self.port}"

    @property
    def dashboard_origin(self) -> str:
        """The shop's dashboard: another host name than the API's."""
        return f"http://dashboard.localhost:{self.port}"

    @property
    def other_origin(self) -> str:
        """A site that is neither the API nor the dashboard."""
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

        @app.post("/graphql/")
        async def graphql() -> JSONResponse:
            if self.channels is None:
                return JSONResponse({"errors": [{"message": "unavailable"}]}, status_code=503)
            return JSONResponse({"data": {"channels": self.channels}})

        @app.get("/dashboard/apps/app")
        async def dashboard() -> HTMLResponse:
            return HTMLResponse(_dashboard_page(self.scenario))

        @app.get("/dashboard/sibling")
        async def sibling() -> HTMLResponse:
            return HTMLResponse(_SIBLING_PAGE)

        @app.get("/hop")
        async def hop() -> HTMLResponse:
            return HTMLResponse(_HOP_PAGE)

        return app


def _script_value(value: object) -> str:
    return json.dumps(value).replace("</", "<\\/")


def _dashboard_page(scenario: Scenario) -> str:
    # Like Saleor's AppFrame (saleor-dashboard 3.23): it frames the app page with the iframe's default referrer,
    # takes actions from the app's origin only (notifyReady: the handshake, then the `response`), and when the frame
    # has loaded sends the handshake again, then localeChanged, theme and redirect, all to the app's origin.
    frame_url = scenario.app_page_url
    if scenario.hop_origin:
        frame_url = f"{scenario.hop_origin}/hop?{urlencode({'to': scenario.app_page_url})}"
    setup = {
        "token": scenario.token,
        "frameUrl": frame_url,
        "appPageUrl": scenario.app_page_url,
        "locale": scenario.locale,
        "theme": scenario.theme,
        "referrerPolicy": scenario.referrer_policy,
        "sandbox": scenario.sandbox,
        "versions": {"saleorVersion": SALEOR_VERSION, "dashboardVersion": DASHBOARD_VERSION},
    }
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>Saleor dashboard (stand-in)</title>
<style>body{{margin:0;font-family:sans-serif}} header{{padding:8px 16px;background:#111;color:#eee}}
iframe{{display:block;width:100%;height:2260px;border:0}}</style></head>
<body><header>Saleor dashboard · Apps · ROBOT PAYMENT</header>
<script>
const setup = {_script_value(setup)};
const token = setup.token;
const frame = document.createElement("iframe");
frame.id = "app-frame";
if (setup.sandbox) frame.setAttribute("sandbox", setup.sandbox);
else frame.allow = "clipboard-read; clipboard-write";
if (setup.referrerPolicy) frame.referrerPolicy = setup.referrerPolicy;
frame.src = setup.frameUrl;
const appOrigin = new URL(setup.appPageUrl).origin;
const handshake = () => ({{type: "handshake", payload: {{token, version: 1, ...setup.versions}}}});
window.received = [];
window.sent = [];
function post(message) {{
  window.sent.push(message.type);
  frame.contentWindow.postMessage(message, appOrigin);
}}
window.addEventListener("message", (event) => {{
  if (event.origin !== appOrigin) return;
  window.received.push({{origin: event.origin, data: event.data}});
  const action = event.data;
  if (!action?.type || !action?.payload?.actionId) return;
  if (action.type === "notifyReady" && token) post(handshake());
  post({{type: "response", payload: {{actionId: action.payload.actionId, ok: true}}}});
}});
frame.addEventListener("load", () => {{
  if (!token) return;
  post(handshake());
  post({{type: "localeChanged", payload: {{locale: setup.locale}}}});
  post({{type: "theme", payload: {{theme: setup.theme}}}});
  post({{type: "redirect", payload: {{path: "/"}}}});
}});
window.sendToApp = post;
// another window of the dashboard's origin (a second frame) posting to the app page
window.sendFromSibling = (message) => new Promise((resolve) => {{
  const sibling = document.createElement("iframe");
  sibling.src = "/dashboard/sibling?" + new URLSearchParams({{message: JSON.stringify(message), to: appOrigin}});
  sibling.addEventListener("load", resolve, {{once: true}});
  document.body.prepend(sibling);
}});
document.body.append(frame);
</script></body></html>"""


# a frame of the dashboard's origin that posts one message to the app page (its sibling) when it loads
_SIBLING_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body><script>
const query = new URLSearchParams(location.search);
const app = parent.document.getElementById("app-frame").contentWindow;
app.postMessage(JSON.parse(query.get("message")), query.get("to"));
</script></body></html>"""

# a page that opens another in its place: the page it opens then names this one's origin as its referrer
_HOP_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body><script>
location.replace(new URLSearchParams(location.search).get("to"));
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

    def page_url(self, *, theme: str = "light", locale: str | None = None) -> str:
        """The app page's address as Saleor's dashboard writes it (no locale: it sends localeChanged instead; give
        `locale` for the parameter that other dashboards, and this page, understand)."""
        params = {
            "domain": self.saleor.domain,
            "saleorApiUrl": self.saleor.api_url,
            "id": APP_ID,
            "theme": theme,
            "featureFlags[new_filters][enabled]": "true",  # qs-encoded FlagValue objects, as the dashboard sends
        }
        if locale is not None:
            params["locale"] = locale
        return f"{self.base_url}/dashboard?{urlencode(params)}"


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

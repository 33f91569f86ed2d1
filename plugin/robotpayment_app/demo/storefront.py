"""The demo's storefront server: its own pages, the snippets, and the settings both read.

    /                  the shop: products, "buy" creates a checkout as the signed-in shopper and offers the
                       example checkout pages
    /staff             orders, transactions and their events; capture / cancel / refund
    /dashboard         the app's configuration page framed the way Saleor's dashboard frames it (App Bridge)
    /demo-config.js    `window.ROBOTPAYMENT_DEMO = {...}`: what the pages and the snippet examples read
    /snippets/...      frontend_snippets/ as it is in the repository (read-only)
    /assets/...        the demo pages' scripts and style sheet

Plain files, no build step, nothing loaded from outside this machine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, SecretStr
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

STATIC_DIR = Path(__file__).resolve().parent / "static"
PAGES = {"/": "index.html", "/staff": "staff.html", "/dashboard": "dashboard.html"}


class DemoAccount(BaseModel):
    """A seeded account the demo pages sign in with (the demo prints the same password)."""

    model_config = ConfigDict(frozen=True)

    email: str
    password: SecretStr


class SandboxCard(BaseModel):
    """A sandbox card number and what it does, shown on the shop page."""

    model_config = ConfigDict(frozen=True)

    number: str
    note: str


class StorefrontConfig(BaseModel):
    """Everything the pages are told through /demo-config.js."""

    model_config = ConfigDict(frozen=True)

    saleor_api_url: str
    channel: str
    gateway_id: str
    app_url: str
    app_id: str
    gateway_url: str
    shopper: DemoAccount
    staff: DemoAccount
    test_cards: tuple[SandboxCard, ...] = ()

    def browser_settings(self) -> dict[str, Any]:
        """`window.ROBOTPAYMENT_DEMO`. The first three names are the snippet examples' own settings."""
        return {
            "saleorApiUrl": self.saleor_api_url,
            "channel": self.channel,
            "gatewayId": self.gateway_id,
            "appUrl": self.app_url,
            "appId": self.app_id,
            "gatewayUrl": self.gateway_url,
            # local demo accounts on 127.0.0.1 only; the demo prints them too
            "accounts": {
                name: {"email": account.email, "password": account.password.get_secret_value()}
                for name, account in (("shopper", self.shopper), ("staff", self.staff))
            },
            "testCards": [card.model_dump() for card in self.test_cards],
        }


def demo_config_script(config: StorefrontConfig) -> str:
    # "</" never appears raw, so the value cannot end a <script> element it might be pasted into
    value = json.dumps(config.browser_settings(), ensure_ascii=False, indent=2).replace("</", "<\\/")
    return f"window.ROBOTPAYMENT_DEMO = {value};\n"


class _NoCache(BaseHTTPMiddleware):
    # a developer editing a snippet sees the change on reload
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Cache-Control", "no-cache")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


def create_storefront_app(config: StorefrontConfig, *, snippets_dir: Path) -> FastAPI:
    app = FastAPI(title="ROBOT PAYMENT demo storefront", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(_NoCache)
    script = demo_config_script(config)

    @app.get("/demo-config.js", include_in_schema=False)
    async def demo_config() -> Response:
        return Response(script, media_type="text/javascript; charset=utf-8")

    def page_route(file_name: str) -> Any:
        async def page() -> FileResponse:
            return FileResponse(STATIC_DIR / file_name, media_type="text/html; charset=utf-8")

        return page

    for path, file_name in PAGES.items():
        app.add_api_route(path, page_route(file_name), methods=["GET"], include_in_schema=False)
    app.mount("/assets", StaticFiles(directory=STATIC_DIR), name="assets")
    app.mount("/snippets", StaticFiles(directory=snippets_dir, html=True), name="snippets")
    return app

"""`GET /dashboard` (the page) and `GET /dashboard/static/{name}` (its scripts and style sheet).

The page is the same for every request: it reads the dashboard's query parameters itself, in the browser,
so nothing from the URL is ever written into the HTML. Only the files listed in `ASSETS` are served.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request, Response

from robotpayment_app.saleor.manifest import DASHBOARD_PATH

STATIC_DIR = Path(__file__).resolve().parent / "static"
DASHBOARD_ASSETS_PATH = DASHBOARD_PATH + "/static"

PAGE_FILE = "page.html"
# Hand-written files, and the ones ./dev builds from frontend_dashboard/ (committed like the others):
# app_bridge.js (Saleor's App Bridge), macaw_tokens.css and inter-roman.var.woff2 (Saleor's dashboard look).
ASSETS: dict[str, str] = {
    "dashboard.css": "text/css; charset=utf-8",
    "macaw_tokens.css": "text/css; charset=utf-8",
    "inter-roman.var.woff2": "font/woff2",
    "main.js": "text/javascript; charset=utf-8",
    "app_bridge.js": "text/javascript; charset=utf-8",
    "api.js": "text/javascript; charset=utf-8",
    "texts.js": "text/javascript; charset=utf-8",
    "dom.js": "text/javascript; charset=utf-8",
    "channel_form.js": "text/javascript; charset=utf-8",
    "activity.js": "text/javascript; charset=utf-8",
    "attention.js": "text/javascript; charset=utf-8",
    "confirm_dialog.js": "text/javascript; charset=utf-8",
}

# The page frames nothing, posts no forms and loads only its own files; the dashboard frames it (so no
# frame-ancestors: a self-hosted dashboard may be served from any host, and the token proves who is there).
PAGE_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    media_type: str
    etag: str

    @classmethod
    def read(cls, path: Path, media_type: str) -> StaticFile:
        body = path.read_bytes()
        return cls(body, media_type, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')

    def response(self, request: Request, headers: dict[str, str] | None = None) -> Response:
        # no-cache: the browser keeps a copy but asks each time, so an upgraded app is never half old
        common = {"ETag": self.etag, "Cache-Control": "no-cache", **(headers or {})}
        if self.etag in _if_none_match(request):
            return Response(status_code=304, headers=common)
        return Response(self.body, media_type=self.media_type, headers=common)


def _if_none_match(request: Request) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in request.headers.get("if-none-match", "").split(",")}


def dashboard_router(static_dir: Path = STATIC_DIR) -> APIRouter:
    """Reads the page and its assets once, when the router is built."""
    page = StaticFile.read(static_dir / PAGE_FILE, "text/html; charset=utf-8")
    assets = {name: StaticFile.read(static_dir / name, media_type) for name, media_type in ASSETS.items()}
    router = APIRouter()

    @router.get(DASHBOARD_PATH, include_in_schema=False)
    async def dashboard_page(request: Request) -> Response:
        return page.response(request, PAGE_SECURITY_HEADERS)

    @router.get(DASHBOARD_ASSETS_PATH + "/{name}", include_in_schema=False)
    async def dashboard_asset(name: str, request: Request) -> Response:
        asset = assets.get(name)
        if asset is None:
            return Response("no such file", status_code=404, media_type="text/plain; charset=utf-8")
        return asset.response(request, {"X-Content-Type-Options": "nosniff"})

    return router

"""No answer takes an address from the request: only ROBOTPAYMENT_APP_PUBLIC_URL makes absolute URLs.

Found in review: `GET /dashboard/` with `Host: evil.example` was answered `307 Location: http://evil.example/dashboard`
(Starlette's trailing-slash redirect), a redirect anyone could point anywhere by sending a Host header. Checked on a
real socket, where the Host header is the client's to write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from starlette.routing import Route

from robotpayment_app.web.app import create_app
from tests.web.apps import app_settings, served_app

FORGED_HOST = "evil.example"
FORGED = {"Host": FORGED_HOST, "X-Forwarded-Host": FORGED_HOST, "Forwarded": f"host={FORGED_HOST}"}


def _route_paths(routes: list[Any]) -> Iterator[str]:
    for route in routes:
        included = getattr(route, "original_router", None)  # how FastAPI keeps an included router (no prefixes here)
        if included is not None:
            yield from _route_paths(included.routes)
        elif isinstance(route, Route):
            yield route.path


def _paths(routes: list[Any]) -> list[str]:
    """Every route's path (parameters filled in): as is, with a trailing slash, and missing its last character."""
    paths = set()
    for route_path in _route_paths(routes):
        path = route_path.replace("{secret}", "not-a-secret").replace("{name}", "main.js")
        paths.update({path, path + "/", path[:-1] or "/"})
    return sorted(paths)


async def test_no_answer_redirects_or_names_a_forged_host(database_url: str, tmp_path: Path) -> None:
    settings = app_settings(database_url, tmp_path / "data")
    paths = _paths(list(create_app(settings).routes))
    assert {"/dashboard/", "/api/register/", "/graphql/", "/readyz/", "/api/kickback/not-a-secret/"} <= set(paths)
    async with served_app(settings) as (base_url, _, _), httpx.AsyncClient(base_url=base_url) as client:
        dashboard = await client.get("/dashboard/", headers=FORGED)
        answers = {
            (method, path): await client.request(method, path, headers=FORGED, content=b"{}")
            for path in paths
            for method in ("GET", "POST")
        }

    assert (dashboard.status_code, dashboard.headers.get("location")) == (404, None)
    for (method, path), answer in answers.items():
        assert not 300 <= answer.status_code < 400, (method, path, answer.status_code)
        assert "location" not in answer.headers, (method, path, answer.headers["location"])
        assert FORGED_HOST not in answer.text, (method, path)

"""`manifest.json` at the repository root is exactly what the app serves with the default public URL, and a
configured public URL makes every URL of the served manifest absolute under it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from robotpayment_app.cli import main
from robotpayment_app.saleor.webhooks import WEBHOOKS
from robotpayment_app.settings import AppSettings
from tests.support.shared import REPO_ROOT
from tests.web.apps import app_settings, running_app

MANIFEST_FILE = REPO_ROOT / "manifest.json"
DEFAULT_PUBLIC_URL: str = AppSettings.model_fields["public_url"].default
REGENERATE = f"regenerate it: robotpayment-app manifest --public-url {DEFAULT_PUBLIC_URL} > manifest.json"


async def _served_manifest(database_url: str, data_dir: Path, public_url: str) -> dict[str, Any]:
    async with running_app(app_settings(database_url, data_dir, public_url=public_url)) as (client, _, _):
        response = await client.get("/api/manifest")
    assert response.status_code == 200
    manifest: dict[str, Any] = response.json()
    return manifest


async def test_the_manifest_file_is_what_the_app_serves(database_url: str, tmp_path: Path) -> None:
    served = await _served_manifest(database_url, tmp_path / "data", DEFAULT_PUBLIC_URL)
    assert json.loads(MANIFEST_FILE.read_text(encoding="utf-8")) == served, REGENERATE


def _urls(manifest: dict[str, Any]) -> list[str]:
    """Every URL in the manifest (keys ending in Url, the logo), with where it was found."""
    urls = [value for key, value in manifest.items() if key.endswith("Url")]
    urls.append(manifest["brand"]["logo"]["default"])
    urls += [hook["targetUrl"] for hook in manifest["webhooks"]]
    return urls


async def test_a_public_url_makes_every_served_url_absolute_under_it(database_url: str, tmp_path: Path) -> None:
    public = "https://payments.example.co.jp/saleor-app"
    served = await _served_manifest(database_url, tmp_path / "data", public + "/")
    urls = _urls(served)
    assert len(urls) == 6 + len(WEBHOOKS)
    assert all(url.startswith(public + "/") for url in urls), urls
    assert served["tokenTargetUrl"] == f"{public}/api/register"
    targets = {hook["name"]: hook["targetUrl"] for hook in served["webhooks"]}
    assert targets == {hook.name: f"{public}/api/webhooks/{hook.event.value.lower()}" for hook in WEBHOOKS}
    assert "127.0.0.1" not in json.dumps(served)


def test_the_manifest_command_prints_the_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", "--public-url", DEFAULT_PUBLIC_URL]) == 0
    assert capsys.readouterr().out == MANIFEST_FILE.read_text(encoding="utf-8"), REGENERATE


async def test_the_logo_is_one_saleor_accepts_and_the_homepage_is_a_page(database_url: str, tmp_path: Path) -> None:
    """Saleor refuses app logos under 256×256 ("Minimal accepted image size is 256x256")."""
    import struct

    from tests.web.apps import app_settings, running_app

    settings = app_settings(database_url, tmp_path / "data")
    async with running_app(settings) as (client, _, _saleor):
        manifest = (await client.get("/api/manifest")).json()
        logo = await client.get(manifest["brand"]["logo"]["default"].removeprefix(settings.public_url))
        home = await client.get(manifest["homepageUrl"].removeprefix(settings.public_url))

    assert logo.status_code == 200 and logo.headers["content-type"] == "image/png"
    assert logo.content[:8] == b"\x89PNG\r\n\x1a\n" and logo.content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", logo.content[16:24])
    assert width >= 256 and height >= 256 and width == height
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert "ROBOT PAYMENT" in home.text and settings.public_url + "/api/manifest" in home.text
    assert "決済結果通知URL" in home.text

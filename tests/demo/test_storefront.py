"""The storefront server on its own: its pages, /demo-config.js, and frontend_snippets/ served read-only."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from pydantic import SecretStr

from robotpayment_app.demo.stack import DEFAULT_SNIPPETS_DIR
from robotpayment_app.demo.storefront import DemoAccount, SandboxCard, StorefrontConfig, create_storefront_app

CONFIG = StorefrontConfig(
    saleor_api_url="http://127.0.0.1:8002/graphql/",
    channel="default-channel",
    gateway_id="jp.robotpayment.saleor",
    app_url="http://127.0.0.1:8001",
    app_id="QXBwOjE=",
    gateway_url="http://127.0.0.1:8003/gateway/",
    shopper=DemoAccount(email="shopper@example.com", password=SecretStr("shopper-password")),
    staff=DemoAccount(email="staff@example.com", password=SecretStr("</script><script>alert(1)</script>")),
    test_cards=(SandboxCard(number="4444333322221111", note="VISA: approved"),),
)


def client(snippets_dir: Path = DEFAULT_SNIPPETS_DIR) -> httpx.AsyncClient:
    app = create_storefront_app(CONFIG, snippets_dir=snippets_dir)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8000")


async def test_demo_config_gives_the_example_pages_their_settings_and_the_demo_pages_theirs() -> None:
    async with client() as http:
        response = await http.get("/demo-config.js")
    assert response.headers["content-type"].startswith("text/javascript")
    assert "</script>" not in response.text  # cannot close a <script> element it is pasted into
    prefix, _, value = response.text.partition("=")
    assert prefix.strip() == "window.ROBOTPAYMENT_DEMO"
    settings = json.loads(value.strip().removesuffix(";"))
    # the names frontend_snippets/examples/example.js reads (the query string may override them)
    assert settings["saleorApiUrl"] == CONFIG.saleor_api_url
    assert settings["channel"] == "default-channel"
    assert settings["gatewayId"] == "jp.robotpayment.saleor"
    # the demo pages' own
    assert (settings["appUrl"], settings["appId"], settings["gatewayUrl"]) == (
        CONFIG.app_url,
        CONFIG.app_id,
        CONFIG.gateway_url,
    )
    assert settings["accounts"]["staff"]["password"] == "</script><script>alert(1)</script>"
    assert settings["testCards"] == [{"number": "4444333322221111", "note": "VISA: approved"}]
    assert "token" not in settings and "checkoutId" not in settings  # per checkout: in the links' query


async def test_the_pages_and_their_scripts_are_served() -> None:
    async with client() as http:
        for path, script in (("/", "shop.js"), ("/staff", "staff.js"), ("/dashboard", "dashboard.js")):
            page = await http.get(path)
            assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
            assert '<script src="/demo-config.js"></script>' in page.text
            assert f'src="/assets/{script}"' in page.text
            asset = await http.get(f"/assets/{script}")
            assert asset.status_code == 200 and "javascript" in asset.headers["content-type"]
            assert asset.headers["x-content-type-options"] == "nosniff"
        assert (await http.get("/assets/demo.css")).headers["content-type"].startswith("text/css")


async def test_snippets_are_served_as_they_are_in_the_repository_and_nothing_outside_them() -> None:
    async with client() as http:
        module = await http.get("/snippets/robotpayment.js")
        assert module.content == (DEFAULT_SNIPPETS_DIR / "robotpayment.js").read_bytes()
        assert "javascript" in module.headers["content-type"]  # an ES module must come with a script type
        examples = await http.get("/snippets/examples/")
        assert examples.content == (DEFAULT_SNIPPETS_DIR / "examples" / "index.html").read_bytes()
        popup = await http.get("/snippets/examples/popup-checkout.html")
        assert popup.status_code == 200 and '<script src="/demo-config.js"></script>' in popup.text
        for outside in ("/snippets/../pyproject.toml", "/snippets/%2e%2e/pyproject.toml", "/assets/../stack.py"):
            assert (await http.get(outside)).status_code == 404, outside
        assert (await http.post("/snippets/robotpayment.js")).status_code == 405


async def test_another_snippets_folder_can_be_served(tmp_path: Path) -> None:
    (tmp_path / "robotpayment.js").write_text("export const GATEWAY_ID = 'x';\n")
    async with client(tmp_path) as http:
        assert (await http.get("/snippets/robotpayment.js")).text == "export const GATEWAY_ID = 'x';\n"
        assert (await http.get("/snippets/examples/")).status_code == 404

"""The page and its files as the app serves them (no browser): the route, what may load, caching, headers, the
files built from Saleor's packages (frontend_dashboard/), and the configuration API's defaults that the page's
new-channel form starts from."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from robotpayment_app.saleor.manifest import DASHBOARD_PATH, build_manifest
from robotpayment_app.store.records import ChannelSettings
from robotpayment_app.web.dashboard.routes import ASSETS, DASHBOARD_ASSETS_PATH, PAGE_FILE, STATIC_DIR
from tests.support.app_harness import APP_BASE_URL, AppHarness
from tests.web.dashboard import graphql_data

FRONTEND = Path(__file__).resolve().parents[2] / "frontend_dashboard"
BUILT = ("app_bridge.js", "macaw_tokens.css", "inter-roman.var.woff2")
MODULE_IMPORT = re.compile(r"""^\s*import\s[^"']*["']([^"']+)["'];?\s*$""", re.MULTILINE)


async def test_the_manifests_app_url_serves_the_page(app_harness: AppHarness) -> None:
    manifest = build_manifest(APP_BASE_URL)
    assert manifest["appUrl"] == APP_BASE_URL + DASHBOARD_PATH
    response = await app_harness.client.get(manifest["appUrl"], params={"id": "QXBwOjQ=", "theme": "dark"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert '<script type="module" src="dashboard/static/main.js">' in response.text


async def test_the_page_loads_only_its_own_files_and_frames_nothing(app_harness: AppHarness) -> None:
    response = await app_harness.client.get(DASHBOARD_PATH)
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy
    assert "connect-src 'self'" in policy
    assert "font-src 'self'" in policy  # macaw-ui's Inter, served beside the page
    assert "form-action 'none'" in policy
    assert "frame-ancestors" not in policy  # the dashboard frames it, from an origin only the query names
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-cache"


async def test_nothing_from_the_address_is_written_into_the_page(app_harness: AppHarness) -> None:
    hostile = '"><script>alert(1)</script>'
    response = await app_harness.client.get(
        DASHBOARD_PATH, params={"domain": hostile, "saleorApiUrl": hostile, "locale": hostile}
    )
    assert response.status_code == 200
    assert "alert(1)" not in response.text
    assert response.content == (STATIC_DIR / PAGE_FILE).read_bytes()


@pytest.mark.parametrize("name", sorted(ASSETS))
async def test_every_asset_is_served_with_its_type(app_harness: AppHarness, name: str) -> None:
    response = await app_harness.client.get(f"{DASHBOARD_ASSETS_PATH}/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == ASSETS[name]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content == (STATIC_DIR / name).read_bytes()


async def test_an_unchanged_asset_is_not_sent_again(app_harness: AppHarness) -> None:
    first = await app_harness.client.get(f"{DASHBOARD_ASSETS_PATH}/main.js")
    again = await app_harness.client.get(
        f"{DASHBOARD_ASSETS_PATH}/main.js", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    other = await app_harness.client.get(f"{DASHBOARD_ASSETS_PATH}/main.js", headers={"If-None-Match": '"old"'})
    assert other.status_code == 200


@pytest.mark.parametrize("name", ["routes.py", "..%2Froutes.py", "page.html", "missing.js", "%2e%2e%2f__init__.py"])
async def test_only_listed_files_are_served(app_harness: AppHarness, name: str) -> None:
    response = await app_harness.client.get(f"{DASHBOARD_ASSETS_PATH}/{name}")
    assert response.status_code == 404


def test_every_module_the_page_imports_is_served_and_nothing_comes_from_elsewhere() -> None:
    scripts = {path.name: path.read_text("utf-8") for path in STATIC_DIR.glob("*.js")}
    assert set(scripts) == {name for name in ASSETS if name.endswith(".js")}
    for name, source in scripts.items():
        for target in MODULE_IMPORT.findall(source):
            assert target.startswith("./"), f"{name} imports {target} from outside the page's folder"
            assert target[2:] in ASSETS, f"{name} imports {target}, which the route does not serve"
        assert "import(" not in source
    page = (STATIC_DIR / PAGE_FILE).read_text("utf-8")
    for reference in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert reference.startswith("dashboard/static/"), reference
        assert reference.removeprefix("dashboard/static/") in ASSETS
    assert "url(" not in (STATIC_DIR / "dashboard.css").read_text("utf-8")
    for reference in re.findall(r"url\(([^)]*)\)", (STATIC_DIR / "macaw_tokens.css").read_text("utf-8")):
        assert reference in ASSETS, reference  # the font, served beside the style sheet


def _banner(name: str) -> str:
    text = (STATIC_DIR / name).read_text("utf-8")
    assert text.startswith("/* Built by ./dev from frontend_dashboard/"), f"{name} is not the built file"
    return text.split("*/", 1)[0]


def test_the_built_files_come_from_saleors_packages_as_the_lockfile_pins_them() -> None:
    wanted = json.loads((FRONTEND / "package.json").read_text("utf-8"))["devDependencies"]
    locked = json.loads((FRONTEND / "package-lock.json").read_text("utf-8"))["packages"]
    for name, version in wanted.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"{name} is not pinned: {version}"
        assert locked[f"node_modules/{name}"]["version"] == version
    bridge = _banner("app_bridge.js")
    bundled = dict(re.findall(r"^ \*   (\S+) (\d+\.\d+\.\d+) ", bridge, re.MULTILINE))
    assert bundled["@saleor/app-sdk"] == wanted["@saleor/app-sdk"]
    assert {name: locked[f"node_modules/{name}"]["version"] for name in bundled} == bundled
    assert not {"react", "react-dom"} & set(bundled)
    source = (STATIC_DIR / "app_bridge.js").read_text("utf-8")
    assert "class AppBridge" in source or "AppBridge = class" in source
    assert "React: absent (build_support/react_absent.js)" in bridge  # the SDK's unused React helpers were shaken off
    assert f"@saleor/macaw-ui {wanted['@saleor/macaw-ui']} " in _banner("macaw_tokens.css")
    assert (STATIC_DIR / "inter-roman.var.woff2").read_bytes()[:4] == b"wOF2"


def test_the_built_files_are_what_the_sources_build() -> None:
    """What `./dev lint` checks, here too when the packages are installed (./dev installs them)."""
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "esbuild").is_dir():
        pytest.skip("the front-end packages are not installed (./dev installs them)")
    checked = subprocess.run([node, "build.mjs", "--check"], cwd=FRONTEND, capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0, checked.stderr
    for name in BUILT:
        assert name in ASSETS


async def test_a_new_channel_starts_from_the_settings_models_defaults(app_harness: AppHarness) -> None:
    data = await graphql_data(
        app_harness,
        """{ channelSettingsDefaults { gatewayBaseUrl jobType tokenMode paymentMethods installmentCounts productMode
             productCodeMetadataKey saveCardsAllowed cvvRequired splitTaxAndShipping } }""",
    )
    defaults = ChannelSettings(store_id="123456")
    assert data["channelSettingsDefaults"] == {
        "gatewayBaseUrl": defaults.gateway_base_url,
        "jobType": defaults.job_type.name,
        "tokenMode": defaults.token_mode.name,
        "paymentMethods": [method.name for method in defaults.payment_methods],
        "installmentCounts": list(defaults.installment_counts),
        "productMode": defaults.product_mode,
        "productCodeMetadataKey": defaults.product_code_metadata_key,
        "saveCardsAllowed": defaults.save_cards_allowed,
        "cvvRequired": defaults.cvv_required,
        "splitTaxAndShipping": defaults.split_tax_and_shipping,
    }

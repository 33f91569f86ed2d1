"""The page and its files as the app serves them (no browser): the route, what may load, caching, headers,
and the configuration API's defaults that the page's new-channel form starts from."""

from __future__ import annotations

import re

import pytest

from robotpayment_app.saleor.manifest import DASHBOARD_PATH, build_manifest
from robotpayment_app.store.records import ChannelSettings
from robotpayment_app.web.dashboard.routes import ASSETS, DASHBOARD_ASSETS_PATH, PAGE_FILE, STATIC_DIR
from tests.support.app_harness import APP_BASE_URL, AppHarness
from tests.web.dashboard import graphql_data

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

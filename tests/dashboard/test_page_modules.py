"""The page's pure parts, run in Chromium as the page runs them (its own ES modules, imported as served): which
origins count as the dashboard, which locales mean Japanese, the form's quick checks and what it sends."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page

from tests.dashboard.servers import RunningApp

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def page(browser: Browser, running: RunningApp) -> Any:
    """One page for the module: these functions keep no state."""
    context = await browser.new_context()
    opened = await context.new_page()
    await opened.goto(running.page_url())
    try:
        yield opened
    finally:
        await context.close()


async def _call(page: Page, module: str, expression: str, argument: object = None) -> Any:
    """Evaluate `expression` (a function of the module `m` and `arg`) in the page."""
    return await page.evaluate(
        f"""async ([url, arg]) => {{
            const m = await import(url);
            return ({expression})(m, arg);
        }}""",
        [page.url.split("/dashboard?")[0] + f"/dashboard/static/{module}", argument],
    )


API = "https://shop.example.com/graphql/"
LOCAL_API = "http://localhost:8000/graphql/"


@pytest.mark.parametrize(
    ("origin", "api_url", "domain", "accepted"),
    [
        ("https://shop.example.com", API, "shop.example.com", True),
        ("https://dashboard.example.com", API, "dashboard.example.com", True),  # the domain Saleor names
        ("https://evil.example", API, "shop.example.com", False),
        ("http://shop.example.com", API, "shop.example.com", False),  # not the API's scheme
        ("https://shop.example.com:8443", API, "shop.example.com", False),  # another port on a public host
        ("https://shop.example.com.evil.example", API, "shop.example.com", False),
        ("null", API, "shop.example.com", False),
        ("http://localhost:9000", LOCAL_API, "localhost:8000", True),  # Saleor's local set-up: :8000 and :9000
        ("http://127.0.0.1:9000", LOCAL_API, "localhost:8000", False),  # another host name is another site
        ("https://localhost:9000", LOCAL_API, "localhost:8000", False),
        ("http://localhost:9000", "not a url", "", False),
        ("https://x.example", "", "x.example/path", False),  # a domain that is not a host is ignored
    ],
)
async def test_which_origins_count_as_the_dashboard(
    page: Page, origin: str, api_url: str, domain: str, accepted: bool
) -> None:
    result = await _call(
        page,
        "bridge.js",
        "(m, [origin, params]) => m.isDashboardOrigin(origin, params)",
        [origin, {"saleorApiUrl": api_url, "domain": domain}],
    )
    assert result is accepted


async def test_the_dashboards_query_is_read_with_safe_defaults(page: Page) -> None:
    read = await _call(
        page,
        "bridge.js",
        "(m, href) => m.readDashboardParams(href)",
        "https://app.example/dashboard?domain=%20shop.example.com&saleorApiUrl=https%3A%2F%2Fshop.example.com%2Fgraphql%2F"
        "&id=QXBwOjE%3D&theme=blue&locale=ja-JP",
    )
    assert read == {
        "domain": "shop.example.com",
        "saleorApiUrl": "https://shop.example.com/graphql/",
        "appId": "QXBwOjE=",
        "theme": "light",
        "locale": "ja-JP",
    }


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("JA_jp", "ja"),
        ("en", "en"),
        ("en-US", "en"),
        ("fr", "en"),
        ("", "en"),
        ("jav", "en"),
    ],
)
async def test_japanese_for_ja_locales_english_otherwise(page: Page, locale: str, language: str) -> None:
    assert await _call(page, "texts.js", "(m, locale) => m.languageOf(locale)", locale) == language


async def test_every_english_text_has_a_japanese_one(page: Page) -> None:
    missing = await _call(
        page,
        "texts.js",
        """(m) => ({
            ja: Object.keys(m.TEXTS.en).filter((key) => !(key in m.TEXTS.ja)),
            en: Object.keys(m.TEXTS.ja).filter((key) => !(key in m.TEXTS.en) && !key.startsWith("connection.advice.")),
        })""",
    )
    assert missing == {"ja": [], "en": []}


DRAFT = {
    "storeId": "000000",
    "gatewayBaseUrl": "https://credit.j-payment.co.jp/gateway/",
    "jobType": "AUTH",
    "tokenMode": "POPUP",
    "paymentMethods": ["LUMP_SUM"],
    "installmentCounts": [],
    "productMode": False,
    "productCodeMetadataKey": "robotpayment_iid",
    "productJobType": None,
    "saveCardsAllowed": True,
    "cvvRequired": False,
    "splitTaxAndShipping": False,
}


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, {}),
        ({"storeId": " 123456 "}, {}),
        ({"storeId": "12345"}, {"storeId": "check.storeId"}),
        ({"storeId": "1234567"}, {"storeId": "check.storeId"}),
        ({"storeId": "１２３４５６"}, {"storeId": "check.storeId"}),  # full-width digits are not the aid
        ({"gatewayBaseUrl": "credit.j-payment.co.jp/gateway/"}, {"gatewayBaseUrl": "check.gatewayBaseUrl"}),
        ({"gatewayBaseUrl": "javascript:alert(1)"}, {"gatewayBaseUrl": "check.gatewayBaseUrl"}),
        ({"paymentMethods": []}, {"paymentMethods": "check.paymentMethods"}),
        ({"paymentMethods": ["INSTALLMENTS"]}, {"installmentCounts": "check.installmentCounts"}),
        ({"paymentMethods": ["INSTALLMENTS"], "installmentCounts": [3]}, {}),
        ({"productCodeMetadataKey": "  "}, {"productCodeMetadataKey": "check.productCodeMetadataKey"}),
        ({"productCodeMetadataKey": "k" * 257}, {"productCodeMetadataKey": "check.productCodeMetadataKey"}),
        ({"productMode": True}, {"productJobType": "check.productJobType"}),  # the control panel's setting
        ({"productMode": True, "productJobType": "AUTH"}, {}),
    ],
)
async def test_the_forms_quick_checks(page: Page, changes: dict[str, object], problems: dict[str, str]) -> None:
    draft = {**DRAFT, **changes}
    assert await _call(page, "channel_form.js", "(m, draft) => m.checkDraft(draft)", draft) == problems


async def test_what_the_form_sends(page: Page) -> None:
    draft = {
        **DRAFT,
        "storeId": " 000000 ",
        "paymentMethods": ["REVOLVING", "LUMP_SUM"],
        "installmentCounts": [12, 3],
        "productCodeMetadataKey": " iid ",
    }
    sent = await _call(page, "channel_form.js", "(m, draft) => m.inputFromDraft(draft)", draft)
    # counts only while instalments are on; methods in the gateway's order; text trimmed
    assert sent == {**DRAFT, "paymentMethods": ["LUMP_SUM", "REVOLVING"], "productCodeMetadataKey": "iid"}
    with_instalments = {**draft, "paymentMethods": ["INSTALLMENTS"]}
    sent = await _call(page, "channel_form.js", "(m, draft) => m.inputFromDraft(draft)", with_instalments)
    assert sent["installmentCounts"] == [3, 12]
    # the product's job type is sent only in product mode
    product = {**draft, "productMode": True, "productJobType": "CAPTURE"}
    send = "(m, draft) => m.inputFromDraft(draft)"
    assert (await _call(page, "channel_form.js", send, product))["productJobType"] == "CAPTURE"
    stale = {**draft, "productJobType": "CAPTURE"}
    assert (await _call(page, "channel_form.js", send, stale))["productJobType"] is None


@pytest.mark.parametrize(
    ("slug", "valid"), [("default-channel", True), ("  jp  ", True), ("", False), ("two words", False), ("a\tb", False)]
)
async def test_a_channel_slug_to_add(page: Page, slug: str, valid: bool) -> None:
    assert await _call(page, "channel_form.js", "(m, slug) => m.isChannelSlug(slug)", slug) is valid

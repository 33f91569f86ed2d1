"""The page's pure parts, run in Chromium as the page runs them (its own ES modules, imported as served): which
messages reach Saleor's AppBridge, which locales mean Japanese, the form's quick checks and what it sends."""

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


@pytest.mark.parametrize(
    ("referrer", "origin"),
    [
        ("https://dashboard.shop.jp/", "https://dashboard.shop.jp"),  # a self-hosted dashboard, beside api.shop.jp
        ("http://localhost:9000/dashboard/apps/QXBwOjE%3D/", "http://localhost:9000"),  # beside a 127.0.0.1 API
        ("https://shop.eu.saleor.cloud/", "https://shop.eu.saleor.cloud"),
        ("", ""),  # no referrer: no dashboard can be recognised
        ("about:blank", ""),
        ("not a url", ""),
    ],
)
async def test_the_dashboard_is_the_page_that_opened_this_one(page: Page, referrer: str, origin: str) -> None:
    assert await _call(page, "app_bridge.js", "(m, referrer) => m.dashboardOrigin(referrer)", referrer) == origin


JWT = "eyJhbGciOiJSUzI1NiJ9.eyJhcHAiOiJRWEJ3T2pRMiJ9.c2lnbmF0dXJl"  # decodable; the app checks the signature
DASHBOARD = "https://dashboard.shop.jp"


@pytest.mark.parametrize(
    ("sender", "origin", "data", "verdict"),
    [
        ("parent", DASHBOARD, {"type": "handshake", "payload": {"token": JWT, "version": 1}}, "accept"),
        ("parent", DASHBOARD, {"type": "tokenRefresh", "payload": {"token": JWT}}, "accept"),
        ("parent", DASHBOARD, {"type": "theme", "payload": {"theme": "dark"}}, "accept"),
        ("parent", DASHBOARD, {"type": "localeChanged", "payload": {"locale": "ja"}}, "accept"),
        ("parent", DASHBOARD, {"type": "redirect", "payload": {"path": "/"}}, "accept"),
        ("parent", DASHBOARD, {"type": "response", "payload": {"actionId": "1", "ok": True}}, "accept"),
        ("sibling", DASHBOARD, {"type": "handshake", "payload": {"token": JWT}}, "notParent"),
        ("self", DASHBOARD, {"type": "theme", "payload": {"theme": "dark"}}, "notParent"),
        ("parent", "https://api.shop.jp", {"type": "handshake", "payload": {"token": JWT}}, "otherOrigin"),
        ("parent", "https://dashboard.shop.jp:8443", {"type": "theme", "payload": {"theme": "dark"}}, "otherOrigin"),
        ("parent", "null", {"type": "theme", "payload": {"theme": "dark"}}, "otherOrigin"),
        ("parent", DASHBOARD, {"type": "theme"}, "notAnEvent"),  # the SDK would throw on a missing payload
        ("parent", DASHBOARD, None, "notAnEvent"),
        ("parent", DASHBOARD, "handshake", "notAnEvent"),
        ("parent", DASHBOARD, {"type": "notifyReady", "payload": {}}, "notAnEvent"),  # an action, not an event
        ("parent", DASHBOARD, {"type": "handshake", "payload": {"token": "not-a-jwt"}}, "unreadableToken"),
        ("parent", DASHBOARD, {"type": "tokenRefresh", "payload": {"token": 42}}, "unreadableToken"),
    ],
)
async def test_which_messages_reach_saleors_app_bridge(
    page: Page, sender: str, origin: str, data: object, verdict: str
) -> None:
    result = await _call(
        page,
        "app_bridge.js",
        """(m, [sender, origin, data]) => {
            const windows = {parent: {}, sibling: {}, self: {}};
            return m.screenMessage(
                {source: windows[sender], origin, data},
                {parent: windows.parent, expectedOrigin: "https://dashboard.shop.jp"},
            );
        }""",
        [sender, origin, data],
    )
    assert result == verdict


async def test_without_a_referrer_no_message_is_taken(page: Page) -> None:
    verdict = await _call(
        page,
        "app_bridge.js",
        """(m, data) => {
            const parent = {};
            const event = {source: parent, origin: "https://dashboard.shop.jp", data};
            return m.screenMessage(event, {parent, expectedOrigin: ""});
        }""",
        {"type": "theme", "payload": {"theme": "dark"}},
    )
    assert verdict == "otherOrigin"


async def test_the_dashboards_query_is_read_with_safe_defaults(page: Page) -> None:
    read = await _call(
        page,
        "app_bridge.js",
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

"""The spec's own sample pages (popup and customize) run unchanged in Chromium against the sandbox.

Each page is served from its own origin (another port), loads jQuery, CPToken.js and
EMV3DSAdapter.js from the sandbox, creates a token into #tkn, runs 3-D Secure and posts its form to
carduser_token.aspx, which registers the card. Screenshots of the final states go to test-artifacts/.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from playwright.async_api import Browser, Page, Request, async_playwright
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from robotpayment_app.sandbox.cards import CHALLENGE_CODE
from robotpayment_app.sandbox.server import serving
from tests.sandbox.support import Sandbox, SandboxFactory

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

FIXTURES = Path(__file__).parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The customer the samples name: `uid: '000000'` is written into their JavaScript.
SAMPLE_UID = "000000"


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            await browser.close()


@contextlib.asynccontextmanager
async def storefront(sandbox: Sandbox, fixture: str, key: str) -> AsyncIterator[str]:
    """Serve a sample page from another origin than the sandbox's; yields its URL."""
    html = (FIXTURES / fixture).read_text("utf-8")
    html = html.replace("{{GATEWAY}}", f"{sandbox.base}/gateway/").replace("{{KEY}}", key)

    async def page(_request: object) -> HTMLResponse:
        return HTMLResponse(html)

    async with serving(Starlette(routes=[Route("/checkout", page)])) as base:
        yield f"{base}/checkout"


class Watch:
    """What the page did: its alerts and the form it posted to the gateway."""

    def __init__(self, page: Page) -> None:
        self.alerts: list[str] = []
        self.posted: dict[str, list[str]] = {}
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    async def _dialog(self, dialog: object) -> None:
        self.alerts.append(dialog.message)  # type: ignore[attr-defined]
        await dialog.dismiss()  # type: ignore[attr-defined]

    def _request(self, request: Request) -> None:
        if request.url.endswith("/carduser_token.aspx") and request.method == "POST":
            self.posted = parse_qs(request.post_data or "", keep_blank_values=True)


def assert_registered(sandbox: Sandbox, watch: Watch, page_text: str, key: str, masked: str) -> None:
    assert watch.alerts == []
    token = watch.posted["tkn"][0]
    assert len(token) >= 32  # the token landed in #tkn and went with the form
    assert page_text.startswith(f"1,,{SAMPLE_UID},{key},1")
    recorded = sandbox.gateway.state.tokens[token]
    assert recorded.used and recorded.three_ds is not None and recorded.three_ds.uid == SAMPLE_UID
    customer = sandbox.gateway.customer(SAMPLE_UID)
    assert customer is not None and customer.cards[1].masked == masked


async def test_popup_sample_registers_a_card(start_sandbox: SandboxFactory) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with start_sandbox() as sandbox, chromium() as browser:
        key = await sandbox.register_user(SAMPLE_UID)
        async with storefront(sandbox, "popup.html", key) as url:
            page = await browser.new_page()
            watch = Watch(page)
            await page.goto(url)
            await page.click("input[value='登録する']")
            await page.fill("#rpemvtds_cn", "4444333322221111")
            await page.fill("#rpemvtds_ed_month", "12")
            await page.fill("#rpemvtds_ed_year", "30")
            await page.fill("#rpemvtds_fn", "TARO")
            await page.fill("#rpemvtds_ln", "YAMADA")
            await page.fill("#rpemvtds_cvv", "123")
            await page.screenshot(path=ARTIFACTS / "sandbox-popup-card-form.png")
            async with page.expect_navigation(url="**/carduser_token.aspx"):
                await page.click("#rpemvtds_submit")
            text = await page.inner_text("body")
            await page.screenshot(path=ARTIFACTS / "sandbox-popup-registered.png")
        assert_registered(sandbox, watch, text, key, "*****1111")


async def test_popup_shows_a_refused_card_in_the_popup_until_corrected(start_sandbox: SandboxFactory) -> None:
    async with start_sandbox() as sandbox, chromium() as browser:
        key = await sandbox.register_user(SAMPLE_UID)
        async with storefront(sandbox, "popup.html", key) as url:
            page = await browser.new_page()
            watch = Watch(page)
            await page.goto(url)
            await page.click("input[value='登録する']")
            await page.fill("#rpemvtds_cn", "4444333322221112")
            await page.fill("#rpemvtds_ed_month", "12")
            await page.fill("#rpemvtds_ed_year", "30")
            await page.fill("#rpemvtds_fn", "TARO")
            await page.fill("#rpemvtds_ln", "YAMADA")
            await page.click("#rpemvtds_submit")
            await page.wait_for_function("document.getElementById('rpemvtds_error').textContent !== ''")
            assert (await page.inner_text("#rpemvtds_error")).startswith("ER014")
            assert await page.input_value("#tkn") == ""
            await page.fill("#rpemvtds_cn", "5555555555554444")
            async with page.expect_navigation(url="**/carduser_token.aspx"):
                await page.click("#rpemvtds_submit")
            text = await page.inner_text("body")
        assert_registered(sandbox, watch, text, key, "*****4444")


async def test_customize_sample_registers_a_card_through_a_3ds_challenge(start_sandbox: SandboxFactory) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    async with start_sandbox() as sandbox, chromium() as browser:
        key = await sandbox.register_user(SAMPLE_UID)
        async with storefront(sandbox, "customize.html", key) as url:
            page = await browser.new_page()
            watch = Watch(page)
            await page.goto(url)
            await page.fill("#cn", "4000000000000911")
            await page.fill("#ed_year", "30")
            await page.fill("#ed_month", "12")
            await page.fill("#fn", "HANAKO")
            await page.fill("#ln", "SATO")
            await page.click("input[value='購入する']")
            await page.wait_for_selector("#EMV3DS_INPUT_FORM #rpemvtds_otp")
            assert len(await page.input_value("#tkn")) >= 32
            await page.fill("#rpemvtds_otp", CHALLENGE_CODE)
            await page.screenshot(path=ARTIFACTS / "sandbox-customize-3ds-challenge.png")
            async with page.expect_navigation(url="**/carduser_token.aspx"):
                await page.click("#rpemvtds_otp_submit")
            text = await page.inner_text("body")
            await page.screenshot(path=ARTIFACTS / "sandbox-customize-registered.png")
        assert_registered(sandbox, watch, text, key, "*****0911")
        # The sample empties the card fields before posting: no card number reaches the merchant's form.
        assert watch.posted["cn"] == [""] and watch.posted["fn"] == [""]

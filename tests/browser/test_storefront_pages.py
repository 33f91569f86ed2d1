"""The example pages in Chromium against the whole local shop: devshop (Saleor's contract) + the app + the
sandbox gateway, started by the demo's `running_stack` (one stack for the module). Each test acts as a shopper
on a real page and checks what the gateway and Saleor ended up with. Screenshots: test-artifacts/pages-*.png.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import urlencode

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Request

from robotpayment_app.demo.stack import DemoStack, running_stack
from robotpayment_app.sandbox.cards import CHALLENGE_CODE
from robotpayment_app.sandbox.state import Payment
from robotpayment_app.store.records import TokenMode
from tests.browser.conftest import ARTIFACTS
from tests.browser.shop_client import ShopClient

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

VISA = "4444333322221111"
MASTER = "5555555555554444"
JCB = "3530111333300000"
DECLINED_INSUFFICIENT_FUNDS = "4000000000000044"
THREE_DS_CHALLENGE = "4000000000000911"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[DemoStack]:
    async with running_stack(0, tmp_path_factory.mktemp("demo")) as running:
        yield running


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shop(stack: DemoStack) -> AsyncIterator[ShopClient]:
    async with httpx.AsyncClient(timeout=20.0) as http:
        yield ShopClient(http, stack.saleor_api_url, stack.channel_slug)


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def shopper_token(stack: DemoStack, shop: ShopClient) -> str:
    return await shop.sign_in(stack.shopper.email, stack.shopper.password.get_secret_value())


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(locale="ja-JP", viewport={"width": 900, "height": 900})
    opened = await context.new_page()
    script_errors: list[str] = []
    opened.on("pageerror", lambda error: script_errors.append(str(error)))
    try:
        yield opened
    finally:
        await context.close()
    assert script_errors == []  # no uncaught exception in any page script


def example(stack: DemoStack, name: str, **query: str) -> str:
    return f"{stack.storefront_url}/snippets/examples/{name}?{urlencode(query)}"


async def open_example(page: Page, url: str) -> None:
    await page.goto(url)
    await page.wait_for_selector("body[data-ready='true']")


async def fill_popup(page: Page, number: str) -> None:
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")
    await page.fill("#rpemvtds_cn", number)
    await page.fill("#rpemvtds_ed_month", "12")
    await page.fill("#rpemvtds_ed_year", "30")
    await page.fill("#rpemvtds_fn", "HANAKO")
    await page.fill("#rpemvtds_ln", "SUZUKI")
    await page.fill("#rpemvtds_cvv", "123")


async def outcome(page: Page) -> tuple[str, str]:
    """Waits for the page's result or error: ("result", status) or ("error", code)."""
    await page.wait_for_selector("#result:not([hidden]), #error:not([hidden])")
    if await page.is_visible("#result"):
        return "result", await page.get_attribute("#result", "data-status") or ""
    return "error", await page.get_attribute("#error", "data-code") or ""


def approved_payments(stack: DemoStack) -> list[Payment]:
    return [payment for payment in stack.sandbox.payments() if payment.approved]


async def ensure_saved_card(stack: DemoStack, shop: ShopClient, page: Page, token: str) -> list[dict[str, object]]:
    """The shopper's saved cards; saves a VISA on the cards page first when there is none."""
    cards = await shop.saved_cards(token)
    if not cards:
        await open_example(page, example(stack, "my-cards.html", token=token))
        await page.click("#add-card")
        await fill_popup(page, VISA)
        await page.click("#rpemvtds_submit")
        assert await outcome(page) == ("result", "saved")
        cards = await shop.saved_cards(token)
    assert cards
    return cards


async def test_popup_checkout_pays_and_saves_the_card(
    stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page
) -> None:
    checkout = await shop.checkout(token=shopper_token)
    cards_before = await shop.saved_cards(shopper_token)
    paid_before = len(approved_payments(stack))
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout, token=shopper_token))
    assert await page.inner_text("#total") == "¥3,500 JPY"
    await page.check("#save-card")
    await page.click("#pay")
    await fill_popup(page, VISA)
    await page.screenshot(path=ARTIFACTS / "pages-popup-card-form.png")
    await page.click("#rpemvtds_submit")

    assert await outcome(page) == ("result", "charged")
    assert "•••• 1111" in await page.inner_text("#result")  # the bulk registration answer names no brand
    await page.wait_for_selector("#order:has-text('Order number')")
    await page.screenshot(path=ARTIFACTS / "pages-popup-paid-and-saved.png")
    new_payments = approved_payments(stack)[paid_before:]
    assert [(p.endpoint, p.amount, p.uid is not None) for p in new_payments] == [
        ("gateway_token.aspx", 3500, True)  # the bulk user + card registration payment
    ]
    cards = await shop.saved_cards(shopper_token)
    assert len(cards) == len(cards_before) + 1 and any("1111" in str(card["name"]) for card in cards)


async def test_customize_checkout_pays_with_cvv_when_the_channel_asks_for_it(
    stack: DemoStack, shop: ShopClient, page: Page
) -> None:
    channels = stack.app_services.store.channels
    await channels.upsert(
        stack.installation.id,
        stack.channel_slug,
        stack.channel_settings.model_copy(update={"token_mode": TokenMode.CUSTOMIZE, "cvv_required": True}),
    )
    try:
        checkout = await shop.checkout("TEA-100", email="guest@example.com")
        paid_before = len(approved_payments(stack))
        await open_example(page, example(stack, "customize-checkout.html", checkoutId=checkout))
        assert await page.is_visible("#card-cvv")
        assert not await page.is_visible("#save-row")  # a guest cannot save a card
        await page.fill("#card-number", VISA)
        await page.fill("#card-exp-month", "12")
        await page.fill("#card-exp-year", "30")
        await page.fill("#card-first-name", "TARO")
        await page.fill("#card-last-name", "YAMADA")
        await page.fill("#card-cvv", "123")
        await page.click("#pay")

        assert await outcome(page) == ("result", "charged")
        await page.wait_for_selector("#order:has-text('Order number')")
        await page.screenshot(path=ARTIFACTS / "pages-customize-paid-with-cvv.png")
        values = [await page.input_value(f"#card-{name}") for name in ("number", "exp-month", "exp-year", "cvv")]
        assert values == ["", "", "", ""]
        (payment,) = approved_payments(stack)[paid_before:]
        assert (payment.endpoint, payment.amount) == ("gateway_token.aspx", 1200)
        newest = max(stack.sandbox.state.tokens.values(), key=lambda token: token.created_at)
        assert newest.used and newest.cvv_given
    finally:
        await channels.upsert(stack.installation.id, stack.channel_slug, stack.channel_settings)


async def test_saved_card_checkout_pays_in_one_touch(
    stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page
) -> None:
    cards = await ensure_saved_card(stack, shop, page, shopper_token)
    checkout = await shop.checkout("MUG-WHT", token=shopper_token)
    paid_before = len(approved_payments(stack))
    await open_example(page, example(stack, "saved-card-checkout.html", checkoutId=checkout, token=shopper_token))
    await page.wait_for_selector("#cards input[name=card]")
    assert await page.input_value("#cards input[name=card]:checked") == cards[0]["id"]
    await page.click("#pay")

    assert await outcome(page) == ("result", "charged")
    await page.wait_for_selector("#order:has-text('Order number')")
    await page.screenshot(path=ARTIFACTS / "pages-one-touch-paid.png")
    (payment,) = approved_payments(stack)[paid_before:]
    assert (payment.endpoint, payment.amount, payment.method) == ("onetouch.aspx", 2000, "10")


async def test_saved_card_checkout_pays_in_instalments(
    stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page
) -> None:
    await ensure_saved_card(stack, shop, page, shopper_token)
    checkout = await shop.checkout(token=shopper_token)
    paid_before = len(approved_payments(stack))
    await open_example(page, example(stack, "saved-card-checkout.html", checkoutId=checkout, token=shopper_token))
    await page.wait_for_selector("#cards input[name=card]")
    assert await page.is_visible("#payment-methods")
    await page.select_option("#md", "61")
    await page.select_option("#pt", "5")
    await page.screenshot(path=ARTIFACTS / "pages-instalments-choice.png")
    await page.click("#pay")

    assert await outcome(page) == ("result", "charged")
    await page.screenshot(path=ARTIFACTS / "pages-instalments-paid.png")
    (payment,) = approved_payments(stack)[paid_before:]
    assert (payment.endpoint, payment.method, payment.instalments) == ("onetouch.aspx", "61", 5)


async def test_a_declined_card_shows_the_shopper_message_and_another_card_pays(
    stack: DemoStack, shop: ShopClient, page: Page
) -> None:
    checkout = await shop.checkout(email="guest@example.com")
    paid_before = len(approved_payments(stack))
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout))
    await page.click("#pay")
    await fill_popup(page, DECLINED_INSUFFICIENT_FUNDS)
    await page.click("#rpemvtds_submit")

    assert await outcome(page) == ("error", "G0442G040000")
    assert await page.inner_text("#error") == "残高不足のためご利用いただけませんでした。"
    await page.screenshot(path=ARTIFACTS / "pages-declined-message.png")
    assert approved_payments(stack)[paid_before:] == []

    await page.click("#pay")
    await fill_popup(page, VISA)
    await page.click("#rpemvtds_submit")
    assert await outcome(page) == ("result", "charged")
    await page.wait_for_selector("#order:has-text('Order number')")
    assert not await page.is_visible("#error")
    await page.screenshot(path=ARTIFACTS / "pages-declined-then-paid.png")
    assert len(approved_payments(stack)[paid_before:]) == 1


async def test_a_failed_3ds_challenge_is_reported_and_nothing_is_charged(
    stack: DemoStack, shop: ShopClient, page: Page
) -> None:
    checkout = await shop.checkout(email="guest@example.com")
    paid_before = len(approved_payments(stack))
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout))
    await page.click("#pay")
    await fill_popup(page, THREE_DS_CHALLENGE)
    await page.click("#rpemvtds_submit")
    await page.wait_for_selector("#EMV3DS_INPUT_FORM #rpemvtds_otp")
    await page.fill("#rpemvtds_otp", "0000" if CHALLENGE_CODE != "0000" else "9999")
    await page.screenshot(path=ARTIFACTS / "pages-3ds-challenge.png")
    await page.click("#rpemvtds_otp_submit")

    assert await outcome(page) == ("error", "ER901")
    # the app's shopper message, in the checkout's language (Japanese unless the checkout says otherwise)
    assert (await page.inner_text("#error")).startswith("本人認証（3Dセキュア）に失敗しました。")
    await page.screenshot(path=ARTIFACTS / "pages-3ds-failed.png")
    assert approved_payments(stack)[paid_before:] == []


async def test_a_double_click_charges_once(stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page) -> None:
    await ensure_saved_card(stack, shop, page, shopper_token)
    checkout = await shop.checkout(token=shopper_token)
    paid_before = len(stack.sandbox.payments())
    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request) if request.method == "POST" else None)
    await open_example(page, example(stack, "saved-card-checkout.html", checkoutId=checkout, token=shopper_token))
    await page.wait_for_selector("#cards input[name=card]")
    await page.dblclick("#pay")

    assert await outcome(page) == ("result", "charged")
    await page.wait_for_selector("#order:has-text('Order number')")
    await page.wait_for_load_state("networkidle")
    await page.screenshot(path=ARTIFACTS / "pages-double-click-charged-once.png")
    operations = [request.post_data or "" for request in sent]
    assert len([body for body in operations if "transactionInitialize" in body]) == 1
    assert len([body for body in operations if "checkoutComplete" in body]) == 1
    assert len(stack.sandbox.payments()[paid_before:]) == 1


async def test_the_cards_page_saves_replaces_and_deletes(
    stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page
) -> None:
    before = await shop.saved_cards(shopper_token)
    await open_example(page, example(stack, "my-cards.html", token=shopper_token))
    await page.click("#add-card")
    await fill_popup(page, MASTER)
    await page.click("#rpemvtds_submit")
    assert await outcome(page) == ("result", "saved")
    row = page.locator("#cards li", has_text="•••• 4444")
    await row.wait_for()
    await page.screenshot(path=ARTIFACTS / "pages-cards-saved.png")
    assert len(await shop.saved_cards(shopper_token)) == len(before) + 1

    await row.locator("button[data-action=replace]").click()
    await fill_popup(page, JCB)
    await page.click("#rpemvtds_submit")
    assert await outcome(page) == ("result", "saved")
    await page.locator("#cards li", has_text="•••• 0000").wait_for()
    await page.screenshot(path=ARTIFACTS / "pages-cards-replaced.png")
    after_replace = await shop.saved_cards(shopper_token)
    names = [card["name"] for card in after_replace]
    assert len(after_replace) == len(before) + 1
    assert not any("4444" in str(name) for name in names) and any("0000" in str(name) for name in names)

    await page.locator("#cards li", has_text="•••• 0000").locator("button[data-action=delete]").click()
    assert await outcome(page) == ("result", "deleted")
    await page.wait_for_function("!document.querySelector('#cards').textContent.includes('0000')")
    await page.screenshot(path=ARTIFACTS / "pages-cards-deleted.png")
    assert [card["id"] for card in await shop.saved_cards(shopper_token)] == [card["id"] for card in before]


async def test_the_saved_card_page_signs_the_demo_shopper_in(
    stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page
) -> None:
    await ensure_saved_card(stack, shop, page, shopper_token)
    checkout = await shop.checkout(token=shopper_token)
    await open_example(page, example(stack, "saved-card-checkout.html", checkoutId=checkout))
    # /demo-config.js names the seeded shopper: the form is prefilled, one click signs in
    assert await page.input_value("#signin-email") == stack.shopper.email
    await page.click("#signin button[type=submit]")
    await page.wait_for_selector("#cards input[name=card]")
    assert await page.is_visible("#signed-in") and not await page.is_visible("#signin")


async def test_a_known_shopper_saving_a_new_card_may_pay_in_instalments(
    stack: DemoStack, shop: ShopClient, shopper_token: str, page: Page
) -> None:
    await ensure_saved_card(stack, shop, page, shopper_token)  # the gateway now knows the shopper
    checkout = await shop.checkout(token=shopper_token)
    paid_before = len(approved_payments(stack))
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout, token=shopper_token))
    assert not await page.is_visible("#payment-methods")  # lump sum only for a card that is not saved
    await page.check("#save-card")
    await page.select_option("#md", "61")
    await page.select_option("#pt", "3")
    await page.click("#pay")
    await fill_popup(page, MASTER)
    await page.click("#rpemvtds_submit")

    assert await outcome(page) == ("result", "charged")
    await page.screenshot(path=ARTIFACTS / "pages-new-card-saved-instalments.png")
    (payment,) = approved_payments(stack)[paid_before:]
    assert (payment.endpoint, payment.method, payment.instalments) == ("onetouch.aspx", "61", 3)


# --- a card popup or 3-D Secure challenge closed without the gateway calling back ---

CANCELLED_HINT = ("請求は発生していません。もう一度お試しください。", "Nothing has been charged; please try again.")


async def cancelled_notice(page: Page, *, within_ms: float) -> tuple[str, str, str]:
    """Waits (at most `within_ms`) for the page's notice of a cancelled step: (code, reason, text)."""
    await page.wait_for_selector("#error:not([hidden])", timeout=within_ms)
    code = await page.get_attribute("#error", "data-code") or ""
    reason = await page.get_attribute("#error", "data-cancelled") or ""
    return code, reason, await page.inner_text("#error")


async def test_a_card_popup_closed_without_paying_can_be_tried_again_and_charges_once(
    stack: DemoStack, shop: ShopClient, page: Page
) -> None:
    checkout = await shop.checkout(email="guest@example.com")
    payments_before = len(stack.sandbox.payments())
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout))
    await page.click("#pay")
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")
    await page.fill("#rpemvtds_cn", VISA)
    assert await page.is_disabled("#pay")  # one payment at a time
    # The popup goes away without a callback (a close that does not answer, or a re-render of the page).
    await page.evaluate("document.getElementById('CARD_INPUT_FORM').replaceChildren()")

    code, reason, text = await cancelled_notice(page, within_ms=3000 + 3000)  # the default closeGrace + slack
    assert (code, reason) == ("CARD_ENTRY_CANCELLED", "closed")
    assert all(hint in text for hint in CANCELLED_HINT)  # Japanese and English
    await page.screenshot(path=ARTIFACTS / "pages-popup-closed-cancelled.png")
    assert await page.is_enabled("#pay")
    assert stack.sandbox.payments()[payments_before:] == []

    await page.click("#pay")
    await fill_popup(page, VISA)
    await page.click("#rpemvtds_submit")
    assert await outcome(page) == ("result", "charged")
    await page.wait_for_selector("#order:has-text('Order number')")
    assert not await page.is_visible("#error")
    (payment,) = stack.sandbox.payments()[payments_before:]
    assert payment.approved and payment.amount == 3500


async def test_a_3ds_challenge_closed_mid_way_can_be_tried_again_and_charges_once(
    stack: DemoStack, shop: ShopClient, page: Page
) -> None:
    checkout = await shop.checkout(email="guest@example.com")
    payments_before = len(stack.sandbox.payments())
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout, lang="en"))
    await page.click("#pay")
    await fill_popup(page, THREE_DS_CHALLENGE)
    await page.click("#rpemvtds_submit")
    await page.wait_for_selector("#EMV3DS_INPUT_FORM #rpemvtds_otp")
    await page.fill("#rpemvtds_otp", CHALLENGE_CODE[:2])
    # The challenge's container leaves the page mid-way: the adapter never calls back.
    await page.evaluate("document.getElementById('EMV3DS_INPUT_FORM').remove()")

    code, reason, text = await cancelled_notice(page, within_ms=3000 + 3000)
    assert (code, reason) == ("THREE_DS_CANCELLED", "removed")
    assert text.startswith("本人認証（3Dセキュア）が完了しませんでした。") and "3-D Secure) did not finish" in text
    await page.screenshot(path=ARTIFACTS / "pages-3ds-closed-cancelled.png")
    assert await page.is_enabled("#pay")
    assert stack.sandbox.payments()[payments_before:] == []

    await page.click("#pay")
    await fill_popup(page, THREE_DS_CHALLENGE)
    await page.click("#rpemvtds_submit")
    await page.wait_for_selector("#EMV3DS_INPUT_FORM #rpemvtds_otp")
    await page.fill("#rpemvtds_otp", CHALLENGE_CODE)
    await page.click("#rpemvtds_otp_submit")
    assert await outcome(page) == ("result", "charged")
    await page.wait_for_selector("#order:has-text('Order number')")
    (payment,) = stack.sandbox.payments()[payments_before:]
    assert payment.approved and payment.amount == 3500


async def test_a_card_popup_left_open_ends_after_the_configured_timeout(
    stack: DemoStack, shop: ShopClient, page: Page
) -> None:
    checkout = await shop.checkout(email="guest@example.com")
    payments_before = len(stack.sandbox.payments())
    await open_example(page, example(stack, "popup-checkout.html", checkoutId=checkout, gatewayTimeout="1500"))
    await page.click("#pay")
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")

    code, reason, text = await cancelled_notice(page, within_ms=1500 + 3000)
    assert (code, reason) == ("CARD_ENTRY_CANCELLED", "timeout")
    assert text.startswith("時間内に完了しなかったため中止しました。") and "took too long" in text
    assert not await page.is_visible("#rpemvtds_cn")  # the stale popup is gone
    assert await page.is_enabled("#pay")

    await page.click("#pay")
    await fill_popup(page, VISA)
    await page.click("#rpemvtds_submit")
    assert await outcome(page) == ("result", "charged")
    assert len(stack.sandbox.payments()[payments_before:]) == 1

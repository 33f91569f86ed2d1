"""The merchant's page inside a stand-in Saleor dashboard, in Chromium: App Bridge handshake, configuration
saved to the store, validation messages, the connection test against the sandbox, kickbacks and the ledger,
theme and language, and nothing but an explanation without a valid token."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import httpx
import pytest
from playwright.async_api import Browser, FrameLocator, expect

from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.store.records import (
    ChannelSettings,
    JobType,
    KickbackNotice,
    LedgerIntent,
    LedgerKind,
    LedgerStatus,
    NotificationState,
    PaymentMethodCode,
    TokenMode,
)
from tests.dashboard.conftest import STORE_ID, Gateway
from tests.dashboard.page_support import DashboardBrowser
from tests.dashboard.servers import (
    APP_ID,
    SALEOR_FRAME_SANDBOX,
    RunningApp,
    SaleorStandIn,
    serving_on_loopback,
    staff_token,
)
from tests.support.signing import SigningKey

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

CHANNEL = "default-channel"


async def _add_channel(frame: FrameLocator, slug: str = CHANNEL) -> None:
    await frame.locator("#new-channel-slug").fill(slug)
    await frame.get_by_role("button", name="Add channel").click()
    await expect(frame.locator("#channel-form")).to_have_attribute("data-slug", slug)


async def _confirm_in_page(frame: FrameLocator) -> None:
    """Confirmations are part of the page: the real dashboard's iframe sandbox shows no window.confirm."""
    dialog = frame.get_by_role("alertdialog")
    await expect(dialog).to_be_visible()
    await dialog.locator("button.confirm").click()
    await expect(dialog).to_have_count(0)


async def _configure(app: RunningApp, slug: str = CHANNEL, **values: object) -> None:
    settings = ChannelSettings.model_validate({"store_id": STORE_ID, **values})
    await app.services.store.channels.upsert(app.installed.id, slug, settings)


# ------------------------------------------------------------------------------------ configuration


async def test_a_merchant_configures_a_channel_and_the_app_stores_it(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn, gateway: Gateway
) -> None:
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key))
    await expect(frame.locator("#viewer")).to_have_text("Signed in as staff@example.com")
    await expect(frame.locator("#channels .empty")).to_have_text("No channel is configured yet: add one by its slug.")
    await _add_channel(frame)
    # a new channel starts from the API's defaults
    await expect(frame.locator("#field-gatewayBaseUrl")).to_have_value("https://credit.j-payment.co.jp/gateway/")
    # authorise or charge is Saleor's channel setting: the page says where it lives (Saleor not reachable here)
    await expect(frame.locator("#flow-strategy")).to_contain_text("Saleor's setting for this channel decides")
    await expect(frame.locator('input[name="jobType"]')).to_have_count(0)
    await expect(frame.locator('input[name="paymentMethods"][value="LUMP_SUM"]')).to_be_checked()
    await expect(frame.locator('input[name="saveCardsAllowed"]')).to_be_checked()
    await expect(frame.locator('[data-field="installmentCounts"]')).to_be_hidden()

    await frame.locator("#field-storeId").fill(STORE_ID)
    await frame.locator("#field-gatewayBaseUrl").fill(gateway.base_url)
    await frame.locator('input[name="tokenMode"][value="CUSTOMIZE"]').check()
    await frame.locator('input[name="paymentMethods"][value="INSTALLMENTS"]').check()
    await expect(frame.locator('[data-field="installmentCounts"]')).to_be_visible()
    await frame.locator('input[name="installmentCounts"][value="3"]').check()
    await frame.locator('input[name="installmentCounts"][value="10"]').check()
    await frame.locator('input[name="paymentMethods"][value="REVOLVING"]').check()
    await frame.locator('input[name="productMode"]').check()
    await frame.locator("#field-productCodeMetadataKey").fill("rp_item_code")
    await frame.locator('input[name="productJobType"][value="AUTH"]').check()  # as the control panel says
    await frame.locator('input[name="saveCardsAllowed"]').uncheck()
    await frame.locator('input[name="cvvRequired"]').check()
    await frame.locator('input[name="splitTaxAndShipping"]').check()
    await frame.locator("#save").click()
    await expect(frame.locator("#form-notice")).to_have_text("Saved.")
    await dashboard.screenshot("configuration-saved")

    stored = await app.services.store.channels.get(app.installed.id, CHANNEL)
    assert stored is not None
    assert stored.store_id == STORE_ID
    assert stored.gateway_base_url == gateway.base_url
    assert stored.token_mode is TokenMode.CUSTOMIZE
    assert stored.payment_methods == (
        PaymentMethodCode.LUMP_SUM,
        PaymentMethodCode.INSTALLMENTS,
        PaymentMethodCode.REVOLVING,
    )
    assert stored.installment_counts == (3, 10)
    assert (stored.product_mode, stored.product_code_metadata_key) == (True, "rp_item_code")
    assert stored.product_job_type is JobType.AUTH
    assert (stored.save_cards_allowed, stored.cvv_required, stored.split_tax_and_shipping) == (False, True, True)

    # opened again, the page shows what is stored; a change is saved over it
    await dashboard.page.reload()
    await expect(frame.locator(f'.channel-tab[data-slug="{CHANNEL}"]')).to_have_attribute("aria-pressed", "true")
    await expect(frame.locator("#field-storeId")).to_have_value(STORE_ID)
    await expect(frame.locator('input[name="installmentCounts"][value="10"]')).to_be_checked()
    await expect(frame.locator('input[name="installmentCounts"][value="6"]')).not_to_be_checked()
    await frame.locator('input[name="paymentMethods"][value="INSTALLMENTS"]').uncheck()
    await frame.locator("#save").click()
    await expect(frame.locator("#form-notice")).to_have_text("Saved.")
    changed = await app.services.store.channels.get(app.installed.id, CHANNEL)
    assert changed is not None
    assert changed.payment_methods == (PaymentMethodCode.LUMP_SUM, PaymentMethodCode.REVOLVING)
    assert changed.installment_counts == ()


def _channel(slug: str, name: str, currency: str, flow: str) -> dict[str, object]:
    return {
        "slug": slug,
        "name": name,
        "currencyCode": currency,
        "isActive": True,
        "paymentSettings": {"defaultTransactionFlowStrategy": flow},
    }


async def test_channels_are_picked_from_the_shop_and_saleors_flow_strategy_is_shown(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    saleor.channels = [
        _channel(CHANNEL, "Japan", "JPY", "AUTHORIZATION"),
        _channel("second", "Second", "JPY", "CHARGE"),
        _channel("us", "United States", "USD", "CHARGE"),
    ]
    try:
        await _configure(app, CHANNEL, job_type="CAPTURE")  # the app's former setting: differs from Saleor's
        frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key))

        await expect(frame.locator("#flow-strategy")).to_contain_text("Saleor's channel Japan authorises")
        await expect(frame.locator("#flow-disagreement")).to_contain_text("former setting for the channel was Capture")
        picker = frame.locator("select#new-channel-slug")
        await expect(picker.locator("option")).to_have_count(2)  # the configured one is not offered again
        await expect(picker.locator('option[value="us"]')).to_be_disabled()
        await expect(picker.locator('option[value="us"]')).to_contain_text("USD: ROBOT PAYMENT takes yen only")
        await expect(picker).to_have_value("second")
        await frame.get_by_role("button", name="Add channel").click()
        await expect(frame.locator("#channel-form")).to_have_attribute("data-slug", "second")
        await expect(frame.locator("#flow-strategy")).to_contain_text("Saleor's channel Second charges")
        await expect(frame.locator("#flow-disagreement")).to_have_count(0)
        await dashboard.screenshot("channels-from-the-shop")
    finally:
        saleor.channels = None


async def test_mistakes_are_explained_next_to_their_fields_and_nothing_is_saved(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn, gateway: Gateway
) -> None:
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key))
    await _add_channel(frame)
    store_id = frame.locator("#field-storeId")
    # checked as soon as the field is left, cleared as soon as it is right
    await store_id.fill("12345")
    await store_id.press("Tab")
    await expect(frame.locator("#error-storeId")).to_have_text("Enter the six-digit store ID.")
    await expect(store_id).to_have_attribute("aria-invalid", "true")
    await store_id.fill("123456")
    await expect(frame.locator("#error-storeId")).to_be_hidden()

    await frame.locator('input[name="paymentMethods"][value="LUMP_SUM"]').uncheck()
    await expect(frame.locator("#error-paymentMethods")).to_have_text("Enable at least one payment method.")
    await frame.locator('input[name="paymentMethods"][value="INSTALLMENTS"]').check()
    await expect(frame.locator("#error-paymentMethods")).to_be_hidden()
    await frame.locator("#field-gatewayBaseUrl").fill("ftp://gateway.example/")
    await frame.locator("#save").click()
    await expect(frame.locator("#error-installmentCounts")).to_have_text("Choose the instalment counts to offer.")
    await expect(frame.locator("#error-gatewayBaseUrl")).to_contain_text("Enter an http(s) address")
    await expect(frame.locator("#form-notice")).to_have_text("Not saved: correct the fields marked above.")
    requests_before = len(dashboard.api_requests)

    # what only the API knows: its own message is shown at the field it names
    await frame.locator('input[name="installmentCounts"][value="5"]').check()
    await frame.locator("#field-gatewayBaseUrl").fill(gateway.base_url + "?mode=test")
    await frame.locator("#save").click()
    await expect(frame.locator("#error-gatewayBaseUrl")).to_have_text("must not have a query or fragment")
    await expect(frame.locator('[data-field="gatewayBaseUrl"]')).to_have_class("field invalid")
    await dashboard.screenshot("validation-errors")
    assert len(dashboard.api_requests) == requests_before + 1  # the client-side refusal sent nothing
    assert await app.services.store.channels.get(app.installed.id, CHANNEL) is None

    await frame.locator("#field-gatewayBaseUrl").fill(gateway.base_url)
    await frame.locator("#save").click()
    await expect(frame.locator("#form-notice")).to_have_text("Saved.")
    await expect(frame.locator(".field-error:visible")).to_have_count(0)
    stored = await app.services.store.channels.get(app.installed.id, CHANNEL)
    assert stored is not None
    assert (stored.store_id, stored.installment_counts) == ("123456", (5,))


async def test_the_connection_test_explains_what_the_sandbox_answered(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn, gateway: Gateway
) -> None:
    await gateway.sandbox.reset()
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key))
    await _add_channel(frame)
    await frame.locator("#field-storeId").fill(STORE_ID)
    await frame.locator("#field-gatewayBaseUrl").fill(gateway.base_url)
    await frame.get_by_role("button", name="Test connection").click()
    result = frame.locator("#connection-result")
    await expect(result).to_have_attribute("data-status", "OK")
    await expect(result.locator(".connection-title")).to_have_text("Connected")
    await expect(result.locator(".connection-message")).to_contain_text(
        "the gateway accepted this server and store id 000000 (it answered ER021"
    )
    await dashboard.screenshot("connection-ok")

    await frame.locator("#field-storeId").fill("999999")
    await frame.get_by_role("button", name="Test connection").click()
    await expect(result).to_have_attribute("data-status", "UNKNOWN_STORE")
    await expect(result.locator(".connection-title")).to_have_text("Unknown store ID")
    await expect(result.locator(".connection-message")).to_contain_text("does not know store id 999999")
    await expect(result.locator(".connection-advice")).to_contain_text("Copy the store id")
    await expect(result.locator(".connection-code")).to_have_text("Gateway code: ER004")
    await dashboard.screenshot("connection-unknown-store")

    # a store id that cannot be one is refused before anything is sent
    await frame.locator("#field-storeId").fill("12a")
    sent = len(dashboard.api_requests)
    await frame.get_by_role("button", name="Test connection").click()
    await expect(frame.locator("#error-storeId")).to_have_text("Enter the six-digit store ID.")
    assert len(dashboard.api_requests) == sent

    # testing saves nothing and the probe left nothing at the gateway
    assert await app.services.store.channels.get(app.installed.id, CHANNEL) is None
    assert gateway.sandbox.state.customers == {}


async def test_a_server_ip_the_gateway_does_not_allow_is_explained_in_japanese(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    strict = create_sandbox_app(SandboxConfig(stores=(StoreConfig(store_id=STORE_ID),), allowed_ips=("203.0.113.7",)))
    async with serving_on_loopback(strict) as strict_url:
        await _configure(app, gateway_base_url=strict_url + "/gateway/")
        frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), locale="ja-JP")
        await frame.get_by_role("button", name="接続テスト").click()
        result = frame.locator("#connection-result")
        await expect(result).to_have_attribute("data-status", "IP_NOT_ALLOWED")
    await expect(result.locator(".connection-title")).to_have_text("このサーバーのIPアドレスが許可されていません")
    await expect(result.locator(".connection-advice")).to_contain_text("決済データ送信元IP")
    await expect(result.locator(".connection-code")).to_have_text("エラーコード: ER003")
    await dashboard.screenshot("connection-ip-not-allowed-ja")


async def test_a_channels_settings_can_be_removed(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    await _configure(app, "channel-a")
    await _configure(app, "channel-b", job_type="CAPTURE")
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), sandbox=SALEOR_FRAME_SANDBOX)
    await frame.locator('.channel-tab[data-slug="channel-b"]').click()
    await expect(frame.locator("#channel-form")).to_have_attribute("data-slug", "channel-b")
    await frame.get_by_role("button", name="Remove this channel's settings").click()
    await _confirm_in_page(frame)
    await expect(frame.locator("#deleted-notice")).to_have_text("The settings of channel channel-b were removed.")
    await expect(frame.locator(".channel-tab")).to_have_count(1)
    assert await app.services.store.channels.get(app.installed.id, "channel-b") is None
    assert await app.services.store.channels.get(app.installed.id, "channel-a") is not None


# ------------------------------------------------------------------------------------ activity


async def test_kickbacks_and_recent_payments_are_listed(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    ledger = app.services.store.ledger
    installation_id = app.installed.id
    intent = LedgerIntent(kind=LedgerKind.PAYMENT, amount=3500, tax_amount=0, shipping_amount=0, currency="JPY")
    paid = (await ledger.begin(installation_id, "key-1", "f1", intent)).entry
    await ledger.mark_sent(paid.id)
    await ledger.complete(paid.id, status=LedgerStatus.SUCCEEDED, psp_reference="1001")
    lost = (await ledger.begin(installation_id, "key-2", "f2", intent.model_copy(update={"amount": 1200}))).entry
    await ledger.mark_sent(lost.id)
    await ledger.mark_unknown(lost.id, failure_reason="ReadTimeout")
    await ledger.begin(installation_id, "key-3", "f3", intent.model_copy(update={"kind": LedgerKind.CAPTURE}))
    kickbacks = app.services.store.kickbacks
    notice = KickbackNotice(psp_reference="1001", result="1", amount=3500, total_amount=3500, fingerprint="a" * 64)
    logged = await kickbacks.record(installation_id, notice)
    await kickbacks.finish(
        logged.notification.id,
        state=NotificationState.CONFIRMED,
        matched=True,
        payment_id=paid.id,
        outcome="agrees with the answer",
    )

    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key))
    kickback_url = f"{app.base_url}/api/kickback/{app.installed.kickback_secret}"
    await expect(frame.locator("#kickback-url")).to_have_value(kickback_url)
    matched = frame.locator('#kickbacks-table tr[data-gid="1001"]')
    await expect(matched).to_contain_text("Matched a payment")
    await expect(matched).to_contain_text("Agrees with the gateway's answer")
    await expect(matched).to_contain_text("¥3,500")

    rows = frame.locator("#payments-table tbody tr")
    await expect(rows).to_have_count(3)
    await expect(frame.locator("#payments-table tr.unresolved")).to_have_count(2)
    await expect(frame.locator('#payments-table tr[data-status="UNKNOWN"]')).to_have_class("unresolved")
    await expect(frame.locator('#payments-table tr[data-status="UNKNOWN"]')).to_contain_text("ReadTimeout")
    await expect(frame.locator('#payments-table tr[data-status="PENDING"]')).to_have_class("unresolved")
    await expect(frame.locator('#payments-table tr[data-status="SUCCEEDED"]')).not_to_have_class("unresolved")
    await expect(frame.locator('#payments-table tr[data-status="SUCCEEDED"]')).to_contain_text("1001")
    await expect(frame.locator("#unresolved-note")).to_contain_text("2 of these have no final outcome yet")

    # the gateway notifies a payment the app does not know: it appears, not matched
    notification = {"gid": "2002", "rst": "1", "ap": "X1", "cod": "", "am": "1200", "tx": "0", "sf": "0", "ta": "1200"}
    query = urlencode(notification)
    async with httpx.AsyncClient() as client:
        answer = await client.get(f"{kickback_url}?{query}")
    assert answer.status_code == 200
    await frame.locator("#kickbacks .refresh").click()
    unmatched = frame.locator('#kickbacks-table tr[data-gid="2002"]')
    await expect(unmatched).to_contain_text("Not matched")
    await expect(unmatched).to_contain_text("Success")
    await expect(unmatched).to_have_class("unmatched")
    await dashboard.screenshot("activity")


async def test_a_lost_payment_is_resolved_on_the_page_once(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    """The answer never came and no notification did: the page shows what is known and what to look up, refuses
    a decision without a reason, records one with it, and tells Saleor (this stand-in Saleor does not answer:
    the report waits, and the page says so)."""
    ledger = app.services.store.ledger
    intent = LedgerIntent(
        kind=LedgerKind.PAYMENT,
        amount=3500,
        tax_amount=0,
        shipping_amount=0,
        currency="JPY",
        saleor_transaction_id="VHJhbnNhY3Rpb25JdGVtOjE=",
        shop_order_code="order-77",
        store_id=STORE_ID,
    )
    lost = (await ledger.begin(app.installed.id, "initialize:lost", "f", intent)).entry
    await ledger.mark_sent(lost.id)
    await ledger.mark_unknown(lost.id, failure_reason="ReadTimeout")

    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), sandbox=SALEOR_FRAME_SANDBOX)
    item = frame.locator(f'#attention .attention-item[data-id="{lost.id}"]')
    await expect(item).to_contain_text("outcome unknown")
    await expect(item).to_contain_text("order-77")
    await expect(item).to_contain_text("店舗オーダー番号")
    await expect(item).to_contain_text("ReadTimeout")
    await item.get_by_role("button", name="It was charged").click()
    await expect(item.locator(".field-error")).to_have_count(2)  # no payment number, no reason: nothing sent
    assert (await ledger.get(lost.id)).status is LedgerStatus.UNKNOWN  # type: ignore[union-attr]

    await item.locator("input[name=gid]").fill("10000123")
    await item.locator("textarea[name=reason]").fill("control panel: 成功, 10:02")
    await item.get_by_role("button", name="It was charged").click()
    await _confirm_in_page(frame)

    await expect(frame.locator("#resolved-notice")).to_contain_text(f"#{lost.id} recorded: It was charged.")
    await expect(frame.locator("#resolved-notice")).to_contain_text("Saleor did not answer")
    await expect(frame.locator("#attention-empty")).to_have_text("Nothing waits for you.")
    row = frame.locator(f'#payments-table tr[data-id="{lost.id}"]')
    await expect(row).to_contain_text("staff@example.com")
    settled = await ledger.get(lost.id)
    assert settled is not None and (settled.status, settled.psp_reference) == (LedgerStatus.SUCCEEDED, "10000123")
    assert settled.report_pending  # Saleor is told when it answers (the watch retries)
    resolution = await app.services.store.settlements.resolution_of(lost.id)
    assert resolution is not None
    assert (resolution.resolved_by, resolution.reason) == ("staff@example.com (VXNlcjox)", "control panel: 成功, 10:02")
    await dashboard.screenshot("resolved")


async def test_a_refund_made_in_the_control_panel_is_recorded_from_the_payments_list(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    ledger = app.services.store.ledger
    intent = LedgerIntent(
        kind=LedgerKind.PAYMENT,
        amount=3500,
        tax_amount=0,
        shipping_amount=0,
        currency="JPY",
        job_type="CAPTURE",
        saleor_transaction_id="VHJhbnNhY3Rpb25JdGVtOjk=",
        channel_slug=CHANNEL,
    )
    paid = (await ledger.begin(app.installed.id, "initialize:paid", "f", intent)).entry
    await ledger.mark_sent(paid.id)
    await ledger.complete(paid.id, status=LedgerStatus.SUCCEEDED, psp_reference="10000777")

    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), sandbox=SALEOR_FRAME_SANDBOX)
    row = frame.locator(f'#payments-table tr[data-id="{paid.id}"]')
    await expect(row).to_contain_text(CHANNEL)
    await expect(row).to_contain_text("JST")
    await row.get_by_role("button", name="Record a control-panel refund").click()
    await row.locator('input[name="panelRefundAmount"]').fill("1200")
    await row.locator('input[name="panelRefundReason"]').fill("管理画面で一部返金 12/4")
    await row.get_by_role("button", name="Record in Saleor").click()
    await _confirm_in_page(frame)

    await expect(frame.locator("#resolved-notice")).to_contain_text("Recorded: ¥1,200 refunded")
    await expect(row).to_contain_text("¥1,200")
    [refund] = await app.services.store.recorded_refunds.for_payment(paid.id)
    assert (refund.amount, refund.reason) == (1200, "管理画面で一部返金 12/4")
    assert refund.recorded_by == "staff@example.com (VXNlcjox)"


async def test_the_kickback_url_is_rotated_and_the_old_one_refused(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    old_url = f"{app.base_url}/api/kickback/{app.installed.kickback_secret}"
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), sandbox=SALEOR_FRAME_SANDBOX)
    await expect(frame.locator("#kickback-url")).to_have_value(old_url)
    # in the dashboard's iframe sandbox: the confirmation is the page's own; cancelling it changes nothing
    await frame.get_by_role("button", name="Make a new URL").click()
    await frame.get_by_role("alertdialog").locator("button.cancel").click()
    await expect(frame.locator("#kickback-url")).to_have_value(old_url)
    await frame.get_by_role("button", name="Make a new URL").click()
    await _confirm_in_page(frame)

    await expect(frame.locator("#rotation-notice")).to_contain_text("決済結果通知URL")
    new_url = await frame.locator("#kickback-url").input_value()
    assert new_url != old_url and new_url.startswith(f"{app.base_url}/api/kickback/")
    rotated = await app.services.store.installations.get(app.installed.id)
    assert rotated is not None and new_url.endswith("/" + rotated.kickback_secret)
    assert await app.services.store.installations.get_by_kickback_secret(app.installed.kickback_secret) is None


async def test_the_kickback_url_is_copied_with_one_click(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    for origin in (app.base_url, saleor.dashboard_origin):
        await dashboard.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key))
    await frame.get_by_role("button", name="Copy").click()
    await expect(frame.locator("#copy-status")).to_have_text("Copied")
    copied = await dashboard.page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{app.base_url}/api/kickback/{app.installed.kickback_secret}"


# ------------------------------------------------------------------------------------ look and language


async def test_dark_theme_and_japanese_follow_the_dashboard(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    await _configure(app)
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), theme="dark", locale="ja-JP")
    await expect(frame.locator("#channels-title")).to_have_text("チャンネル設定")
    await expect(frame.locator("html")).to_have_attribute("data-theme", "dark")
    await expect(frame.locator("html")).to_have_attribute("lang", "ja")
    # macaw-ui's dark background-default1, hsla(232, 17%, 18%, 1), as the dashboard around it
    await expect(frame.locator("body")).to_have_css("background-color", "rgb(38, 40, 54)")
    await expect(frame.locator('label[for="field-storeId"]')).to_have_text("店舗ID")
    await expect(frame.locator("#save")).to_have_text("保存")
    await expect(frame.locator("#kickbacks-empty")).to_have_text("まだ通知は届いていません。")
    await dashboard.screenshot("dark-japanese")

    # later events from the dashboard: English, then back to light, keeping what was typed
    await frame.locator("#field-storeId").fill("654321")
    await dashboard.page.evaluate('sendToApp({type: "localeChanged", payload: {locale: "en"}})')
    await expect(frame.locator("#channels-title")).to_have_text("Channels")
    await dashboard.screenshot("dark-english")
    await dashboard.page.evaluate('sendToApp({type: "theme", payload: {theme: "light"}})')
    await expect(frame.locator("body")).to_have_css("background-color", "rgb(255, 255, 255)")
    await expect(frame.locator("#field-storeId")).to_have_value("654321")


# ------------------------------------------------------------------------------------ no valid token


async def _only_the_explanation(frame: FrameLocator, title: str) -> None:
    await expect(frame.locator("#gate")).to_be_visible()
    await expect(frame.locator("#gate-title")).to_have_text(title)
    await expect(frame.locator("#content")).to_be_hidden()
    await expect(frame.locator("#content > *")).to_have_count(0)
    await expect(frame.locator("#viewer")).to_be_hidden()
    await expect(frame.locator("input, form, table")).to_have_count(0)


def _refused_token(case: str, key: SigningKey, other_key: SigningKey) -> str:
    if case == "forged":
        return staff_token(other_key)
    if case == "expired":
        return staff_token(key, lifetime_seconds=-3600)
    if case == "other app":
        return staff_token(key, app_id="QXBwOjk5")
    if case == "no permissions claim":
        return staff_token(key, user_permissions=None)
    return "not-a-jwt"


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("forged", "token signature does not verify"),
        ("expired", "token has expired"),
        ("other app", "token was issued for another app"),
        ("not a JWT", "the dashboard's token is not a JWT"),  # the page itself: Saleor's AppBridge cannot read it
        ("no permissions claim", "user_permissions is not a list"),
    ],
)
async def test_a_token_the_app_refuses_leaves_only_an_explanation(
    dashboard: DashboardBrowser,
    app: RunningApp,
    saleor: SaleorStandIn,
    other_key: SigningKey,
    case: str,
    reason: str,
) -> None:
    await _configure(app)  # there is something to show: none of it may appear
    token = _refused_token(case, saleor.signing_key, other_key)
    frame = await dashboard.open(app, saleor, token=token)
    await _only_the_explanation(frame, "The app could not confirm who you are")
    await expect(frame.locator("#gate-detail")).to_contain_text(reason)
    assert len(dashboard.api_requests) == (0 if case == "not a JWT" else 1)
    if case == "forged":
        await dashboard.screenshot("refused-token")


async def test_without_a_handshake_the_page_waits_and_shows_nothing_else(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    await _configure(app)
    frame = await dashboard.open(app, saleor, token=None)
    await dashboard.page.wait_for_function("received.some((message) => message.data.type === 'notifyReady')")
    announcement = await dashboard.page.evaluate("received[0]")
    assert announcement["origin"] == app.base_url
    assert announcement["data"]["type"] == "notifyReady"
    assert announcement["data"]["payload"]["actionId"]
    await _only_the_explanation(frame, "Waiting for the Saleor dashboard")
    assert dashboard.api_requests == []


async def test_a_message_from_another_origin_than_the_framing_pages_is_ignored(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    """The page trusts the origin of the page that opened it (document.referrer), as Saleor's app-sdk does: here a
    site of another origin opened it inside the dashboard, so the dashboard's messages, valid token and all, are
    not taken."""
    await _configure(app)
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), through=saleor.other_origin)
    await expect(frame.locator("#gate-detail")).to_have_text(
        f"A message from {saleor.dashboard_origin} was ignored: this page accepts the dashboard only from "
        f"{saleor.other_origin}, the page that opened it."
    )
    await _only_the_explanation(frame, "Waiting for the Saleor dashboard")
    assert dashboard.api_requests == []
    await dashboard.screenshot("foreign-origin")


async def test_a_dashboard_that_sends_no_referrer_is_not_recognised(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key), referrer_policy="no-referrer")
    await expect(frame.locator("#gate-detail")).to_contain_text(
        f"A message from {saleor.dashboard_origin} was ignored: the page that opened this one did not say its address"
    )
    await _only_the_explanation(frame, "Waiting for the Saleor dashboard")
    assert dashboard.api_requests == []


async def test_opened_outside_the_dashboard_or_without_the_shop_it_only_explains(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    await dashboard.page.goto(app.page_url(locale="ja"))
    await expect(dashboard.page.locator("#gate-title")).to_have_text("Saleorダッシュボードから開いてください")
    await expect(dashboard.page.locator("#content")).to_be_hidden()

    frame = await dashboard.open(
        app, saleor, token=staff_token(saleor.signing_key), page_url=f"{app.base_url}/dashboard?id={APP_ID}"
    )
    await _only_the_explanation(frame, "The dashboard did not say which shop this is")
    assert dashboard.api_requests == []


# ------------------------------------------------------------------------------------ Saleor's App Bridge


async def test_a_dashboard_on_another_host_name_than_the_api_is_accepted(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    """A self-hosted dashboard (dashboard.localhost) beside its API (localhost), framing the page in the sandbox
    and speaking as Saleor's dashboard 3.23 does: the page announces itself once, takes the handshake (sent twice),
    the locale and the theme, and loads once."""
    await _configure(app)
    frame = await dashboard.open(
        app, saleor, token=staff_token(saleor.signing_key), locale="ja", sandbox=SALEOR_FRAME_SANDBOX
    )
    await expect(frame.locator("#viewer")).to_have_text("staff@example.com としてログイン中")
    await expect(frame.locator("html")).to_have_attribute("lang", "ja")
    await expect(frame.locator("#field-storeId")).to_have_value(STORE_ID)
    app_frame = dashboard.page.frame(url=lambda url: url.startswith(app.base_url))
    assert app_frame is not None
    referrer = await app_frame.evaluate("document.referrer")
    assert referrer.startswith(saleor.dashboard_origin) and not referrer.startswith(saleor.origin)
    assert urlsplit(saleor.dashboard_origin).hostname != urlsplit(app.installed.saleor_api_url).hostname

    announcements = await dashboard.page.evaluate("received")
    assert [message["data"]["type"] for message in announcements] == ["notifyReady"]
    assert announcements[0]["origin"] == app.base_url
    assert announcements[0]["data"]["payload"]["actionId"]
    sent = await dashboard.page.evaluate("sent")
    assert sorted(sent) == sorted(["handshake", "response", "handshake", "localeChanged", "theme", "redirect"])
    assert len(dashboard.overview_requests) == 1  # the second handshake's token is the same: nothing is loaded again
    # the dashboard's look: macaw-ui's light tokens and its Inter font, served by the app itself
    await expect(frame.locator("#save")).to_have_css("background-color", "rgb(18, 33, 48)")  # button-default-primary
    loaded = "document.fonts.ready.then(() => [...document.fonts].map((face) => [face.family, face.status]))"
    assert ["Inter var", "loaded"] in await app_frame.evaluate(loaded)
    await dashboard.screenshot("light-japanese")


async def test_a_message_from_another_window_than_the_parent_is_ignored(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    """A second frame on the dashboard's own origin posts tokens to the page: they are not the dashboard's."""
    staff = staff_token(saleor.signing_key)
    intruder = staff_token(saleor.signing_key, email="intruder@example.com", user_id="VXNlcjo5")
    frame = await dashboard.open(app, saleor, token=None)
    handshake = "(token) => sendFromSibling({type: 'handshake', payload: {token, version: 1}})"
    await dashboard.page.evaluate(handshake, intruder)
    await dashboard.page.evaluate("(token) => sendToApp({type: 'handshake', payload: {token, version: 1}})", staff)
    await expect(frame.locator("#viewer")).to_have_text("Signed in as staff@example.com")
    refresh = "(token) => sendFromSibling({type: 'tokenRefresh', payload: {token}})"
    await dashboard.page.evaluate(refresh, intruder)
    async with dashboard.page.expect_request(lambda sent: sent.url.endswith("/graphql")) as refreshed:
        await frame.locator("#payments .refresh").click()
    assert (await (await refreshed.value).all_headers())["authorization"] == f"Bearer {staff}"
    sent = [(await request.all_headers())["authorization"] for request in dashboard.api_requests]
    assert sent == [f"Bearer {staff}"] * len(sent)
    await expect(frame.locator("#gate-detail")).to_be_hidden()


async def test_without_a_locale_in_the_address_the_page_starts_in_the_browsers_language(
    browser: Browser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    """Saleor's dashboard puts no locale in the page's address and says it only after the handshake: until then
    the page speaks the browser's language (a Japanese browser here), then the dashboard's."""
    context = await browser.new_context(locale="ja-JP", viewport={"width": 1200, "height": 900})
    japanese = DashboardBrowser(context, await context.new_page())
    japanese.watch()
    try:
        frame = await japanese.open(app, saleor, token=None)
        assert "locale=" not in app.page_url()
        await expect(frame.locator("#gate-title")).to_have_text("Saleorダッシュボードからの接続を待っています")
        await expect(frame.locator("html")).to_have_attribute("lang", "ja")
        await japanese.page.wait_for_function("received.some((message) => message.data.type === 'notifyReady')")
        await japanese.screenshot("waiting-japanese-browser")
        await japanese.page.evaluate('sendToApp({type: "localeChanged", payload: {locale: "en"}})')
        await expect(frame.locator("#gate-title")).to_have_text("Waiting for the Saleor dashboard")
        await expect(frame.locator("html")).to_have_attribute("lang", "en")
    finally:
        await context.close()
    assert japanese.errors == []


# ------------------------------------------------------------------------------------ the token


async def test_the_token_stays_in_memory_and_goes_only_to_the_app(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn
) -> None:
    token = staff_token(saleor.signing_key)
    frame = await dashboard.open(app, saleor, token=token)
    await expect(frame.locator("#channels")).to_be_visible()
    app_frame = dashboard.page.frame(url=lambda url: url.startswith(app.base_url))
    assert app_frame is not None
    # a framed page of another site may be denied storage altogether; either way nothing is kept there
    kept = await app_frame.evaluate(
        """() => {
          const read = (what) => { try { return what(); } catch { return "denied"; } };
          return [read(() => localStorage.length), read(() => sessionStorage.length), read(() => document.cookie)];
        }"""
    )
    assert all(value in (0, "", "denied") for value in kept), kept
    assert token not in await app_frame.evaluate("document.documentElement.outerHTML")
    assert token not in app_frame.url
    (request,) = dashboard.overview_requests
    assert all(other.url == request.url for other in dashboard.api_requests)  # the shop-channel list goes there too
    headers = await request.all_headers()
    assert headers["authorization"] == f"Bearer {token}"
    assert headers["saleor-api-url"] == saleor.api_url
    assert request.url == f"{app.base_url}/graphql"

    # a refreshed token is used from the next call on
    fresh = staff_token(saleor.signing_key, lifetime_seconds=900)
    await dashboard.page.evaluate("(token) => sendToApp({type: 'tokenRefresh', payload: {token}})", fresh)
    async with dashboard.page.expect_request(lambda sent: sent.url.endswith("/graphql")) as refreshed:
        await frame.locator("#payments .refresh").click()
    assert (await (await refreshed.value).all_headers())["authorization"] == f"Bearer {fresh}"


@pytest.mark.parametrize(
    ("permissions", "missing"),
    [(("MANAGE_ORDERS",), "MANAGE_APPS, HANDLE_PAYMENTS"), (("MANAGE_APPS",), "HANDLE_PAYMENTS")],
)
async def test_a_staff_member_without_both_permissions_is_told_which_and_sees_nothing(
    dashboard: DashboardBrowser, app: RunningApp, saleor: SaleorStandIn, permissions: tuple[str, ...], missing: str
) -> None:
    await _configure(app, cvv_required=True)
    frame = await dashboard.open(app, saleor, token=staff_token(saleor.signing_key, permissions=permissions))
    await expect(frame.locator("#gate")).to_have_attribute("data-phase", "forbidden")
    await expect(frame.locator("#gate-title")).to_have_text("You need more permissions")
    await expect(frame.locator("#gate-detail")).to_have_text(f"Missing: {missing}")
    await expect(frame.locator("#content")).to_be_hidden()
    html = await frame.locator("html").inner_html()
    assert app.installed.kickback_secret not in html and STORE_ID not in html

"""robotpayment.js at its two boundaries, in Chromium: Saleor's GraphQL API (a scripted stand-in that records
what the module sends) and the gateway's browser scripts (the real sandbox's CPToken.js / EMV3DSAdapter.js).

The end-to-end suite (test_storefront_pages.py) drives the example pages against devshop + app + sandbox;
this one pins what only a stand-in can show: script loading, referrer policy, the exact 3-D Secure
parameters, idempotency keys across an unanswered request, the in-flight guard, error typing.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Route

from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.cards import CHALLENGE_CODE
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.sandbox.gateway import SandboxGateway
from robotpayment_app.sandbox.server import serving
from tests.browser.conftest import ARTIFACTS
from tests.browser.fake_saleor import AID, Drop, FakeSaleor, Late, Status, payment_config, transaction_answer

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

VISA = "4444333322221111"


def _minify(source: str) -> str:
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "snippet_size.py"
    spec = importlib.util.spec_from_file_location("snippet_size", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    minified: str = module.minify(source)
    return minified


@dataclass
class Stack:
    shop: str
    saleor: FakeSaleor
    gateway: SandboxGateway


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def running() -> AsyncIterator[Stack]:
    # The store takes a CVV so that the customize test proves it is sent when the app says `cvv: true`.
    config = SandboxConfig(stores=(StoreConfig(store_id=AID, cvv_required=True),))
    sandbox_app = create_sandbox_app(config)
    source = (Path(__file__).resolve().parents[2] / "frontend_snippets" / "robotpayment.js").read_text("utf-8")
    async with serving(sandbox_app) as gateway_base:
        saleor = FakeSaleor(gateway_base, _minify(source))
        async with serving(saleor.app()) as shop:
            yield Stack(shop, saleor, sandbox_app.state.sandbox)


@pytest_asyncio.fixture(loop_scope="module")
async def stack(running: Stack) -> Stack:
    running.saleor.reset()
    await running.gateway.reset()
    return running


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser: Browser) -> AsyncIterator[Page]:
    context = await browser.new_context(locale="ja-JP")
    opened = await context.new_page()
    try:
        yield opened
    finally:
        await context.close()


INSTALL = """async ({moduleUrl, options}) => {
  const module = await import(moduleUrl);
  window.robotpayment = module;
  window.rp = module.createRobotPayment(options);
  // Results and errors as plain JSON for the test (retry() stays in the page).
  window.settle = (promise) => promise.then(
    (result) => {
      if (result && result.retry) { window.lastUnknown = result; }
      return {ok: JSON.parse(JSON.stringify(result))};
    },
    (error) => ({error: {name: error.name, typed: error instanceof module.RobotPaymentError, code: error.code,
      message: error.message, retryable: error.retryable, field: error.field, detail: error.detail,
      cancelled: error.cancelled, cancelledTyped: error instanceof module.RobotPaymentCancelled,
      step: error.step ?? null, reason: error.reason ?? null}}));
}"""


async def open_shop(page: Page, stack: Stack, *, minified: bool = False, **options: Any) -> None:
    await page.goto(f"{stack.shop}/shop")
    folder = "snippets-min" if minified else "snippets"
    settings = {"saleorApiUrl": f"{stack.shop}/graphql/", "accessToken": "shopper-access-token", **options}
    await page.evaluate(INSTALL, {"moduleUrl": f"{stack.shop}/{folder}/robotpayment.js", "options": settings})


async def settle(page: Page, expression: str) -> dict[str, Any]:
    outcome: dict[str, Any] = await page.evaluate(f"() => settle({expression})")
    return outcome


CARD = "{number: '#cn', expiryMonth: '#month', expiryYear: '#year', firstName: '#fn', lastName: '#ln', cvv: '#cvv'}"
CARD_SELECTORS = {
    "number": "#cn",
    "expiryMonth": "#month",
    "expiryYear": "#year",
    "firstName": "#fn",
    "lastName": "#ln",
    "cvv": "#cvv",
}


async def fill_card(page: Page, number: str = VISA) -> None:
    for selector, value in (("#cn", number), ("#month", "12"), ("#year", "2030"), ("#fn", "TARO"), ("#ln", "YAMADA")):
        await page.fill(selector, value)
    await page.fill("#cvv", "123")


def token_sent(stack: Stack) -> str:
    (call,) = stack.saleor.calls_of("transactionInitialize")
    token: str = call.variables["gateway"]["data"]["tkn"]
    return token


async def test_gateway_scripts_load_once_in_order_with_the_origin_as_referrer(stack: Stack, page: Page) -> None:
    referers: dict[str, str | None] = {}
    page.on("request", lambda request: referers.__setitem__(request.url, request.headers.get("referer")))
    await open_shop(page, stack)
    first = await settle(page, "rp.initialize({checkoutId: 'Q2hlY2tvdXQ6MQ=='})")
    again = await settle(page, "rp.initialize({checkoutId: 'Q2hlY2tvdXQ6MQ=='})")
    assert first["ok"]["aid"] == AID and again["ok"] == first["ok"]
    scripts = await page.eval_on_selector_all(
        "script[data-robotpayment]", "nodes => nodes.map(n => [n.src, n.referrerPolicy])"
    )
    names = [src.rsplit("/", 1)[1] for src, _ in scripts]
    assert names == ["jquery.js", "CPToken.js", "EMV3DSAdapter.js"]
    assert {policy for _, policy in scripts} == {"origin"}
    # The gateway saw the page's origin only, never the page's path or query.
    for src, _ in scripts:
        assert referers[src] == f"{stack.shop}/"
    assert await page.evaluate("typeof CPToken.TokenCreate === 'function' && typeof ThreeDSAdapter.authenticate")


async def test_customize_payment_sends_the_app_3ds_params_the_cvv_the_brand_and_clears_the_card_fields(
    stack: Stack, page: Page
) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    await open_shop(page, stack)
    await fill_card(page)
    outcome = await settle(page, f"rp.payWithNewCard({{checkoutId: 'Q2hlY2tvdXQ6MQ==', card: {CARD}}})")

    assert outcome["ok"]["status"] == "charged" and outcome["ok"]["gid"] == "100001"
    token = token_sent(stack)
    (call,) = stack.saleor.calls_of("transactionInitialize")
    assert call.variables["gateway"] == {
        "id": "jp.robotpayment.saleor",
        # the brand read from the number (the gateway never tells it), never the number itself
        "data": {"tkn": token, "saveCard": False, "md": "10", "pt": None, "brand": "VISA"},
    }
    assert len(call.variables["key"]) == 32
    recorded = stack.gateway.state.tokens[token]
    assert recorded.cvv_given  # the store requires CVV: the token exists only because it was sent
    assert recorded.three_ds is not None and recorded.three_ds.uid is None
    assert recorded.three_ds.terms is not None and recorded.three_ds.terms.amounts == (3500, 0, 0)
    assert recorded.three_ds.contact.email == "taro@example.com"
    # Card fields emptied, the token gone from the page, and no card number ever sent to Saleor.
    values = await page.eval_on_selector_all("input", "nodes => nodes.map(n => n.value)")
    assert values == ["", "", "", "", "", "", ""]
    assert all(VISA not in call.raw for call in stack.saleor.calls)
    await page.screenshot(path=ARTIFACTS / "module-customize-charged.png")


async def test_saving_a_card_uses_the_app_save_card_params_and_keeps_the_answer_saved_card(
    stack: Stack, page: Page
) -> None:
    save_params = {"aid": AID, "uid": "saleor-user-1"}
    stack.saleor.config = payment_config(
        stack.saleor.gateway_base,
        tokenMode="customize",
        cvv=True,
        threeDS={"payment": payment_config("")["threeDS"]["payment"], "saveCard": save_params},
    )
    stack.saleor.queue(
        "transactionInitialize",
        transaction_answer("AUTHORIZATION_SUCCESS", {"savedCard": {"id": "card-1", "name": "VISA •••• 1111"}}),
    )
    await open_shop(page, stack)
    await fill_card(page)
    outcome = await settle(
        page, f"rp.payWithNewCard({{checkoutId: 'Q2hlY2tvdXQ6MQ==', card: {CARD}, saveCard: true, md: '61', pt: 5}})"
    )

    assert outcome["ok"]["status"] == "authorized"
    assert outcome["ok"]["savedCard"] == {"id": "card-1", "name": "VISA •••• 1111"}
    token = token_sent(stack)
    (call,) = stack.saleor.calls_of("transactionInitialize")
    # a known gateway customer's new card is registered, then charged in one touch: instalments apply
    assert call.variables["gateway"]["data"] == {"tkn": token, "saveCard": True, "md": "61", "pt": 5, "brand": "VISA"}
    assert call.authorization == "Bearer shopper-access-token"
    three_ds = stack.gateway.state.tokens[token].three_ds
    assert three_ds is not None and three_ds.uid == "saleor-user-1" and three_ds.terms is None


async def test_popup_mode_uses_the_gateway_form_and_creates_its_elements(stack: Stack, page: Page) -> None:
    await open_shop(page, stack)
    await page.evaluate("() => { window.pending = settle(rp.payWithNewCard({checkoutId: 'Q2hlY2tvdXQ6MQ=='})); }")
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")
    for selector, value in (
        ("#rpemvtds_cn", VISA),
        ("#rpemvtds_ed_month", "12"),
        ("#rpemvtds_ed_year", "30"),
        ("#rpemvtds_fn", "TARO"),
        ("#rpemvtds_ln", "YAMADA"),
        ("#rpemvtds_cvv", "123"),
    ):
        await page.fill(selector, value)
    await page.click("#rpemvtds_submit")
    outcome = await pending(page)

    assert outcome["ok"]["status"] == "charged"
    assert await page.evaluate("document.getElementById('tkn').type") == "hidden"
    assert await page.evaluate("document.getElementById('tkn').value") == ""
    assert await page.evaluate("!!document.getElementById('EMV3DS_INPUT_FORM')")
    assert stack.gateway.state.tokens[token_sent(stack)].used is False  # only the (stand-in) app spends it
    (call,) = stack.saleor.calls_of("transactionInitialize")
    assert "brand" not in call.variables["gateway"]["data"]  # the number stayed in the gateway's form


async def test_an_unanswered_payment_is_unknown_and_its_retry_reuses_the_attempt_key(stack: Stack, page: Page) -> None:
    stack.saleor.always["transactionInitialize"] = Drop()
    await open_shop(page, stack)
    unknown = await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert unknown["ok"]["status"] == "unknown"
    assert unknown["ok"]["message"].startswith("お支払いの結果を確認できませんでした")
    stack.saleor.always["transactionInitialize"] = Status(502)
    still_unknown = await settle(page, "window.lastUnknown.retry()")
    assert still_unknown["ok"]["status"] == "unknown"
    del stack.saleor.always["transactionInitialize"]
    charged = await settle(page, "window.lastUnknown.retry()")
    assert charged["ok"]["status"] == "charged"

    attempts = stack.saleor.calls_of("transactionInitialize")
    assert len(attempts) >= 3
    assert len({call.variables["key"] for call in attempts}) == 1
    assert all(call.variables == attempts[0].variables for call in attempts)
    # A new payment is a new attempt with a new key.
    await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert stack.saleor.calls_of("transactionInitialize")[-1].variables["key"] != attempts[0].variables["key"]


async def test_a_decline_is_one_typed_error_with_the_app_shopper_message(stack: Stack, page: Page) -> None:
    error = {"code": "G04", "message": "残高不足のためご利用いただけませんでした。", "retryable": False}
    stack.saleor.queue("transactionInitialize", transaction_answer("CHARGE_FAILURE", {"error": error, "gid": None}))
    await open_shop(page, stack)
    outcome = await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert outcome["error"] | {"detail": ""} == {
        "name": "RobotPaymentError",
        "typed": True,
        "code": "G04",
        "message": error["message"],
        "retryable": False,
        "field": None,
        "detail": "",
        # a card error is never mistaken for a cancelled card entry
        "cancelled": False,
        "cancelledTyped": False,
        "step": None,
        "reason": None,
    }


async def test_a_pending_answer_is_reported_as_pending_not_failed(stack: Stack, page: Page) -> None:
    stack.saleor.queue("transactionInitialize", transaction_answer("CHARGE_REQUEST"))
    await open_shop(page, stack, language="en")
    outcome = await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert outcome["ok"]["status"] == "pending"
    assert outcome["ok"]["message"].startswith("We are confirming your payment")


async def test_action_required_continues_with_transaction_process(stack: Stack, page: Page) -> None:
    stack.saleor.queue("transactionInitialize", transaction_answer("CHARGE_ACTION_REQUIRED", {"process": {"step": 2}}))
    stack.saleor.queue("transactionProcess", transaction_answer("CHARGE_SUCCESS", psp="100002"))
    await open_shop(page, stack)
    outcome = await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert outcome["ok"]["status"] == "charged" and outcome["ok"]["pspReference"] == "100002"
    (process,) = stack.saleor.calls_of("transactionProcess")
    assert process.variables == {"id": "VHJhbnNhY3Rpb25JdGVtOjE=", "data": {"step": 2}}


async def test_a_second_call_while_one_runs_gets_the_same_promise(stack: Stack, page: Page) -> None:
    stack.saleor.queue("transactionInitialize", Late(0.4, transaction_answer("CHARGE_SUCCESS")))
    await open_shop(page, stack)
    same = await page.evaluate("""async () => {
      const first = rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'});
      const second = rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'});
      const other = rp.listCards({channel: 'default-channel'});
      const results = await Promise.all([first, second]);
      return first === second && first === other && results[0] === results[1];
    }""")
    assert same is True
    assert len(stack.saleor.calls_of("transactionInitialize")) == 1
    # Once settled, the next call runs anew.
    await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert len(stack.saleor.calls_of("transactionInitialize")) == 2


async def test_bad_options_are_typed_errors_naming_the_field(stack: Stack, page: Page) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize")
    await open_shop(page, stack, language="en")
    cases = {
        "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'c', md: '61', pt: 7})": "pt",
        "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'c', md: '10', pt: 3})": "pt",
        "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'c', md: '99'})": "md",
        "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ=='})": "paymentMethodId",
        "rp.payWithNewCard({checkoutId: 'Q2hlY2tvdXQ6MQ=='})": "card.number",
        # instalments and revolving are one-touch only at the gateway: the app marks them savedCardOnly
        f"rp.payWithNewCard({{checkoutId: 'Q2hlY2tvdXQ6MQ==', card: {CARD}, md: '61', pt: 3}})": "md",
        "rp.payWithNewCard({})": "checkoutId",
        "rp.deleteCard({channel: 'default-channel'})": "card",
    }
    for expression, field_name in cases.items():
        outcome = await settle(page, expression)
        assert outcome["error"]["code"] == "INVALID_OPTION", expression
        assert outcome["error"]["field"] == field_name, expression
        assert outcome["error"]["message"] == "The selected payment option is not valid."
    assert stack.saleor.calls_of("transactionInitialize") == []
    await page.evaluate("rp.setAccessToken(null)")
    guest_save = await settle(
        page, f"rp.payWithNewCard({{checkoutId: 'Q2hlY2tvdXQ6MQ==', card: {CARD}, saveCard: true}})"
    )
    assert (guest_save["error"]["code"], guest_save["error"]["field"]) == ("SIGN_IN_REQUIRED", "saveCard")


async def test_a_token_refused_by_the_gateway_keeps_the_fields_for_correction(stack: Stack, page: Page) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    await open_shop(page, stack)
    await fill_card(page, number="4444333322221112")  # fails the check digit
    outcome = await settle(page, f"rp.payWithNewCard({{checkoutId: 'Q2hlY2tvdXQ6MQ==', card: {CARD}}})")
    assert outcome["error"]["code"] == "ER014" and outcome["error"]["retryable"] is True
    assert outcome["error"]["message"] == "カード番号をご確認ください。"
    assert await page.input_value("#cn") == "4444333322221112"
    assert stack.saleor.calls_of("transactionInitialize") == []


async def test_cards_are_listed_saved_replaced_and_deleted_through_saleor(stack: Stack, page: Page) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    stack.saleor.stored.extend(
        [
            {
                "id": "app:jp.robotpayment.saleor:card-1",
                "paymentMethodId": "card-1",
                "name": "VISA •••• 1111",
                "type": "card",
                "data": None,
                "gateway": {"id": "jp.robotpayment.saleor"},
                "creditCardInfo": {"brand": "VISA", "lastDigits": "1111", "expMonth": 12, "expYear": 2030},
            },
            {
                "id": "app:another.app:x",
                "paymentMethodId": "x",
                "name": "other",
                "type": "card",
                "data": None,
                "gateway": {"id": "another.app"},
                "creditCardInfo": None,
            },
        ]
    )
    await open_shop(page, stack)
    listed = await settle(page, "rp.listCards({channel: 'default-channel'})")
    assert [card["paymentMethodId"] for card in listed["ok"]] == ["card-1"]
    assert listed["ok"][0]["lastDigits"] == "1111"

    await fill_card(page)
    saved = await settle(page, f"rp.saveCard({{channel: 'default-channel', card: {CARD}}})")
    assert saved["ok"]["status"] == "saved" and saved["ok"]["id"] == "card-2"
    await fill_card(page, number="5555555555554444")
    await page.evaluate("async () => { window.cards = await rp.listCards({channel: 'default-channel'}); }")
    replaced = await settle(page, f"rp.replaceCard({{channel: 'default-channel', card: {CARD}, replaces: cards[0]}})")
    assert replaced["ok"]["replaced"] == "card-1"
    deleted = await settle(
        page, "rp.deleteCard({channel: 'default-channel', card: 'app:jp.robotpayment.saleor:card-1'})"
    )
    assert deleted["ok"] == {"status": "deleted", "id": "app:jp.robotpayment.saleor:card-1"}

    first, second = stack.saleor.calls_of("paymentMethodInitializeTokenization")
    assert set(first.variables["data"]) == {"tkn", "brand"} and first.variables["data"]["brand"] == "VISA"
    assert set(second.variables["data"]) == {"tkn", "replaces", "brand"}
    assert (second.variables["data"]["replaces"], second.variables["data"]["brand"]) == ("card-1", "MASTERCARD")
    for call in (first, second):
        three_ds = stack.gateway.state.tokens[call.variables["data"]["tkn"]].three_ds
        assert three_ds is not None and three_ds.uid == "saleor-user-1"
    assert all(call.authorization == "Bearer shopper-access-token" for call in stack.saleor.calls)
    assert all("5555555555554444" not in call.raw and VISA not in call.raw for call in stack.saleor.calls)


async def test_an_unconfirmed_card_save_is_pending_and_a_refusal_carries_the_app_message(
    stack: Stack, page: Page
) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    stack.saleor.always["paymentMethodInitializeTokenization"] = Drop()
    await open_shop(page, stack, language="en")
    await fill_card(page)
    pending = await settle(page, f"rp.saveCard({{channel: 'default-channel', card: {CARD}}})")
    assert pending["ok"]["status"] == "pending"
    assert pending["ok"]["message"].startswith("We are confirming whether your card was saved")
    stack.saleor.always["paymentMethodInitializeTokenization"] = {
        "result": "FAILED_TO_TOKENIZE",
        "id": None,
        "data": None,
        "errors": [{"field": None, "code": "GATEWAY_ERROR", "message": "このカードは登録できません。"}],
    }
    await fill_card(page)
    refused = await settle(page, f"rp.saveCard({{channel: 'default-channel', card: {CARD}}})")
    assert refused["error"]["message"] == "このカードは登録できません。"
    assert refused["error"]["code"] == "GATEWAY_ERROR"


async def test_the_minified_module_pays_the_same_way(stack: Stack, page: Page) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    await open_shop(page, stack, minified=True)
    await fill_card(page)
    outcome = await settle(page, f"rp.payWithNewCard({{checkoutId: 'Q2hlY2tvdXQ6MQ==', card: {CARD}}})")
    assert outcome["ok"]["status"] == "charged"
    assert token_sent(stack) in stack.gateway.state.tokens
    one_touch = await settle(
        page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1', md: '61', pt: 6})"
    )
    assert one_touch["ok"]["status"] == "charged"
    sent = json.loads(stack.saleor.calls_of("transactionInitialize")[1].raw)["variables"]["gateway"]["data"]
    assert sent == {"paymentMethodId": "card-1", "md": "61", "pt": 6}


async def test_a_channel_that_cannot_take_payments_reports_the_app_message(stack: Stack, page: Page) -> None:
    stack.saleor.config = {
        "version": 1,
        "error": {
            "code": "CHANNEL_NOT_CONFIGURED",
            "message": "現在このお支払い方法はご利用いただけません。",
            "retryable": False,
        },
    }
    await open_shop(page, stack)
    outcome = await settle(page, "rp.payWithSavedCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', paymentMethodId: 'card-1'})")
    assert outcome["error"]["code"] == "CHANNEL_NOT_CONFIGURED"
    assert outcome["error"]["message"] == "現在このお支払い方法はご利用いただけません。"
    assert stack.saleor.calls_of("transactionInitialize") == []
    assert await page.evaluate("document.querySelectorAll('script[data-robotpayment]').length") == 0


async def test_a_pending_card_save_is_settled_with_process_tokenization(stack: Stack, page: Page) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    waiting = {"code": "CARD_OUTCOME_UNKNOWN", "message": "カードの登録結果を確認しています。", "retryable": False}
    stack.saleor.queue(
        "paymentMethodInitializeTokenization",
        {"result": "PENDING", "id": "tks_1", "data": {"version": 1, "error": waiting}, "errors": []},
    )
    stack.saleor.queue(
        "paymentMethodProcessTokenization",
        {
            "result": "SUCCESSFULLY_TOKENIZED",
            "id": "card_9",
            "data": {"version": 1, "savedCard": {"id": "card_9", "name": "VISA •••• 1111"}},
            "errors": [],
        },
    )
    await open_shop(page, stack)
    await fill_card(page)
    pending = await settle(page, f"rp.saveCard({{channel: 'default-channel', card: {CARD}}})")
    assert pending["ok"] | {"detail": ""} == {
        "status": "pending",
        "id": "tks_1",
        "message": waiting["message"],
        "detail": "",
    }
    settled = await settle(page, "rp.confirmCardSave({channel: 'default-channel', id: 'tks_1'})")
    assert settled["ok"] == {
        "status": "saved",
        "id": "card_9",
        "replaced": None,
        "savedCard": {"id": "card_9", "name": "VISA •••• 1111"},
    }
    (process,) = stack.saleor.calls_of("paymentMethodProcessTokenization")
    assert process.variables == {"id": "tks_1", "channel": "default-channel", "data": None}


async def test_the_typed_declarations_name_what_the_module_exports(stack: Stack, page: Page) -> None:
    declarations = (Path(__file__).resolve().parents[2] / "frontend_snippets" / "robotpayment.d.ts").read_text("utf-8")
    exported = set(re.findall(r"^export declare (?:const|function|class) (\w+)", declarations, re.MULTILINE))
    body = declarations[declarations.index("export declare class RobotPayment ") :]
    methods = set(re.findall(r"^  (\w+)\(", body[: body.index("\n}")], re.MULTILINE))
    await open_shop(page, stack)
    actual = await page.evaluate(
        """(methods) => ({
          exported: Object.keys(robotpayment),
          missing: methods.filter((name) => typeof robotpayment.RobotPayment.prototype[name] !== "function"),
        })""",
        sorted(methods),
    )
    assert exported == set(actual["exported"])
    assert {"payWithNewCard", "payWithSavedCard", "listCards", "saveCard", "deleteCard"} <= methods
    assert actual["missing"] == []


# --- a card form or 3-D Secure challenge left without the gateway's callback ---

THREE_DS_CHALLENGE = "4000000000000911"  # the sandbox's challenge card (code CHALLENGE_CODE passes)
CLOSE_GRACE_MS = 600
POPUP_FIELDS = (
    ("#rpemvtds_cn", VISA),
    ("#rpemvtds_ed_month", "12"),
    ("#rpemvtds_ed_year", "30"),
    ("#rpemvtds_fn", "TARO"),
    ("#rpemvtds_ln", "YAMADA"),
    ("#rpemvtds_cvv", "123"),  # the store takes a CVV
)
# Ways a gateway form goes away without a callback: its own close emptying or hiding it, or the storefront
# re-rendering the container. The module sees only the container and the gateway's elements, not their ids.
CLOSES = {
    "emptied": ("document.getElementById('{host}').replaceChildren()", "closed"),
    "hidden": ("document.getElementById('{host}').firstElementChild.style.display = 'none'", "closed"),
    "removed": ("document.getElementById('{host}').remove()", "removed"),
}


async def start_payment(page: Page, options: dict[str, Any] | None = None) -> None:
    """payWithNewCard in the page; window.pending settles with the outcome and when it came (performance.now())."""
    await page.evaluate(
        """(options) => {
          window.pending = settle(rp.payWithNewCard({checkoutId: 'Q2hlY2tvdXQ6MQ==', ...options}))
            .then((outcome) => ({...outcome, at: performance.now()}));
        }""",
        options or {},
    )


async def pending(page: Page) -> dict[str, Any]:
    """What window.pending settled with; a promise that never settles fails the test (after 15 s)."""
    outcome: dict[str, Any] = await asyncio.wait_for(page.evaluate("() => window.pending"), 15)
    return outcome


async def close_form(page: Page, how: str, host: str) -> float:
    """Closes the gateway's form in `host` as `how` says; returns when (performance.now())."""
    at: float = await page.evaluate(f"() => {{ {CLOSES[how][0].format(host=host)}; return performance.now(); }}")
    return at


async def submit_popup(page: Page, number: str = VISA) -> None:
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")
    for selector, value in POPUP_FIELDS:
        await page.fill(selector, number if selector == "#rpemvtds_cn" else value)
    await page.click("#rpemvtds_submit")


def assert_cancelled(outcome: dict[str, Any], code: str, step: str, reason: str) -> None:
    error = outcome["error"]
    assert (error["name"], error["typed"], error["cancelledTyped"], error["cancelled"]) == (
        "RobotPaymentCancelled",
        True,
        True,
        True,
    )
    assert (error["code"], error["step"], error["reason"], error["retryable"]) == (code, step, reason, True)


@pytest.mark.parametrize("how", sorted(CLOSES))
async def test_a_popup_closed_without_a_callback_ends_as_cancelled_and_the_next_attempt_pays(
    stack: Stack, page: Page, how: str
) -> None:
    await open_shop(page, stack, closeGrace=CLOSE_GRACE_MS)
    await start_payment(page)
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")
    closed_at = await close_form(page, how, "CARD_INPUT_FORM")
    outcome = await pending(page)

    assert_cancelled(outcome, "CARD_ENTRY_CANCELLED", "card", CLOSES[how][1])
    assert outcome["error"]["message"].startswith("カード情報の入力が完了しませんでした。請求は発生していません。")
    # it waited `closeGrace` for a callback that might still come, then gave up: bounded
    assert CLOSE_GRACE_MS - 50 <= outcome["at"] - closed_at < CLOSE_GRACE_MS + 1500
    assert stack.saleor.calls_of("transactionInitialize") == []
    assert stack.gateway.state.tokens == {}

    # The call has ended: the next one starts afresh, and it alone reaches Saleor.
    await start_payment(page)
    await submit_popup(page)
    again = await pending(page)
    assert again["ok"]["status"] == "charged"
    assert len(stack.saleor.calls_of("transactionInitialize")) == 1


async def test_the_gateway_cancel_answer_is_a_cancellation_too(stack: Stack, page: Page) -> None:
    await open_shop(page, stack, language="en")
    await start_payment(page)
    await page.wait_for_selector("#CARD_INPUT_FORM #rpemvtds_cn")
    await page.click("#rpemvtds_cancel")  # the sandbox popup's own button: CPToken answers CANCEL
    outcome = await pending(page)
    assert_cancelled(outcome, "CARD_ENTRY_CANCELLED", "card", "cancelled")
    assert outcome["error"]["message"] == "The card entry did not finish. Nothing has been charged; please try again."


async def test_a_callback_shortly_after_the_form_closed_is_still_taken(stack: Stack, page: Page) -> None:
    await open_shop(page, stack, closeGrace=3000)
    await settle(page, "rp.initialize({checkoutId: 'Q2hlY2tvdXQ6MQ=='})")
    # A gateway that closes its form first and calls back later (here: one second later).
    await page.evaluate("""() => {
      const cardInfo = CPToken.CardInfo;
      CPToken.CardInfo = (request, callback) =>
        cardInfo(request, (code, message) => setTimeout(() => callback(code, message), 1000));
    }""")
    await start_payment(page)
    await submit_popup(page)
    outcome = await pending(page)
    assert outcome["ok"]["status"] == "charged"
    assert len(stack.saleor.calls_of("transactionInitialize")) == 1


@pytest.mark.parametrize("how", ["emptied", "removed"])
async def test_a_3ds_challenge_closed_mid_way_ends_as_cancelled_and_the_next_attempt_pays(
    stack: Stack, page: Page, how: str
) -> None:
    await open_shop(page, stack, closeGrace=CLOSE_GRACE_MS)
    await start_payment(page)
    await submit_popup(page, THREE_DS_CHALLENGE)
    await page.wait_for_selector("#EMV3DS_INPUT_FORM #rpemvtds_otp")
    await page.fill("#rpemvtds_otp", "12")  # half typed, never verified
    closed_at = await close_form(page, how, "EMV3DS_INPUT_FORM")
    outcome = await pending(page)

    assert_cancelled(outcome, "THREE_DS_CANCELLED", "threeDS", CLOSES[how][1])
    assert outcome["error"]["message"].startswith("本人認証（3Dセキュア）が完了しませんでした。")
    assert CLOSE_GRACE_MS - 50 <= outcome["at"] - closed_at < CLOSE_GRACE_MS + 1500
    assert stack.saleor.calls_of("transactionInitialize") == []
    ((abandoned, record),) = stack.gateway.state.tokens.items()
    assert not record.used  # the token was never spent: nothing was charged
    assert await page.evaluate("document.getElementById('tkn').value") == ""

    await start_payment(page)
    await submit_popup(page, THREE_DS_CHALLENGE)
    await page.wait_for_selector("#EMV3DS_INPUT_FORM #rpemvtds_otp")
    await page.fill("#rpemvtds_otp", CHALLENGE_CODE)
    await page.click("#rpemvtds_otp_submit")
    again = await pending(page)
    assert again["ok"]["status"] == "charged"
    (call,) = stack.saleor.calls_of("transactionInitialize")
    assert call.variables["gateway"]["data"]["tkn"] != abandoned


@pytest.mark.parametrize("step", ["card", "threeDS"])
async def test_the_last_resort_timeout_ends_a_form_nobody_closes(stack: Stack, page: Page, step: str) -> None:
    await open_shop(page, stack, gatewayTimeout=1200, language="en")
    await start_payment(page)
    if step == "card":
        host, field = "CARD_INPUT_FORM", "#rpemvtds_cn"
        await page.wait_for_selector(f"#{host} {field}")
    else:
        host, field = "EMV3DS_INPUT_FORM", "#rpemvtds_otp"
        await submit_popup(page, THREE_DS_CHALLENGE)
        await page.wait_for_selector(f"#{host} {field}")
    outcome = await pending(page)

    code = "CARD_ENTRY_CANCELLED" if step == "card" else "THREE_DS_CANCELLED"
    assert_cancelled(outcome, code, step, "timeout")
    assert outcome["error"]["message"].startswith("This took too long and was stopped. Nothing has been charged")
    # the stale form is taken away: nobody can fill in a step that no longer counts
    assert await page.evaluate(f"document.getElementById('{host}').children.length") == 0
    assert stack.saleor.calls_of("transactionInitialize") == []
    await start_payment(page)
    await submit_popup(page)
    assert (await pending(page))["ok"]["status"] == "charged"


async def test_a_gateway_answer_after_the_timeout_is_ignored(stack: Stack, page: Page) -> None:
    stack.saleor.config = payment_config(stack.saleor.gateway_base, tokenMode="customize", cvv=True)
    release = asyncio.Event()

    async def hold(route: Route) -> None:
        await release.wait()
        await route.continue_()

    await page.route("**/gateway/sandbox/token", hold)  # CPToken.TokenCreate gets no answer for now
    try:
        await open_shop(page, stack, gatewayTimeout=800)
        await settle(page, "rp.initialize({checkoutId: 'Q2hlY2tvdXQ6MQ=='})")
        await page.evaluate("""() => {
          const tokenCreate = CPToken.TokenCreate;
          window.answers = [];
          CPToken.TokenCreate = (request, callback) =>
            tokenCreate(request, (code, message) => { window.answers.push(code); callback(code, message); });
        }""")
        await fill_card(page)
        await start_payment(page, {"card": CARD_SELECTORS})
        outcome = await pending(page)
        assert_cancelled(outcome, "CARD_ENTRY_CANCELLED", "card", "timeout")
        assert await page.input_value("#cn") == VISA  # kept for the next attempt

        release.set()  # the gateway answers now: a token, written into #tkn, and its callback
        await page.wait_for_function("window.answers.length === 1", timeout=5000)
        assert await page.evaluate("window.answers") == ["Success"]
        await page.wait_for_timeout(300)
        (record,) = stack.gateway.state.tokens.values()
        assert record.three_ds is None and not record.used  # no 3-D Secure, no payment followed
        assert await page.evaluate("document.getElementById('tkn').value") == ""
        assert stack.saleor.calls_of("transactionInitialize") == []
    finally:
        release.set()

"""`robotpayment-app demo` as a subprocess: what it prints, a one-touch payment through HTTP only, Ctrl-C.

One demo process serves the module; its teardown stops it with SIGINT and checks that it exits cleanly and
that no token or secret seen during the tests reached its output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from robotpayment_app.demo.provisioning import ConfigurationApi, dashboard_token, sign_in
from tests.demo.demo_process import BANNER_KEYS, DemoProcess
from tests.demo.storefront_client import DemoStorefront, demo_settings

LOOPBACK = r"http://127\.0\.0\.1:(\d+)"
BANNER_FORMS = {
    "storefront": re.compile(rf"^{LOOPBACK}$"),
    "app": re.compile(rf"^{LOOPBACK}$"),
    "saleor": re.compile(rf"^{LOOPBACK}/graphql/$"),
    "gateway": re.compile(rf"^{LOOPBACK}/gateway/$"),
    "shopper": re.compile(r"^[^@\s]+@[^@\s]+ [A-Za-z0-9]{16}$"),
    "staff": re.compile(r"^[^@\s]+@[^@\s]+ [A-Za-z0-9]{16}$"),
    "channel": re.compile(r"^default-channel$"),
}


class RunningDemo:
    def __init__(self, process: DemoProcess, banner: dict[str, str]) -> None:
        self.process = process
        self.banner = banner
        self.secrets: list[str] = []  # values that must never appear in the demo's output

    def storefront(self, http: httpx.AsyncClient) -> DemoStorefront:
        return DemoStorefront(
            http,
            saleor_api_url=self.banner["saleor"],
            gateway_url=self.banner["gateway"],
            storefront_origin=self.banner["storefront"],
            channel=self.banner["channel"],
        )

    def account(self, name: str) -> tuple[str, str]:
        email, password = self.banner[name].split(" ")
        return email, password


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningDemo]:
    folder = tmp_path_factory.mktemp("demo-command")
    process = DemoProcess.start(
        "--port", "0", "--data-dir", str(folder / "data"), "--log-level", "info", stderr_path=folder / "stderr.log"
    )
    try:
        running = RunningDemo(process, process.read_banner())
    except BaseException:
        process.process.kill()
        process.process.wait()
        raise
    yield running

    status = process.interrupt()
    output = "\n".join([*process.lines, *process.remaining_stdout()]) + process.stderr()
    assert status == 0, process.stderr()[-3000:]
    assert "Traceback" not in output, output[-3000:]
    for secret in running.secrets:
        assert secret not in output
    assert (folder / "data" / "demo-app.sqlite3").is_file()


def test_the_banner_names_every_service_and_account_in_the_documented_form(demo: RunningDemo) -> None:
    assert [line.partition(": ")[0] for line in demo.process.lines] == list(BANNER_KEYS)
    for key, form in BANNER_FORMS.items():
        assert form.match(demo.banner[key]), f"{key}: {demo.banner[key]!r}"
    ports = {
        int(match.group(1))
        for key in ("storefront", "app", "saleor", "gateway")
        if (match := BANNER_FORMS[key].match(demo.banner[key]))
    }
    assert len(ports) == 4
    assert demo.account("shopper")[0] != demo.account("staff")[0]

    # printed once everything answers
    with httpx.Client(timeout=10.0) as http:
        shop_page = http.get(demo.banner["storefront"] + "/")
        assert shop_page.status_code == 200 and "text/html" in shop_page.headers["content-type"]
        assert http.get(demo.banner["app"] + "/api/manifest").json()["id"] == "jp.robotpayment.saleor"
        jwks = http.get(demo.banner["saleor"].removesuffix("graphql/") + ".well-known/jwks.json").json()
        assert jwks["keys"][0]["alg"] == "RS256"
        assert http.get(demo.banner["gateway"] + "js/CPToken.js").status_code == 200


async def test_a_shopper_saves_a_card_then_pays_in_one_touch_through_http_only(demo: RunningDemo) -> None:
    async with httpx.AsyncClient(timeout=30.0) as http:
        shop = demo.storefront(http)
        await shop.sign_in(*demo.account("shopper"))
        assert shop.token is not None
        demo.secrets.append(shop.token)
        variant = await shop.first_variant()

        # 1. a new card, saved while paying: CPToken + 3-D Secure at the printed gateway, then the app
        first = await shop.create_checkout(variant)
        config = await shop.gateway_config(first["id"])
        assert config["aid"] == "000000" and config["saveCard"]["allowed"] is True
        browser = shop.browser()
        token = await browser.create_token(config["aid"], "4444333322221111", "3012", "HANAKO", "SUZUKI")
        demo.secrets.append(token)
        assert await browser.authenticate(config["threeDS"]["saveCard"], token) == "Success"
        saved = await shop.initialize_transaction(first["id"], {"tkn": token, "saveCard": True, "md": "10"})
        assert saved["transactionEvent"]["type"] == "CHARGE_SUCCESS"
        assert saved["data"]["error"] is None
        card_id = saved["data"]["savedCard"]["id"]
        first_order = await shop.complete(first["id"])
        assert first_order["chargeStatus"] == "FULL"

        # 2. the card as Saleor lists it to the shopper
        methods = await shop.stored_methods()
        assert [method["id"] for method in methods] == [card_id]
        assert methods[0]["gateway"]["id"] == "jp.robotpayment.saleor"
        assert card_id.startswith("app:jp.robotpayment.saleor:")
        assert methods[0]["name"].endswith("1111")

        # 3. one touch: the saved card's id only, no browser step
        second = await shop.create_checkout(variant, quantity=3)
        total = second["totalPrice"]["gross"]["amount"]
        charged = await shop.pay_in_one_touch(second["id"], card_id)
        assert charged["transactionEvent"]["type"] == "CHARGE_SUCCESS"
        assert charged["transaction"]["chargedAmount"]["amount"] == total
        assert charged["data"]["savedCard"]["id"] == card_id
        order = await shop.complete(second["id"])
        assert order["chargeStatus"] == "FULL"
        assert order["totalCharged"]["amount"] == order["total"]["gross"]["amount"] == total

        # the gateway booked it as a one-touch charge (onetouch.aspx) of the card registered by the first payment
        sandbox_root = demo.banner["gateway"].removesuffix("gateway/")
        payments = {p["gid"]: p for p in (await http.get(sandbox_root + "sandbox/payments")).json()}
        first_payment = payments[int(saved["data"]["gid"])]
        one_touch = payments[int(charged["data"]["gid"])]
        assert one_touch["endpoint"] == "onetouch.aspx"
        assert one_touch["ta"] == total and one_touch["jb"] == "CAPTURE"
        assert (one_touch["uid"], one_touch["num"]) == (first_payment["uid"], first_payment["num"])

        # the kickback URL (it holds the installation's secret) never reaches the output either
        kickback_url = await _kickback_url(http, demo)
        demo.secrets.append(kickback_url.rsplit("/", 1)[1])


async def _kickback_url(http: httpx.AsyncClient, demo: RunningDemo) -> str:
    """Asked the way the dashboard page asks: staff token → the app's dashboard token → configuration API."""
    settings = await demo_settings(http, demo.banner["storefront"])
    staff_token = await sign_in(http, demo.banner["saleor"], *demo.account("staff"))
    app_token = await dashboard_token(http, demo.banner["saleor"], staff_token, settings["appId"])
    demo.secrets.extend([staff_token, app_token])
    return await ConfigurationApi(http, demo.banner["app"], demo.banner["saleor"], app_token).kickback_url()

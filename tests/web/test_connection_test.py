"""testConnection: one harmless gateway call (a customer read that cannot match), explained for the merchant.

Against the harness's in-process sandbox gateway, reached from 127.0.0.1 like a server on its allow-list."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from robotpayment_app.gateway import RobotPaymentClient
from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.web.config_api.connection_test import run_connection_test
from robotpayment_app.web.config_api.types import ConnectionStatus
from tests.support.app_harness import CHANNEL_SLUG, GATEWAY_BASE_URL, SANDBOX_BASE_URL, AppHarness, open_app_harness
from tests.web.dashboard import call_config_api, dashboard_token, graphql_data

TEST = """mutation Test($slug: String, $input: ConnectionInput) {
  testConnection(channelSlug: $slug, input: $input) {
    ok status storeId gatewayBaseUrl errorCode message advice errors { field message }
  }
}"""


async def _test(harness: AppHarness, **variables: Any) -> dict[str, Any]:
    data = await graphql_data(harness, TEST, variables)
    result: dict[str, Any] = data["testConnection"]
    return result


async def test_a_saved_channel_on_the_sandbox_connects(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    result = await _test(app_harness, slug=CHANNEL_SLUG)
    assert result["ok"] is True
    assert result["status"] == "OK"
    assert (result["storeId"], result["gatewayBaseUrl"]) == ("000000", GATEWAY_BASE_URL)
    assert "Connected" in result["message"]
    assert result["errorCode"] == "ER021"  # the sandbox looked for the probe customer: aid and IP passed
    assert result["errors"] == []


async def test_unsaved_input_is_tested_without_saving_it(app_harness: AppHarness) -> None:
    result = await _test(app_harness, input={"storeId": "000000", "gatewayBaseUrl": GATEWAY_BASE_URL})
    assert result["status"] == "OK"
    assert await app_harness.services.store.channels.list_for_installation(app_harness.installation.id) == []


async def test_the_probe_changes_nothing_at_the_gateway(app_harness: AppHarness) -> None:
    await _test(app_harness, input={"storeId": "000000", "gatewayBaseUrl": GATEWAY_BASE_URL})
    assert app_harness.sandbox.state.customers == {}
    assert app_harness.sandbox.state.payments == {}


async def test_an_unknown_store_id_is_explained(app_harness: AppHarness) -> None:
    result = await _test(app_harness, input={"storeId": "999999", "gatewayBaseUrl": GATEWAY_BASE_URL})
    assert result["ok"] is False
    assert result["status"] == "UNKNOWN_STORE"
    assert result["errorCode"] == "ER004"
    assert "999999" in result["message"]
    assert "store id" in result["advice"]


async def test_a_server_ip_missing_from_the_gateways_allow_list_is_explained(database_url: str, tmp_path: Path) -> None:
    config = SandboxConfig(stores=(StoreConfig(store_id="000000"),), allowed_ips=("203.0.113.7",))
    async with open_app_harness(database_url, tmp_path / "data", sandbox_config=config) as harness:
        await harness.configure_channel()
        result = await _test(harness, slug=CHANNEL_SLUG)
    assert result["ok"] is False
    assert result["status"] == "IP_NOT_ALLOWED"
    assert result["errorCode"] == "ER003"
    assert "決済データ送信元IP" in result["advice"]
    assert "egress" in result["advice"]


async def test_an_unreachable_host_is_said_to_be_unreachable(app_harness: AppHarness) -> None:
    with socket.socket() as probe:  # a port nothing listens on: bound, then closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with httpx.AsyncClient() as real_network:
        app_harness.services.gateway_http = real_network
        result = await _test(
            app_harness, input={"storeId": "000000", "gatewayBaseUrl": f"http://127.0.0.1:{port}/gateway/"}
        )
    assert result["status"] == "UNREACHABLE"
    assert result["ok"] is False
    assert f"127.0.0.1:{port}" in result["message"]


async def test_a_page_that_is_not_the_gateway_is_named(app_harness: AppHarness) -> None:
    result = await _test(app_harness, input={"storeId": "000000", "gatewayBaseUrl": SANDBOX_BASE_URL + "/elsewhere/"})
    assert result["status"] == "NOT_A_GATEWAY"
    assert "/gateway/" in result["advice"]


async def test_bad_input_is_refused_before_any_call(app_harness: AppHarness) -> None:
    result = await _test(app_harness, input={"storeId": "12", "gatewayBaseUrl": "gopher://x"})
    assert result["status"] == "INVALID_INPUT"
    assert {error["field"] for error in result["errors"]} == {"storeId", "gatewayBaseUrl"}
    neither = await _test(app_harness)
    assert neither["errors"][0]["field"] == "channelSlug"
    unsaved = await _test(app_harness, slug="never-configured")
    assert unsaved["status"] == "INVALID_INPUT"
    assert "no saved configuration" in unsaved["errors"][0]["message"]


async def test_testing_the_connection_needs_handle_payments(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    token = dashboard_token(app_harness, permissions=())
    response = await call_config_api(app_harness, TEST, {"slug": CHANNEL_SLUG}, token=token)
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def _gateway_answering(text: str) -> RobotPaymentClient:
    """A gateway that answers `text`, with `{uid}` replaced by the customer id asked for."""

    def answer(request: httpx.Request) -> httpx.Response:
        uid = parse_qs(request.content.decode())["uid"][0]
        return httpx.Response(200, text=text.replace("{uid}", uid))

    transport = httpx.MockTransport(answer)
    return RobotPaymentClient(httpx.AsyncClient(transport=transport), base_url="https://gateway.example.jp/gateway/")


@pytest.mark.parametrize(
    ("answer", "status", "in_advice"),
    [
        ("ER:ER565", ConnectionStatus.TOKEN_PAYMENTS_NOT_ENABLED, "トークン決済"),
        ("ER:ER567", ConnectionStatus.TOKEN_PAYMENTS_NOT_ENABLED, "token payments"),
        ("ER:ER998", ConnectionStatus.ACCOUNT_SUSPENDED, "Contact ROBOT PAYMENT"),
        ("ER:ER999", ConnectionStatus.GATEWAY_BUSY, "try again"),
        ("ER:ER069", ConnectionStatus.REFUSED, "ER069"),
        ("<html>maintenance page</html>", ConnectionStatus.NOT_A_GATEWAY, "/gateway/"),
    ],
)
async def test_answers_the_sandbox_does_not_give_are_explained(
    answer: str, status: ConnectionStatus, in_advice: str
) -> None:
    verdict = await run_connection_test(_gateway_answering(answer), "000000")
    assert verdict.status is status
    assert verdict.ok is False
    assert verdict.advice is not None and in_advice.lower() in verdict.advice.lower()


async def test_an_existing_customer_also_proves_the_connection() -> None:
    verdict = await run_connection_test(_gateway_answering("1,,{uid},KEY123,,"), "000000")
    assert verdict.status is ConnectionStatus.OK

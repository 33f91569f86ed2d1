"""The configuration API at POST /graphql: only a verified dashboard user of the installation gets data;
changing needs HANDLE_PAYMENTS; bad values are refused field by field and nothing is saved."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

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
from tests.support.app_harness import APP_BASE_URL, CHANNEL_SLUG, GATEWAY_BASE_URL, AppHarness
from tests.support.fake_saleor import SALEOR_API_URL, SALEOR_DOMAIN
from tests.support.signing import SigningKey
from tests.web.apps import app_settings, running_app
from tests.web.dashboard import call_config_api, dashboard_token, graphql_data

CONFIG_FIELDS = """channelSlug storeId gatewayBaseUrl jobType tokenMode paymentMethods installmentCounts productMode
productCodeMetadataKey productJobType saveCardsAllowed cvvRequired splitTaxAndShipping updatedAt"""

READ_ALL = f"{{ channelConfigurations {{ {CONFIG_FIELDS} }} }}"
READ_ONE = f"query One($slug: String!) {{ channelConfiguration(channelSlug: $slug) {{ {CONFIG_FIELDS} }} }}"
SAVE = f"""mutation Save($slug: String!, $input: ChannelConfigurationInput!) {{
  saveChannelConfiguration(channelSlug: $slug, input: $input) {{
    configuration {{ {CONFIG_FIELDS} }}
    errors {{ field message }}
  }}
}}"""
DELETE = "mutation Delete($slug: String!) { deleteChannelConfiguration(channelSlug: $slug) { deleted } }"
TEST_CONNECTION = """mutation Test($input: ConnectionInput!) {
  testConnection(input: $input) { ok errors { field message } }
}"""

FULL_INPUT: dict[str, Any] = {
    "storeId": "123456",
    "gatewayBaseUrl": "https://gateway.example.jp/gateway",
    "jobType": "CAPTURE",
    "tokenMode": "CUSTOMIZE",
    "paymentMethods": ["LUMP_SUM", "INSTALLMENTS", "REVOLVING"],
    "installmentCounts": [12, 3, 6],
    "productMode": True,
    "productCodeMetadataKey": "rp_item",
    "productJobType": "AUTH",
    "saveCardsAllowed": False,
    "cvvRequired": True,
    "splitTaxAndShipping": True,
}


async def test_reads_the_installations_channel_configurations(app_harness: AppHarness) -> None:
    await app_harness.configure_channel(CHANNEL_SLUG, job_type=JobType.CAPTURE)
    await app_harness.configure_channel("second-channel", token_mode=TokenMode.CUSTOMIZE)
    data = await graphql_data(app_harness, READ_ALL)
    slugs = [config["channelSlug"] for config in data["channelConfigurations"]]
    assert slugs == [CHANNEL_SLUG, "second-channel"]
    first = data["channelConfigurations"][0]
    assert first["storeId"] == "000000"
    assert first["gatewayBaseUrl"] == GATEWAY_BASE_URL
    assert first["jobType"] == "CAPTURE"
    assert first["tokenMode"] == "POPUP"
    assert first["paymentMethods"] == ["LUMP_SUM"]

    one = await graphql_data(app_harness, READ_ONE, {"slug": "second-channel"})
    assert one["channelConfiguration"]["tokenMode"] == "CUSTOMIZE"
    missing = await graphql_data(app_harness, READ_ONE, {"slug": "no-such-channel"})
    assert missing["channelConfiguration"] is None


PROTECTED_QUERIES = {
    "kickback URL": "{ kickbackUrl }",
    "channel settings": READ_ALL,
    "payments": "{ recentPayments(first: 5) { id shopOrderCode saleorTransactionId } }",
    "unresolved payments": "{ unresolvedPayments { payment { id } lookup } }",
    "notifications": "{ recentKickbacks(first: 5) { id } }",
    "save": 'mutation { saveChannelConfiguration(channelSlug: "x", input: {storeId: "123456"}) { errors { field } } }',
    "rotate": "mutation { rotateKickbackUrl { kickbackUrl } }",
}


@pytest.mark.parametrize(
    ("permissions", "claims", "missing"),
    [
        ((), {}, ["MANAGE_APPS", "HANDLE_PAYMENTS"]),
        (("MANAGE_ORDERS", "HANDLE_PAYMENTS"), {}, ["MANAGE_APPS"]),
        (("MANAGE_APPS", "MANAGE_ORDERS"), {}, ["HANDLE_PAYMENTS"]),
        (("MANAGE_ORDERS",), {"is_staff": False}, ["MANAGE_APPS", "HANDLE_PAYMENTS"]),
        # `permissions` is only the intersection with the app's own: it never decides
        (("HANDLE_PAYMENTS",), {"app_permissions": ("MANAGE_APPS", "HANDLE_PAYMENTS")}, ["MANAGE_APPS"]),
    ],
    ids=["no permissions", "no MANAGE_APPS", "no HANDLE_PAYMENTS", "not staff", "permissions claim only"],
)
async def test_a_user_without_manage_apps_and_handle_payments_reads_and_changes_nothing(
    app_harness: AppHarness, permissions: tuple[str, ...], claims: dict[str, Any], missing: list[str]
) -> None:
    await app_harness.configure_channel()
    token = dashboard_token(app_harness, permissions=permissions, **claims)
    for name, query in PROTECTED_QUERIES.items():
        response = await call_config_api(app_harness, query, token=token)
        assert response.status_code == 403, name
        body = response.json()
        assert body["data"] is None
        [error] = body["errors"]
        assert error["extensions"] == {"code": "FORBIDDEN", "permissions": missing}
        assert all(permission in error["message"] for permission in missing)
        assert app_harness.installation.kickback_secret not in response.text and "000000" not in response.text
    stored = await app_harness.services.store.channels.list_for_installation(app_harness.installation.id)
    assert [config.channel_slug for config in stored] == [CHANNEL_SLUG]
    installations = app_harness.services.store.installations
    assert await installations.get_by_kickback_secret(app_harness.installation.kickback_secret)


@pytest.mark.parametrize("token_type", ["access", "refresh", None])
async def test_a_staff_login_token_is_told_that_the_dashboards_app_token_is_needed(
    app_harness: AppHarness, token_type: str | None
) -> None:
    """A staff user's own tokens prove a login, not that the dashboard opened this app for them."""
    token = dashboard_token(app_harness, type=token_type)
    response = await call_config_api(app_harness, "{ kickbackUrl }", token=token)

    assert response.status_code == 401
    message = response.json()["errors"][0]["message"]
    assert "app token the Saleor dashboard hands this app" in message and "another app" not in message
    assert app_harness.installation.kickback_secret not in response.text


async def test_the_viewer_is_the_staff_user_the_token_speaks_for(app_harness: AppHarness) -> None:
    query = "{ viewer { email canChangeConfiguration } installmentCountChoices }"
    data = await graphql_data(app_harness, query)
    assert data["viewer"] == {"email": "staff@example.com", "canChangeConfiguration": True}
    assert data["installmentCountChoices"] == [3, 5, 6, 10, 12, 15, 18, 20, 24]


async def test_save_stores_every_field(app_harness: AppHarness) -> None:
    data = await graphql_data(app_harness, SAVE, {"slug": CHANNEL_SLUG, "input": FULL_INPUT})
    answer = data["saveChannelConfiguration"]
    assert answer["errors"] == []
    assert answer["configuration"]["installmentCounts"] == [3, 6, 12]
    assert answer["configuration"]["gatewayBaseUrl"] == "https://gateway.example.jp/gateway/"

    stored = await app_harness.services.store.channels.get(app_harness.installation.id, CHANNEL_SLUG)
    assert stored is not None
    assert stored.model_dump(include=set(ChannelSettings.model_fields)) == {
        "store_id": "123456",
        "gateway_base_url": "https://gateway.example.jp/gateway/",
        "job_type": JobType.CAPTURE,
        "token_mode": TokenMode.CUSTOMIZE,
        "payment_methods": (
            PaymentMethodCode.LUMP_SUM,
            PaymentMethodCode.INSTALLMENTS,
            PaymentMethodCode.REVOLVING,
        ),
        "installment_counts": (3, 6, 12),
        "product_mode": True,
        "product_code_metadata_key": "rp_item",
        "product_job_type": JobType.AUTH,
        "save_cards_allowed": False,
        "cvv_required": True,
        "split_tax_and_shipping": True,
    }


async def test_save_replaces_the_whole_configuration_with_defaults_for_omitted_fields(
    app_harness: AppHarness,
) -> None:
    await graphql_data(app_harness, SAVE, {"slug": CHANNEL_SLUG, "input": FULL_INPUT})
    data = await graphql_data(app_harness, SAVE, {"slug": CHANNEL_SLUG, "input": {"storeId": "654321"}})
    saved = data["saveChannelConfiguration"]["configuration"]
    defaults = ChannelSettings(store_id="654321")
    assert saved["storeId"] == "654321"
    assert saved["gatewayBaseUrl"] == defaults.gateway_base_url
    assert saved["jobType"] == "AUTH"
    assert saved["paymentMethods"] == ["LUMP_SUM"]
    assert saved["cvvRequired"] is False
    assert saved["saveCardsAllowed"] is True
    stored = await app_harness.services.store.channels.list_for_installation(app_harness.installation.id)
    assert [config.store_id for config in stored] == ["654321"]


async def test_bad_values_are_refused_field_by_field_and_nothing_is_saved(app_harness: AppHarness) -> None:
    bad = {
        "storeId": "12345a",
        "gatewayBaseUrl": "ftp://gateway.example.jp/",
        "paymentMethods": [],
        "installmentCounts": [4, 12],
        "productCodeMetadataKey": "",
    }
    data = await graphql_data(app_harness, SAVE, {"slug": " ", "input": bad})
    answer = data["saveChannelConfiguration"]
    assert answer["configuration"] is None
    errors = {error["field"]: error["message"] for error in answer["errors"]}
    assert set(errors) == {
        "channelSlug",
        "storeId",
        "gatewayBaseUrl",
        "paymentMethods",
        "installmentCounts",
        "productCodeMetadataKey",
    }
    assert "six-digit" in errors["storeId"]
    assert "http(s)" in errors["gatewayBaseUrl"]
    assert "[4]" in errors["installmentCounts"]
    assert await app_harness.services.store.channels.list_for_installation(app_harness.installation.id) == []


SAVE_CONFIRMED = """mutation Save($slug: String!, $input: ChannelConfigurationInput!) {
  saveChannelConfiguration(channelSlug: $slug, input: $input, confirmSharedStore: true) {
    configuration { storeId } errors { field message }
  }
}"""


async def test_a_store_connected_to_another_shop_needs_confirming(app_harness: AppHarness) -> None:
    store = app_harness.services.store
    other = await store.installations.upsert(
        saleor_api_url="https://other-shop.example.com/graphql/",
        domain="other-shop.example.com",
        app_id="QXBwOjk=",
        app_token=SecretStr("other-app-token"),
        jwks=app_harness.saleor.signing_key.jwks(),
    )
    await store.channels.upsert(other.id, "jp", ChannelSettings(store_id="123456"))
    variables = {"slug": CHANNEL_SLUG, "input": {"storeId": "123456"}}

    refused = (await graphql_data(app_harness, SAVE, variables))["saveChannelConfiguration"]
    confirmed = (await graphql_data(app_harness, SAVE_CONFIRMED, variables))["saveChannelConfiguration"]

    [error] = refused["errors"]
    assert error["field"] == "storeId" and refused["configuration"] is None
    assert "https://other-shop.example.com/graphql/ (channel jp)" in error["message"]
    assert "one result notification URL per store" in error["message"]
    assert confirmed == {"configuration": {"storeId": "123456"}, "errors": []}
    saved = await store.channels.get(app_harness.installation.id, CHANNEL_SLUG)
    assert saved is not None and saved.store_id == "123456"


SHOP_CHANNELS = "{ shopChannels { slug name currencyCode transactionFlowStrategy configured problem formerJobType } }"


async def test_the_shops_channels_are_listed_with_currency_and_flow_strategy(app_harness: AppHarness) -> None:
    # configured before the app followed Saleor's strategy: its own AUTH setting now differs from Saleor's CHARGE
    await app_harness.configure_channel(CHANNEL_SLUG, job_type=JobType.AUTH)

    listed = (await graphql_data(app_harness, SHOP_CHANNELS))["shopChannels"]

    assert listed == [
        {
            "slug": "default-channel",
            "name": "Default channel",
            "currencyCode": "JPY",
            "transactionFlowStrategy": "CHARGE",
            "configured": True,
            "problem": None,
            "formerJobType": "AUTH",
        },
        {
            "slug": "second-channel",
            "name": "Second (authorise only)",
            "currencyCode": "JPY",
            "transactionFlowStrategy": "AUTHORIZATION",
            "configured": False,
            "problem": None,
            "formerJobType": None,
        },
        {
            "slug": "us-channel",
            "name": "United States",
            "currencyCode": "USD",
            "transactionFlowStrategy": "CHARGE",
            "configured": False,
            "problem": "its currency is USD: ROBOT PAYMENT takes yen (JPY) only",
            "formerJobType": None,
        },
    ]


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("us-channel", "channel us-channel: its currency is USD: ROBOT PAYMENT takes yen (JPY) only"),
        ("nowhere", "the shop has no channel 'nowhere' (it has: default-channel, second-channel, us-channel)"),
    ],
)
async def test_a_channel_not_in_yen_or_not_in_the_shop_is_refused(
    app_harness: AppHarness, slug: str, message: str
) -> None:
    data = await graphql_data(app_harness, SAVE, {"slug": slug, "input": {"storeId": "123456"}})

    assert data["saveChannelConfiguration"] == {
        "configuration": None,
        "errors": [{"field": "channelSlug", "message": message}],
    }
    assert await app_harness.services.store.channels.get(app_harness.installation.id, slug) is None


async def test_installments_without_counts_are_refused_with_the_other_errors(app_harness: AppHarness) -> None:
    values = {"storeId": "1", "paymentMethods": ["INSTALLMENTS"]}
    data = await graphql_data(app_harness, SAVE, {"slug": CHANNEL_SLUG, "input": values})
    errors = {error["field"]: error["message"] for error in data["saveChannelConfiguration"]["errors"]}
    assert set(errors) == {"storeId", "installmentCounts"}
    assert "INSTALLMENTS" in errors["installmentCounts"]
    assert await app_harness.services.store.channels.get(app_harness.installation.id, CHANNEL_SLUG) is None


async def test_an_unknown_enum_value_is_refused_before_anything_runs(app_harness: AppHarness) -> None:
    response = await call_config_api(
        app_harness, SAVE, {"slug": CHANNEL_SLUG, "input": {"storeId": "123456", "jobType": "SALES"}}
    )
    body = response.json()
    assert body["data"] is None
    assert "jobType" in body["errors"][0]["message"]
    assert await app_harness.services.store.channels.get(app_harness.installation.id, CHANNEL_SLUG) is None


async def test_delete_forgets_the_channel(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    first = await graphql_data(app_harness, DELETE, {"slug": CHANNEL_SLUG})
    assert first["deleteChannelConfiguration"] == {"deleted": True}
    assert await app_harness.services.store.channels.get(app_harness.installation.id, CHANNEL_SLUG) is None
    again = await graphql_data(app_harness, DELETE, {"slug": CHANNEL_SLUG})
    assert again["deleteChannelConfiguration"] == {"deleted": False}


def _expired(harness: AppHarness) -> str:
    return dashboard_token(harness, exp=int(time.time()) - 3600)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("no authorization", "Authorization"),
        ("not bearer", "Authorization"),
        ("garbage token", "not a compact JWT"),
        ("other key, same kid", "signature"),
        ("expired", "expired"),
        ("other app", "another app"),
        ("unsigned", "algorithm"),
        ("no api url", "Saleor-Api-Url"),
        ("unknown installation", "not installed"),
    ],
)
async def test_unauthenticated_callers_get_an_error_and_no_data(
    app_harness: AppHarness, case: str, reason: str
) -> None:
    await app_harness.configure_channel()
    headers = {
        "Saleor-Api-Url": SALEOR_API_URL,
        "Authorization": f"Bearer {dashboard_token(app_harness)}",
    }
    if case == "no authorization":
        del headers["Authorization"]
    elif case == "not bearer":
        headers["Authorization"] = "Basic c3RhZmY6cGFzcw=="
    elif case == "garbage token":
        headers["Authorization"] = "Bearer not-a-jwt"
    elif case == "other key, same kid":
        impostor = SigningKey.generate(app_harness.saleor.signing_key.kid)
        headers["Authorization"] = f"Bearer {dashboard_token(app_harness, signing_key=impostor)}"
    elif case == "expired":
        headers["Authorization"] = f"Bearer {_expired(app_harness)}"
    elif case == "other app":
        headers["Authorization"] = f"Bearer {dashboard_token(app_harness, app='QXBwOjk5')}"
    elif case == "unsigned":
        payload = dashboard_token(app_harness).split(".")[1]
        headers["Authorization"] = f"Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}."
    elif case == "no api url":
        del headers["Saleor-Api-Url"]
    elif case == "unknown installation":
        headers["Saleor-Api-Url"] = "https://other-shop.example.com/graphql/"
    response = await app_harness.client.post("/graphql", json={"query": READ_ALL}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert reason in body["errors"][0]["message"]
    assert "000000" not in response.text


async def test_a_rotated_saleor_key_is_fetched_once_and_kept(app_harness: AppHarness) -> None:
    rotated = SigningKey.generate("rotated-kid")
    app_harness.saleor.signing_key = rotated  # Saleor now publishes (and signs with) the new key
    token = dashboard_token(app_harness, signing_key=rotated)
    for _ in range(2):
        await graphql_data(app_harness, READ_ALL, token=token)
    assert app_harness.saleor.jwks_fetches == 1
    installation = await app_harness.services.store.installations.get(app_harness.installation.id)
    assert installation is not None and installation.jwks == rotated.jwks()


async def test_kickback_url_is_the_installations_secret_route(app_harness: AppHarness) -> None:
    data = await graphql_data(app_harness, "{ kickbackUrl }")
    assert data["kickbackUrl"] == f"{APP_BASE_URL}/api/kickback/{app_harness.installation.kickback_secret}"
    # the gateway reaches the kickback route there (a notification without parameters changes nothing)
    response = await app_harness.client.get(data["kickbackUrl"])
    assert response.status_code == 200 and response.text


UNRESOLVED = """{ unresolvedPayments { overdue inFlight lookup card notifications { id }
  payment { id kind status shopOrderCode saleorTransactionId amount settledBy inConflict } } }"""
RESOLVE = """mutation Resolve($id: Int!, $decision: ResolutionDecision!, $reason: String!, $gid: String) {
  resolvePayment(paymentId: $id, decision: $decision, reason: $reason, gid: $gid) {
    event reportedToSaleor errors { field message }
    payment { id status settledBy pspReference resolution { decision resolvedBy via reason } }
  }
}"""


async def test_an_unknown_payment_is_listed_then_resolved_once_and_saleor_told(app_harness: AppHarness) -> None:
    from tests.flows_payments.claims import unknown_payment
    from tests.flows_payments.support import Transaction

    await app_harness.configure_channel()
    transaction = Transaction()
    entry = await unknown_payment(app_harness, transaction)

    [listed] = (await graphql_data(app_harness, UNRESOLVED))["unresolvedPayments"]
    assert listed["payment"] == {
        "id": entry.id,
        "kind": "PAYMENT",
        "status": "UNKNOWN",
        "shopOrderCode": transaction.token,
        "saleorTransactionId": transaction.id,
        "amount": 3500,
        "settledBy": None,
        "inConflict": False,
    }
    assert (listed["overdue"], listed["inFlight"], listed["notifications"]) == (False, False, [])
    assert transaction.token in listed["lookup"]

    variables = {"id": entry.id, "decision": "CHARGED", "reason": "listed as 成功", "gid": "x1"}
    refused = (await graphql_data(app_harness, RESOLVE, variables))["resolvePayment"]
    assert refused["payment"] is None
    assert refused["errors"] == [
        {"field": "gid", "message": "the gateway's payment number (決済番号): 1 to 20 ASCII digits"}
    ]
    resolved = (await graphql_data(app_harness, RESOLVE, {**variables, "gid": "10000501"}))["resolvePayment"]
    assert (resolved["event"], resolved["reportedToSaleor"], resolved["errors"]) == ("CHARGE_SUCCESS", True, [])
    assert resolved["payment"]["settledBy"] == "STAFF" and resolved["payment"]["pspReference"] == "10000501"
    assert resolved["payment"]["resolution"] == {
        "decision": "CHARGED",
        "resolvedBy": "staff@example.com (VXNlcjox)",
        "via": "dashboard",
        "reason": "listed as 成功",
    }
    [event] = [event["variables"] for event in app_harness.saleor.reported_events]
    assert (event["id"], event["type"], event["pspReference"]) == (transaction.id, "CHARGE_SUCCESS", transaction.token)

    again = (await graphql_data(app_harness, RESOLVE, {**variables, "gid": "10000501"}))["resolvePayment"]
    assert again["errors"][0]["field"] == "paymentId" and "resolved it already" in again["errors"][0]["message"]
    assert (await graphql_data(app_harness, UNRESOLVED))["unresolvedPayments"] == []
    assert len(app_harness.saleor.reported_events) == 1


async def test_rotating_the_kickback_url_refuses_the_old_one(app_harness: AppHarness) -> None:
    from tests.flows_payments.claims import notification, unknown_payment
    from tests.flows_payments.support import Transaction

    await app_harness.configure_channel()
    transaction = Transaction()
    await unknown_payment(app_harness, transaction)
    old_url = (await graphql_data(app_harness, "{ kickbackUrl }"))["kickbackUrl"]

    rotated = (await graphql_data(app_harness, "mutation { rotateKickbackUrl { kickbackUrl message } }"))
    new_url = rotated["rotateKickbackUrl"]["kickbackUrl"]
    assert new_url != old_url and "決済結果通知URL" in rotated["rotateKickbackUrl"]["message"]
    assert (await graphql_data(app_harness, "{ kickbackUrl }"))["kickbackUrl"] == new_url

    query = "&".join(f"{name}={value}" for name, value in notification("10000502", transaction.token).items())
    assert (await app_harness.client.get(f"{old_url}?{query}")).status_code == 200  # answered, ignored
    assert await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id) == []
    assert (await app_harness.client.get(f"{new_url}?{query}")).status_code == 200
    [logged] = await app_harness.services.store.kickbacks.list_recent(app_harness.installation.id)
    assert logged.psp_reference == "10000502"


async def test_recent_payments_newest_first_with_unresolved_ones_flagged(app_harness: AppHarness) -> None:
    ledger = app_harness.services.store.ledger
    installation_id = app_harness.installation.id
    intent = LedgerIntent(kind=LedgerKind.PAYMENT, amount=3500, tax_amount=0, shipping_amount=0, currency="JPY")
    settled = (await ledger.begin(installation_id, "key-1", "f1", intent)).entry
    await ledger.mark_sent(settled.id)
    await ledger.complete(settled.id, status=LedgerStatus.SUCCEEDED, psp_reference="1001", approval_number="A1")
    declined = (await ledger.begin(installation_id, "key-2", "f2", intent)).entry
    await ledger.mark_sent(declined.id)
    await ledger.complete(declined.id, status=LedgerStatus.DECLINED, error_code="G12", psp_reference="1002")
    unknown = (await ledger.begin(installation_id, "key-3", "f3", intent)).entry
    await ledger.mark_sent(unknown.id)
    await ledger.mark_unknown(unknown.id, failure_reason="ReadTimeout")
    await ledger.begin(installation_id, "key-4", "f4", intent.model_copy(update={"kind": LedgerKind.CAPTURE}))

    query = """query Recent($first: Int!) { recentPayments(first: $first) {
        id kind status unresolved pspReference amount currency errorCode failureReason createdAt completedAt } }"""
    data = await graphql_data(app_harness, query, {"first": 10})
    rows = data["recentPayments"]
    assert [(row["kind"], row["status"], row["unresolved"]) for row in rows] == [
        ("CAPTURE", "PENDING", True),
        ("PAYMENT", "UNKNOWN", True),
        ("PAYMENT", "DECLINED", False),
        ("PAYMENT", "SUCCEEDED", False),
    ]
    assert rows[2]["errorCode"] == "G12"
    assert rows[3]["pspReference"] == "1001"
    assert rows[3]["amount"] == 3500
    assert rows[1]["failureReason"] == "ReadTimeout"
    assert rows[0]["completedAt"] is None

    two = await graphql_data(app_harness, query, {"first": 2})
    assert [row["id"] for row in two["recentPayments"]] == [row["id"] for row in rows[:2]]


@pytest.mark.parametrize("first", [0, 101, -1])
async def test_list_length_out_of_range_is_refused(app_harness: AppHarness, first: int) -> None:
    response = await call_config_api(app_harness, "query($n: Int!) { recentPayments(first: $n) { id } }", {"n": first})
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "first"}
    assert "between 1 and 100" in body["errors"][0]["message"]


async def test_recent_kickbacks_show_time_gid_result_and_match(app_harness: AppHarness) -> None:
    log = app_harness.services.store.kickbacks
    installation_id = app_harness.installation.id
    matched = await log.record(
        installation_id, KickbackNotice(psp_reference="2001", result="1", amount=1000, fingerprint="1" * 64)
    )
    await log.finish(
        matched.notification.id,
        state=NotificationState.CONFIRMED,
        matched=True,
        payment_id=None,
        outcome="reported CHARGE_SUCCESS",
    )
    await log.record(
        installation_id, KickbackNotice(psp_reference="2002", result="2", error_code="ER900", fingerprint="2" * 64)
    )
    data = await graphql_data(
        app_harness,
        "{ recentKickbacks(first: 5) { receivedAt pspReference result errorCode matched state outcome processedAt } }",
    )
    rows = data["recentKickbacks"]
    assert [(row["pspReference"], row["result"], row["matched"], row["state"]) for row in rows] == [
        ("2002", "2", False, "RECEIVED"),
        ("2001", "1", True, "CONFIRMED"),
    ]
    assert rows[0]["errorCode"] == "ER900"
    assert rows[0]["processedAt"] is None
    assert rows[1]["outcome"] == "reported CHARGE_SUCCESS"
    assert rows[1]["receivedAt"]


async def test_malformed_requests_are_refused_with_400(app_harness: AppHarness) -> None:
    headers = {
        "Saleor-Api-Url": SALEOR_API_URL,
        "Authorization": f"Bearer {dashboard_token(app_harness)}",
    }
    for body in (b"not json", b"[]", b'{"query": 3}', b'{"query": "{ kickbackUrl }", "variables": [1]}'):
        response = await app_harness.client.post("/graphql", content=body, headers=headers)
        assert response.status_code == 400, body
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    oversized = b'{"query": "' + b" " * 70_000 + b'{ kickbackUrl }"}'
    response = await app_harness.client.post("/graphql", content=oversized, headers=headers)
    assert response.status_code == 413


class _BrokenChannels:
    """Stands in for the channel repository when the database fails."""

    async def list_for_installation(self, installation_id: int) -> list[Any]:
        raise RuntimeError("database password=hunter2 rejected")


async def test_an_internal_failure_is_masked_and_names_nothing_internal(app_harness: AppHarness) -> None:
    services = app_harness.services
    services.store = dataclasses.replace(services.store, channels=_BrokenChannels())  # type: ignore[arg-type]
    response = await call_config_api(app_harness, READ_ALL)
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "INTERNAL_ERROR"}
    assert "hunter2" not in response.text


async def test_no_answer_carries_the_app_token(app_harness: AppHarness) -> None:
    await app_harness.configure_channel()
    texts = [
        (await call_config_api(app_harness, READ_ALL)).text,
        (await call_config_api(app_harness, "{ kickbackUrl recentPayments { id } }")).text,
        (await call_config_api(app_harness, READ_ALL, token="x.y.z")).text,
    ]
    assert all(app_harness.saleor.app_token not in text for text in texts)


async def test_graphiql_is_served_in_development(app_harness: AppHarness) -> None:
    response = await app_harness.client.get("/graphql")
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


# what a stand-in DNS answers in the production test (no network here): the official host and the operator's
# proxy resolve to public addresses, the rest to what an attacker would aim at
DNS = {
    "credit.j-payment.co.jp": ["1.1.1.1"],
    "egress.shop.example": ["8.8.8.8"],
    "sneaky.shop.example": ["169.254.169.254"],
    "127.1": ["127.0.0.1"],
    "0x7f000001": ["127.0.0.1"],
    "localhost.": ["127.0.0.1"],
}


async def _stand_in_dns(host: str) -> list[str]:
    if host not in DNS:
        raise OSError(f"{host}: name or service not known")
    return DNS[host]


def _production_token(saleor: Any) -> dict[str, str]:
    token = saleor.signing_key.sign_jwt(
        {
            "app": saleor.app_id,
            "type": "thirdparty",
            "email": "staff@example.com",
            "user_permissions": ["MANAGE_APPS", "HANDLE_PAYMENTS"],
            "exp": int(time.time()) + 60,
        }
    )
    return {"Saleor-Api-Url": SALEOR_API_URL, "Authorization": f"Bearer {token}"}


async def test_production_serves_no_graphiql_and_only_the_gateway_or_listed_hosts_on_public_addresses(
    database_url: str, tmp_path: Path
) -> None:
    settings = app_settings(
        database_url,
        tmp_path / "data",
        environment="production",
        saleor_api_url_allowlist=SALEOR_API_URL,
        gateway_hosts="egress.shop.example, sneaky.shop.example",
    )
    async with running_app(settings) as (client, services, saleor):
        services.resolve_host = _stand_in_dns
        assert (await client.get("/graphql")).status_code == 404
        registered = await client.post(
            "/api/register",
            json={"auth_token": saleor.app_token},
            headers={"Saleor-Api-Url": SALEOR_API_URL, "Saleor-Domain": SALEOR_DOMAIN},
        )
        assert registered.json() == {"success": True}
        headers = _production_token(saleor)
        refusals = {}
        official = "must be https://credit.j-payment.co.jp/gateway/ or a host in ROBOTPAYMENT_APP_GATEWAY_HOSTS "
        official += "(egress.shop.example, sneaky.shop.example) in production"
        expected = {
            "http://credit.j-payment.co.jp/gateway/": "must be an https:// URL in production",
            "https://10.0.0.5/gateway/": official,
            "https://localhost/gateway/": official,
            "https://localhost./gateway/": official,
            "https://127.1/gateway/": official,
            "https://0x7f000001/gateway/": official,
            "https://169.254.169.254/latest/": official,
            "https://[::1]/gateway/": official,
            "https://evil.example/gateway/": official,
            "https://credit.j-payment.co.jp:8443/gateway/": "must use the standard HTTPS port 443 in production",
            "https://user:pw@credit.j-payment.co.jp/gateway/": "must not carry a user name or password",
            "https://credit.j-payment.co.jp/other/": "must be https://credit.j-payment.co.jp/gateway/ (the gateway's "
            "folder) in production",
            "https://sneaky.shop.example/gateway/": "sneaky.shop.example resolves to 169.254.169.254: a loopback, "
            "private, link-local or otherwise non-public address, which is refused in production",
        }
        for url in expected:
            variables = {"slug": CHANNEL_SLUG, "input": {"storeId": "123456", "gatewayBaseUrl": url}}
            response = await client.post("/graphql", json={"query": SAVE, "variables": variables}, headers=headers)
            [error] = response.json()["data"]["saveChannelConfiguration"]["errors"]
            refusals[url] = error["message"]
            assert error["field"] == "gatewayBaseUrl"
            # the connection test refuses the same URL before calling anything
            tested = await client.post(
                "/graphql",
                json={"query": TEST_CONNECTION, "variables": {"input": {"storeId": "123456", "gatewayBaseUrl": url}}},
                headers=headers,
            )
            assert tested.json()["data"]["testConnection"]["errors"][0]["message"] == expected[url]
        assert refusals == expected
        assert await services.store.channels.list_for_installation(
            (await services.store.installations.list_all())[0].id
        ) == []
        for url in ("https://credit.j-payment.co.jp/gateway/", "https://egress.shop.example/robotpayment/"):
            variables = {"slug": CHANNEL_SLUG, "input": {"storeId": "123456", "gatewayBaseUrl": url}}
            response = await client.post("/graphql", json={"query": SAVE, "variables": variables}, headers=headers)
            assert response.json()["data"]["saveChannelConfiguration"]["errors"] == [], url

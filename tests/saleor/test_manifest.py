from __future__ import annotations

import json
from pathlib import Path

import pytest

from robotpayment_app import __version__
from robotpayment_app.saleor.documents import GraphQLDocuments
from robotpayment_app.saleor.manifest import (
    APP_IDENTIFIER,
    InvalidPublicUrl,
    build_manifest,
    normalize_public_url,
)
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent, webhook_for_event_header

from .support import CAPTURED_DIR

REQUIRED_KEYS = {
    "id",
    "name",
    "version",
    "about",
    "permissions",
    "appUrl",
    "tokenTargetUrl",
    "requiredSaleorVersion",
    "author",
    "brand",
    "dataPrivacyUrl",
    "homepageUrl",
    "supportUrl",
    "webhooks",
}


def test_manifest_has_every_field_saleor_reads() -> None:
    manifest = build_manifest("https://pay.example.com")
    assert manifest.keys() >= REQUIRED_KEYS
    assert manifest["id"] == APP_IDENTIFIER == "jp.robotpayment.saleor"
    assert manifest["version"] == __version__
    assert manifest["permissions"] == ["HANDLE_PAYMENTS", "MANAGE_USERS"]
    assert manifest["appUrl"] == "https://pay.example.com/dashboard"
    assert manifest["tokenTargetUrl"] == "https://pay.example.com/api/register"
    assert manifest["brand"]["logo"]["default"].startswith("https://pay.example.com/")
    assert manifest["requiredSaleorVersion"].startswith(">=3.")
    json.dumps(manifest)  # JSON-ready as served


@pytest.mark.parametrize("public_url", ["https://pay.example.com/app/", "https://pay.example.com/app"])
def test_webhook_targets_are_exact_routes_without_trailing_slash(public_url: str) -> None:
    manifest = build_manifest(public_url)
    targets = [webhook["targetUrl"] for webhook in manifest["webhooks"]]
    assert targets[0] == "https://pay.example.com/app/api/webhooks/payment_gateway_initialize_session"
    assert all(not target.endswith("/") and "//api" not in target for target in targets)
    assert {t.rsplit("/", 1)[1] for t in targets} == {event.value.lower() for event in SaleorEvent}


def test_one_webhook_per_event_with_its_document_and_kind() -> None:
    documents = GraphQLDocuments()
    manifest = build_manifest("http://127.0.0.1:8000", documents=documents)
    assert len(manifest["webhooks"]) == len(WEBHOOKS)
    for webhook, hook in zip(manifest["webhooks"], WEBHOOKS, strict=True):
        key = "syncEvents" if hook.is_sync else "asyncEvents"
        other = "asyncEvents" if hook.is_sync else "syncEvents"
        assert webhook[key] == [hook.event.value] and other not in webhook
        assert webhook["query"] == documents.load(hook.document)
        assert webhook["isActive"] is True
        assert webhook["targetUrl"] == "http://127.0.0.1:8000" + hook.path
    async_events = {w["asyncEvents"][0] for w in manifest["webhooks"] if "asyncEvents" in w}
    assert async_events == {"CUSTOMER_UPDATED", "CUSTOMER_DELETED", "APP_DELETED"}


def test_manifest_keeps_the_field_names_of_a_manifest_saleor_accepted() -> None:
    accepted = json.loads((CAPTURED_DIR / "app_manifest.json").read_text())
    ours = build_manifest("http://127.0.0.1:8002")
    assert set(accepted) <= set(ours)
    assert {key for w in accepted["webhooks"] for key in w} - {"syncEvents", "asyncEvents"} <= {
        key for w in ours["webhooks"] for key in w
    }


def test_overrides_for_identity_links_and_document_folder(tmp_path: Path) -> None:
    (tmp_path / "subscriptions").mkdir()
    for hook in WEBHOOKS:
        (tmp_path / hook.document).write_text("subscription S { event { ... on X { version } } }")
    manifest = build_manifest(
        "https://pay.example.com",
        app_id="jp.example.test",
        version="9.9.9",
        documents=GraphQLDocuments(tmp_path),
        support_url="https://help.example.com/",
    )
    assert manifest["id"] == "jp.example.test" and manifest["version"] == "9.9.9"
    assert manifest["supportUrl"] == "https://help.example.com/"
    assert manifest["webhooks"][0]["query"].startswith("subscription S")


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("pay.example.com", "absolute"),
        ("ftp://pay.example.com", "absolute"),
        ("https://pay.example.com/?x=1", "query"),
        ("https://user:pw@pay.example.com", "credentials"),
    ],
)
def test_bad_public_url_is_a_typed_error_naming_the_field(url: str, rule: str) -> None:
    with pytest.raises(InvalidPublicUrl, match=f"public_url: .*{rule}"):
        build_manifest(url)


def test_normalize_public_url() -> None:
    assert normalize_public_url(" https://pay.example.com:8443/x/ ") == "https://pay.example.com:8443/x"


def test_event_header_lookup() -> None:
    hook = webhook_for_event_header("Transaction_Initialize_Session")
    assert hook is not None and hook.event is SaleorEvent.TRANSACTION_INITIALIZE_SESSION
    assert hook.path == "/api/webhooks/transaction_initialize_session"
    assert webhook_for_event_header("checkout_fully_paid") is None

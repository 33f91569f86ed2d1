"""Real Saleor 3.24 deliveries of the saved-card events (recorded with other subscription documents, so with
other fields and another app's ids), re-signed for this installation: each gets a valid, sensible answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from tests.flows_cards.support import assert_valid_answer, recording_gateway_calls
from tests.saleor.support import captured_deliveries
from tests.support.app_harness import AppHarness

CASES = [
    ("list_stored_payment_methods.json", {"paymentMethods": []}),
    ("stored_payment_method_delete_requested.json", {"result": "FAILED_TO_DELETE"}),
    ("payment_gateway_initialize_tokenization_session.json", {"result": "SUCCESSFULLY_INITIALIZED"}),
    # their storefront sent {"cardToken": …}: not our contract, refused naming the field
    ("payment_method_initialize_tokenization_session.json", {"result": "FAILED_TO_TOKENIZE"}),
    # "sess-1" is not a session of ours
    ("payment_method_process_tokenization_session.json", {"result": "FAILED_TO_TOKENIZE"}),
    ("customer_updated.json", {}),
    ("customer_deleted.json", {}),
]


@pytest.mark.parametrize(("name", "expected"), CASES, ids=[name for name, _ in CASES])
async def test_captured_delivery(app_harness: AppHarness, name: str, expected: dict[str, Any]) -> None:
    delivery = captured_deliveries()[name]
    body = json.loads(delivery["raw_body"])
    body["recipient"] = {"id": app_harness.saleor.app_id}
    await app_harness.configure_channel(body.get("channel", {}).get("slug", "channel-jpy"))
    event = SaleorEvent(delivery["event"])
    with recording_gateway_calls() as gateway:
        response = await app_harness.deliver(event, body)
    assert response.status_code == 200
    answer = response.json()
    assert_valid_answer(event, answer)
    assert {key: answer[key] for key in expected} == expected
    if name.startswith("payment_method_initialize"):
        assert "(cardToken: unknown field" in answer["error"]
    if name.startswith("payment_gateway_initialize"):
        assert gateway.commands() == ["carduser.aspx:0"]  # Hanako's gateway customer
    else:
        assert gateway.calls == []

"""The gateway customer's key and the card tokens never leave the app: not in answers, not in logs (messages or
extra fields, at any level), not in what the app sends Saleor."""

from __future__ import annotations

import json
import logging

import pytest

from robotpayment_app.saleor.webhooks import SaleorEvent
from tests.flows_cards.support import MASTERCARD, THREE_DS_FAILS, VISA, CardOwner
from tests.support.app_harness import AppHarness

USER_ID = "VXNlcjo0OQ=="


async def test_keys_and_tokens_stay_secret(app_harness: AppHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, USER_ID, "hanako@example.com")
    answers = [await owner.open_save_card_page()]
    tokens = [await owner.card_token(VISA)]
    answers.append(await owner.tokenize({"tkn": tokens[-1]}))
    card_id = answers[-1]["id"]
    tokens.append(await owner.card_token(MASTERCARD))
    answers.append(await owner.tokenize({"tkn": tokens[-1], "replaces": card_id}))
    tokens.append(await owner.card_token(THREE_DS_FAILS))
    answers.append(await owner.tokenize({"tkn": tokens[-1]}))  # refused: the token is in a failing request
    answers.append({"paymentMethods": await owner.list_cards()})
    answers.append(await owner.delete_card(card_id))
    (gateway_customer,) = app_harness.sandbox.customers()
    key = gateway_customer.key
    stored = repr(await app_harness.services.store.customers.list_for_installation(app_harness.installation.id))
    assert "Customer(" in stored
    response = await app_harness.deliver(
        SaleorEvent.CUSTOMER_DELETED,
        {"version": "3.24.0-a.0", "recipient": {"id": app_harness.saleor.app_id}, "user": owner.user()},
    )
    assert response.status_code == 200

    secrets = [key, *tokens]
    assert len(key) == 10 and all(len(token) > 10 for token in tokens)
    logged = caplog.text + "\n".join(str(record.__dict__) for record in caplog.records)  # extra fields too
    sent_to_saleor = json.dumps(app_harness.saleor.graphql_calls)
    for secret in secrets:
        assert secret not in json.dumps(answers)
        assert secret not in logged
        assert secret not in sent_to_saleor
        assert secret not in stored
    assert any("gateway call carduser_token.aspx" in record.getMessage() for record in caplog.records)

"""No token, user key, app token or kickback secret in the app's logs or answers, through a whole saved-card
life: bulk registration, its kickback (which carries the user key), a one-touch charge."""

from __future__ import annotations

import json
import logging

import pytest

from robotpayment_app.flows.customers import gateway_customer_id_for
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.flows_payments.support import (
    USER_ID,
    Checkout,
    Transaction,
    authenticated_token,
    deliver,
    gateway_config,
    initialize_payload,
)
from tests.support.app_harness import AppHarness
from tests.support.fake_saleor import APP_TOKEN


async def test_secrets_stay_out_of_logs_and_answers(
    notifying_gateway: AppHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """With a gateway that notifies after rt=1 calls too, so that the bulk registration's notification (which
    carries the user key) is processed as well."""
    app_harness = notifying_gateway
    caplog.set_level(logging.DEBUG)
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    checkout = Checkout()
    config = await gateway_config(app_harness, checkout)
    token = await authenticated_token(app_harness, config["threeDS"]["saveCard"])

    saved = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_INITIALIZE_SESSION,
        initialize_payload(Transaction(), {"tkn": token, "saveCard": True}, checkout),
    )
    await app_harness.sandbox.kickbacks.wait_idle()
    charged = await deliver(
        app_harness,
        SaleorEvent.TRANSACTION_INITIALIZE_SESSION,
        initialize_payload(Transaction(), {"paymentMethodId": saved["data"]["savedCard"]["id"]}, checkout),
    )
    await app_harness.sandbox.kickbacks.wait_idle()
    app_harness.pass_time(61)
    await app_harness.run_watch()

    customer = app_harness.sandbox.customer(gateway_customer_id_for(app_harness.installation, USER_ID))
    assert customer is not None and charged["result"] == "CHARGE_SUCCESS"
    assert [delivery.state.value for delivery in app_harness.sandbox.kickbacks.deliveries] == ["delivered"] * 2
    secrets = {
        "token": token,
        "user key": customer.key,
        "app token": APP_TOKEN,
        "kickback secret": app_harness.installation.kickback_secret,
    }
    app_records = [
        record
        for record in caplog.records
        if record.name.startswith("robotpayment_app") and not record.name.startswith("robotpayment_app.sandbox")
    ]
    assert app_records  # the flows did log
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in app_records)
    answers = json.dumps([saved, charged])
    for name, secret in secrets.items():
        assert secret not in logged, name
        assert secret not in answers, name

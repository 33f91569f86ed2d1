"""Structured logs: one JSON object per line, a request id that follows the request (from `X-Request-Id` or
made up, echoed in the answer, seen by the use case), the Saleor event and pspReference on the summary line,
the level from ROBOTPAYMENT_APP_LOG_LEVEL, and no secret in a kickback's line."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from typing import Any

import pytest

from robotpayment_app.flows.registry import HANDLERS
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.store.records import JobType
from robotpayment_app.web.app import create_app_from_environment
from tests.flows_payments.support import (
    Checkout,
    Transaction,
    authenticated_token,
    gateway_config,
    initialize_payload,
    validate_answer,
)
from tests.operations.support import json_logs
from tests.support.app_harness import AppHarness, as_delivered, open_app_harness

INITIALIZE = SaleorEvent.TRANSACTION_INITIALIZE_SESSION
INITIALIZE_PATH = next(hook.path for hook in WEBHOOKS if hook.event is INITIALIZE)
REQUIRED = {"time", "level", "logger", "message"}


async def _signed_initialize(harness: AppHarness, headers: dict[str, str]) -> tuple[dict[str, Any], str]:
    """A guest's token payment, posted with extra headers; the answer and the response's X-Request-Id."""
    checkout = Checkout(user_id=None)
    config = await gateway_config(harness, checkout)
    token = await authenticated_token(harness, config["threeDS"]["payment"])
    body = json.dumps(as_delivered(INITIALIZE, initialize_payload(Transaction(), {"tkn": token}, checkout))).encode()
    response = await harness.client.post(
        INITIALIZE_PATH, content=body, headers={**harness.signed_headers(INITIALIZE, body), **headers}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    validate_answer(INITIALIZE, answer)
    return answer, response.headers["x-request-id"]


async def test_lines_are_json_and_carry_the_callers_request_id_event_and_psp_reference(
    app_harness: AppHarness,
) -> None:
    await app_harness.configure_channel(job_type=JobType.CAPTURE)
    with json_logs("DEBUG") as log:
        answer, echoed = await _signed_initialize(app_harness, {"X-Request-Id": "saleor-req.42:a"})

    lines = log.lines()
    assert all(line.keys() >= REQUIRED for line in lines)
    assert echoed == "saleor-req.42:a"
    mine = [line for line in lines if line.get("request_id") == echoed]
    # the use case's own line carries the id and the event without being told
    assert any(line["logger"] == "robotpayment_app.flows.transaction_initialize" for line in mine)
    assert all(line["event"] == INITIALIZE.value for line in mine)
    [summary] = [line for line in mine if line["message"] == "request finished"]
    assert summary["status"] == 200 and summary["path"] == INITIALIZE_PATH and summary["method"] == "POST"
    assert summary["result"] == answer["result"] == "CHARGE_SUCCESS"
    assert summary["psp_reference"] == answer["pspReference"]
    assert isinstance(summary["duration_ms"], float) and summary["duration_ms"] > 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", summary["time"])


@pytest.mark.parametrize("incoming", [None, "has space", "x" * 129, "new\\nline"])
async def test_a_missing_or_unsafe_request_id_is_replaced_and_the_use_case_sees_the_same_one(
    database_url: str, tmp_path: Any, incoming: str | None
) -> None:
    seen: list[str] = []

    async def record_request_id(context: Any, payload: Any) -> dict[str, Any]:
        seen.append(context.request_id)
        return {"paymentMethods": []}

    handlers = {**HANDLERS, SaleorEvent.LIST_STORED_PAYMENT_METHODS: record_request_id}
    async with open_app_harness(database_url, tmp_path / "data", handlers=handlers) as harness:
        list_event = SaleorEvent.LIST_STORED_PAYMENT_METHODS
        body = json.dumps(as_delivered(list_event, {"recipient": {"id": harness.saleor.app_id}})).encode()
        headers = harness.signed_headers(SaleorEvent.LIST_STORED_PAYMENT_METHODS, body)
        if incoming is not None:
            headers["X-Request-Id"] = incoming
        response = await harness.client.post("/api/webhooks/list_stored_payment_methods", content=body, headers=headers)

    assert response.status_code == 200
    generated = response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert seen == [generated]


async def test_kickback_line_names_the_payment_but_not_the_secret_or_the_query(app_harness: AppHarness) -> None:
    secret = app_harness.installation.kickback_secret
    with json_logs("DEBUG") as log:
        answer = await app_harness.client.get(
            f"/api/kickback/{secret}", params={"gid": "987654", "rst": "1", "key": "USERKEYzz99", "cod": "x"}
        )

    assert answer.status_code == 200 and answer.text
    assert secret not in log.text() and "USERKEYzz99" not in log.text()
    [summary] = [line for line in log.lines() if line["message"] == "request finished"]
    assert summary["path"] == "/api/kickback/{secret}"
    assert summary["psp_reference"] == "987654"


async def test_refused_delivery_is_logged_with_its_status(app_harness: AppHarness) -> None:
    body = b'{"recipient": {"id": "QXBwOjQ="}}'
    headers = {**app_harness.signed_headers(INITIALIZE, body), "Saleor-Signature": "forged..signature"}
    with json_logs("INFO") as log:
        response = await app_harness.client.post(INITIALIZE_PATH, content=body, headers=headers)

    assert response.status_code == 401
    lines = log.lines()
    refused = [line for line in lines if line["message"] == "webhook refused"]
    assert refused and refused[0]["status"] == 401 and refused[0]["level"] == "WARNING"
    [summary] = [line for line in lines if line["message"] == "request finished"]
    assert (summary["status"], summary["result"], summary["event"]) == (401, "refused", INITIALIZE.value)


def test_the_level_comes_from_the_environment_and_uvicorns_access_log_is_off(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("ROBOTPAYMENT_APP_LOG_LEVEL", "warning")
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATA_DIR", str(tmp_path))
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    with json_logs("INFO"):  # only to restore the process's logging afterwards
        create_app_from_environment()
        logger = logging.getLogger("robotpayment_app.operations_test")
        logger.info("not shown at WARNING")
        logger.warning("shown", extra={"psp_reference": "123"})
        access_disabled = logging.getLogger("uvicorn.access").disabled
        sql_level = logging.getLogger("sqlalchemy").level

    [line] = [json.loads(text) for text in stderr.getvalue().splitlines()]
    assert (line["level"], line["message"], line["psp_reference"]) == ("WARNING", "shown", "123")
    assert access_disabled
    assert sql_level >= logging.WARNING  # SQL parameters never reach the log, whatever the level


def test_exceptions_are_kept_on_their_line() -> None:
    with json_logs("INFO") as log:
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("robotpayment_app.operations_test").exception("failed")

    [line] = log.lines()
    assert line["level"] == "ERROR" and "ValueError: boom" in line["exception"]

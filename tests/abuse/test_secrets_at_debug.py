"""No gateway user key, card token, Saleor app token, kickback secret or encryption key in anything the app
writes or answers, with logging at DEBUG through the app's own JSON log set-up, across a representative run:
new-card, save-card and one-touch payments, a lost answer settled by its kickback (which carries the user key),
a decline, a busy gateway, a refund, saving, listing and deleting cards, a deleted customer, a forged webhook and
a kickback to a wrong secret. Every log line (exceptions included) and every answer (status, headers, body) is
searched.

(tests/flows_payments/test_secrets.py and tests/flows_cards/test_secrets.py check their flows' records at the
logging-record level; this one checks the formatted output the operator actually gets, for all of them.)
"""

from __future__ import annotations

import json

import httpx

from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.store.records import JobType
from tests.faults.conftest import ServedGateway
from tests.flows_cards.support import CardOwner
from tests.flows_payments.support import (
    USER_ID,
    Checkout,
    Transaction,
    action_payload,
    authenticated_token,
    gateway_config,
    initialize_payload,
    pay_with_new_card,
)
from tests.operations.support import json_logs
from tests.support.fake_saleor import APP_TOKEN

EMAIL = "hanako.suzuki@example.com"
DECLINED_CARD = "4000000000000044"
DROPPED_AFTER_CHARGING = "4000000000000978"


class AnswerLog(httpx.AsyncBaseTransport):
    """Keeps every answer the app gives (status, headers, body), in front of the test client's transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.answers: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        self.answers.append(f"{response.status_code} {dict(response.headers)} {body.decode(errors='replace')}")
        return httpx.Response(response.status_code, headers=response.headers, content=body)


async def test_no_secret_in_any_log_line_or_answer_at_debug(served_gateway: ServedGateway) -> None:
    app_harness = served_gateway.harness
    answers = AnswerLog(app_harness.client._transport)
    app_harness.client._transport = answers
    keys_seen: set[str] = set()

    def remember_keys() -> None:
        keys_seen.update(customer.key for customer in app_harness.sandbox.customers())

    with json_logs("DEBUG") as log:
        await served_gateway.configure_channel(job_type=JobType.CAPTURE)
        guest_transaction = Transaction()
        guest = await pay_with_new_card(app_harness, Checkout(user_id=None), guest_transaction)
        saved = await pay_with_new_card(app_harness, Checkout(), Transaction(), save_card=True)
        await app_harness.sandbox.kickbacks.wait_idle()
        one_touch = await app_harness.deliver(
            SaleorEvent.TRANSACTION_INITIALIZE_SESSION,
            initialize_payload(Transaction(), {"paymentMethodId": saved["data"]["savedCard"]["id"]}, Checkout()),
        )
        lost = await pay_with_new_card(app_harness, Checkout(user_id=None), Transaction(), card=DROPPED_AFTER_CHARGING)
        declined = await pay_with_new_card(app_harness, Checkout(user_id=None), Transaction(), card=DECLINED_CARD)
        await app_harness.sandbox_http.post("/sandbox/faults", json={"endpoint": "gateway_token.aspx", "mode": "busy"})
        busy = await pay_with_new_card(app_harness, Checkout(user_id=None), Transaction())
        refund = await app_harness.deliver(
            SaleorEvent.TRANSACTION_REFUND_REQUESTED,
            action_payload(guest_transaction.id, guest["pspReference"], "REFUND", 3500.0, charged=3500.0),
        )
        owner = CardOwner(app_harness, "VXNlcjo3Nw==", "jiro.sato@example.com")
        card = await owner.save_card()
        await owner.list_cards()
        remember_keys()
        await owner.delete_card(card["id"])
        await app_harness.deliver(
            SaleorEvent.CUSTOMER_DELETED,
            {"recipient": {"id": app_harness.saleor.app_id}, "user": {"id": USER_ID, "email": EMAIL}},
        )
        checkout = Checkout(user_id=None)
        config = await gateway_config(app_harness, checkout)
        unsent_token = await authenticated_token(app_harness, config["threeDS"]["payment"])
        forged_body = json.dumps(initialize_payload(Transaction(), {"tkn": unsent_token}, checkout)).encode()
        forged = await app_harness.client.post(
            "/api/webhooks/transaction_initialize_session",
            content=forged_body,
            headers={
                **app_harness.signed_headers(SaleorEvent.TRANSACTION_INITIALIZE_SESSION, b"{}"),
                "X-Request-Id": "forged-1",
            },
        )
        wrong_secret = await app_harness.client.get("/api/kickback/guessed?gid=1&rst=1&key=ABCDEF0123")
        await app_harness.sandbox.kickbacks.wait_idle()
        remember_keys()

    # the run did what it claims (so that the search below searched something)
    assert (guest["result"], saved["result"], one_touch.json()["result"]) == ("CHARGE_SUCCESS",) * 3
    assert (lost["result"], declined["result"], busy["result"]) == (
        "CHARGE_REQUEST",
        "CHARGE_FAILURE",
        "CHARGE_FAILURE",
    )
    assert refund.json()["result"] == "REFUND_SUCCESS" and card["result"] == "SUCCESSFULLY_TOKENIZED"
    assert (forged.status_code, wrong_secret.status_code) == (401, 200)
    lines = log.lines()
    assert any(line["level"] == "DEBUG" and line["logger"] == "robotpayment_app.gateway.client" for line in lines)
    assert any("exception" in line or line["level"] in ("WARNING", "ERROR") for line in lines)
    assert len(keys_seen) >= 2 and len(app_harness.sandbox.state.tokens) == 7

    secrets: dict[str, str] = {
        "app token": APP_TOKEN,
        "kickback secret": app_harness.installation.kickback_secret,
        "encryption key": app_harness.services.settings.encryption_key.get_secret_value(),  # type: ignore[union-attr]
        **{f"user key {index}": key for index, key in enumerate(sorted(keys_seen))},
        **{f"token {index}": token for index, token in enumerate(sorted(app_harness.sandbox.state.tokens))},
    }
    written = log.text()
    answered = "\n".join(answers.answers)
    for name, secret in secrets.items():
        assert secret not in written, f"{name} in the log"
        assert secret not in answered, f"{name} in an answer"
    assert "ABCDEF0123" not in written  # a kickback's query (it may carry a user key) is never logged

"""transactionEventReport: results that reach the app later (the gateway's kickback)."""

from __future__ import annotations

from tests.devshop.harness import Harness
from tests.devshop.queries import TRANSACTION_EVENT_REPORT, TRANSACTION_INITIALIZE, TRANSACTION_REQUEST_ACTION


async def _pending_charge(shop: Harness) -> str:
    """A checkout whose charge the app reported as pending (CHARGE_REQUEST with a reference)."""
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {"result": "CHARGE_REQUEST", "pspReference": "gid-1", "amount": 3000.0}
    started = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"answer": answer}}, token=token)
    transaction = started["transactionInitialize"]["transaction"]
    assert transaction["chargePendingAmount"]["amount"] == 3000.0
    return str(transaction["id"])


async def test_the_app_reports_a_charge_later_and_repeats_are_already_processed(shop: Harness) -> None:
    transaction_id = await _pending_charge(shop)
    report = {
        "id": transaction_id,
        "psp": "gid-1",
        "type": "CHARGE_SUCCESS",
        "amount": 3000,
        "actions": ["REFUND"],
        "message": "kickback",
    }
    first = (await shop.data(TRANSACTION_EVENT_REPORT, report, token=shop.app_token))["transactionEventReport"]
    assert first["errors"] == [] and first["alreadyProcessed"] is False
    assert first["transaction"]["chargedAmount"]["amount"] == 3000.0
    assert first["transaction"]["chargePendingAmount"]["amount"] == 0.0
    assert first["transaction"]["actions"] == ["REFUND"]
    assert first["transactionEvent"] == {
        "type": "CHARGE_SUCCESS",
        "amount": {"amount": 3000.0},
        "pspReference": "gid-1",
        "message": "kickback",
    }
    second = (await shop.data(TRANSACTION_EVENT_REPORT, report, token=shop.app_token))["transactionEventReport"]
    assert second["alreadyProcessed"] is True
    assert [e["type"] for e in second["transaction"]["events"]].count("CHARGE_SUCCESS") == 1
    await shop.devshop.webhooks.drain()
    assert len(shop.standin.of("CHECKOUT_FULLY_PAID")) == 1


async def test_a_report_with_another_amount_is_refused_and_recorded_as_failure(shop: Harness) -> None:
    transaction_id = await _pending_charge(shop)
    report = {"id": transaction_id, "psp": "gid-1", "type": "CHARGE_SUCCESS", "amount": 3000}
    await shop.data(TRANSACTION_EVENT_REPORT, report, token=shop.app_token)
    refused = (await shop.data(TRANSACTION_EVENT_REPORT, {**report, "amount": 2999}, token=shop.app_token))[
        "transactionEventReport"
    ]
    assert refused["transaction"] is None
    assert refused["errors"][0]["code"] == "INCORRECT_DETAILS" and refused["errors"][0]["field"] == "pspReference"
    record = next(iter(shop.devshop.store.transactions.values()))
    failure = record.events[-1]
    assert (failure.type.value, failure.include_in_calculations) == ("CHARGE_FAILURE", False)
    assert record.amounts.charged == 3000


async def test_a_second_authorization_is_refused(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {"result": "AUTHORIZATION_SUCCESS", "pspReference": "auth-1", "amount": 3000.0}
    started = await shop.data(
        TRANSACTION_INITIALIZE,
        {"id": checkout["id"], "action": "AUTHORIZATION", "data": {"answer": answer}},
        token=shop.app_token,
    )
    transaction_id = started["transactionInitialize"]["transaction"]["id"]
    refused = await shop.data(
        TRANSACTION_EVENT_REPORT,
        {"id": transaction_id, "psp": "auth-2", "type": "AUTHORIZATION_SUCCESS", "amount": 3000},
        token=shop.app_token,
    )
    assert refused["transactionEventReport"]["errors"][0]["code"] == "ALREADY_EXISTS"
    record = next(iter(shop.devshop.store.transactions.values()))
    assert record.events[-1].type.value == "AUTHORIZATION_FAILURE"
    assert record.amounts.authorized == 3000


async def test_a_failure_without_amount_takes_it_from_the_request(shop: Harness) -> None:
    transaction_id = await _pending_charge(shop)
    result = await shop.data(
        TRANSACTION_EVENT_REPORT,
        {"id": transaction_id, "psp": "gid-1", "type": "CHARGE_FAILURE", "message": "ER014"},
        token=shop.app_token,
    )
    event = result["transactionEventReport"]["transactionEvent"]
    assert event == {
        "type": "CHARGE_FAILURE",
        "amount": {"amount": 3000.0},
        "pspReference": "gid-1",
        "message": "ER014",
    }
    assert result["transactionEventReport"]["transaction"]["chargePendingAmount"]["amount"] == 0.0
    missing = await shop.data(
        TRANSACTION_EVENT_REPORT, {"id": transaction_id, "psp": "gid-1", "type": "CHARGE_SUCCESS"}, token=shop.app_token
    )
    assert missing["transactionEventReport"]["errors"][0]["field"] == "amount"
    assert missing["transactionEventReport"]["errors"][0]["code"] == "REQUIRED"


async def test_only_the_owning_app_reports(shop: Harness) -> None:
    transaction_id = await _pending_charge(shop)
    staff = await shop.login(shop.devshop.config.staff)
    shopper = await shop.login(shop.devshop.config.shopper)
    report = {"id": transaction_id, "psp": "gid-1", "type": "CHARGE_SUCCESS", "amount": 3000}
    for token in (staff, shopper, None):
        refused = await shop.gql(TRANSACTION_EVENT_REPORT, report, token=token)
        assert refused["data"]["transactionEventReport"] is None
        assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"


async def test_a_reported_refund_completes_an_async_refund(shop: Harness) -> None:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {"result": "CHARGE_SUCCESS", "pspReference": "charge-1", "amount": 3000.0, "actions": ["REFUND"]}
    started = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"answer": answer}}, token=token)
    transaction_id = started["transactionInitialize"]["transaction"]["id"]
    shop.standin.force("TRANSACTION_REFUND_REQUESTED", {"pspReference": "refund-1"})
    staff = await shop.login(shop.devshop.config.staff)
    await shop.data(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "REFUND", "amount": 1000}, token=staff)
    done = await shop.data(
        TRANSACTION_EVENT_REPORT,
        {"id": transaction_id, "psp": "refund-1", "type": "REFUND_SUCCESS", "amount": 1000},
        token=shop.app_token,
    )
    transaction = done["transactionEventReport"]["transaction"]
    assert (transaction["refundedAmount"]["amount"], transaction["refundPendingAmount"]["amount"]) == (1000.0, 0.0)
    assert transaction["chargedAmount"]["amount"] == 2000.0

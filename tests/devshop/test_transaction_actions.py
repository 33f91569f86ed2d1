"""Staff charge/refund/cancel through transactionRequestAction, and Saleor's re-sends on 5xx."""

from __future__ import annotations

from typing import Any

from tests.devshop.harness import Harness
from tests.devshop.queries import CHECKOUT_COMPLETE, TRANSACTION_INITIALIZE, TRANSACTION_REQUEST_ACTION


async def _authorized(shop: Harness, amount: float = 3000.0) -> tuple[str, str]:
    """A shopper's checkout authorized through the app; returns (checkout id, transaction id)."""
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {
        "result": "AUTHORIZATION_SUCCESS",
        "pspReference": "auth-1",
        "amount": amount,
        "actions": ["CHARGE", "CANCEL"],
    }
    started = await shop.data(
        TRANSACTION_INITIALIZE,
        {"id": checkout["id"], "action": "AUTHORIZATION", "data": {"answer": answer}},
        token=shop.app_token,
    )
    return checkout["id"], started["transactionInitialize"]["transaction"]["id"]


async def _charged(shop: Harness) -> str:
    token = await shop.login(shop.devshop.config.shopper)
    checkout = await shop.new_checkout(token)
    answer = {"result": "CHARGE_SUCCESS", "pspReference": "charge-1", "amount": 3000.0, "actions": ["REFUND"]}
    started = await shop.data(TRANSACTION_INITIALIZE, {"id": checkout["id"], "data": {"answer": answer}}, token=token)
    return str(started["transactionInitialize"]["transaction"]["id"])


def _event(transaction: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(e for e in transaction["events"] if e["type"] == kind)


async def test_staff_charges_an_authorized_order(shop: Harness) -> None:
    checkout_id, transaction_id = await _authorized(shop)
    shopper = await shop.login(shop.devshop.config.shopper)
    order = (await shop.data(CHECKOUT_COMPLETE, {"id": checkout_id}, token=shopper))["checkoutComplete"]["order"]
    assert (order["authorizeStatus"], order["chargeStatus"]) == ("FULL", "NONE")

    staff = await shop.login(shop.devshop.config.staff)
    result = (await shop.data(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "CHARGE"}, token=staff))[
        "transactionRequestAction"
    ]
    assert result["errors"] == []
    transaction = result["transaction"]
    assert (transaction["authorizedAmount"]["amount"], transaction["chargedAmount"]["amount"]) == (0.0, 3000.0)
    assert transaction["actions"] == ["REFUND"]
    assert _event(transaction, "CHARGE_REQUEST")["createdBy"] == {"__typename": "User", "email": "staff@example.com"}
    assert _event(transaction, "CHARGE_SUCCESS")["createdBy"]["__typename"] == "App"

    [request] = shop.standin.of("TRANSACTION_CHARGE_REQUESTED")
    assert request.payload["action"] == {"actionType": "CHARGE", "amount": 3000.0, "currency": "JPY"}
    assert request.payload["transaction"]["authorizedAmount"] == {"amount": 3000.0, "currency": "JPY"}
    assert request.payload["transaction"]["checkout"] is None
    assert request.payload["transaction"]["order"]["id"] == order["id"]
    assert request.payload["issuingPrincipal"]["__typename"] == "User"
    charged = await shop.data(
        "query($id: ID!) { order(id: $id) { chargeStatus isPaid } }", {"id": order["id"]}, token=staff
    )
    assert charged["order"] == {"chargeStatus": "FULL", "isPaid": True}


async def test_a_partial_refund_takes_the_apps_reference(shop: Harness) -> None:
    transaction_id = await _charged(shop)
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data(
        TRANSACTION_REQUEST_ACTION,
        {"id": transaction_id, "action": "REFUND", "amount": 1000, "reason": "damaged"},
        token=staff,
    )
    transaction = result["transactionRequestAction"]["transaction"]
    assert (transaction["chargedAmount"]["amount"], transaction["refundedAmount"]["amount"]) == (2000.0, 1000.0)
    refund = _event(transaction, "REFUND_SUCCESS")
    request = _event(transaction, "REFUND_REQUEST")
    assert request["pspReference"] == refund["pspReference"] != "charge-1"
    assert request["message"] == "damaged"
    [delivery] = shop.standin.of("TRANSACTION_REFUND_REQUESTED")
    assert delivery.payload["action"]["amount"] == 1000.0
    assert delivery.payload["grantedRefund"] == {"id": "T3JkZXJHcmFudGVkUmVmdW5kOk5vbmU="}


async def test_cancel_defaults_to_the_authorized_amount(shop: Harness) -> None:
    _, transaction_id = await _authorized(shop, 3000.0)
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "CANCEL"}, token=staff)
    transaction = result["transactionRequestAction"]["transaction"]
    assert (transaction["authorizedAmount"]["amount"], transaction["canceledAmount"]["amount"]) == (0.0, 3000.0)
    assert transaction["actions"] == []
    [delivery] = shop.standin.of("TRANSACTION_CANCELATION_REQUESTED")
    assert delivery.payload["action"]["amount"] == 3000.0
    assert delivery.payload["transaction"]["checkout"] is not None


async def test_requests_are_resent_while_the_app_answers_5xx(shop: Harness) -> None:
    transaction_id = await _charged(shop)
    for _ in range(3):
        shop.standin.force("TRANSACTION_REFUND_REQUESTED", {"error": "busy"}, status=503)
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "REFUND"}, token=staff)
    assert result["transactionRequestAction"]["transaction"]["refundedAmount"]["amount"] == 3000.0
    deliveries = shop.standin.of("TRANSACTION_REFUND_REQUESTED")
    assert len(deliveries) == 4
    assert len({d.raw_body for d in deliveries}) == 1  # the same request, byte for byte


async def test_after_five_resends_the_request_fails(shop: Harness) -> None:
    transaction_id = await _charged(shop)
    for _ in range(6):
        shop.standin.force("TRANSACTION_REFUND_REQUESTED", {"error": "down"}, status=500)
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "REFUND"}, token=staff)
    transaction = result["transactionRequestAction"]["transaction"]
    assert len(shop.standin.of("TRANSACTION_REFUND_REQUESTED")) == 6
    assert _event(transaction, "REFUND_FAILURE")["message"] == "Failed to delivery request."
    assert (transaction["chargedAmount"]["amount"], transaction["refundedAmount"]["amount"]) == (3000.0, 0.0)


async def test_a_4xx_is_not_resent(shop: Harness) -> None:
    transaction_id = await _charged(shop)
    shop.standin.force("TRANSACTION_REFUND_REQUESTED", {"error": "bad"}, status=400)
    staff = await shop.login(shop.devshop.config.staff)
    await shop.data(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "REFUND"}, token=staff)
    assert len(shop.standin.of("TRANSACTION_REFUND_REQUESTED")) == 1


async def test_an_async_refund_answer_leaves_the_refund_pending(shop: Harness) -> None:
    transaction_id = await _charged(shop)
    shop.standin.force("TRANSACTION_REFUND_REQUESTED", {"pspReference": "refund-async"})
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data(
        TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "REFUND", "amount": 500}, token=staff
    )
    transaction = result["transactionRequestAction"]["transaction"]
    assert _event(transaction, "REFUND_REQUEST")["pspReference"] == "refund-async"
    assert transaction["chargedAmount"]["amount"] == 2500.0
    assert transaction["refundPendingAmount"]["amount"] == 500.0
    assert transaction["refundedAmount"]["amount"] == 0.0


async def test_shoppers_cannot_request_actions(shop: Harness) -> None:
    transaction_id = await _charged(shop)
    shopper = await shop.login(shop.devshop.config.shopper)
    refused = await shop.gql(TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "REFUND"}, token=shopper)
    assert refused["data"]["transactionRequestAction"] is None
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"
    assert shop.standin.of("TRANSACTION_REFUND_REQUESTED") == []


async def test_reason_is_only_for_refunds(shop: Harness) -> None:
    _, transaction_id = await _authorized(shop)
    staff = await shop.login(shop.devshop.config.staff)
    result = await shop.data(
        TRANSACTION_REQUEST_ACTION, {"id": transaction_id, "action": "CHARGE", "reason": "why"}, token=staff
    )
    assert result["transactionRequestAction"]["errors"][0]["field"] == "refundReason"

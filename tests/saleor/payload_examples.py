"""Webhook bodies shaped exactly like our subscription documents (the captured ones used other documents).

`test_payloads` checks each example's keys against its document's selection set, so the examples cannot drift
from the documents, and then parses them with the payload models.
"""

from __future__ import annotations

from typing import Any

ENVELOPE = {
    "version": "3.24.0-a.0",
    "issuedAt": "2026-11-28T00:15:29.141760+00:00",
    "recipient": {"id": "QXBwOjQ="},
}
CHANNEL = {"slug": "channel-jpy", "currencyCode": "JPY"}
PRODUCT_META = [{"key": "robotpayment.iid", "value": "ITEM-0001"}]


def _variant(sku: str | None) -> dict[str, Any]:
    return {
        "id": "UHJvZHVjdFZhcmlhbnQ6MzQ4",
        "sku": sku,
        "metadata": [],
        "product": {"id": "UHJvZHVjdDoxMzQ=", "metadata": PRODUCT_META},
    }


CHECKOUT = {
    "__typename": "Checkout",
    "id": "Q2hlY2tvdXQ6ZDA1MzAxMzk=",
    "email": "hanako.suzuki@example.com",
    "languageCode": "JA",
    "channel": CHANNEL,
    "user": {"id": "VXNlcjo0OQ==", "email": "hanako.suzuki@example.com"},
    "billingAddress": {"phone": "+81312345678"},
    "totalPrice": {"gross": {"amount": 3500.0, "currency": "JPY"}},
    "lines": [{"quantity": 2, "variant": _variant("328223580")}],
}

ORDER = {
    "__typename": "Order",
    "id": "T3JkZXI6MzQ1MDg4MmY=",
    "number": "42",
    "userEmail": "guest@example.com",
    "languageCodeEnum": "EN",
    "channel": CHANNEL,
    "user": None,
    "billingAddress": {"phone": ""},
    "total": {"gross": {"amount": 12800.0, "currency": "JPY"}},
    "orderLines": [
        {"quantity": 1, "variant": _variant(None)},
        {"quantity": 3, "variant": None},
    ],
}

SAVED_CARD_USER = {
    "id": "VXNlcjo0OQ==",
    "email": "hanako.suzuki@example.com",
    "defaultBillingAddress": {"phone": "+81312345678"},
    "privateMetafields": {"robotpayment.uid.000000": "u-000000-49"},
}

ACTION_TRANSACTION = {
    "id": "VHJhbnNhY3Rpb25JdGVtOmNmNTQ4MDZi",
    "pspReference": "gid-123456",
    "authorizedAmount": {"amount": 3500.0},
    "chargedAmount": {"amount": 0.0},
    "checkout": None,
    "order": {"id": "T3JkZXI6MzQ1MDg4MmY=", "channel": {"slug": "channel-jpy"}},
}

SESSION_TRANSACTION = {"id": "VHJhbnNhY3Rpb25JdGVtOmNlN2YwMTQx", "token": "ce7f0141-eb57", "pspReference": ""}

EXAMPLES: dict[str, dict[str, Any]] = {
    "payment_gateway_initialize_session": {
        **ENVELOPE,
        "amount": 3500.0,
        "data": {"locale": "ja-JP"},
        "sourceObject": CHECKOUT,
    },
    "transaction_initialize_session": {
        **ENVELOPE,
        "action": {"amount": 3500.0, "currency": "JPY", "actionType": "CHARGE"},
        "data": {"tkn": "tok-secret-abc", "saveCard": True, "md": "10", "pt": None},
        "idempotencyKey": "checkout1-attempt-1",
        "merchantReference": "VHJhbnNhY3Rpb25JdGVtOmNlN2YwMTQx",
        "transaction": SESSION_TRANSACTION,
        "sourceObject": CHECKOUT,
    },
    "transaction_process_session": {
        **ENVELOPE,
        "action": {"amount": 12800.0, "currency": "JPY", "actionType": "AUTHORIZATION"},
        "data": {"paymentMethodId": "app:jp.robotpayment.saleor:card_abc", "md": "10", "pt": None},
        "merchantReference": "VHJhbnNhY3Rpb25JdGVtOmNlN2YwMTQx",
        "transaction": {**SESSION_TRANSACTION, "pspReference": "gid-1"},
        "sourceObject": ORDER,
    },
    "transaction_charge_requested": {
        **ENVELOPE,
        "action": {"actionType": "CHARGE", "amount": 3500.0, "currency": "JPY"},
        "transaction": ACTION_TRANSACTION,
    },
    "transaction_cancelation_requested": {
        **ENVELOPE,
        "action": {"actionType": "CANCEL", "amount": 3500.0, "currency": "JPY"},
        "transaction": {
            **ACTION_TRANSACTION,
            "checkout": {"id": "Q2hlY2tvdXQ6NjY5OGQ2OTA=", "channel": {"slug": "channel-jpy"}},
            "order": None,
        },
    },
    "transaction_refund_requested": {
        **ENVELOPE,
        "action": {"actionType": "REFUND", "amount": 1500.0, "currency": "JPY"},
        "transaction": {
            **ACTION_TRANSACTION,
            "authorizedAmount": {"amount": 0.0},
            "chargedAmount": {"amount": 3500.0},
        },
    },
    "list_stored_payment_methods": {**ENVELOPE, "user": SAVED_CARD_USER, "channel": CHANNEL},
    "stored_payment_method_delete_requested": {
        **ENVELOPE,
        "user": SAVED_CARD_USER,
        "channel": CHANNEL,
        "paymentMethodId": "card_3kTqv0c1",
    },
    "payment_gateway_initialize_tokenization_session": {
        **ENVELOPE,
        "user": {**SAVED_CARD_USER, "defaultBillingAddress": None, "privateMetafields": {}},
        "channel": CHANNEL,
        "data": None,
    },
    "payment_method_initialize_tokenization_session": {
        **ENVELOPE,
        "user": SAVED_CARD_USER,
        "channel": CHANNEL,
        "data": {"tkn": "tok-secret-abc", "replaces": "card_3kTqv0c1"},
        "paymentFlowToSupport": "INTERACTIVE",
    },
    "payment_method_process_tokenization_session": {
        **ENVELOPE,
        "user": SAVED_CARD_USER,
        "channel": CHANNEL,
        "data": {"threeDS": "done"},
        "id": "sess_1",
    },
    "customer_updated": {
        **ENVELOPE,
        "user": {
            "id": "VXNlcjo0OQ==",
            "email": "hanako.new@example.com",
            "isActive": True,
            "defaultBillingAddress": {"phone": "+81312345678"},
        },
    },
    "customer_deleted": {**ENVELOPE, "user": {"id": "VXNlcjo0OQ==", "email": "hanako.new@example.com"}},
    "app_deleted": {**ENVELOPE, "app": {"id": "QXBwOjQ="}},
}

# Every document selects `__typename` (the route checks it): name each example's type as Saleor would.
for _name, _example in EXAMPLES.items():
    _example["__typename"] = "".join(part.capitalize() for part in _name.split("_"))

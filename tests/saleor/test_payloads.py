from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    is_abstract_type,
    parse,
)

from robotpayment_app.saleor import payloads as p
from robotpayment_app.saleor.documents import GraphQLDocuments
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent, webhook_for_event_header

from .payload_examples import EXAMPLES


def test_every_event_has_a_payload_model_and_an_example() -> None:
    assert set(p.PAYLOAD_MODELS) == set(SaleorEvent)
    assert set(EXAMPLES) == {hook.event.header_value for hook in WEBHOOKS}


# ---- captured deliveries ---------------------------------------------------------------------------------


def test_every_captured_delivery_of_our_events_parses(deliveries: dict[str, dict[str, Any]]) -> None:
    parsed = 0
    for name, delivery in deliveries.items():
        hook = webhook_for_event_header(delivery["saleor_event_header"])
        if hook is None:
            assert name == "checkout_fully_paid.json"  # not an event this app subscribes to
            continue
        payload = p.parse_payload(p.PAYLOAD_MODELS[hook.event], delivery["raw_body"].encode())
        assert payload.recipient.id == "QXBwOjQ="
        assert payload.issued_at is not None and payload.issued_at.tzinfo is not None
        parsed += 1
    assert parsed == 19


def _captured(deliveries: dict[str, dict[str, Any]], name: str, model: type[p.PayloadT]) -> p.PayloadT:
    return p.parse_payload(model, deliveries[name]["raw_body"])


def test_captured_transaction_initialize_values(deliveries: dict[str, dict[str, Any]]) -> None:
    first = _captured(deliveries, "transaction_initialize_session.json", p.TransactionInitializeSession)
    assert first.action.amount == Decimal("3500") and isinstance(first.action.amount, Decimal)
    assert first.action.action_type == "CHARGE" and first.action.currency == "JPY"
    assert first.transaction.psp_reference is None  # "" on the first delivery
    assert first.idempotency_key == "checkout1-95edf0-attempt-1"
    assert first.merchant_reference == first.transaction.id
    assert first.data == {"paymentMethod": "card", "cardToken": "tok_visa_1111", "memo": "テスト決済"}
    source = first.source_object
    assert isinstance(source, p.CheckoutSource)
    assert source.shopper_email == "hanako.suzuki@example.com" and source.billing_phone == "+81312345678"
    assert (
        source.language == "JA"
        and source.channel.slug == "channel-jpy"
        and source.channel.currency_code == "JPY"
    )
    assert source.total.amount == Decimal("3500") and source.lines[0].quantity == 2

    repeat = _captured(
        deliveries,
        "transaction_initialize_session.repeat_same_idempotency_key.json",
        p.TransactionInitializeSession,
    )
    assert repeat.idempotency_key == first.idempotency_key
    assert repeat.transaction.psp_reference == "psp_61f870902b7b467d"

    authorization = _captured(
        deliveries, "transaction_initialize_session.authorization.json", p.TransactionInitializeSession
    )
    assert authorization.action.action_type == "AUTHORIZATION"


def test_captured_action_requests(deliveries: dict[str, dict[str, Any]]) -> None:
    charge = _captured(deliveries, "transaction_charge_requested.json", p.TransactionChargeRequested)
    assert charge.action.action_type == "CHARGE" and charge.transaction.authorized_amount.amount == Decimal(
        "3500"
    )
    assert charge.transaction.checkout is None and charge.transaction.channel_slug == "channel-jpy"
    cancel = _captured(
        deliveries, "transaction_cancelation_requested.json", p.TransactionCancelationRequested
    )
    assert cancel.transaction.order is None and cancel.transaction.channel_slug == "channel-jpy"
    assert cancel.action.amount == Decimal("2000")
    refund = _captured(deliveries, "transaction_refund_requested.json", p.TransactionRefundRequested)
    assert (
        refund.action.amount == Decimal("1500") and refund.transaction.psp_reference == "psp_61f870902b7b467d"
    )


def test_captured_saved_card_events(deliveries: dict[str, dict[str, Any]]) -> None:
    delete = _captured(
        deliveries, "stored_payment_method_delete_requested.json", p.StoredPaymentMethodDeleteRequested
    )
    assert delete.payment_method_id == "card-1"  # bare, without the app:<id>: prefix
    assert delete.user.private_value("psp_customer_id") == "cus_capture_0001"
    assert delete.user.phone is None  # that document did not ask for the address
    process = _captured(
        deliveries,
        "payment_method_process_tokenization_session.json",
        p.PaymentMethodProcessTokenizationSession,
    )
    assert process.id == "sess-1" and process.channel.slug == "channel-jpy"
    initialize = _captured(
        deliveries,
        "payment_method_initialize_tokenization_session.json",
        p.PaymentMethodInitializeTokenizationSession,
    )
    assert initialize.payment_flow_to_support == "INTERACTIVE"


def test_captured_customer_events(deliveries: dict[str, dict[str, Any]]) -> None:
    updated = _captured(deliveries, "customer_updated.json", p.CustomerUpdated)
    assert updated.user is not None and updated.user.phone == "+81312345678" and updated.user.is_active
    deleted = _captured(deliveries, "customer_deleted.json", p.CustomerDeleted)
    assert deleted.user is not None and deleted.user.email == "hanako.suzuki+updated@example.com"


# ---- bodies shaped like our documents ---------------------------------------------------------------------


class _Shape:
    def __init__(self, schema: GraphQLSchema, document: str) -> None:
        self.schema = schema
        parsed = parse(document)
        self.fragments = {
            d.name.value: d for d in parsed.definitions if isinstance(d, FragmentDefinitionNode)
        }
        operation = next(d for d in parsed.definitions if isinstance(d, OperationDefinitionNode))
        (event,) = operation.selection_set.selections
        assert isinstance(event, FieldNode) and event.selection_set is not None
        self.root = event.selection_set

    def _applies(self, type_name: str | None, payload: dict[str, Any]) -> bool:
        if type_name is None or "__typename" not in payload:
            return True
        named = self.schema.get_type(type_name)
        return is_abstract_type(named) or payload["__typename"] == type_name

    def _fields(
        self, selections: SelectionSetNode, payload: dict[str, Any]
    ) -> dict[str, list[SelectionSetNode]]:
        fields: dict[str, list[SelectionSetNode]] = {}
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                fields.setdefault(key, [])
                if selection.selection_set is not None:
                    fields[key].append(selection.selection_set)
                continue
            if isinstance(selection, InlineFragmentNode):
                condition, sub = selection.type_condition, selection.selection_set
            else:
                assert isinstance(selection, FragmentSpreadNode)
                fragment = self.fragments[selection.name.value]
                condition, sub = fragment.type_condition, fragment.selection_set
            if self._applies(condition.name.value if condition else None, payload):
                for key, subs in self._fields(sub, payload).items():
                    fields.setdefault(key, []).extend(subs)
        return fields

    def check(
        self, payload: Any, selections: list[SelectionSetNode] | None = None, path: str = "event"
    ) -> None:
        selections = [self.root] if selections is None else selections
        if payload is None:
            return
        if isinstance(payload, list):
            for index, item in enumerate(payload):
                self.check(item, selections, f"{path}[{index}]")
            return
        if not selections:
            return  # a leaf (scalars, JSON `data`)
        assert isinstance(payload, dict), path
        fields: dict[str, list[SelectionSetNode]] = {}
        for selection_set in selections:
            for key, subs in self._fields(selection_set, payload).items():
                fields.setdefault(key, []).extend(subs)
        assert set(payload) == set(fields), f"{path}: {sorted(set(payload) ^ set(fields))}"
        for key, subs in fields.items():
            self.check(payload[key], subs, f"{path}.{key}")


@pytest.mark.parametrize("hook", WEBHOOKS, ids=lambda hook: hook.event.header_value)
def test_example_bodies_match_our_documents_and_parse(saleor_schema: GraphQLSchema, hook: Any) -> None:
    example = EXAMPLES[hook.event.header_value]
    _Shape(saleor_schema, GraphQLDocuments().load(hook.document)).check(example)
    body = json.dumps(example).encode()  # Saleor writes json.dumps defaults
    payload = p.parse_payload(p.PAYLOAD_MODELS[hook.event], body)
    assert payload.recipient.id == "QXBwOjQ="


def test_order_source_and_its_helpers() -> None:
    payload = p.parse_payload(
        p.TransactionProcessSession, json.dumps(EXAMPLES["transaction_process_session"])
    )
    order = payload.source_object
    assert isinstance(order, p.OrderSource)
    assert order.shopper_email == "guest@example.com" and order.billing_phone is None  # "" -> None
    assert order.language == "EN" and order.total.amount == Decimal("12800")
    assert [v.sku for v in order.variants] == [None]  # the deleted variant is skipped
    assert p.metadata_dict(order.variants[0].product.metadata) == {"robotpayment.iid": "ITEM-0001"}
    assert payload.action.action_type == "AUTHORIZATION"


def test_saved_card_user_helpers() -> None:
    payload = p.parse_payload(p.ListStoredPaymentMethods, json.dumps(EXAMPLES["list_stored_payment_methods"]))
    assert payload.user.phone == "+81312345678"
    assert payload.user.private_value("robotpayment.uid.000000") == "u-000000-49"
    assert payload.user.private_value("absent") is None


# ---- refusal of bad input ---------------------------------------------------------------------------------


def _body(event: str, **changes: Any) -> bytes:
    example = json.loads(json.dumps(EXAMPLES[event]))
    example.update(changes)
    return json.dumps(example).encode()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"not json", "(body): Invalid JSON"),
        (b"[]", "(body): Input should be an object"),
        (
            _body("transaction_initialize_session", idempotencyKey=None),
            "idempotencyKey: Input should be a valid string",
        ),
        (_body("transaction_initialize_session", recipient=None), "recipient: Input should be an object"),
        (
            _body(
                "transaction_initialize_session",
                action={"amount": "abc", "currency": "JPY", "actionType": "CHARGE"},
            ),
            "action.amount: Input should be a valid decimal",
        ),
        (
            _body(
                "transaction_initialize_session",
                action={"amount": -1, "currency": "JPY", "actionType": "CHARGE"},
            ),
            "action.amount: Input should be greater than or equal to 0",
        ),
        (
            _body(
                "transaction_initialize_session",
                action={"amount": 1, "currency": "JPY", "actionType": "REFUND"},
            ),
            "action.actionType: Input should be 'CHARGE' or 'AUTHORIZATION'",
        ),
        (
            _body("transaction_initialize_session", merchantReference=12),
            "merchantReference: Input should be a valid string",
        ),
        (
            _body(
                "transaction_initialize_session",
                sourceObject={
                    **EXAMPLES["transaction_initialize_session"]["sourceObject"],
                    "lines": [{"quantity": "2", "variant": None}],
                },
            ),
            "sourceObject.Checkout.lines.0.quantity: Input should be a valid integer",
        ),
    ],
    ids=[
        "not-json",
        "not-object",
        "missing-key",
        "no-recipient",
        "amount-text",
        "negative",
        "action-type",
        "number-as-id",
        "quoted-quantity",
    ],
)
def test_bad_bodies_name_the_field_and_rule(body: bytes, problem: str) -> None:
    with pytest.raises(p.InvalidPayload) as caught:
        p.parse_payload(p.TransactionInitializeSession, body)
    assert problem in str(caught.value)
    assert caught.value.event == "TransactionInitializeSession"


def test_errors_and_reprs_never_show_the_card_token() -> None:
    body = _body("transaction_initialize_session", idempotencyKey=None)
    with pytest.raises(p.InvalidPayload) as caught:
        p.parse_payload(p.TransactionInitializeSession, body)
    assert "tok-secret-abc" not in str(caught.value) and caught.value.__cause__ is None
    parsed = p.parse_payload(p.TransactionInitializeSession, _body("transaction_initialize_session"))
    assert parsed.data["tkn"] == "tok-secret-abc"
    assert "tok-secret-abc" not in repr(parsed) and "tok-secret-abc" not in str(parsed)
    tokenization = p.parse_payload(
        p.PaymentMethodInitializeTokenizationSession, _body("payment_method_initialize_tokenization_session")
    )
    assert "tok-secret-abc" not in repr(tokenization)


def test_unknown_fields_are_ignored() -> None:
    parsed = p.parse_payload(
        p.CustomerDeleted, _body("customer_deleted", issuingPrincipal={"id": "x"}, extra=[1])
    )
    assert parsed.user is not None and parsed.user.id == "VXNlcjo0OQ=="


def test_customer_updated_without_user_is_accepted() -> None:
    parsed = p.parse_payload(p.CustomerUpdated, _body("customer_updated", user=None))
    assert parsed.user is None


def test_whole_yen() -> None:
    assert p.whole_yen(Decimal("3500.0"), field="action.amount") == 3500
    with pytest.raises(p.InvalidPayload, match=r"action\.amount: must be a whole number of yen"):
        p.whole_yen(Decimal("3500.5"), field="action.amount")


def test_recipient_must_be_this_installation() -> None:
    payload = p.parse_payload(p.CustomerDeleted, _body("customer_deleted"))
    p.require_recipient(payload, "QXBwOjQ=")
    with pytest.raises(p.WrongRecipient, match=r"recipient\.id"):
        p.require_recipient(payload, "QXBwOjk=")


def test_bare_stored_method_id() -> None:
    assert (
        p.bare_stored_method_id("app:jp.robotpayment.saleor:card_abc", "jp.robotpayment.saleor") == "card_abc"
    )
    assert p.bare_stored_method_id("card_abc", "jp.robotpayment.saleor") == "card_abc"
    assert (
        p.bare_stored_method_id("app:other.app:card_abc", "jp.robotpayment.saleor")
        == "app:other.app:card_abc"
    )

"""Every `.graphql` document validates against Saleor's schema; each webhook document asks what it must."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import (
    FieldNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    get_named_type,
    parse,
    validate,
    visit,
)

from robotpayment_app.saleor.documents import (
    DocumentError,
    GraphQLDocuments,
    assemble_document,
    parse_fragments,
)
from robotpayment_app.saleor.manifest import REQUIRED_SALEOR_VERSION
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent

DOCUMENTS = GraphQLDocuments()
ALL_PATHS = DOCUMENTS.operation_paths()

# When each event's subscription type appeared (saleor-notes); later additions are read from the schema.
EVENT_SINCE = {
    SaleorEvent.LIST_STORED_PAYMENT_METHODS: (3, 15),
    SaleorEvent.STORED_PAYMENT_METHOD_DELETE_REQUESTED: (3, 16),
    SaleorEvent.PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION: (3, 16),
    SaleorEvent.PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION: (3, 16),
    SaleorEvent.PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION: (3, 16),
}
ADDED_IN = re.compile(r"Added in Saleor (\d+)\.(\d+)")


def test_the_folder_holds_documents_only() -> None:
    folder = DOCUMENTS.directory
    assert not list(folder.rglob("__init__.py"))
    assert {path.suffix for path in folder.rglob("*") if path.is_file()} == {".graphql"}
    assert len(ALL_PATHS) >= len(WEBHOOKS) + 4


@pytest.mark.parametrize("path", ALL_PATHS)
def test_document_is_valid_against_saleor_schema(saleor_schema: GraphQLSchema, path: str) -> None:
    document = parse(DOCUMENTS.load(path))
    errors = validate(saleor_schema, document)
    assert errors == [], [error.message for error in errors]
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert len(operations) == 1


def test_every_subscription_file_is_a_webhook_and_every_webhook_has_one() -> None:
    subscription_files = {path for path in ALL_PATHS if path.startswith("subscriptions/")}
    assert subscription_files == {hook.document for hook in WEBHOOKS}
    assert len({hook.event for hook in WEBHOOKS}) == len(WEBHOOKS) == len(SaleorEvent)


def _event_selection(document_text: str) -> tuple[OperationDefinitionNode, InlineFragmentNode]:
    operation = next(d for d in parse(document_text).definitions if isinstance(d, OperationDefinitionNode))
    event_field = operation.selection_set.selections[0]
    assert isinstance(event_field, FieldNode) and event_field.name.value == "event"
    assert event_field.selection_set is not None
    (inline,) = event_field.selection_set.selections
    assert isinstance(inline, InlineFragmentNode)
    return operation, inline


@pytest.mark.parametrize("hook", WEBHOOKS, ids=lambda hook: hook.event.value)
def test_webhook_document_subscribes_to_its_event_with_envelope_fields(hook: object) -> None:
    from robotpayment_app.saleor.webhooks import WebhookDefinition

    assert isinstance(hook, WebhookDefinition)
    operation, inline = _event_selection(DOCUMENTS.load(hook.document))
    assert operation.operation is OperationType.SUBSCRIPTION
    expected_type = "".join(word.capitalize() for word in hook.event.value.split("_"))
    assert inline.type_condition is not None and inline.type_condition.name.value == expected_type
    fields = {
        selection.name.value: selection
        for selection in inline.selection_set.selections
        if isinstance(selection, FieldNode)
    }
    assert {"version", "issuedAt", "recipient"} <= fields.keys()
    recipient = fields["recipient"].selection_set
    assert recipient is not None
    assert [s.name.value for s in recipient.selections if isinstance(s, FieldNode)] == ["id"]


def _field_names(document_text: str) -> set[str]:
    names: set[str] = set()

    class Collect(Visitor):
        def enter_field(self, node: FieldNode, *_: object) -> None:
            names.add(node.name.value)

    visit(parse(document_text), Collect())
    return names


def test_customer_deleted_never_asks_for_private_metadata() -> None:
    # Saleor 3.24 answers `user: null` to a CUSTOMER_DELETED subscription that asks for it.
    names = _field_names(DOCUMENTS.load("subscriptions/customer_deleted.graphql"))
    assert "user" in names and "id" in names
    assert not {"privateMetadata", "privateMetafield", "privateMetafields"} & names


def test_saved_card_events_carry_the_uid_recovery_metadata_and_phone() -> None:
    for event in (
        "list_stored_payment_methods",
        "stored_payment_method_delete_requested",
        "payment_gateway_initialize_tokenization_session",
        "payment_method_initialize_tokenization_session",
        "payment_method_process_tokenization_session",
    ):
        names = _field_names(DOCUMENTS.load(f"subscriptions/{event}.graphql"))
        # the nullable privateMetafields: a staff user's withheld metadata must null that field, not the event
        assert {"privateMetafields", "email", "phone", "id"} <= names, event
        assert "privateMetadata" not in names, event
    names = _field_names(DOCUMENTS.load("subscriptions/customer_updated.graphql"))
    assert {"email", "phone", "id"} <= names and not {"privateMetadata", "privateMetafields"} & names


def test_payment_documents_carry_what_the_gateway_request_needs() -> None:
    for event in (
        "payment_gateway_initialize_session",
        "transaction_initialize_session",
        "transaction_process_session",
    ):
        names = _field_names(DOCUMENTS.load(f"subscriptions/{event}.graphql"))
        assert {
            "email",
            "userEmail",
            "phone",
            "languageCode",
            "languageCodeEnum",
            "metadata",
            "slug",
            "currencyCode",
            "sourceObject",
            "data",
        } <= names, event
    initialize = DOCUMENTS.load("subscriptions/transaction_initialize_session.graphql")
    assert "idempotencyKey" in _field_names(initialize)


def test_every_fragment_is_used() -> None:
    used = "\n".join(DOCUMENTS.load(path) for path in ALL_PATHS)
    for name in DOCUMENTS.fragments():
        assert f"fragment {name} on" in used


def _lowest_version_for(schema: GraphQLSchema, document_text: str) -> tuple[int, int]:
    type_info = TypeInfo(schema)
    found: list[tuple[int, int]] = [(3, 13)]

    def note(description: str | None) -> None:
        found.extend((int(m[1]), int(m[2])) for m in ADDED_IN.finditer(description or ""))

    class Collect(Visitor):
        def enter_field(self, *_: object) -> None:
            field = type_info.get_field_def()
            note(field.description if field else None)
            named = get_named_type(type_info.get_type())
            note(getattr(named, "description", None))

        def enter_argument(self, *_: object) -> None:
            argument = type_info.get_argument()
            note(argument.description if argument else None)

        def enter_inline_fragment(self, *_: object) -> None:
            note(getattr(type_info.get_type(), "description", None))

    visit(parse(document_text), TypeInfoVisitor(type_info, Collect()))
    return max(found)


def test_required_saleor_version_covers_every_document(saleor_schema: GraphQLSchema) -> None:
    lowest = max(_lowest_version_for(saleor_schema, DOCUMENTS.load(path)) for path in ALL_PATHS)
    lowest = max([lowest, *(EVENT_SINCE[hook.event] for hook in WEBHOOKS if hook.event in EVENT_SINCE)])
    match = re.fullmatch(r">=(\d+)\.(\d+)", REQUIRED_SALEOR_VERSION)
    assert match is not None
    assert (int(match[1]), int(match[2])) == lowest  # neither too low (install fails) nor needlessly high


def test_assemble_appends_fragments_transitively_once_and_strips_comments() -> None:
    fragments = parse_fragments(
        {
            "A.graphql": "# about A\nfragment A on User { id ...B }\n",
            "B.graphql": "fragment B on User { email ...C }",
            "C.graphql": "fragment C on User { id }",
            "Unused.graphql": "fragment Unused on User { id }",
        }
    )
    text = assemble_document("query Q { me { ...A ... on User { ...C } } }  # trailing", fragments)
    assert text.startswith("query Q")
    assert [text.count(f"fragment {name} on") for name in "ABC"] == [1, 1, 1]
    assert "Unused" not in text and "#" not in text


def test_assemble_names_a_missing_fragment() -> None:
    with pytest.raises(DocumentError, match="fragment Missing"):
        assemble_document("query Q { me { ...Missing } }", {})


def test_fragment_files_must_define_one_fragment() -> None:
    with pytest.raises(DocumentError, match=r"two\.graphql"):
        parse_fragments({"two.graphql": "fragment A on User { id } fragment B on User { id }"})


def test_documents_can_come_from_another_folder(tmp_path: Path) -> None:
    (tmp_path / "fragments").mkdir()
    (tmp_path / "fragments" / "Me.graphql").write_text("fragment Me on User { id }")
    (tmp_path / "q.graphql").write_text("query Q { me { ...Me } }")
    documents = GraphQLDocuments(tmp_path)
    assert documents.operation_paths() == ["q.graphql"]
    assert "fragment Me on User" in documents.load("q.graphql")
    with pytest.raises(DocumentError):
        documents.load("../outside.graphql")
    with pytest.raises(DocumentError):
        documents.load("absent.graphql")

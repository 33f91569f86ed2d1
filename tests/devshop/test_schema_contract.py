"""The devshop's schema agrees with Saleor's for everything it serves, and real documents validate."""

from __future__ import annotations

import json

import pytest
from graphql import GraphQLSchema, build_schema, parse, validate
from tests.devshop.schema_compat import incompatibilities
from tests.devshop.standin_documents import DOCUMENTS
from tests.support.shared import SALEOR_DIR

from robotpayment_app.devshop.schema.build import build_schema as build_devshop_schema

CAPTURED = SALEOR_DIR / "captured"


@pytest.fixture(scope="module")
def devshop_schema() -> GraphQLSchema:
    return build_devshop_schema()._schema


def test_every_served_type_field_and_argument_agrees_with_saleor(
    devshop_schema: GraphQLSchema, saleor_schema: GraphQLSchema
) -> None:
    assert incompatibilities(devshop_schema, saleor_schema) == []


def test_the_payment_types_are_served(devshop_schema: GraphQLSchema) -> None:
    served = {name for name in devshop_schema.type_map if not name.startswith("__")}
    for name in ("Checkout", "TransactionItem", "TransactionInitializeSession", "StoredPaymentMethod", "Event"):
        assert name in served


def test_the_comparison_reports_each_kind_of_disagreement(saleor_schema: GraphQLSchema) -> None:
    wrong = build_schema(
        """
        type Query { checkout(id: ID!): Checkout  me: User }
        type Checkout { id: ID  email: String!  madeUp: Int }
        type User { id: ID! }
        enum TransactionActionEnum { CHARGE EXPLODE }
        input MetadataInput { key: String! }
        """
    )
    problems = incompatibilities(wrong, saleor_schema)
    assert "Query.checkout(id): ID! here, ID in Saleor" in problems
    assert "Checkout.id: ID here, ID! in Saleor" in problems
    assert "Checkout.email: String! here, String in Saleor" in problems
    assert "Checkout.madeUp: not in Saleor" in problems
    assert "enum TransactionActionEnum: value EXPLODE not in Saleor" in problems
    assert "input MetadataInput.value: required by Saleor, missing here" in problems


@pytest.mark.parametrize("path", sorted(CAPTURED.glob("*.graphql")), ids=lambda p: p.name)
def test_real_saleor_subscription_documents_validate(devshop_schema: GraphQLSchema, path: object) -> None:
    assert validate(devshop_schema, parse(path.read_text())) == []  # type: ignore[attr-defined]


def _captured_operations() -> list[tuple[str, str]]:
    operations = []
    for path in sorted(CAPTURED.glob("*.json")):
        record = json.loads(path.read_text())
        request = record.get("storefront_request") if isinstance(record, dict) else None
        if request and request.get("query"):
            operations.append((f"{path.stem}:{request['operation']}", request["query"]))
    return operations


@pytest.mark.parametrize(("name", "query"), _captured_operations(), ids=[n for n, _ in _captured_operations()])
def test_real_storefront_staff_and_app_operations_validate(
    devshop_schema: GraphQLSchema, name: str, query: str
) -> None:
    assert validate(devshop_schema, parse(query)) == [], name


@pytest.mark.parametrize("event", sorted(DOCUMENTS))
def test_stand_in_documents_are_valid_for_both_schemas(
    devshop_schema: GraphQLSchema, saleor_schema: GraphQLSchema, event: str
) -> None:
    document = parse(DOCUMENTS[event])
    assert validate(saleor_schema, document) == []
    assert validate(devshop_schema, document) == []

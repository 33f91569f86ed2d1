from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from graphql import GraphQLSchema, OperationDefinitionNode, parse, validate
from graphql.execution.values import get_variable_values

from robotpayment_app.saleor.errors import JwksFetchError
from robotpayment_app.saleor.graphql_client import (
    SaleorApiError,
    SaleorGraphQLClient,
    SaleorGraphQLError,
    SaleorMutationError,
    SaleorOperations,
    SaleorUnauthorized,
    SaleorUnavailable,
    app_id_fetcher,
    fetch_jwks,
    jwks_fetcher,
    jwks_url,
)
from robotpayment_app.saleor.responses import CardDetails

API_URL = "https://shop.example.com/graphql/"
TOKEN = "app-token-SECRET-0123456789"
OPERATIONS = SaleorOperations.load()

Responder = Callable[[dict[str, Any]], httpx.Response]


class FakeSaleor:
    """Answers GraphQL POSTs; checks each request is a valid operation with valid variables for the schema."""

    def __init__(self, schema: GraphQLSchema, respond: Responder) -> None:
        self.schema = schema
        self.respond = respond
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert request.method == "POST" and str(request.url) == API_URL
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        body = json.loads(request.content)
        document = parse(body["query"])
        assert validate(self.schema, document) == []
        operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        coerced = get_variable_values(self.schema, operation.variable_definitions or [], body["variables"])
        assert not isinstance(coerced, list), [error.message for error in coerced]
        self.requests.append(body)
        return self.respond(body)


def make_client(saleor: Callable[[httpx.Request], httpx.Response]) -> SaleorGraphQLClient:
    http = httpx.AsyncClient(transport=httpx.MockTransport(saleor))
    return SaleorGraphQLClient(http, API_URL, TOKEN, operations=OPERATIONS)


def data(payload: dict[str, Any]) -> Responder:
    return lambda _body: httpx.Response(200, json={"data": payload})


async def test_fetch_app_id(saleor_schema: GraphQLSchema) -> None:
    saleor = FakeSaleor(saleor_schema, data({"app": {"id": "QXBwOjQ="}}))
    assert await make_client(saleor).fetch_app_id() == "QXBwOjQ="
    assert saleor.requests[0]["query"] == OPERATIONS.app_id


async def test_app_query_without_app_means_not_an_app_token(saleor_schema: GraphQLSchema) -> None:
    with pytest.raises(SaleorUnauthorized):
        await make_client(FakeSaleor(saleor_schema, data({"app": None}))).fetch_app_id()


async def test_transaction_event_report_sends_valid_variables(saleor_schema: GraphQLSchema) -> None:
    saleor = FakeSaleor(
        saleor_schema,
        data(
            {
                "transactionEventReport": {
                    "alreadyProcessed": False,
                    "transactionEvent": {"id": "ev-1"},
                    "errors": [],
                }
            }
        ),
    )
    result = await make_client(saleor).transaction_event_report(
        transaction_id="VHJhbnNhY3Rpb25JdGVtOjE=",
        psp_reference="gid-123",
        event_type="CHARGE_SUCCESS",
        amount=Decimal("3500.0"),
        message="決済" * 300,
        time=datetime(2026, 11, 28, 0, 15, tzinfo=UTC),
        available_actions=["REFUND"],
        payment_method_details=CardDetails(name="VISA •••• 1111", brand="visa", last_digits="1111"),
    )
    assert result.already_processed is False and result.event_id == "ev-1"
    variables = saleor.requests[0]["variables"]
    assert variables["amount"] == 3500 and variables["type"] == "CHARGE_SUCCESS"
    assert variables["time"] == "2026-11-28T00:15:00+00:00" and len(variables["message"]) == 512
    assert variables["availableActions"] == ["REFUND"]
    assert variables["paymentMethodDetails"] == {
        "card": {"name": "VISA •••• 1111", "brand": "visa", "lastDigits": "1111"}
    }


async def test_minimal_report_is_valid_too(saleor_schema: GraphQLSchema) -> None:
    saleor = FakeSaleor(
        saleor_schema, data({"transactionEventReport": {"alreadyProcessed": True, "errors": []}})
    )
    result = await make_client(saleor).transaction_event_report(
        transaction_id="T1", psp_reference="gid-1", event_type="REFUND_FAILURE", amount=Decimal(1500)
    )
    assert result.already_processed is True


async def test_already_exists_is_success(saleor_schema: GraphQLSchema) -> None:
    answer = {
        "transactionEventReport": {
            "alreadyProcessed": None,
            "errors": [
                {"field": "pspReference", "code": "ALREADY_EXISTS", "message": "Event already exists"}
            ],
        }
    }
    result = await make_client(FakeSaleor(saleor_schema, data(answer))).transaction_event_report(
        transaction_id="T1", psp_reference="gid-1", event_type="CHARGE_SUCCESS", amount=Decimal(1)
    )
    assert result.already_processed is True


async def test_other_report_errors_are_typed(saleor_schema: GraphQLSchema) -> None:
    answer = {
        "transactionEventReport": {
            "errors": [{"field": "id", "code": "NOT_FOUND", "message": "No transaction"}]
        }
    }
    with pytest.raises(SaleorMutationError) as caught:
        await make_client(FakeSaleor(saleor_schema, data(answer))).transaction_event_report(
            transaction_id="T1", psp_reference="gid-1", event_type="CHARGE_SUCCESS", amount=Decimal(1)
        )
    assert caught.value.code == "NOT_FOUND" and caught.value.field == "id"


async def test_update_private_metadata(saleor_schema: GraphQLSchema) -> None:
    saleor = FakeSaleor(
        saleor_schema, data({"updatePrivateMetadata": {"item": {"__typename": "User"}, "errors": []}})
    )
    await make_client(saleor).update_private_metadata("VXNlcjo0OQ==", {"robotpayment.uid.000000": "u-49"})
    assert saleor.requests[0]["variables"] == {
        "id": "VXNlcjo0OQ==",
        "input": [{"key": "robotpayment.uid.000000", "value": "u-49"}],
    }
    refused = FakeSaleor(
        saleor_schema,
        data(
            {
                "updatePrivateMetadata": {
                    "item": None,
                    "errors": [{"field": "id", "code": "NOT_FOUND", "message": ""}],
                }
            }
        ),
    )
    with pytest.raises(SaleorMutationError, match="NOT_FOUND"):
        await make_client(refused).update_private_metadata("VXNlcjo0OQ==", {"k": "v"})


def _customers_page(body: dict[str, Any]) -> httpx.Response:
    pages = {
        None: (["U1", "U2"], True, "c1"),
        "c1": (["U3"], True, "c2"),
        "c2": (["U4"], False, None),
    }
    ids, has_next, cursor = pages[body["variables"]["after"]]
    edges = []
    for user_id in ids:
        metadata = [{"key": "other.app", "value": "x"}]
        if user_id != "U2":
            metadata.append({"key": f"robotpayment.uid.{user_id}", "value": f"uid-{user_id}"})
        edges.append(
            {"node": {"id": user_id, "email": f"{user_id}@example.com", "privateMetadata": metadata}}
        )
    return httpx.Response(
        200,
        json={
            "data": {
                "customers": {"pageInfo": {"hasNextPage": has_next, "endCursor": cursor}, "edges": edges}
            }
        },
    )


async def test_users_with_private_metadata_walks_all_pages(saleor_schema: GraphQLSchema) -> None:
    saleor = FakeSaleor(saleor_schema, _customers_page)
    users = await make_client(saleor).list_users_with_private_metadata(
        key_prefix="robotpayment.", page_size=2
    )
    assert [user.user_id for user in users] == ["U1", "U3", "U4"]  # U2 has no key of ours
    assert users[0].private_metadata == {"robotpayment.uid.U1": "uid-U1"}
    assert [request["variables"] for request in saleor.requests] == [
        {"first": 2, "after": None},
        {"first": 2, "after": "c1"},
        {"first": 2, "after": "c2"},
    ]
    everyone = await make_client(
        FakeSaleor(saleor_schema, _customers_page)
    ).list_users_with_private_metadata()
    assert len(everyone) == 4 and "other.app" in everyone[1].private_metadata


async def test_pagination_that_does_not_advance_is_an_error(saleor_schema: GraphQLSchema) -> None:
    stuck = data({"customers": {"pageInfo": {"hasNextPage": True, "endCursor": None}, "edges": []}})
    with pytest.raises(SaleorUnavailable, match="did not advance"):
        await make_client(FakeSaleor(saleor_schema, stuck)).list_users_with_private_metadata()
    with pytest.raises(ValueError, match="page_size"):
        await make_client(FakeSaleor(saleor_schema, stuck)).list_users_with_private_metadata(page_size=500)


def _raise(error: Exception) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler


@pytest.mark.parametrize(
    ("handler", "error", "reason"),
    [
        (_raise(httpx.ReadTimeout("timed out")), SaleorUnavailable, "did not answer in time"),
        (_raise(httpx.ConnectError("refused")), SaleorUnavailable, "ConnectError"),
        (lambda _r: httpx.Response(502, text="bad gateway"), SaleorUnavailable, "HTTP 502"),
        (lambda _r: httpx.Response(200, text="<html>"), SaleorUnavailable, "not JSON"),
        (lambda _r: httpx.Response(401, json={"errors": [{"message": "x"}]}), SaleorUnauthorized, "HTTP 401"),
        (
            lambda _r: httpx.Response(
                200,
                json={
                    "data": None,
                    "errors": [
                        {"message": "denied", "extensions": {"exception": {"code": "PermissionDenied"}}}
                    ],
                },
            ),
            SaleorUnauthorized,
            "permission",
        ),
        (
            lambda _r: httpx.Response(400, json={"errors": [{"message": 'Cannot query field "x"'}]}),
            SaleorGraphQLError,
            "Cannot query field",
        ),
        (lambda _r: httpx.Response(200, json={"data": {"app": 5}}), SaleorUnauthorized, "not an app token"),
        (lambda _r: httpx.Response(404, json={}), SaleorApiError, "HTTP 404"),
    ],
)
async def test_failures_are_typed_and_never_show_the_token(
    handler: Callable[[httpx.Request], httpx.Response], error: type[Exception], reason: str
) -> None:
    client = make_client(handler)
    with pytest.raises(error, match=reason) as caught:
        await client.fetch_app_id()
    assert TOKEN not in str(caught.value) and caught.value.__cause__ is None


def test_token_is_not_in_repr_or_attributes() -> None:
    client = SaleorGraphQLClient(httpx.AsyncClient(), API_URL, TOKEN, operations=OPERATIONS)
    assert TOKEN not in repr(client) and TOKEN not in str(client)
    assert TOKEN not in repr(vars(client))


async def test_explicit_timeouts_are_passed(saleor_schema: GraphQLSchema) -> None:
    seen: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={"data": {"app": {"id": "QXBwOjQ="}}})

    await make_client(handler).fetch_app_id()
    assert seen[0]["read"] is not None and seen[0]["read"] <= 15 and seen[0]["connect"] is not None


def test_jwks_url_uses_the_origin_of_the_api_url() -> None:
    assert jwks_url("https://shop.example.com/graphql/") == "https://shop.example.com/.well-known/jwks.json"
    assert jwks_url("http://127.0.0.1:8000/graphql/") == "http://127.0.0.1:8000/.well-known/jwks.json"
    with pytest.raises(JwksFetchError):
        jwks_url("shop.example.com/graphql/")


def _jwks_http(response: httpx.Response, seen: list[str]) -> httpx.AsyncClient:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return response

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_fetch_jwks(saleor_jwks: dict[str, Any]) -> None:
    seen: list[str] = []
    http = _jwks_http(httpx.Response(200, json=saleor_jwks), seen)
    assert await fetch_jwks(http, "https://shop.example.com/graphql/") == saleor_jwks
    assert await jwks_fetcher(http)("https://shop.example.com/graphql/") == saleor_jwks
    assert seen == ["https://shop.example.com/.well-known/jwks.json"] * 2


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (httpx.Response(404), "HTTP 404"),
        (httpx.Response(200, text="nope"), "not JSON"),
        (httpx.Response(200, json={"keys": []}), "no keys"),
        (httpx.Response(200, json={"keys": [{"kty": "oct", "kid": "k", "k": "c2VjcmV0"}]}), "not an RSA key"),
    ],
)
async def test_fetch_jwks_refuses_unusable_answers(response: httpx.Response, reason: str) -> None:
    with pytest.raises(JwksFetchError, match=reason):
        await fetch_jwks(_jwks_http(response, []), API_URL)


async def test_app_id_fetcher_for_registration(saleor_schema: GraphQLSchema) -> None:
    saleor = FakeSaleor(saleor_schema, data({"app": {"id": "QXBwOjQ="}}))
    fetch = app_id_fetcher(httpx.AsyncClient(transport=httpx.MockTransport(saleor)), OPERATIONS)
    assert await fetch(API_URL, TOKEN) == "QXBwOjQ="

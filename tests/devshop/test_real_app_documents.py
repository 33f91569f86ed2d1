"""The payment app's own documents and manifest (repository root) work against the devshop,
and app removal (appDelete / APP_DELETED) behaves as on Saleor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    Node,
    parse,
    validate,
    visit,
)
from graphql.language import Visitor
from tests.devshop.harness import Harness, Start
from tests.devshop.standin_app import APP_IDENTIFIER
from tests.support.shared import REPO_ROOT

from robotpayment_app.devshop.schema.build import build_schema as build_devshop_schema

GRAPHQL_DIR = REPO_ROOT / "graphql"
DOCUMENTS = sorted(p for p in GRAPHQL_DIR.glob("*/*.graphql") if p.parent.name != "fragments")


class _Spreads(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: object) -> None:
        self.names.add(node.name.value)


def _with_fragments(document: DocumentNode, fragments: dict[str, FragmentDefinitionNode]) -> DocumentNode:
    """The document plus the fragments it uses, transitively (as the app sends it)."""
    needed: dict[str, FragmentDefinitionNode] = {}
    pending: list[Node] = [document]
    while pending:
        spreads = _Spreads()
        visit(pending.pop(), spreads)
        for name in spreads.names - needed.keys():
            if name in fragments:
                needed[name] = fragments[name]
                pending.append(fragments[name])
    return DocumentNode(definitions=(*document.definitions, *needed.values()))


@pytest.fixture(scope="module")
def devshop_schema() -> GraphQLSchema:
    return build_devshop_schema()._schema


@pytest.mark.skipif(not DOCUMENTS, reason="the app has no GraphQL documents yet")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_apps_documents_validate_against_the_devshop(devshop_schema: GraphQLSchema, path: Path) -> None:
    fragments = {}
    for fragment_file in (GRAPHQL_DIR / "fragments").glob("*.graphql"):
        for definition in parse(fragment_file.read_text()).definitions:
            assert isinstance(definition, FragmentDefinitionNode)
            fragments[definition.name.value] = definition
    document = _with_fragments(parse(path.read_text()), fragments)
    assert [e.message for e in validate(devshop_schema, document)] == []


@pytest.mark.skipif(not (REPO_ROOT / "manifest.json").exists(), reason="no manifest.json yet")
async def test_the_apps_manifest_installs(start: Start) -> None:
    app_manifest = json.loads((REPO_ROOT / "manifest.json").read_text())
    async with start() as shop:
        # the app's webhooks and permissions; registration still goes to the stand-in
        shop.standin.manifest_overrides = {
            "id": app_manifest["id"],
            "permissions": app_manifest["permissions"],
            "webhooks": app_manifest["webhooks"],
        }
        await shop.install()
        record = shop.devshop.store.app_by_identifier(app_manifest["id"])
        assert record is not None
        declared = {e for w in app_manifest["webhooks"] for e in w.get("syncEvents", []) + w.get("asyncEvents", [])}
        assert {e for w in record.webhooks for e in w.sync_events | w.async_events} == declared


async def test_app_delete_tells_apps_that_manage_apps(start: Start) -> None:
    async with start() as shop:
        shop.standin.permissions = ["HANDLE_PAYMENTS", "MANAGE_APPS"]
        await shop.install()
        app_token = shop.app_token
        staff = await shop.login(shop.devshop.config.staff)
        deleted = await shop.data(
            'mutation { appDelete(id: "QXBwOjE=") { app { id identifier } errors { code } } }', token=staff
        )
        assert deleted["appDelete"] == {"app": {"id": "QXBwOjE=", "identifier": APP_IDENTIFIER}, "errors": []}
        await shop.devshop.webhooks.drain()
        [delivery] = shop.standin.of("APP_DELETED")
        assert delivery.payload["app"] == {
            "id": "QXBwOjE=",
            "identifier": APP_IDENTIFIER,
            "name": "Stand-in Payment App",
        }
        gone = await shop.gql("{ app { id } }", token=app_token)
        assert gone["errors"][0]["message"] == "Invalid app token."
        assert shop.standin.problems == []


async def test_without_manage_apps_an_app_is_not_told_of_its_removal(shop: Harness) -> None:
    staff = await shop.login(shop.devshop.config.staff)
    await shop.data('mutation { appDelete(id: "QXBwOjE=") { errors { code } } }', token=staff)
    await shop.devshop.webhooks.drain()
    assert shop.standin.of("APP_DELETED") == []
    shopper = await shop.login(shop.devshop.config.shopper)
    refused = await shop.gql('mutation { appDelete(id: "QXBwOjE=") { errors { code } } }', token=shopper)
    assert refused["errors"][0]["extensions"]["exception"]["code"] == "PermissionDenied"

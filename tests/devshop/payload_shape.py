"""Does a webhook body have exactly the shape the app's subscription asks for, per Saleor's schema?"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)


def shape_problems(schema: GraphQLSchema, document: DocumentNode, event_type: str, body: Any) -> list[str]:
    """Differences between `body` and what `subscription { event { ... } }` selects for `event_type`."""
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    event_field = operation.selection_set.selections[0]
    assert isinstance(event_field, FieldNode) and event_field.selection_set is not None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    concrete = schema.type_map[event_type]
    assert isinstance(concrete, GraphQLObjectType)
    return _Checker(schema, fragments).object(event_field.selection_set, concrete, body, "event")


class _Checker:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments

    def _applies(self, condition: str | None, concrete: GraphQLObjectType) -> bool:
        if condition is None or condition == concrete.name:
            return True
        abstract = self.schema.type_map.get(condition)
        if isinstance(abstract, (GraphQLInterfaceType, GraphQLUnionType)):
            return self.schema.is_sub_type(abstract, concrete)
        return False

    def _collect(
        self, selections: SelectionSetNode, concrete: GraphQLObjectType, into: dict[str, list[FieldNode]]
    ) -> None:
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                into.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition.name.value if selection.type_condition else None
                if self._applies(condition, concrete):
                    self._collect(selection.selection_set, concrete, into)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if self._applies(fragment.type_condition.name.value, concrete):
                    self._collect(fragment.selection_set, concrete, into)

    def object(self, selections: SelectionSetNode, concrete: GraphQLObjectType, value: Any, path: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        fields: dict[str, list[FieldNode]] = {}
        self._collect(selections, concrete, fields)
        problems = []
        missing = set(fields) - set(value)
        extra = set(value) - set(fields)
        problems += [f"{path}.{key}: selected but missing" for key in sorted(missing)]
        problems += [f"{path}.{key}: present but not selected" for key in sorted(extra)]
        for key, nodes in fields.items():
            if key not in value:
                continue
            name = nodes[0].name.value
            if name == "__typename":
                if value[key] != concrete.name:
                    problems.append(f"{path}.__typename: {value[key]!r}, expected {concrete.name!r}")
                continue
            field_type = concrete.fields[name].type
            merged = SelectionSetNode(
                selections=tuple(s for n in nodes if n.selection_set for s in n.selection_set.selections)
            )
            problems += self.value(field_type, merged, value[key], f"{path}.{key}")
        return problems

    def value(self, gtype: GraphQLOutputType, selections: SelectionSetNode, value: Any, path: str) -> list[str]:
        if isinstance(gtype, GraphQLNonNull):
            if value is None:
                return [f"{path}: null where Saleor's schema says non-null"]
            return self.value(gtype.of_type, selections, value, path)
        if value is None:
            return []
        if isinstance(gtype, GraphQLList):
            if not isinstance(value, list):
                return [f"{path}: expected a list"]
            return [
                p for i, item in enumerate(value) for p in self.value(gtype.of_type, selections, item, f"{path}[{i}]")
            ]
        return self.named(gtype, selections, value, path)

    def named(self, gtype: GraphQLNamedType, selections: SelectionSetNode, value: Any, path: str) -> list[str]:
        if isinstance(gtype, GraphQLObjectType):
            return self.object(selections, gtype, value, path)
        if isinstance(gtype, (GraphQLInterfaceType, GraphQLUnionType)):
            typename = value.get("__typename") if isinstance(value, dict) else None
            candidates = self.schema.get_possible_types(gtype)
            concrete = next((t for t in candidates if t.name == typename), None)
            if concrete is None and len(candidates) == 1:
                concrete = candidates[0]
            if concrete is None:
                return [f"{path}: abstract {gtype.name} without __typename; cannot check"]
            return self.object(selections, concrete, value, path)
        if isinstance(gtype, GraphQLEnumType):
            return [] if value in gtype.values else [f"{path}: {value!r} is not a {gtype.name} value"]
        assert isinstance(gtype, GraphQLScalarType)
        return _scalar(gtype.name, value, path)


def _scalar(name: str, value: Any, path: str) -> list[str]:
    ok: bool
    if name in ("String", "ID", "UUID"):
        ok = isinstance(value, str)
    elif name == "Int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif name in ("Float", "PositiveDecimal", "Decimal"):
        # Saleor writes money as JSON floats (3500.0), never as ints or strings
        ok = isinstance(value, float)
    elif name == "Boolean":
        ok = isinstance(value, bool)
    elif name == "DateTime":
        ok = isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    else:
        ok = True  # JSON, JSONString, Metadata: any JSON value
    return [] if ok else [f"{path}: {value!r} is not a {name}"]

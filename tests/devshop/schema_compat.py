"""Compare the devshop's schema with Saleor's, type by type and field by field."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
)

_BUILTIN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


_KINDS = (
    GraphQLObjectType,
    GraphQLInterfaceType,
    GraphQLUnionType,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLScalarType,
)


def _kind(named: GraphQLNamedType) -> str:
    return next(kind.__name__ for kind in _KINDS if isinstance(named, kind))


def incompatibilities(ours: GraphQLSchema, saleor: GraphQLSchema) -> list[str]:
    """Every place where a type or field the devshop serves disagrees with Saleor's schema."""
    problems: list[str] = []
    for name, mine in ours.type_map.items():
        if name.startswith("__") or name in _BUILTIN_SCALARS:
            continue
        theirs = saleor.type_map.get(name)
        if theirs is None:
            problems.append(f"type {name}: not in Saleor's schema")
            continue
        if _kind(mine) != _kind(theirs):
            problems.append(f"type {name}: is {_kind(mine)} here, {_kind(theirs)} in Saleor")
            continue
        if isinstance(mine, (GraphQLObjectType, GraphQLInterfaceType)):
            assert isinstance(theirs, (GraphQLObjectType, GraphQLInterfaceType))
            problems += _compare_output(name, mine, theirs)
        elif isinstance(mine, GraphQLInputObjectType):
            assert isinstance(theirs, GraphQLInputObjectType)
            problems += _compare_input(name, mine, theirs)
        elif isinstance(mine, GraphQLEnumType):
            assert isinstance(theirs, GraphQLEnumType)
            extra = set(mine.values) - set(theirs.values)
            problems += [f"enum {name}: value {v} not in Saleor" for v in sorted(extra)]
        elif isinstance(mine, GraphQLUnionType):
            assert isinstance(theirs, GraphQLUnionType)
            extra = {t.name for t in mine.types} - {t.name for t in theirs.types}
            problems += [f"union {name}: member {t} not in Saleor" for t in sorted(extra)]
        elif isinstance(mine, GraphQLScalarType):
            pass  # same name and kind is all a scalar can share
    for root in ("query_type", "mutation_type", "subscription_type"):
        mine_root, theirs_root = getattr(ours, root), getattr(saleor, root)
        if mine_root is not None and (theirs_root is None or mine_root.name != theirs_root.name):
            problems.append(f"{root}: named {mine_root.name} here")
    return problems


def _compare_output(
    name: str,
    mine: GraphQLObjectType | GraphQLInterfaceType,
    theirs: GraphQLObjectType | GraphQLInterfaceType,
) -> list[str]:
    problems = []
    extra_interfaces = {i.name for i in mine.interfaces} - {i.name for i in theirs.interfaces}
    problems += [f"{name}: implements {i}, Saleor's does not" for i in sorted(extra_interfaces)]
    for field_name, field in mine.fields.items():
        other = theirs.fields.get(field_name)
        if other is None:
            problems.append(f"{name}.{field_name}: not in Saleor")
            continue
        if str(field.type) != str(other.type):
            problems.append(f"{name}.{field_name}: {field.type} here, {other.type} in Saleor")
        for arg_name, arg in field.args.items():
            other_arg = other.args.get(arg_name)
            if other_arg is None:
                problems.append(f"{name}.{field_name}({arg_name}): argument not in Saleor")
            elif str(arg.type) != str(other_arg.type):
                problems.append(f"{name}.{field_name}({arg_name}): {arg.type} here, {other_arg.type} in Saleor")
        for arg_name, other_arg in other.args.items():
            required = isinstance(other_arg.type, GraphQLNonNull) and other_arg.default_value is None
            if required and arg_name not in field.args:
                problems.append(f"{name}.{field_name}({arg_name}): required by Saleor, missing here")
    return problems


def _compare_input(name: str, mine: GraphQLInputObjectType, theirs: GraphQLInputObjectType) -> list[str]:
    problems = []
    for field_name, field in mine.fields.items():
        other = theirs.fields.get(field_name)
        if other is None:
            problems.append(f"input {name}.{field_name}: not in Saleor")
        elif str(field.type) != str(other.type):
            problems.append(f"input {name}.{field_name}: {field.type} here, {other.type} in Saleor")
    for field_name, other in theirs.fields.items():
        if isinstance(other.type, GraphQLNonNull) and field_name not in mine.fields:
            problems.append(f"input {name}.{field_name}: required by Saleor, missing here")
    return problems

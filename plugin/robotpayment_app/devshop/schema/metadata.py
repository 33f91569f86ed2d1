"""Saleor's `Node` and `ObjectWithMetadata` interfaces, shared by the record-backed types."""

from __future__ import annotations

import strawberry

from ..context import Info
from .common import MetadataItem, metadata_items
from .scalars import Metadata


def _selected(values: dict[str, str], keys: list[str] | None) -> Metadata:
    return Metadata(dict(values) if keys is None else {key: values[key] for key in keys if key in values})


@strawberry.interface(name="Node")
class Node:
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.global_id())

    def global_id(self) -> str:
        raise NotImplementedError


@strawberry.interface(name="ObjectWithMetadata")
class ObjectWithMetadata:
    @strawberry.field
    def metadata(self) -> list[MetadataItem]:
        return metadata_items(self.public_values())

    @strawberry.field
    def metafield(self, key: str) -> str | None:
        return self.public_values().get(key)

    @strawberry.field
    def metafields(self, keys: list[str] | None = None) -> Metadata | None:
        return _selected(self.public_values(), keys)

    @strawberry.field
    def private_metadata(self, info: Info) -> list[MetadataItem]:
        info.context.requester.require_any(*self.private_permissions())
        return metadata_items(self.private_values())

    @strawberry.field
    def private_metafield(self, info: Info, key: str) -> str | None:
        info.context.requester.require_any(*self.private_permissions())
        return self.private_values().get(key)

    @strawberry.field
    def private_metafields(self, info: Info, keys: list[str] | None = None) -> Metadata | None:
        # nullable, as in Saleor: a permission error nulls this field only (privateMetadata is non-null, so its
        # error nulls the nearest nullable parent, often the whole event)
        info.context.requester.require_any(*self.private_permissions())
        return _selected(self.private_values(), keys)

    def public_values(self) -> dict[str, str]:
        raise NotImplementedError

    def private_values(self) -> dict[str, str]:
        raise NotImplementedError

    def private_permissions(self) -> tuple[str, ...]:
        """Who may read the private metadata (Saleor: those who manage the object)."""
        raise NotImplementedError

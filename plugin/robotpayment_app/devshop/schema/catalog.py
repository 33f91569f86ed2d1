"""Products and variants with yen prices in a channel."""

from __future__ import annotations

import base64
import json
from datetime import datetime

import strawberry

from ..context import Info
from ..domain import records
from ..ids import to_global_id
from .common import PageInfo, TaxedMoney, TaxedMoneyRange, taxed
from .metadata import Node, ObjectWithMetadata
from .scalars import JSONString


@strawberry.type(name="VariantPricingInfo")
class VariantPricingInfo:
    on_sale: bool | None
    price: TaxedMoney | None
    price_undiscounted: TaxedMoney | None


@strawberry.type(name="ProductPricingInfo")
class ProductPricingInfo:
    on_sale: bool | None
    display_gross_prices: bool
    price_range: TaxedMoneyRange | None
    price_range_undiscounted: TaxedMoneyRange | None


@strawberry.type(name="ProductVariant")
class ProductVariant(Node, ObjectWithMetadata):
    record: strawberry.Private[records.ProductVariant]
    channel_slug: strawberry.Private[str | None]

    def global_id(self) -> str:
        return to_global_id("ProductVariant", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return {}

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_PRODUCTS",)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def sku(self) -> str | None:
        return self.record.sku

    @strawberry.field
    def channel(self) -> str | None:
        return self.channel_slug

    @strawberry.field
    def product(self, info: Info) -> Product:
        product = info.context.shop.store.products[self.record.product_pk]
        return Product(record=product, channel_slug=self.channel_slug)

    @strawberry.field
    def pricing(self, info: Info) -> VariantPricingInfo | None:
        if self.channel_slug is None or self.channel_slug not in self.record.prices:
            return None
        currency = info.context.shop.store.channels[self.channel_slug].currency_code
        price = taxed(self.record.prices[self.channel_slug], currency)
        return VariantPricingInfo(on_sale=False, price=price, price_undiscounted=price)


@strawberry.type(name="Product")
class Product(Node, ObjectWithMetadata):
    record: strawberry.Private[records.Product]
    channel_slug: strawberry.Private[str | None]

    def global_id(self) -> str:
        return to_global_id("Product", self.record.pk)

    def public_values(self) -> dict[str, str]:
        return self.record.metadata

    def private_values(self) -> dict[str, str]:
        return {}

    def private_permissions(self) -> tuple[str, ...]:
        return ("MANAGE_PRODUCTS",)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def slug(self) -> str:
        return self.record.slug

    @strawberry.field
    def description(self) -> JSONString | None:
        # Saleor stores descriptions as Editor.js documents
        document = {"blocks": [{"type": "paragraph", "data": {"text": self.record.description}}]}
        return JSONString(json.dumps(document))

    @strawberry.field
    def channel(self) -> str | None:
        return self.channel_slug

    @strawberry.field
    def created(self) -> datetime:
        return self.record.created

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.record.created

    @strawberry.field
    def variants(self, info: Info) -> list[ProductVariant] | None:
        store = info.context.shop.store
        return [
            ProductVariant(record=store.variants[pk], channel_slug=self.channel_slug) for pk in self.record.variant_pks
        ]

    @strawberry.field
    def default_variant(self, info: Info) -> ProductVariant | None:
        if not self.record.variant_pks:
            return None
        variant = info.context.shop.store.variants[self.record.variant_pks[0]]
        return ProductVariant(record=variant, channel_slug=self.channel_slug)

    @strawberry.field
    def is_available(self) -> bool | None:
        return self.channel_slug is not None

    @strawberry.field
    def pricing(self, info: Info) -> ProductPricingInfo | None:
        if self.channel_slug is None:
            return None
        store = info.context.shop.store
        currency = store.channels[self.channel_slug].currency_code
        prices = [store.variants[pk].prices[self.channel_slug] for pk in self.record.variant_pks]
        if not prices:
            return None
        price_range = TaxedMoneyRange(start=taxed(min(prices), currency), stop=taxed(max(prices), currency))
        return ProductPricingInfo(
            on_sale=False,
            display_gross_prices=True,
            price_range=price_range,
            price_range_undiscounted=price_range,
        )


@strawberry.type(name="ProductCountableEdge")
class ProductCountableEdge:
    node: Product
    cursor: str


@strawberry.type(name="ProductCountableConnection")
class ProductCountableConnection:
    page_info: PageInfo
    edges: list[ProductCountableEdge]
    total_count: int | None


def encode_cursor(index: int) -> str:
    return base64.b64encode(f"arrayconnection:{index}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """Index after which a page starts; raises ValueError naming the bad cursor."""
    try:
        prefix, _, index = base64.b64decode(cursor.encode(), validate=True).decode().partition(":")
        if prefix != "arrayconnection":
            raise ValueError
        return int(index)
    except ValueError:
        raise ValueError(f"Invalid cursor: {cursor!r}.") from None

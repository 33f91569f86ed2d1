"""Saleor's `Query` fields the devshop serves."""

from __future__ import annotations

import uuid

import strawberry

from ..context import Info
from ..errors import PermissionDeniedError, ShopError
from ..ids import InvalidGlobalIdError, from_global_id
from ..services.transactions import find_transaction
from .catalog import Product, ProductCountableConnection, ProductCountableEdge, decode_cursor, encode_cursor
from .common import Channel, PageInfo
from .nodes import App, Checkout, Order, TransactionItem, User, UserCountableConnection, user_connection


def _pk(global_id: str, type_name: str) -> str | None:
    try:
        return from_global_id(global_id, type_name)[1]
    except InvalidGlobalIdError:
        return None


@strawberry.type(name="Query")
class Query:
    @strawberry.field
    def me(self, info: Info) -> User | None:
        requester = info.context.requester
        requester.require_valid_token()
        if requester.user is None or requester.app is not None:
            return None
        return User(record=requester.user)

    @strawberry.field
    def channels(self, info: Info) -> list[Channel] | None:
        # as Saleor: an authenticated app or staff user
        requester = info.context.requester
        requester.require_valid_token()
        if requester.app is None and not requester.is_staff:
            raise PermissionDeniedError(("AUTHENTICATED_STAFF_USER", "AUTHENTICATED_APP"))
        return [Channel(record=channel) for channel in info.context.shop.store.channels.values()]

    @strawberry.field
    def channel(self, info: Info, id: strawberry.ID | None = None, slug: str | None = None) -> Channel | None:
        channels = info.context.shop.store.channels.values()
        if slug is not None:
            return next((Channel(record=c) for c in channels if c.slug == slug), None)
        if id is not None:
            pk = _pk(id, "Channel")
            return next((Channel(record=c) for c in channels if str(c.pk) == pk), None)
        return None

    @strawberry.field
    def products(
        self,
        info: Info,
        channel: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> ProductCountableConnection | None:
        store = info.context.shop.store
        slug = channel or next(iter(store.channels))
        if slug not in store.channels:
            raise ShopError("NOT_FOUND", f"Channel with '{slug}' slug does not exist.", "channel")
        if first is not None and not 0 <= first <= 100:
            raise ShopError("INVALID", "Argument `first` must be between 0 and 100.", "first")
        products = sorted(store.products.values(), key=lambda p: p.pk)
        start = decode_cursor(after) + 1 if after else 0
        stop = len(products) if first is None else min(len(products), start + first)
        edges = [
            ProductCountableEdge(node=Product(record=p, channel_slug=slug), cursor=encode_cursor(i))
            for i, p in enumerate(products[start:stop], start=start)
        ]
        return ProductCountableConnection(
            page_info=PageInfo(
                has_next_page=stop < len(products),
                has_previous_page=start > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            edges=edges,
            total_count=len(products),
        )

    @strawberry.field
    def product(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        slug: str | None = None,
        channel: str | None = None,
    ) -> Product | None:
        store = info.context.shop.store
        slug_of_channel = channel or next(iter(store.channels))
        for product in store.products.values():
            if (slug is not None and product.slug == slug) or (
                id is not None and str(product.pk) == _pk(id, "Product")
            ):
                return Product(record=product, channel_slug=slug_of_channel)
        return None

    @strawberry.field
    def checkout(self, info: Info, id: strawberry.ID | None = None, token: uuid.UUID | None = None) -> Checkout | None:
        try:
            return Checkout(record=info.context.shop.checkouts.find(info.context.requester, id, token))
        except ShopError:
            return None

    @strawberry.field
    def order(self, info: Info, id: strawberry.ID | None = None) -> Order | None:
        raw = _pk(id, "Order") if id is not None else None
        try:
            order = info.context.shop.store.orders.get(uuid.UUID(raw)) if raw else None
        except ValueError:
            order = None
        if order is None:
            return None
        requester = info.context.requester
        is_owner = requester.user is not None and requester.app is None and requester.user.pk == order.user_pk
        if not is_owner:
            requester.require_any("MANAGE_ORDERS", "HANDLE_PAYMENTS")
        return Order(record=order)

    @strawberry.field
    def transaction(
        self, info: Info, id: strawberry.ID | None = None, token: uuid.UUID | None = None
    ) -> TransactionItem | None:
        info.context.requester.require_any("HANDLE_PAYMENTS", "MANAGE_ORDERS")
        try:
            return TransactionItem(record=find_transaction(info.context.shop.store, id, token))
        except ShopError:
            return None

    @strawberry.field
    def app(self, info: Info, id: strawberry.ID | None = None) -> App | None:
        requester = info.context.requester
        requester.require_valid_token()
        if id is None:
            return App(record=requester.app) if requester.app is not None else None
        pk = _pk(id, "App")
        found = info.context.shop.store.apps.get(int(pk)) if pk and pk.isdigit() else None
        if found is None:
            return None
        if requester.app is not None and requester.app.pk == found.pk:
            return App(record=found)
        if not requester.is_staff:
            raise PermissionDeniedError(("AUTHENTICATED_STAFF_USER", "AUTHENTICATED_APP"))
        return App(record=found)

    @strawberry.field
    def customers(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> UserCountableConnection | None:
        users = info.context.shop.accounts.list_customers(info.context.requester)
        return user_connection(users, first, after)

    @strawberry.field
    def user(self, info: Info, id: strawberry.ID | None = None, email: str | None = None) -> User | None:
        found = info.context.shop.accounts.get_user(info.context.requester, id, email)
        return User(record=found) if found is not None else None

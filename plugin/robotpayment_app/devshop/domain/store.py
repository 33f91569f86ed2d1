"""The devshop's in-memory state.

Asyncio safety: every change to the store happens in plain (non-async) methods, between
awaits, so one coroutine's update can never interleave with another's. Callers never hold
state across a webhook call without re-reading it afterwards.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from .records import (
    Channel,
    Checkout,
    InstalledApp,
    Order,
    Principal,
    Product,
    ProductVariant,
    TransactionEvent,
    TransactionEventType,
    TransactionItem,
    User,
    utc_now,
)


class ShopStore:
    def __init__(self) -> None:
        self.channels: dict[str, Channel] = {}
        self.products: dict[int, Product] = {}
        self.variants: dict[int, ProductVariant] = {}
        self.users: dict[int, User] = {}
        self.checkouts: dict[uuid.UUID, Checkout] = {}
        self.orders: dict[uuid.UUID, Order] = {}
        self.transactions: dict[uuid.UUID, TransactionItem] = {}
        self.apps: dict[int, InstalledApp] = {}
        # (app identifier, idempotency key) -> transaction token; keys are unique per app
        self.idempotency_keys: dict[tuple[str, str], uuid.UUID] = {}
        self._counters: dict[str, Iterator[int]] = {}

    def next_pk(self, kind: str) -> int:
        counter = self._counters.setdefault(kind, itertools.count(1))
        return next(counter)

    # -- lookups -------------------------------------------------------------------------

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((u for u in self.users.values() if u.email.lower() == wanted), None)

    def app_by_identifier(self, identifier: str) -> InstalledApp | None:
        return next((a for a in self.apps.values() if a.identifier == identifier and a.is_active), None)

    def product_of(self, variant: ProductVariant) -> Product:
        return self.products[variant.product_pk]

    def transactions_of_checkout(self, token: uuid.UUID) -> list[TransactionItem]:
        return [t for t in self.transactions.values() if t.checkout_token == token]

    def transactions_of_order(self, pk: uuid.UUID) -> list[TransactionItem]:
        return [t for t in self.transactions.values() if t.order_pk == pk]

    def orders_of_user(self, user_pk: int) -> list[Order]:
        return sorted((o for o in self.orders.values() if o.user_pk == user_pk), key=lambda o: o.number, reverse=True)

    # -- changes -------------------------------------------------------------------------

    def add_event(
        self,
        transaction: TransactionItem,
        event_type: TransactionEventType,
        amount: Decimal,
        *,
        psp_reference: str = "",
        message: str = "",
        external_url: str = "",
        created_at: datetime | None = None,
        created_by: Principal | None = None,
        idempotency_key: str | None = None,
        include_in_calculations: bool = True,
    ) -> TransactionEvent:
        event = TransactionEvent(
            pk=self.next_pk("transaction_event"),
            transaction_token=transaction.token,
            type=event_type,
            amount=amount,
            currency=transaction.currency,
            psp_reference=psp_reference,
            message=message,
            external_url=external_url,
            created_at=created_at or utc_now(),
            created_by=created_by,
            idempotency_key=idempotency_key,
            include_in_calculations=include_in_calculations,
        )
        transaction.events.append(event)
        transaction.modified_at = utc_now()
        return event

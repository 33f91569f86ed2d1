"""Gateway customers (uid + encrypted key) of Saleor users, and their saved cards.

Cards are reached for payment only through `CardRepository.get_owned`, which requires the owner: Saleor never
checks that a stored payment method belongs to the user asking, so the lookup does.
"""

from __future__ import annotations

import secrets
from types import SimpleNamespace
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from robotpayment_app.store._sql import Clock, conflict_aware_insert, utc_now
from robotpayment_app.store.card_lists import CardChanges, NoCardChanges, changing_cards
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import CardNotFound, CustomerAlreadyExists, RecordNotFound
from robotpayment_app.store.records import Card, CardDetails, Customer, OwnedCard
from robotpayment_app.store.tables import CardRow, CustomerRow

CARD_ID_PREFIX = "card_"


def new_card_public_id() -> str:
    """`card_` + 22 URL-safe characters (128 random bits): unguessable, so ids can be shown to browsers."""
    return CARD_ID_PREFIX + secrets.token_urlsafe(16)


def gateway_key_context(installation_id: int, store_id: str, gateway_customer_id: str) -> str:
    return f"customers.gateway_key:{installation_id}:{store_id}:{gateway_customer_id}"


# Built once: every payment with a saved card and every saved-card list runs one of these (see store/ledger.py).
_CARDS: Table = CardRow.__table__  # type: ignore[assignment]
_CUSTOMERS: Table = CustomerRow.__table__  # type: ignore[assignment]
_OWNER_PREFIX = "owner_"
_USERS_CARDS = (
    select(_CARDS)
    .join_from(_CARDS, _CUSTOMERS, _CARDS.c.customer_id == _CUSTOMERS.c.id)
    .where(
        _CUSTOMERS.c.installation_id == bindparam("installation_id"),
        _CUSTOMERS.c.store_id == bindparam("store_id"),
        _CUSTOMERS.c.saleor_user_id == bindparam("saleor_user_id"),
    )
    .order_by(_CARDS.c.created_at, _CARDS.c.id)
)
_OWNED_CARD = (
    select(*_CARDS.c, *(column.label(_OWNER_PREFIX + column.name) for column in _CUSTOMERS.c))
    .join_from(_CARDS, _CUSTOMERS, _CARDS.c.customer_id == _CUSTOMERS.c.id)
    .where(
        _CARDS.c.public_id == bindparam("public_id"),
        _CUSTOMERS.c.installation_id == bindparam("installation_id"),
        _CUSTOMERS.c.store_id == bindparam("store_id"),
        _CUSTOMERS.c.saleor_user_id == bindparam("saleor_user_id"),
    )
)


def _customer_record(row: Any, box: SecretBox) -> Customer:
    """A customer from a customers row (an ORM object, or anything naming the same columns)."""
    return Customer(
        id=row.id,
        installation_id=row.installation_id,
        store_id=row.store_id,
        saleor_user_id=row.saleor_user_id,
        gateway_customer_id=row.gateway_customer_id,
        gateway_key=box.decrypt(
            row.gateway_key_encrypted,
            context=gateway_key_context(row.installation_id, row.store_id, row.gateway_customer_id),
        ),
        email=row.email,
        phone=row.phone,
        created_at=row.created_at,
    )


def _card_record(row: Any) -> Card:
    """A card from a cards row (an ORM object or a Core row: both name their columns)."""
    return Card(
        id=row.id,
        public_id=row.public_id,
        customer_id=row.customer_id,
        card_seq=row.card_seq,
        masked_number=row.masked_number,
        last4=row.last4,
        brand=row.brand,
        exp_month=row.exp_month,
        exp_year=row.exp_year,
        holder_name=row.holder_name,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _details_values(details: CardDetails) -> dict[str, object]:
    return {
        "masked_number": details.masked_number,
        "last4": details.last4,
        "brand": details.brand,
        "exp_month": details.exp_month,
        "exp_year": details.exp_year,
        "holder_name": details.holder_name,
    }


class _CardOwnersRepository:
    """What both repositories below hold: their writes change what saved-card lists show (store/card_lists.py)."""

    def __init__(
        self,
        sessions: SessionFactory,
        secret_box: SecretBox,
        *,
        clock: Clock = utc_now,
        changes: CardChanges | None = None,
    ) -> None:
        self._sessions = sessions
        self._box = secret_box
        self._clock = clock
        self._changes = changes or NoCardChanges()


class CustomerRepository(_CardOwnersRepository):

    async def get(self, customer_id: int) -> Customer | None:
        async with self._sessions() as session:
            row = await session.get(CustomerRow, customer_id)
            return _customer_record(row, self._box) if row is not None else None

    async def get_by_user(self, installation_id: int, store_id: str, saleor_user_id: str) -> Customer | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(CustomerRow).where(
                    CustomerRow.installation_id == installation_id,
                    CustomerRow.store_id == store_id,
                    CustomerRow.saleor_user_id == saleor_user_id,
                )
            )
            return _customer_record(row, self._box) if row is not None else None

    async def get_by_gateway_customer_id(
        self, installation_id: int, store_id: str, gateway_customer_id: str
    ) -> Customer | None:
        async with self._sessions() as session:
            row = await session.scalar(
                select(CustomerRow).where(
                    CustomerRow.installation_id == installation_id,
                    CustomerRow.store_id == store_id,
                    CustomerRow.gateway_customer_id == gateway_customer_id,
                )
            )
            return _customer_record(row, self._box) if row is not None else None

    async def list_for_user(self, installation_id: int, saleor_user_id: str) -> list[Customer]:
        """Every gateway customer of one Saleor user (one per store id), e.g. to purge on CUSTOMER_DELETED."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(CustomerRow)
                .where(
                    CustomerRow.installation_id == installation_id,
                    CustomerRow.saleor_user_id == saleor_user_id,
                )
                .order_by(CustomerRow.id)
            )
            return [_customer_record(row, self._box) for row in rows]

    async def list_for_installation(self, installation_id: int) -> list[Customer]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(CustomerRow)
                .where(CustomerRow.installation_id == installation_id)
                .order_by(CustomerRow.id)
            )
            return [_customer_record(row, self._box) for row in rows]

    async def create(
        self,
        *,
        installation_id: int,
        store_id: str,
        saleor_user_id: str,
        gateway_customer_id: str,
        gateway_key: SecretStr,
        email: str | None = None,
        phone: str | None = None,
    ) -> Customer:
        """Remember the gateway customer registered for a Saleor user.

        Raises `CustomerAlreadyExists` when the user (or the gateway customer id) is already known for this
        store id: two concurrent registrations cannot both succeed.
        """
        row = CustomerRow(
            installation_id=installation_id,
            store_id=store_id,
            saleor_user_id=saleor_user_id,
            gateway_customer_id=gateway_customer_id,
            gateway_key_encrypted=self._box.encrypt(
                gateway_key, context=gateway_key_context(installation_id, store_id, gateway_customer_id)
            ),
            email=email,
            phone=phone,
            created_at=self._clock(),
        )
        try:
            async with self._sessions.begin() as session:
                session.add(row)
                await session.flush()
                return _customer_record(row, self._box)
        except IntegrityError:
            raise CustomerAlreadyExists(
                f"store {store_id} already has a customer for Saleor user {saleor_user_id!r} "
                f"or gateway customer id {gateway_customer_id!r}"
            ) from None

    async def update_contact(self, customer_id: int, *, email: str | None, phone: str | None) -> Customer:
        """Record the e-mail/phone last sent to the gateway for this customer."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(CustomerRow)
                .where(CustomerRow.id == customer_id)
                .values(email=email, phone=phone)
                .returning(CustomerRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no customer {customer_id}")
            return _customer_record(row, self._box)

    async def delete(self, customer_id: int) -> bool:
        """Forget a customer and its cards (ledger rows keep their amounts, losing the link)."""
        async with changing_cards(self._sessions, self._changes) as session:
            result = await session.execute(
                delete(CustomerRow).where(CustomerRow.id == customer_id).returning(CustomerRow.id)
            )
            return result.scalar_one_or_none() is not None


class CardRepository(_CardOwnersRepository):

    async def get(self, card_id: int) -> Card | None:
        """A card by the app's own id (for showing what a payment was made with; no ownership check)."""
        async with self._sessions() as session:
            row = await session.get(CardRow, card_id)
            return _card_record(row) if row is not None else None

    async def list_for_customer(self, customer_id: int) -> list[Card]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(CardRow)
                .where(CardRow.customer_id == customer_id)
                .order_by(CardRow.created_at, CardRow.id)
            )
            return [_card_record(row) for row in rows]

    async def list_for_user(self, installation_id: int, store_id: str, saleor_user_id: str) -> list[Card]:
        """The saved cards a Saleor user may use with this store id (oldest first)."""
        parameters = {"installation_id": installation_id, "store_id": store_id, "saleor_user_id": saleor_user_id}
        async with self._sessions() as session:
            rows = await session.execute(_USERS_CARDS, parameters)
            return [_card_record(row) for row in rows]

    async def list_for_webhook(self, installation_id: int, store_id: str, saleor_user_id: str) -> list[Card]:
        """`list_for_user`, served from this process's copy while no card has changed anywhere since it was read
        (store/card_lists.py)."""
        cache = self._changes.cache
        if cache is None:
            return await self.list_for_user(installation_id, store_id, saleor_user_id)
        self._changes.refresh()
        key = (installation_id, store_id, saleor_user_id)
        cached = cache.get(key)
        if cached is not None:
            return list(cached)
        generation = cache.generation
        cards = await self.list_for_user(installation_id, store_id, saleor_user_id)
        cache.put(key, tuple(cards), generation)
        return cards

    async def get_owned(
        self, *, installation_id: int, store_id: str, saleor_user_id: str, public_id: str
    ) -> OwnedCard:
        """The card `public_id` with its owner, only if it belongs to `saleor_user_id` under this store id.

        Raises `CardNotFound` both when the card does not exist and when it is someone else's.
        """
        parameters = {
            "public_id": public_id,
            "installation_id": installation_id,
            "store_id": store_id,
            "saleor_user_id": saleor_user_id,
        }
        # every saved-card payment reads this: on the driver's connection (store/driver.py)
        async with self._sessions.driver(write=False) as connection:
            found = await connection.fetch_one(_OWNED_CARD, parameters)
        if found is None:
            raise CardNotFound(public_id)
        columns = found._asdict().items()
        owner = SimpleNamespace(
            **{name.removeprefix(_OWNER_PREFIX): value for name, value in columns if name.startswith(_OWNER_PREFIX)}
        )
        return OwnedCard(card=_card_record(found), customer=_customer_record(owner, self._box))

    async def add(self, customer_id: int, card_seq: int, details: CardDetails) -> Card:
        """Remember card number `card_seq` (`num`) of a customer.

        Idempotent: when that card_seq is already stored (a retried registration), its details are refreshed
        and its public id is kept.
        """
        now = self._clock()
        values = _details_values(details)
        async with changing_cards(self._sessions, self._changes) as session:
            insert = await conflict_aware_insert(session, CardRow)
            await session.execute(
                insert.values(
                    public_id=new_card_public_id(),
                    customer_id=customer_id,
                    card_seq=card_seq,
                    created_at=now,
                    updated_at=now,
                    **values,
                ).on_conflict_do_update(
                    index_elements=[CardRow.customer_id, CardRow.card_seq], set_={**values, "updated_at": now}
                )
            )
            row = await session.scalar(
                select(CardRow).where(CardRow.customer_id == customer_id, CardRow.card_seq == card_seq)
            )
            assert row is not None  # just written in this transaction
            return _card_record(row)

    async def replace_details(self, card_id: int, details: CardDetails) -> Card:
        """New details after the card was updated at the gateway (same `num`, same public id)."""
        async with changing_cards(self._sessions, self._changes) as session:
            result = await session.execute(
                update(CardRow)
                .where(CardRow.id == card_id)
                .values(**_details_values(details), updated_at=self._clock())
                .returning(CardRow)
            )
            row = result.scalar_one_or_none()
            if row is None:
                raise RecordNotFound(f"no card {card_id}")
            return _card_record(row)

    async def delete(self, card_id: int) -> bool:
        async with changing_cards(self._sessions, self._changes) as session:
            result = await session.execute(delete(CardRow).where(CardRow.id == card_id).returning(CardRow.id))
            return result.scalar_one_or_none() is not None

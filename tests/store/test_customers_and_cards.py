from __future__ import annotations

import re

import pytest
from pydantic import SecretStr, ValidationError
from sqlalchemy import text

from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.errors import CardNotFound, CustomerAlreadyExists
from robotpayment_app.store.records import CardDetails, Customer, Installation, LedgerIntent, LedgerKind
from robotpayment_app.store.repositories import Store

STORE_ID = "000123"
ALICE = "VXNlcjpBbGljZQ=="
BOB = "VXNlcjpCb2I="
ALICE_KEY = "aK3yAlice9"


async def _customer(
    store: Store, installation: Installation, user: str, uid: str, key: str = "key0000000"
) -> Customer:
    return await store.customers.create(
        installation_id=installation.id,
        store_id=STORE_ID,
        saleor_user_id=user,
        gateway_customer_id=uid,
        gateway_key=SecretStr(key),
        email=f"{uid}@example.com",
    )


async def test_customer_is_stored_with_its_key_encrypted(
    store: Store, installation: Installation, session_factory: SessionFactory
) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice", ALICE_KEY)

    assert alice.gateway_key.get_secret_value() == ALICE_KEY
    assert ALICE_KEY not in repr(alice)
    assert await store.customers.get_by_user(installation.id, STORE_ID, ALICE) == alice
    assert await store.customers.get_by_gateway_customer_id(installation.id, STORE_ID, "rp-alice") == alice
    assert await store.customers.get(alice.id) == alice
    assert await store.customers.get_by_user(installation.id, "999999", ALICE) is None
    async with session_factory() as session:
        stored = (await session.execute(text("SELECT gateway_key_encrypted FROM customers"))).scalar_one()
    assert ALICE_KEY not in stored
    assert stored.startswith("rpenc1:")


async def test_a_user_or_gateway_id_cannot_be_registered_twice_per_store(
    store: Store, installation: Installation
) -> None:
    await _customer(store, installation, ALICE, "rp-alice")

    with pytest.raises(CustomerAlreadyExists):
        await _customer(store, installation, ALICE, "rp-alice-2")
    with pytest.raises(CustomerAlreadyExists):
        await _customer(store, installation, BOB, "rp-alice")
    other_store = await store.customers.create(
        installation_id=installation.id,
        store_id="000999",
        saleor_user_id=ALICE,
        gateway_customer_id="rp-alice",
        gateway_key=SecretStr("k"),
    )
    assert [c.id for c in await store.customers.list_for_user(installation.id, ALICE)][-1] == other_store.id
    assert len(await store.customers.list_for_installation(installation.id)) == 2


async def test_contact_details_can_be_updated(store: Store, installation: Installation) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice", ALICE_KEY)
    updated = await store.customers.update_contact(alice.id, email="new@example.com", phone="0311112222")
    assert (updated.email, updated.phone) == ("new@example.com", "0311112222")
    assert updated.gateway_key.get_secret_value() == ALICE_KEY


async def test_cards_get_unguessable_public_ids_and_adding_again_is_idempotent(
    store: Store, installation: Installation
) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice")
    first = await store.cards.add(
        alice.id, 1, CardDetails(masked_number="*****1111", exp_month=12, exp_year=2030)
    )
    second = await store.cards.add(alice.id, 2, CardDetails(masked_number="*****4242", brand="VISA"))

    assert re.fullmatch(r"card_[A-Za-z0-9_-]{22}", first.public_id)
    assert first.public_id != second.public_id
    assert first.last4 == "1111"
    again = await store.cards.add(
        alice.id, 1, CardDetails(masked_number="*****1111", exp_month=1, exp_year=2031)
    )
    assert (again.id, again.public_id) == (first.id, first.public_id)
    assert (again.exp_month, again.exp_year) == (1, 2031)
    assert [card.card_seq for card in await store.cards.list_for_customer(alice.id)] == [1, 2]
    assert [card.public_id for card in await store.cards.list_for_user(installation.id, STORE_ID, ALICE)] == [
        first.public_id,
        second.public_id,
    ]


async def test_owned_lookup_returns_card_and_owner_with_key(store: Store, installation: Installation) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice", ALICE_KEY)
    card = await store.cards.add(alice.id, 3, CardDetails(masked_number="*****1111"))

    owned = await store.cards.get_owned(
        installation_id=installation.id, store_id=STORE_ID, saleor_user_id=ALICE, public_id=card.public_id
    )

    assert owned.card == card
    assert owned.customer == alice
    assert owned.customer.gateway_key.get_secret_value() == ALICE_KEY


async def test_owned_lookup_refuses_another_users_card_like_a_missing_one(
    store: Store, installation: Installation
) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice")
    await _customer(store, installation, BOB, "rp-bob")
    alices_card = await store.cards.add(alice.id, 1, CardDetails(masked_number="*****1111"))
    other = await store.installations.upsert(
        saleor_api_url="https://other.example.com/graphql/",
        domain="other.example.com",
        app_id="x",
        app_token=SecretStr("t"),
        jwks=None,
    )

    attempts = [
        {"installation_id": installation.id, "store_id": STORE_ID, "saleor_user_id": BOB},  # another user
        {
            "installation_id": installation.id,
            "store_id": "000999",
            "saleor_user_id": ALICE,
        },  # another store id
        {"installation_id": other.id, "store_id": STORE_ID, "saleor_user_id": ALICE},  # another Saleor
        {"installation_id": installation.id, "store_id": STORE_ID, "saleor_user_id": ""},  # a guest
    ]
    for owner in attempts:
        with pytest.raises(CardNotFound) as raised:
            await store.cards.get_owned(public_id=alices_card.public_id, **owner)  # type: ignore[arg-type]
        assert str(raised.value) == f"no saved card {alices_card.public_id!r} for this customer"
    with pytest.raises(CardNotFound):
        await store.cards.get_owned(
            installation_id=installation.id, store_id=STORE_ID, saleor_user_id=ALICE, public_id="card_missing"
        )


async def test_replace_details_keeps_the_public_id(store: Store, installation: Installation) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice")
    card = await store.cards.add(alice.id, 1, CardDetails(masked_number="*****1111"))

    replaced = await store.cards.replace_details(card.id, CardDetails(masked_number="*****0004", exp_month=5))

    assert (replaced.public_id, replaced.card_seq) == (card.public_id, 1)
    assert (replaced.last4, replaced.exp_month) == ("0004", 5)


async def test_deleting_a_card(store: Store, installation: Installation) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice")
    card = await store.cards.add(alice.id, 1, CardDetails())
    assert await store.cards.delete(card.id) is True
    assert await store.cards.delete(card.id) is False
    assert await store.cards.list_for_customer(alice.id) == []


async def test_deleting_a_customer_cascades_to_cards_and_unlinks_ledger_rows(
    store: Store, installation: Installation
) -> None:
    alice = await _customer(store, installation, ALICE, "rp-alice")
    card = await store.cards.add(alice.id, 1, CardDetails(masked_number="*****1111"))
    begun = await store.ledger.begin(
        installation.id,
        "init:k1",
        "f",
        LedgerIntent(
            kind=LedgerKind.PAYMENT, amount=3500, currency="JPY", customer_id=alice.id, card_id=card.id
        ),
    )

    assert await store.customers.delete(alice.id) is True

    assert await store.cards.list_for_customer(alice.id) == []
    with pytest.raises(CardNotFound):
        await store.cards.get_owned(
            installation_id=installation.id, store_id=STORE_ID, saleor_user_id=ALICE, public_id=card.public_id
        )
    kept = await store.ledger.get(begun.entry.id)
    assert kept is not None
    assert (kept.amount, kept.customer_id, kept.card_id) == (3500, None, None)


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        ({"masked_number": "4444333322221111"}, "must be masked"),
        ({"last4": "11a1"}, "four digits"),
        ({"exp_month": 13}, "less than or equal to 12"),
        ({"exp_year": 25}, "greater than or equal to 2000"),
    ],
)
def test_card_details_refuse_card_numbers_and_bad_values(values: dict[str, object], rule: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(rule)):
        CardDetails.model_validate(values)

"""CUSTOMER_UPDATED and CUSTOMER_DELETED keep the gateway's user records in step with Saleor's users."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from robotpayment_app.flows.errors import GatewayNotReachable
from robotpayment_app.saleor.webhooks import SaleorEvent
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.tables import CardRow, CustomerRow
from tests.flows_cards.support import MASTERCARD, VISA, CardOwner, assert_valid_answer, recording_gateway_calls
from tests.saleor.support import captured_deliveries
from tests.support.app_harness import AppHarness

USER_ID = "VXNlcjo0OQ=="  # the captured deliveries' user


def _captured(name: str, app_harness: AppHarness, **user: Any) -> dict[str, Any]:
    """A real Saleor 3.24 delivery body (more fields than our documents ask for), for this installation."""
    body: dict[str, Any] = json.loads(captured_deliveries()[name]["raw_body"])
    body["recipient"] = {"id": app_harness.saleor.app_id}
    body["user"] = {**body["user"], **user}
    return body


async def _deliver(app_harness: AppHarness, event: SaleorEvent, body: dict[str, Any]) -> None:
    response = await app_harness.deliver(event, body)
    assert response.status_code == 200
    assert_valid_answer(event, response.json())


async def _owner_with_cards(app_harness: AppHarness) -> tuple[CardOwner, str]:
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, USER_ID, "hanako.suzuki@example.com", phone="+81312345678")
    await owner.save_card(VISA)
    await owner.save_card(MASTERCARD, brand="mastercard")
    uid = (await owner.open_save_card_page())["data"]["threeDS"]["uid"]
    return owner, uid


async def _rows(sessions: SessionFactory, user_id: str) -> tuple[int, int]:
    """(customer rows, card rows) the app keeps for a Saleor user, straight from the tables."""
    async with sessions() as session:
        customers = await session.scalar(
            select(func.count()).select_from(CustomerRow).where(CustomerRow.saleor_user_id == user_id)
        )
        cards = await session.scalar(
            select(func.count())
            .select_from(CardRow)
            .join(CustomerRow, CardRow.customer_id == CustomerRow.id)
            .where(CustomerRow.saleor_user_id == user_id)
        )
    return int(customers or 0), int(cards or 0)


async def test_a_new_email_or_phone_updates_the_gateway_user(app_harness: AppHarness) -> None:
    _, uid = await _owner_with_cards(app_harness)
    body = _captured("customer_updated.json", app_harness)  # e-mail hanako.suzuki+updated@…, same phone
    with recording_gateway_calls() as gateway:
        await _deliver(app_harness, SaleorEvent.CUSTOMER_UPDATED, body)
    assert gateway.commands() == ["carduser.aspx:1"]
    at_gateway = app_harness.sandbox.customer(uid)
    assert at_gateway is not None
    assert (at_gateway.email, at_gateway.phone) == ("hanako.suzuki+updated@example.com", "0312345678")
    (stored,) = await app_harness.services.store.customers.list_for_user(app_harness.installation.id, USER_ID)
    assert (stored.email, stored.phone) == ("hanako.suzuki+updated@example.com", "0312345678")

    # the same delivery again (Saleor retries async webhooks), and a new phone
    with recording_gateway_calls() as gateway:
        await _deliver(app_harness, SaleorEvent.CUSTOMER_UPDATED, body)
        assert gateway.calls == []
        new_phone = {**body["user"]["defaultBillingAddress"], "phone": "+819011112222"}
        await _deliver(
            app_harness,
            SaleorEvent.CUSTOMER_UPDATED,
            _captured("customer_updated.json", app_harness, defaultBillingAddress=new_phone),
        )
    assert gateway.commands() == ["carduser.aspx:1"]
    assert at_gateway.phone == "09011112222"


async def test_metadata_only_updates_change_nothing(app_harness: AppHarness, session_factory: SessionFactory) -> None:
    """The app's own private-metadata write fires CUSTOMER_UPDATED: it must not call the gateway (no loop)."""
    owner, _ = await _owner_with_cards(app_harness)
    body = _captured(
        "customer_updated.private_metadata_updated.json",
        app_harness,
        privateMetadata=[{"key": key, "value": value} for key, value in owner.user()["privateMetafields"].items()],
        defaultBillingAddress={"phone": "+81312345678"},
    )
    with recording_gateway_calls() as gateway:
        await _deliver(app_harness, SaleorEvent.CUSTOMER_UPDATED, body)
        # a user the app has no gateway customer for costs nothing and creates nothing
        await _deliver(app_harness, SaleorEvent.CUSTOMER_UPDATED, {**body, "user": {**body["user"], "id": "VXNlcjo5"}})
        await _deliver(app_harness, SaleorEvent.CUSTOMER_UPDATED, {**body, "user": None})
    assert gateway.calls == []
    assert await _rows(session_factory, "VXNlcjo5") == (0, 0)


async def test_a_deleted_customer_leaves_no_rows_and_no_gateway_user(
    app_harness: AppHarness, session_factory: SessionFactory
) -> None:
    _, uid = await _owner_with_cards(app_harness)
    bystander = CardOwner(app_harness, "VXNlcjo1Mw==", "bystander@example.com")
    await bystander.save_card(VISA)
    assert await _rows(session_factory, USER_ID) == (1, 2)
    with recording_gateway_calls() as gateway:
        await _deliver(app_harness, SaleorEvent.CUSTOMER_DELETED, _captured("customer_deleted.json", app_harness))
    assert gateway.commands() == ["carduser.aspx:2"]
    assert app_harness.sandbox.customer(uid) is None
    assert await _rows(session_factory, USER_ID) == (0, 0)
    # others are untouched
    assert await _rows(session_factory, "VXNlcjo1Mw==") == (1, 1)
    assert len(await bystander.list_cards()) == 1
    # a repeated delivery finds nothing to do
    with recording_gateway_calls() as gateway:
        await _deliver(app_harness, SaleorEvent.CUSTOMER_DELETED, _captured("customer_deleted.json", app_harness))
    assert gateway.calls == []


async def test_deletion_is_retried_while_the_gateway_cannot_be_reached(
    app_harness: AppHarness, session_factory: SessionFactory
) -> None:
    """The delivery fails (HTTP 500), so Saleor sends it again; the rows stay until the gateway user is gone."""
    _, uid = await _owner_with_cards(app_harness)
    body = _captured("customer_deleted.json", app_harness)
    app_harness.sandbox.faults.add(Fault(endpoint="carduser.aspx", mode=FaultMode.STATUS, status=503, count=3))
    with pytest.raises(GatewayNotReachable):
        await app_harness.deliver(SaleorEvent.CUSTOMER_DELETED, body)
    assert await _rows(session_factory, USER_ID) == (1, 2)
    assert app_harness.sandbox.customer(uid) is not None
    app_harness.sandbox.faults.clear()
    await _deliver(app_harness, SaleorEvent.CUSTOMER_DELETED, body)
    assert app_harness.sandbox.customer(uid) is None
    assert await _rows(session_factory, USER_ID) == (0, 0)


async def test_a_gateway_user_deleted_elsewhere_is_purged_here_too(
    app_harness: AppHarness, session_factory: SessionFactory
) -> None:
    """Deleted in the control panel first: the delete is refused, a read confirms the user is gone."""
    _, uid = await _owner_with_cards(app_harness)
    del app_harness.sandbox.state.customers[("000000", uid)]
    with recording_gateway_calls() as gateway:
        await _deliver(app_harness, SaleorEvent.CUSTOMER_DELETED, _captured("customer_deleted.json", app_harness))
    assert gateway.commands() == ["carduser.aspx:2", "carduser.aspx:3"]
    assert await _rows(session_factory, USER_ID) == (0, 0)

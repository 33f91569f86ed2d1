"""`robotpayment-app recover`: after the app's database is lost, customers and cards come back from the users'
private metadata (or derived uids), the customer read (cmd 3, for the key) and card reads (cmd 6); and the
shopper pays one touch again."""

from __future__ import annotations

import io
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from robotpayment_app import cli
from robotpayment_app.flows.customers import CardScanLimits, gateway_customer_id_for
from robotpayment_app.gateway import GatewayTimeouts
from robotpayment_app.recovery.command import run_recovery
from robotpayment_app.recovery.rebuild import RecoveryOptions
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.tables import ChannelConfigRow, CustomerRow, KickbackNotificationRow, PaymentRow
from tests.flows_cards.support import JCB, MASTERCARD, VISA, CardOwner, pay_one_touch, recording_gateway_calls
from tests.support.app_harness import CLIENT_IP, GATEWAY_BASE_URL, AppHarness
from tests.support.fake_saleor import FakeSaleor

HANAKO, TARO, JIRO, NOBODY = "VXNlcjo0OQ==", "VXNlcjo1Mg==", "VXNlcjo1Mw==", "VXNlcjo1NA=="


def list_saleor_customers(monkeypatch: pytest.MonkeyPatch, fake: FakeSaleor, users: dict[str, str]) -> None:
    """Let the fake Saleor answer the `customers` query with these users (id -> e-mail) and the private metadata
    it holds for them. (Its own answer lists only users with metadata, with `email: null`, which Saleor's
    `String!` e-mail never is.)"""
    answer = fake._answer

    def with_customers(query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if "customers(" not in query:
            return answer(query, variables)
        edges = [
            {
                "node": {
                    "id": user_id,
                    "email": email,
                    "privateMetadata": [
                        {"key": key, "value": value} for key, value in fake.private_metadata.get(user_id, {}).items()
                    ],
                }
            }
            for user_id, email in users.items()
        ]
        return {"customers": {"edges": edges, "pageInfo": {"hasNextPage": False, "endCursor": None}}}

    monkeypatch.setattr(fake, "_answer", with_customers)


async def _shoppers_with_cards(app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch) -> dict[str, CardOwner]:
    """Hanako: cards 2 and 3 (card 1 deleted); Taro: card 1; Jiro: card 1 but no uid in his metadata (the write
    was lost); Nobody: never saved a card."""
    await app_harness.configure_channel()
    owners = {
        HANAKO: CardOwner(app_harness, HANAKO, "hanako@example.com"),
        TARO: CardOwner(app_harness, TARO, "taro@example.com", phone=None),
        JIRO: CardOwner(app_harness, JIRO, "jiro@example.com"),
        NOBODY: CardOwner(app_harness, NOBODY, "nobody@example.com"),
    }
    hanako = owners[HANAKO]
    first = await hanako.save_card(VISA)
    await hanako.save_card(MASTERCARD, brand="mastercard")
    assert (await hanako.delete_card(first["id"]))["result"] == "SUCCESSFULLY_DELETED"
    await hanako.save_card(JCB, brand="jcb")
    await owners[TARO].save_card(VISA)
    await owners[JIRO].save_card(MASTERCARD)
    del app_harness.saleor.private_metadata[JIRO]
    list_saleor_customers(monkeypatch, app_harness.saleor, {user: owner.email for user, owner in owners.items()})
    return owners


def _last_digits(methods: list[dict[str, Any]]) -> list[str]:
    return [method["name"][-4:] for method in methods]


async def _recover(app_harness: AppHarness, options: RecoveryOptions | None = None) -> tuple[int, str]:
    """The command's own run: its own services from the app's settings, against the fake Saleor and sandbox."""
    out = io.StringIO()
    status = await run_recovery(
        app_harness.services.settings,
        options or RecoveryOptions(),
        saleor_transport=app_harness.saleor.transport(),
        gateway_transport=httpx.ASGITransport(app=app_harness.sandbox_app, client=CLIENT_IP),
        out=out,
    )
    return status, out.getvalue()


async def test_recover_after_losing_customers_and_cards(
    app_harness: AppHarness, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    owners = await _shoppers_with_cards(app_harness, monkeypatch)
    async with session_factory.begin() as session:
        await session.execute(delete(CustomerRow))  # the cards go with them
    assert await owners[HANAKO].list_cards() == []

    with recording_gateway_calls() as gateway:
        status, output = await _recover(app_harness)
    assert status == 0, output
    assert output.strip() == (
        "https://shop.example.com/graphql/: store ids 000000: 4 users checked, 3 customers and 4 cards restored, "
        "0 open card sessions settled, 0 problems"
    )
    # bounded: one customer read per user, card reads up to 5 unknown numbers in a row per customer
    assert gateway.commands().count("carduser.aspx:3") == 4
    assert gateway.commands().count("carduser.aspx:6") == (3 + 5) + (1 + 5) + (1 + 5)

    hanako_cards = await owners[HANAKO].list_cards()
    assert _last_digits(hanako_cards) == ["4444", "0000"]
    assert _last_digits(await owners[TARO].list_cards()) == ["1111"]
    assert _last_digits(await owners[JIRO].list_cards()) == ["4444"]
    assert await owners[NOBODY].list_cards() == []
    # Jiro's uid was found by deriving it, and is noted in his metadata again
    jiro_uid = gateway_customer_id_for(app_harness.installation, JIRO)
    assert app_harness.saleor.private_metadata[JIRO] == {"robotpayment.uid.000000": jiro_uid}

    paid = await pay_one_touch(owners[HANAKO], hanako_cards[1]["id"], flow="AUTHORIZATION")
    assert paid["result"] == "AUTHORIZATION_SUCCESS", paid
    (payment,) = [p for p in app_harness.sandbox.payments() if p.endpoint == "onetouch.aspx"]
    assert (payment.card_seq, payment.amount) == (3, 3500)  # Hanako's JCB, number 3

    # running it again restores nothing and changes nothing
    status, output = await _recover(app_harness)
    assert status == 0 and "0 customers and 0 cards restored" in output
    assert [method["id"] for method in await owners[HANAKO].list_cards()] == [m["id"] for m in hanako_cards]


async def test_recover_after_losing_everything_but_the_installation(
    app_harness: AppHarness, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    owners = await _shoppers_with_cards(app_harness, monkeypatch)
    async with session_factory.begin() as session:
        for table in (KickbackNotificationRow, PaymentRow, CustomerRow, ChannelConfigRow):
            await session.execute(delete(table))

    # the store id is still in the users' metadata, but no channel says where its gateway is
    status, output = await _recover(app_harness)
    assert status == 1
    assert "problem: store id 000000: no channel uses it; pass --gateway-base-url to reach it" in output

    status, output = await _recover(
        app_harness, RecoveryOptions(gateway_base_url=GATEWAY_BASE_URL, scan=CardScanLimits(max_gap=2))
    )
    assert status == 0, output
    assert "3 customers and 4 cards restored" in output

    await app_harness.configure_channel()  # the merchant configures the channel again
    taro_cards = await owners[TARO].list_cards()
    assert _last_digits(taro_cards) == ["1111"]
    paid = await pay_one_touch(owners[TARO], taro_cards[0]["id"], flow="AUTHORIZATION")
    assert paid["result"] == "AUTHORIZATION_SUCCESS"
    assert _last_digits(await owners[HANAKO].list_cards()) == ["4444", "0000"]


async def test_metadata_only_recovery_skips_users_without_a_uid(
    app_harness: AppHarness, session_factory: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    owners = await _shoppers_with_cards(app_harness, monkeypatch)
    async with session_factory.begin() as session:
        await session.execute(delete(CustomerRow))
    status, output = await _recover(app_harness, RecoveryOptions(derive_uids=False))
    assert status == 0 and "2 customers and 3 cards restored" in output
    assert await owners[JIRO].list_cards() == []


def test_the_command_is_registered_and_needs_an_installation(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    monkeypatch.setenv("ROBOTPAYMENT_APP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ROBOTPAYMENT_APP_ENCRYPTION_KEY", generate_key())
    assert cli.main(["recover", "--saleor-api-url", "https://unknown.example.com/graphql/"]) == 2
    assert capsys.readouterr().out.strip() == "recover: no installation for https://unknown.example.com/graphql/"


async def test_recovery_settles_card_sessions_left_open(
    app_harness: AppHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A registration whose answer was lost, and nobody came back for it: recover settles it from the cards."""
    app_harness.services.gateway_timeouts = GatewayTimeouts(connect=1.0, read=1.0, write=1.0, pool=1.0, total=1.0)
    await app_harness.configure_channel()
    owner = CardOwner(app_harness, HANAKO, "hanako@example.com")
    token = await owner.card_token(VISA)
    app_harness.sandbox.faults.add(Fault(endpoint="carduser_token.aspx", mode=FaultMode.SLOW, delay_seconds=5))
    pending = await owner.tokenize({"tkn": token})
    assert pending["result"] == "PENDING"

    list_saleor_customers(monkeypatch, app_harness.saleor, {HANAKO: owner.email})
    status, output = await _recover(app_harness)
    assert status == 0, output
    assert "0 customers and 0 cards restored, 1 open card sessions settled, 0 problems" in output
    (listed,) = await owner.list_cards()
    assert (await owner.process(pending["id"]))["id"] == listed["id"]

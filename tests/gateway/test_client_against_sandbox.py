"""The client against the sandbox gateway over a real loopback socket: the whole saved-card life cycle, and the
failures a network can cause, as the gateway double answers them. (The unit tests never need the sandbox.)

Each test runs against the answer forms the spec leaves open: the bulk registration answer in its table's layout
and in its printed sample's, and lines with an empty free-data field at the end (as the official failure sample)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from robotpayment_app.gateway import (
    AmountsCharge,
    BulkRegistrationPayment,
    Cancellation,
    Capture,
    CardDeletion,
    CardLookup,
    CardRegistration,
    CardUpdate,
    CustomerDeletion,
    CustomerLookup,
    CustomerRegistration,
    Fixer,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayTimeouts,
    JobType,
    OneTouchCharge,
    ReadRetryPolicy,
    RobotPaymentClient,
    TokenPayment,
)
from robotpayment_app.sandbox.app import create_sandbox_app
from robotpayment_app.sandbox.config import SandboxConfig
from robotpayment_app.sandbox.server import serving
from robotpayment_app.sandbox.shopper import SandboxShopper

STORE = "000000"
APPROVED_CARD = "4444333322221111"
DECLINED_OVER_LIMIT = "4000000000000556"
SLOW_CARD = "4000000000000994"
CHARGED_THEN_DROPPED = "4000000000000978"


@dataclass
class Sandbox:
    url: str
    http: httpx.AsyncClient
    client: RobotPaymentClient
    shopper: SandboxShopper

    async def token(self, three_ds: dict[str, str | int], card: str = APPROVED_CARD) -> str:
        token = await self.shopper.create_token(STORE, card, "3012", "TARO", "YAMADA")
        assert await self.shopper.authenticate({"aid": STORE, **three_ds}, token) == "Success"
        return token

    async def payments(self) -> list[dict[str, object]]:
        answer = await self.http.get(self.url + "/sandbox/payments")
        payments: list[dict[str, object]] = answer.json()
        return payments


async def _started(config: SandboxConfig, timeouts: GatewayTimeouts | None = None) -> AsyncIterator[Sandbox]:
    async with serving(create_sandbox_app(config)) as url, httpx.AsyncClient() as http:
        client = RobotPaymentClient(
            http,
            base_url=url + "/gateway",
            timeouts=timeouts,
            read_retry=ReadRetryPolicy(attempts=3, first_delay=0.01, max_delay=0.02),
        )
        yield Sandbox(url, http, client, SandboxShopper(http, url))


ANSWER_FORMS = {
    "table layout": {"bulk_answer_layout": "table"},
    "sample layout": {"bulk_answer_layout": "sample"},
    "sample layout, empty free-data field": {"bulk_answer_layout": "sample", "empty_free_data_field": True},
    "table layout, empty free-data field": {"bulk_answer_layout": "table", "empty_free_data_field": True},
}


@pytest.fixture(params=list(ANSWER_FORMS))
async def sandbox(request: pytest.FixtureRequest) -> AsyncIterator[Sandbox]:
    config = SandboxConfig(line_ending="\r\n", slow_delay_seconds=1.0, **ANSWER_FORMS[request.param])
    async for started in _started(config):
        yield started


async def test_saved_card_life_cycle(sandbox: Sandbox) -> None:
    client = sandbox.client
    customer = await client.register_customer(
        CustomerRegistration(store_id=STORE, customer_id="shopper1", email="taro@example.com")
    )
    key = customer.customer_key
    found = await client.read_customer(CustomerLookup(store_id=STORE, customer_id="shopper1"))
    assert found.email == "taro@example.com"

    token = await sandbox.token({"uid": "shopper1"})
    card = await client.register_card(
        CardRegistration(store_id=STORE, customer_id="shopper1", customer_key=key, token=token)
    )
    details = await client.read_card(
        CardLookup(store_id=STORE, customer_id="shopper1", customer_key=key, card_seq=card.card_seq)
    )
    assert (details.masked_number, details.last4, details.expiry) == ("*****1111", "1111", "3012")

    paid = await client.charge_one_touch(
        OneTouchCharge(
            store_id=STORE,
            order_ref="order-1",
            customer_id="shopper1",
            customer_key=key,
            card_seq=card.card_seq,
            charge=AmountsCharge(job=JobType.AUTH, amount=3000, tax=300, shipping=500),
            extra={"memo": "two words", "ref": "A-1"},
        )
    )
    assert paid.succeeded and paid.gid is not None and paid.total == 3800
    assert dict(paid.extra) == {"memo": "two words", "ref": "A-1"}  # the sandbox echoes `memo=…&ref=…`

    captured = await client.capture(Capture(store_id=STORE, gid=paid.gid))
    assert captured.succeeded and captured.gid == paid.gid
    again = await client.capture(Capture(store_id=STORE, gid=paid.gid))
    assert not again.succeeded and again.error is not None and again.error.code == "ER032"
    assert (await client.cancel(Cancellation(store_id=STORE, gid=paid.gid))).succeeded

    new_token = await sandbox.token({"uid": "shopper1"}, card="5555555555554444")
    replaced = await client.update_card(
        CardUpdate(store_id=STORE, customer_id="shopper1", customer_key=key, card_seq=card.card_seq, token=new_token)
    )
    assert replaced.card_seq == card.card_seq
    await client.delete_card(
        CardDeletion(store_id=STORE, customer_id="shopper1", customer_key=key, card_seq=card.card_seq)
    )
    await client.delete_customer(CustomerDeletion(store_id=STORE, customer_id="shopper1", customer_key=key))
    with pytest.raises(GatewayRejected):
        await client.read_customer(CustomerLookup(store_id=STORE, customer_id="shopper1"))


async def test_bulk_registration_then_one_touch(sandbox: Sandbox) -> None:
    token = await sandbox.token({"am": 1000, "tx": 0, "sf": 0, "em": "hanako@example.com"})
    paid = await sandbox.client.pay_and_register(
        BulkRegistrationPayment(
            store_id=STORE,
            order_ref="order-2",
            customer_id="shopper2",
            token=token,
            charge=AmountsCharge(job=JobType.CAPTURE, amount=1000),
            email="hanako@example.com",
        )
    )
    assert paid.succeeded and paid.customer_id == "shopper2"
    customer = await sandbox.http.get(sandbox.url + "/sandbox/customers")
    assert [c["uid"] for c in customer.json()] == ["shopper2"] and paid.card_seq == "1"
    assert paid.customer_key is not None and len(paid.customer_key) == 10
    again = await sandbox.client.charge_one_touch(
        OneTouchCharge(
            store_id=STORE,
            order_ref="order-3",
            customer_id="shopper2",
            customer_key=paid.customer_key,
            card_seq=paid.card_seq,
            charge=AmountsCharge(job=JobType.CAPTURE, amount=2000),
            payment_method="61",
            installments=3,
        )
    )
    assert again.succeeded

    # the uid is taken now: a refusal in the same layout, read as one (not an unknown outcome)
    token = await sandbox.token({"am": 1000, "tx": 0, "sf": 0, "em": "hanako@example.com"})
    taken = await sandbox.client.pay_and_register(
        BulkRegistrationPayment(
            store_id=STORE,
            order_ref="order-4",
            customer_id="shopper2",
            token=token,
            charge=AmountsCharge(job=JobType.CAPTURE, amount=1000),
            email="hanako@example.com",
            extra={"memo": "again", "n": "2"},
        )
    )
    assert not taken.succeeded and taken.error is not None and taken.error.code == "ER021"
    assert (taken.customer_id, taken.customer_key, taken.card_seq) == ("shopper2", None, None)
    assert dict(taken.extra) == {"memo": "again", "n": "2"}


async def test_card_check_and_token_reuse(sandbox: Sandbox) -> None:
    token = await sandbox.token({"am": 0, "tx": 0, "sf": 0, "em": "guest@example.com"})
    check = TokenPayment(
        store_id=STORE,
        order_ref="check-1",
        token=token,
        charge=AmountsCharge(job=JobType.CHECK, amount=0),
        email="guest@example.com",
    )
    assert (await sandbox.client.pay_with_token(check)).succeeded
    reused = await sandbox.client.pay_with_token(check)
    assert not reused.succeeded and reused.error is not None and reused.error.code.startswith("ER58")


async def test_decline_and_3ds_mismatch_are_results(sandbox: Sandbox) -> None:
    token = await sandbox.token({"am": 1000, "tx": 0, "sf": 0, "em": "guest@example.com"}, DECLINED_OVER_LIMIT)
    charge = AmountsCharge(job=JobType.AUTH, amount=1000)
    request = TokenPayment(store_id=STORE, order_ref="o-4", token=token, charge=charge, email="guest@example.com")
    declined = await sandbox.client.pay_with_token(request)
    assert not declined.succeeded and declined.error is not None
    assert declined.error.code.startswith("G55") and declined.error.fixer is Fixer.SHOPPER

    token = await sandbox.token({"am": 1000, "tx": 0, "sf": 0, "em": "guest@example.com"})
    other_amount = AmountsCharge(job=JobType.AUTH, amount=1200)
    mismatch = TokenPayment(
        store_id=STORE, order_ref="o-5", token=token, charge=other_amount, email="guest@example.com"
    )
    result = await sandbox.client.pay_with_token(mismatch)
    assert not result.succeeded and result.error is not None and result.error.code == "ER900"


async def test_charged_then_dropped_is_unknown_and_really_charged(sandbox: Sandbox) -> None:
    token = await sandbox.token({"am": 1000, "tx": 0, "sf": 0, "em": "guest@example.com"}, CHARGED_THEN_DROPPED)
    request = TokenPayment(
        store_id=STORE,
        order_ref="dropped-1",
        token=token,
        charge=AmountsCharge(job=JobType.CAPTURE, amount=1000),
        email="guest@example.com",
    )
    with pytest.raises(GatewayOutcomeUnknown) as unknown:
        await sandbox.client.pay_with_token(request)
    assert unknown.value.call.cod == "dropped-1"
    assert [payment["cod"] for payment in await sandbox.payments()] == ["dropped-1"]  # it was charged


async def test_reads_recover_from_5xx_and_money_calls_do_not_retry(sandbox: Sandbox) -> None:
    await sandbox.client.register_customer(CustomerRegistration(store_id=STORE, customer_id="s3", phone="0311112222"))
    fault = {"endpoint": "carduser.aspx", "mode": "status", "status": 503, "count": 2}
    assert (await sandbox.http.post(sandbox.url + "/sandbox/faults", json=fault)).status_code == 201
    found = await sandbox.client.read_customer(CustomerLookup(store_id=STORE, customer_id="s3"))
    assert found.phone == "0311112222"

    fault = {"endpoint": "gateway.aspx", "mode": "garbage", "count": 1}
    await sandbox.http.post(sandbox.url + "/sandbox/faults", json=fault)
    with pytest.raises(GatewayOutcomeUnknown):
        await sandbox.client.capture(Capture(store_id=STORE, gid="10000001"))
    assert (await sandbox.http.get(sandbox.url + "/sandbox/faults")).json() == []


async def test_slow_answer_is_unknown() -> None:
    config = SandboxConfig(slow_delay_seconds=1.0)
    async for sandbox in _started(config, GatewayTimeouts(read=0.2, total=5.0)):
        token = await sandbox.token({"am": 1000, "tx": 0, "sf": 0, "em": "guest@example.com"}, SLOW_CARD)
        request = TokenPayment(
            store_id=STORE,
            order_ref="slow-1",
            token=token,
            charge=AmountsCharge(job=JobType.AUTH, amount=1000),
            email="guest@example.com",
        )
        with pytest.raises(GatewayOutcomeUnknown, match="ReadTimeout"):
            await sandbox.client.pay_with_token(request)


async def test_source_ip_not_allowed() -> None:
    async for sandbox in _started(SandboxConfig(allowed_ips=("192.0.2.1",))):
        with pytest.raises(GatewayRejected) as refused:
            await sandbox.client.register_customer(
                CustomerRegistration(store_id=STORE, customer_id="s4", email="a@example.com")
            )
        assert refused.value.entry.code == "ER003" and refused.value.entry.fixer is Fixer.MERCHANT

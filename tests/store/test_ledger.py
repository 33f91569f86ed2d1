from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.errors import LedgerKeyConflict, LedgerTransitionError, RecordNotFound
from robotpayment_app.store.ledger import PaymentLedger, request_fingerprint
from robotpayment_app.store.records import Installation, LedgerBegin, LedgerIntent, LedgerKind, LedgerStatus
from robotpayment_app.store.repositories import Store

PAYMENT = LedgerIntent(
    kind=LedgerKind.PAYMENT,
    saleor_transaction_id="VHJhbnNhY3Rpb25JdGVtOjE=",
    amount=3500,
    currency="JPY",
    job_type="AUTH",
    payment_method="10",
    shop_order_code="ord-1",
)
FINGERPRINT = request_fingerprint({"amount": 3500, "currency": "JPY", "md": "10"})


async def _begin(store: Store, installation: Installation, key: str = "init:key-1") -> LedgerBegin:
    return await store.ledger.begin(installation.id, key, FINGERPRINT, PAYMENT)


def test_fingerprint_is_stable_and_sensitive() -> None:
    assert request_fingerprint({"a": 1, "b": "x"}) == request_fingerprint({"b": "x", "a": 1})
    assert request_fingerprint({"a": 1}) != request_fingerprint({"a": 2})
    assert len(request_fingerprint({})) == 64


async def test_begin_writes_a_pending_intent_once(store: Store, installation: Installation) -> None:
    first = await _begin(store, installation)
    second = await _begin(store, installation)

    assert first.created is True
    assert second.created is False
    assert second.entry == first.entry
    entry = first.entry
    assert entry.status is LedgerStatus.PENDING
    assert (entry.kind, entry.amount, entry.currency, entry.shop_order_code) == (
        LedgerKind.PAYMENT,
        3500,
        "JPY",
        "ord-1",
    )
    assert entry.sent_at is None and entry.completed_at is None
    assert entry.created_at.tzinfo is not None


async def test_the_same_key_for_a_different_request_is_refused(
    store: Store, installation: Installation
) -> None:
    first = await _begin(store, installation)

    with pytest.raises(LedgerKeyConflict) as raised:
        await store.ledger.begin(installation.id, "init:key-1", request_fingerprint({"amount": 1}), PAYMENT)

    assert raised.value.existing.id == first.entry.id


async def test_keys_are_scoped_per_installation(store: Store, installation: Installation) -> None:
    from pydantic import SecretStr

    other = await store.installations.upsert(
        saleor_api_url="https://other.example.com/graphql/",
        domain="o",
        app_id="a",
        app_token=SecretStr("t"),
        jwks=None,
    )
    assert (await _begin(store, installation)).created
    assert (await store.ledger.begin(other.id, "init:key-1", FINGERPRINT, PAYMENT)).created


async def test_twenty_concurrent_begins_from_separate_pools_create_exactly_one_row(
    database_url: str, installation: Installation
) -> None:
    # four engines stand in for four app processes: separate pools, separate connections
    engines = [create_engine_from_url(database_url) for _ in range(4)]
    ledgers = [PaymentLedger(create_session_factory(engine)) for engine in engines]
    try:
        results = await asyncio.gather(
            *(ledgers[i % 4].begin(installation.id, "init:race", FINGERPRINT, PAYMENT) for i in range(20))
        )
    finally:
        for engine in engines:
            await engine.dispose()

    assert sum(result.created for result in results) == 1
    assert len({result.entry.id for result in results}) == 1


async def test_success_is_recorded_with_the_gateway_answer_and_the_saleor_answer(
    store: Store, installation: Installation
) -> None:
    entry = (await _begin(store, installation)).entry
    sent = await store.ledger.mark_sent(entry.id)
    assert sent.sent_at is not None

    answer = {
        "result": "AUTHORIZATION_SUCCESS",
        "pspReference": "1095729",
        "amount": 3500,
        "data": {"gid": "1"},
    }
    done = await store.ledger.complete(
        entry.id,
        status=LedgerStatus.SUCCEEDED,
        psp_reference="1095729",
        order_code="205685",
        approval_number="TestMod",
        saleor_response=answer,
    )

    assert done.status is LedgerStatus.SUCCEEDED
    assert (done.psp_reference, done.order_code, done.approval_number) == ("1095729", "205685", "TestMod")
    assert done.saleor_response == answer
    assert done.completed_at is not None
    assert (await _begin(store, installation)).entry == done  # a repeated request finds the answer to replay
    assert await store.ledger.find_by_psp_reference(installation.id, "1095729") == [done]
    assert await store.ledger.find_by_transaction(installation.id, "VHJhbnNhY3Rpb25JdGVtOjE=") == [done]
    assert await store.ledger.find_by_dedup_key(installation.id, "init:key-1") == done


async def test_a_completed_entry_cannot_be_completed_again(store: Store, installation: Installation) -> None:
    entry = (await _begin(store, installation)).entry
    await store.ledger.complete(entry.id, status=LedgerStatus.DECLINED, error_code="ER014")

    with pytest.raises(LedgerTransitionError) as raised:
        await store.ledger.complete(entry.id, status=LedgerStatus.SUCCEEDED)

    assert raised.value.current is LedgerStatus.DECLINED
    stored = await store.ledger.get(entry.id)
    assert stored is not None and (stored.status, stored.error_code) == (LedgerStatus.DECLINED, "ER014")


async def test_concurrent_completions_have_exactly_one_winner(
    store: Store, installation: Installation
) -> None:
    entry = (await _begin(store, installation)).entry

    outcomes = await asyncio.gather(
        store.ledger.complete(entry.id, status=LedgerStatus.SUCCEEDED, psp_reference="1"),
        store.ledger.complete(entry.id, status=LedgerStatus.DECLINED, error_code="ER030"),
        return_exceptions=True,
    )

    assert sum(isinstance(outcome, LedgerTransitionError) for outcome in outcomes) == 1


async def test_a_sent_request_can_not_be_called_failed_before_send(
    store: Store, installation: Installation
) -> None:
    entry = (await _begin(store, installation)).entry
    await store.ledger.mark_sent(entry.id)

    with pytest.raises(LedgerTransitionError, match="already sent"):
        await store.ledger.complete(entry.id, status=LedgerStatus.FAILED_BEFORE_SEND)


async def test_failed_before_send_when_nothing_left(store: Store, installation: Installation) -> None:
    entry = (await _begin(store, installation)).entry
    failed = await store.ledger.complete(
        entry.id, status=LedgerStatus.FAILED_BEFORE_SEND, failure_reason="gateway refused connection"
    )
    assert (failed.status, failed.failure_reason) == (
        LedgerStatus.FAILED_BEFORE_SEND,
        "gateway refused connection",
    )


async def test_unknown_outcome_is_kept_until_resolved(store: Store, installation: Installation) -> None:
    entry = (await _begin(store, installation)).entry
    await store.ledger.mark_sent(entry.id)
    unknown = await store.ledger.mark_unknown(
        entry.id, failure_reason="read timeout after 12s", saleor_response={"result": "AUTHORIZATION_REQUEST"}
    )
    assert unknown.status is LedgerStatus.UNKNOWN
    assert unknown.completed_at is None
    assert unknown.saleor_response == {"result": "AUTHORIZATION_REQUEST"}
    with pytest.raises(LedgerTransitionError):
        await store.ledger.complete(entry.id, status=LedgerStatus.FAILED_BEFORE_SEND)

    resolved = await store.ledger.complete(entry.id, status=LedgerStatus.SUCCEEDED, psp_reference="77")

    assert resolved.status is LedgerStatus.SUCCEEDED
    assert resolved.failure_reason == "read timeout after 12s"
    with pytest.raises(LedgerTransitionError):
        await store.ledger.mark_unknown(entry.id, failure_reason="again")


async def test_unresolved_lists_unknown_and_stale_pending_entries(
    store: Store, installation: Installation
) -> None:
    unknown = (await _begin(store, installation, "charge:t1:100")).entry
    await store.ledger.mark_unknown(unknown.id, failure_reason="timeout")
    pending = (await _begin(store, installation, "charge:t2:100")).entry
    done = (await _begin(store, installation, "charge:t3:100")).entry
    await store.ledger.complete(done.id, status=LedgerStatus.SUCCEEDED)

    later = datetime.now(UTC) + timedelta(minutes=5)
    assert [e.id for e in await store.ledger.list_unresolved(pending_before=later)] == [
        unknown.id,
        pending.id,
    ]
    earlier = datetime.now(UTC) - timedelta(minutes=5)
    assert [e.id for e in await store.ledger.list_unresolved(pending_before=earlier)] == [unknown.id]
    assert await store.ledger.list_unresolved(pending_before=later, installation_id=installation.id + 1) == []


async def test_bad_calls_are_refused_clearly(store: Store, installation: Installation) -> None:
    entry = (await _begin(store, installation)).entry
    with pytest.raises(ValueError, match="dedup_key: must not be empty"):
        await store.ledger.begin(installation.id, "", FINGERPRINT, PAYMENT)
    with pytest.raises(ValueError, match="status: complete"):
        await store.ledger.complete(entry.id, status=LedgerStatus.UNKNOWN)
    with pytest.raises(RecordNotFound):
        await store.ledger.complete(entry.id + 1000, status=LedgerStatus.SUCCEEDED)
    with pytest.raises(RecordNotFound):
        await store.ledger.save_saleor_response(entry.id + 1000, {})
    replayable = await store.ledger.save_saleor_response(
        entry.id, {"result": "CHARGE_FAILURE", "message": "x"}
    )
    assert replayable.saleor_response == {"result": "CHARGE_FAILURE", "message": "x"}


async def test_only_a_request_that_never_left_can_be_reopened_and_only_once(
    store: Store, installation: Installation
) -> None:
    entry = (await _begin(store, installation)).entry
    await store.ledger.complete(
        entry.id,
        status=LedgerStatus.FAILED_BEFORE_SEND,
        error_code="CONNECT",
        saleor_response={"result": "x"},
    )

    outcomes = await asyncio.gather(
        store.ledger.reopen(entry.id), store.ledger.reopen(entry.id), return_exceptions=True
    )

    reopened = [outcome for outcome in outcomes if not isinstance(outcome, BaseException)]
    assert len(reopened) == 1
    assert sum(isinstance(outcome, LedgerTransitionError) for outcome in outcomes) == 1
    fresh = reopened[0]
    assert (fresh.status, fresh.error_code, fresh.saleor_response, fresh.completed_at) == (
        LedgerStatus.PENDING,
        None,
        None,
        None,
    )
    await store.ledger.mark_sent(entry.id)
    await store.ledger.mark_unknown(entry.id, failure_reason="timeout")
    with pytest.raises(LedgerTransitionError):
        await store.ledger.reopen(entry.id)

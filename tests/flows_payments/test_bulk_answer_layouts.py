"""Pay and save a first card against a gateway that answers the bulk registration payment in either of the spec's
layouts (its table's, its printed 14-field sample's), with or without an empty free-data field at the end: the
payment is paid and the card kept, never left pending."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig
from robotpayment_app.store.records import JobType
from tests.flows_payments.support import USER_ID, Checkout, Transaction, pay_with_new_card
from tests.support.app_harness import STORE_ID, AppHarness, open_app_harness

ANSWER_FORMS = {
    "table layout": {"bulk_answer_layout": "table"},
    "sample layout": {"bulk_answer_layout": "sample"},
    # `…,1006,,012345,vnpjBycDO5,1,`: once read as ps=uid, uid=key, key=num, so the payment was left unknown
    "sample layout, empty free-data field": {"bulk_answer_layout": "sample", "empty_free_data_field": True},
}


@pytest.fixture(params=list(ANSWER_FORMS))
async def harness(request: pytest.FixtureRequest, database_url: str, tmp_path: Path) -> AsyncIterator[AppHarness]:
    config = SandboxConfig(stores=(StoreConfig(store_id=STORE_ID),), **ANSWER_FORMS[request.param])
    async with open_app_harness(database_url, tmp_path / "data", sandbox_config=config) as opened:
        yield opened


async def test_a_first_saved_card_is_paid_and_kept_in_either_answer_layout(harness: AppHarness) -> None:
    await harness.configure_channel(job_type=JobType.CAPTURE)

    answer = await pay_with_new_card(harness, Checkout(), Transaction(), save_card=True)

    assert answer["result"] == "CHARGE_SUCCESS", answer
    [payment] = harness.sandbox.payments()
    assert answer["pspReference"] == str(payment.gid)
    [card] = await harness.services.store.cards.list_for_user(harness.installation.id, STORE_ID, USER_ID)
    assert (card.card_seq, card.last4) == (1, "1111")
    assert answer["data"]["savedCard"]["id"].endswith(card.public_id)

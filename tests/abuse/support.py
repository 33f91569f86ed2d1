"""What an attack must leave untouched, captured before and compared after; deliveries signed as another party."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from tests.support.app_harness import AppHarness, as_delivered
from tests.support.signing import SigningKey


async def state_of(harness: AppHarness) -> dict[str, Any]:
    """Everything an abusive request could change: the app's rows, the gateway's records, Saleor's mailbox."""
    store = harness.services.store
    installations = await store.installations.list_all()
    rows: dict[str, Any] = {"installations": [(i.id, i.app_id, i.jwks, i.updated_at) for i in installations]}
    for installation in installations:
        customers = await store.customers.list_for_installation(installation.id)
        rows[f"customers:{installation.id}"] = [(c.id, c.gateway_customer_id, c.email, c.phone) for c in customers]
        for customer in customers:
            cards = await store.cards.list_for_customer(customer.id)
            rows[f"cards:{customer.id}"] = [(card.public_id, card.card_seq, card.updated_at) for card in cards]
        ledger = await store.ledger.list_recent(installation.id, limit=1000)
        rows[f"ledger:{installation.id}"] = [(e.id, e.status, e.psp_reference, e.updated_at) for e in ledger]
        kickbacks = await store.kickbacks.list_recent(installation.id, limit=1000)
        rows[f"kickbacks:{installation.id}"] = [(k.id, k.outcome) for k in kickbacks]
        channels = await store.channels.list_for_installation(installation.id)
        rows[f"channels:{installation.id}"] = [(c.channel_slug, c.updated_at) for c in channels]
    rows["gateway payments"] = [(p.gid, p.state.value, len(p.events)) for p in harness.sandbox.payments()]
    rows["gateway customers"] = [(c.uid, sorted(c.cards)) for c in harness.sandbox.customers()]
    rows["saleor calls"] = len(harness.saleor.graphql_calls)
    rows["saleor reports"] = len(harness.saleor.reported_events)
    return rows


def webhook_path(event: SaleorEvent) -> str:
    return next(hook.path for hook in WEBHOOKS if hook.event is event)


def signed_as(
    key: SigningKey, api_url: str, event: SaleorEvent, payload: Mapping[str, Any]
) -> tuple[bytes, dict[str, str]]:
    """A delivery as the Saleor at `api_url`, holding `key`, would sign it."""
    body = json.dumps(as_delivered(event, payload)).encode()
    return body, {
        "Content-Type": "application/json",
        "Saleor-Event": event.header_value,
        "Saleor-Domain": httpx.URL(api_url).host,
        "Saleor-Api-Url": api_url,
        "Saleor-Signature": key.sign_webhook(body),
    }

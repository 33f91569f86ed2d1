"""What the browser authenticated is what is charged.

paymentGatewayInitialize hands the browser the exact `ThreeDSAdapter.authenticate` parameters (am/tx/sf or
iid, em, pn; or the uid for a card registration) and the app keeps them per checkout. transactionInitialize
derives them again from its own payload: when the checkout changed in between (amount, e-mail, phone, a gateway
customer created meanwhile) they differ, and the gateway would refuse the payment (ER900). The app then answers
a retryable error before calling anything: the storefront asks for the gateway config again and the shopper
authenticates once more. A checkout no offer was kept for (a storefront that skipped paymentGatewayInitialize)
is not checked: the gateway's own check remains.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.errors import AuthenticatedTermsChanged

logger = logging.getLogger(__name__)

Params = Mapping[str, Any]


async def remember_offer(
    context: WebhookContext, source_id: str, *, payment: Params | None, save_card: Params | None
) -> None:
    if payment is None and save_card is None:
        return
    await context.deps.store.three_ds_offers.remember(
        context.installation.id, source_id, payment=payment, save_card=save_card
    )


async def require_authenticated_terms(
    context: WebhookContext, source_id: str, *, saving: bool, params: Params
) -> None:
    """Raise `AuthenticatedTermsChanged` when `params` are not what the browser was handed for this checkout."""
    offer = await context.deps.store.three_ds_offers.get(context.installation.id, source_id)
    if offer is None:
        return
    offered = offer.save_card if saving else offer.payment
    if offered is None:
        return
    if dict(offered) == dict(params):
        return
    changed = sorted(name for name in {*offered, *params} if offered.get(name) != params.get(name))
    logger.info("payment refused before sending: 3-D Secure terms changed", extra={"changed": changed})
    raise AuthenticatedTermsChanged(changed)

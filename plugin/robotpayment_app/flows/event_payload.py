"""Typed payloads for the use cases, from the verified JSON the web layer hands over."""

from __future__ import annotations

import json

from robotpayment_app.flows.context import JsonObject
from robotpayment_app.saleor.payloads import PayloadT, parse_payload


def read_event(model: type[PayloadT], payload: JsonObject) -> PayloadT:
    """Parse with the Saleor layer's rules (amounts are JSON numbers → Decimal); raises `InvalidPayload`.

    Re-serialised first: the models are strict in JSON terms, which is how Saleor's body arrived.
    """
    return parse_payload(model, json.dumps(dict(payload)))

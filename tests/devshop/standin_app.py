"""A small stand-in payment app: manifest, /api/register and webhook routes that check everything.

Every webhook's signature is verified against the devshop's JWKS (fetched from the origin of
`Saleor-Api-Url`), the `Saleor-Event` header must match the route, `recipient.id` must be this
installation's app, and the body must have exactly the shape the subscription document asks
for, judged against Saleor's own schema. Anything wrong is recorded in `problems` (tests
assert it stays empty) and answered with 4xx, as a real app would.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import jwt
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from graphql import GraphQLSchema, parse
from tests.devshop.payload_shape import shape_problems
from tests.devshop.standin_documents import ASYNC_EVENTS, DOCUMENTS

APP_IDENTIFIER = "standin.payment.app"

_EVENT_TYPE_NAMES = {name: "".join(part.capitalize() for part in name.lower().split("_")) for name in DOCUMENTS}


@dataclass
class Received:
    event: str
    headers: dict[str, str]
    raw_body: bytes
    payload: dict[str, Any]


@dataclass
class Canned:
    """A forced answer for the next delivery of an event (optionally late, or a redirect)."""

    body: Any
    status: int = 200
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Installation:
    api_url: str
    token: str
    app_id: str
    jwks: dict[str, Any]

    def __repr__(self) -> str:
        return f"Installation(api_url={self.api_url!r}, app_id={self.app_id!r})"


@dataclass
class StandinState:
    saleor_schema: GraphQLSchema
    permissions: list[str] = field(default_factory=lambda: ["HANDLE_PAYMENTS", "MANAGE_USERS", "MANAGE_CHECKOUTS"])
    installation: Installation | None = None
    received: list[Received] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    forced: dict[str, list[Canned]] = field(default_factory=lambda: defaultdict(list))
    # saved cards per Saleor user id, as the app's own store would keep them
    cards: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    sessions: int = 0
    # merged into the served manifest, to break it in chosen ways
    manifest_overrides: dict[str, Any] = field(default_factory=dict)
    register_status: int = 200

    def of(self, event: str) -> list[Received]:
        return [r for r in self.received if r.event == event]

    def force(self, event: str, body: Any, status: int = 200, **options: Any) -> None:
        self.forced[event].append(Canned(body, status, **options))


def _psp_reference(seed: str) -> str:
    return "psp_" + hashlib.sha256(seed.encode()).hexdigest()[:12]


def default_answer(state: StandinState, event: str, payload: dict[str, Any]) -> Any:
    """What the stand-in answers when a test did not force anything."""
    data = payload.get("data")
    if event == "PAYMENT_GATEWAY_INITIALIZE_SESSION":
        return {"data": {"aid": "000000", "amount": payload["amount"]}}
    if event in ("TRANSACTION_INITIALIZE_SESSION", "TRANSACTION_PROCESS_SESSION"):
        if isinstance(data, dict) and "answer" in data:
            return data["answer"]  # the storefront data tells the stand-in what to answer
        action = payload["action"]
        if event == "TRANSACTION_INITIALIZE_SESSION":
            return {
                "result": f"{action['actionType']}_ACTION_REQUIRED",
                "pspReference": _psp_reference(payload["idempotencyKey"]),
                "amount": action["amount"],
                "data": {"step": "3ds", "seen": data},
            }
        success = "CHARGE_SUCCESS" if action["actionType"] == "CHARGE" else "AUTHORIZATION_SUCCESS"
        return {
            "result": success,
            "pspReference": payload["transaction"]["pspReference"],
            "amount": action["amount"],
            "actions": ["REFUND"] if success == "CHARGE_SUCCESS" else ["CHARGE", "CANCEL"],
            "data": {"status": "done"},
        }
    if event in ("TRANSACTION_CHARGE_REQUESTED", "TRANSACTION_REFUND_REQUESTED", "TRANSACTION_CANCELATION_REQUESTED"):
        action = payload["action"]
        result = {"CHARGE": "CHARGE_SUCCESS", "REFUND": "REFUND_SUCCESS", "CANCEL": "CANCEL_SUCCESS"}[
            action["actionType"]
        ]
        actions = {"CHARGE_SUCCESS": ["REFUND"], "REFUND_SUCCESS": ["REFUND"], "CANCEL_SUCCESS": []}[result]
        reference = payload["transaction"]["pspReference"]
        if action["actionType"] == "REFUND":
            reference = _psp_reference(f"refund-{len(state.of(event))}-{reference}")
        return {"result": result, "pspReference": reference, "amount": action["amount"], "actions": actions}
    user_id = payload.get("user", {}).get("id", "")
    if event == "LIST_STORED_PAYMENT_METHODS":
        return {"paymentMethods": state.cards[user_id]}
    if event == "STORED_PAYMENT_METHOD_DELETE_REQUESTED":
        cards = state.cards[user_id]
        kept = [c for c in cards if c["id"] != payload["paymentMethodId"]]
        if len(kept) == len(cards):
            return {"result": "FAILED_TO_DELETE", "error": "No such card for this customer."}
        state.cards[user_id] = kept
        return {"result": "SUCCESSFULLY_DELETED"}
    if event == "PAYMENT_GATEWAY_INITIALIZE_TOKENIZATION_SESSION":
        return {"result": "SUCCESSFULLY_INITIALIZED", "data": {"aid": "000000", "seen": data}}
    if event == "PAYMENT_METHOD_INITIALIZE_TOKENIZATION_SESSION":
        state.sessions += 1
        return {"result": "ADDITIONAL_ACTION_REQUIRED", "id": f"sess-{state.sessions}", "data": {"step": "3ds"}}
    if event == "PAYMENT_METHOD_PROCESS_TOKENIZATION_SESSION":
        card_id = f"card-{len(state.cards[user_id]) + 1}"
        state.cards[user_id].append(
            {
                "id": card_id,
                "type": "card",
                "name": "VISA 1111",
                "supportedPaymentFlows": ["INTERACTIVE"],
                "creditCardInfo": {"brand": "visa", "lastDigits": "1111", "expMonth": 12, "expYear": 2030},
            }
        )
        return {"result": "SUCCESSFULLY_TOKENIZED", "id": card_id, "data": {"card": "VISA 1111"}}
    return {}


def manifest(base_url: str, permissions: list[str]) -> dict[str, Any]:
    webhooks = []
    for event, query in DOCUMENTS.items():
        is_async = event in ASYNC_EVENTS
        webhooks.append(
            {
                "name": event.lower().replace("_", "-"),
                "targetUrl": f"{base_url}/api/webhooks/{event.lower()}",
                "query": query,
                "syncEvents": [] if is_async else [event],
                "asyncEvents": [event] if is_async else [],
                "isActive": True,
            }
        )
    return {
        "id": APP_IDENTIFIER,
        "name": "Stand-in Payment App",
        "version": "1.0.0",
        "about": "Test double of a payment app",
        "author": "devshop tests",
        "permissions": permissions,
        "appUrl": f"{base_url}/app",
        "tokenTargetUrl": f"{base_url}/api/register",
        "webhooks": webhooks,
    }


def create_standin_app(base_url: str, state: StandinState, http: httpx.AsyncClient) -> FastAPI:
    app = FastAPI()
    documents = {event: parse(query) for event, query in DOCUMENTS.items()}
    answer: Callable[[StandinState, str, dict[str, Any]], Any] = default_answer

    @app.get("/api/manifest")
    def get_manifest() -> dict[str, Any]:
        return {**manifest(base_url, state.permissions), **state.manifest_overrides}

    @app.post("/api/register")
    async def register(request: Request) -> Response:
        api_url = request.headers.get("saleor-api-url", "")
        for header in ("saleor-domain", "saleor-schema-version"):
            if not request.headers.get(header):
                state.problems.append(f"register: missing {header} header")
        token = (await request.json()).get("auth_token")
        if state.register_status != 200:
            return JSONResponse(
                {"success": False, "error": {"code": "REFUSED", "message": "test"}}, state.register_status
            )
        if not api_url or not token:
            state.problems.append("register: missing Saleor-Api-Url or auth_token")
            return JSONResponse({"success": False, "error": {"code": "INVALID", "message": "missing"}}, 400)
        proof = await http.post(api_url, json={"query": "{ app { id } }"}, headers={"Authorization": f"Bearer {token}"})
        app_id = (proof.json().get("data") or {}).get("app", {}) or {}
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(api_url))
        jwks = (await http.get(f"{origin}/.well-known/jwks.json")).json()
        if not app_id.get("id"):
            state.problems.append(f"register: the token did not prove itself: {proof.text}")
            return JSONResponse({"success": False, "error": {"code": "INVALID", "message": "token"}}, 400)
        state.installation = Installation(api_url, token, app_id["id"], jwks)
        return JSONResponse({"success": True})

    def verify(signature: str, raw: bytes) -> bool:
        assert state.installation is not None
        kid = jwt.get_unverified_header(signature).get("kid")
        keys = [k for k in state.installation.jwks["keys"] if k.get("kid") == kid]
        if not keys:
            return False
        try:
            jwt.PyJWS().decode(signature, jwt.PyJWK(keys[0]).key, algorithms=["RS256"], detached_payload=raw)
        except jwt.InvalidSignatureError:
            return False
        return True

    @app.post("/api/webhooks/{event_name}")
    async def webhook(event_name: str, request: Request) -> Response:
        event = event_name.upper()
        raw = await request.body()
        if state.installation is None or event not in DOCUMENTS:
            state.problems.append(f"{event}: not installed or unknown event")
            return JSONResponse({"error": "unknown"}, 404)
        if request.headers.get("saleor-event") != event_name:
            state.problems.append(f"{event}: Saleor-Event header {request.headers.get('saleor-event')!r}")
            return JSONResponse({"error": "event"}, 400)
        if request.headers.get("saleor-api-url") != state.installation.api_url:
            state.problems.append(f"{event}: Saleor-Api-Url {request.headers.get('saleor-api-url')!r}")
        if not verify(request.headers.get("saleor-signature", ""), raw):
            state.problems.append(f"{event}: signature did not verify")
            return JSONResponse({"error": "signature"}, 401)
        payload = json.loads(raw)
        if raw != json.dumps(payload).encode():
            state.problems.append(f"{event}: body is not Python json.dumps output")
        if payload.get("recipient", {}).get("id") != state.installation.app_id:
            state.problems.append(f"{event}: recipient {payload.get('recipient')!r}")
            return JSONResponse({"error": "recipient"}, 403)
        problems = shape_problems(state.saleor_schema, documents[event], _EVENT_TYPE_NAMES[event], payload)
        state.problems += [f"{event}: {p}" for p in problems]
        state.received.append(Received(event, dict(request.headers), raw, payload))
        if state.forced[event]:
            canned = state.forced[event].pop(0)
            if canned.delay:
                await asyncio.sleep(canned.delay)
            return JSONResponse(canned.body, canned.status, headers=canned.headers)
        return JSONResponse(answer(state, event, payload))

    return app

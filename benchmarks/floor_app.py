"""The floor: the least any app must do for these webhooks, to compare the app against.

- one-touch (TRANSACTION_INITIALIZE_SESSION): verify the Saleor signature (RS256 over the raw body, the same
  check as the app's), read the transaction token, make the same onetouch.aspx call, answer CHARGE_SUCCESS;
- list (LIST_STORED_PAYMENT_METHODS): verify the signature, answer a fixed list.

No database, no validation beyond that, the signing key parsed once. With `FLOOR_DATABASE_URL` (PostgreSQL: the
app's database, seeded) it is the **durable floor**: the one-touch handler also does the four statements a payment
cannot do without, hand-written on psycopg connections of its own (10 per worker, autocommit): the saved card's
owner check, the ledger row before the call, "sent" before the request leaves, the outcome after it. No ORM, no
validation, no logs: the least a correct app pays. `FLOOR_LEDGER_STATEMENTS=2` folds the owner check into the
INSERT and writes the row as sent at once: two statements, and a weaker ledger (see BEGIN_OWNED_SENT).
Served by uvicorn exactly as the app is:

    FLOOR_JWKS='{"keys": [...]}' FLOOR_GATEWAY_URL=http://127.0.0.1:8900/gateway/ FLOOR_STORE_ID=000000 \\
    FLOOR_CUSTOMER_ID=… FLOOR_CUSTOMER_KEY=… FLOOR_CARD_SEQ=1 \\
    .venv/bin/uvicorn benchmarks.floor_app:create_floor_app --factory --workers 2 --no-access-log
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from jwt.algorithms import RSAAlgorithm

FIXED_LIST = {
    "paymentMethods": [
        {
            "id": "card_floor",
            "supportedPaymentFlows": ["INTERACTIVE"],
            "type": "card",
            "name": "VISA •••• 1111",
            "creditCardInfo": {"brand": "visa", "lastDigits": "1111", "expMonth": 12, "expYear": 2030},
        }
    ]
}


DURABLE_CONNECTIONS = 10
OWNED_CARD = (
    "SELECT cards.card_seq, customers.gateway_customer_id FROM cards JOIN customers ON cards.customer_id = customers.id"
    " WHERE cards.public_id = %s AND customers.saleor_user_id = %s"
)
BEGIN = (
    "INSERT INTO payments (installation_id, dedup_key, kind, status, request_fingerprint, saleor_transaction_id,"
    " amount, currency, job_type, created_at, updated_at)"
    " VALUES (%s, %s, 'payment', 'pending', '', %s, %s, 'JPY', 'CAPTURE', now(), now())"
    " ON CONFLICT (installation_id, dedup_key) DO NOTHING RETURNING id"
)
# the two-statement variant: the owner check inside the INSERT, and the row written as sent at once (so a crash
# before the request leaves can no longer be told apart from one after it: the app's ledger keeps that distinction)
BEGIN_OWNED_SENT = (
    "INSERT INTO payments (installation_id, dedup_key, kind, status, request_fingerprint, saleor_transaction_id,"
    " amount, currency, job_type, created_at, updated_at, sent_at)"
    " SELECT %s, %s, 'payment', 'pending', '', %s, %s, 'JPY', 'CAPTURE', now(), now(), now()"
    " FROM cards JOIN customers ON cards.customer_id = customers.id"
    " WHERE cards.public_id = %s AND customers.saleor_user_id = %s"
    " ON CONFLICT (installation_id, dedup_key) DO NOTHING RETURNING id"
)
MARK_SENT = "UPDATE payments SET sent_at = now(), updated_at = now() WHERE id = %s AND status = 'pending' RETURNING id"
COMPLETE = (
    "UPDATE payments SET status = %s, psp_reference = %s, saleor_response = %s::jsonb, completed_at = now(),"
    " updated_at = now() WHERE id = %s AND status = 'pending' RETURNING id"
)


def create_floor_app() -> FastAPI:
    jwks = json.loads(os.environ["FLOOR_JWKS"])
    key = RSAAlgorithm.from_jwk(jwks["keys"][0])
    gateway = os.environ["FLOOR_GATEWAY_URL"].rstrip("/") + "/onetouch.aspx"
    card = {
        "aid": os.environ["FLOOR_STORE_ID"],
        "uid": os.environ["FLOOR_CUSTOMER_ID"],
        "key": os.environ["FLOOR_CUSTOMER_KEY"],
        "num": os.environ["FLOOR_CARD_SEQ"],
    }
    database_url = os.environ.get("FLOOR_DATABASE_URL")
    installation_id = int(os.environ.get("FLOOR_INSTALLATION_ID", "0"))
    two_steps = os.environ.get("FLOOR_LEDGER_STATEMENTS", "4") == "2"
    state: dict[str, httpx.AsyncClient] = {}
    connections: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # as the app's gateway client
        if database_url:
            for _ in range(DURABLE_CONNECTIONS):
                connections.put_nowait(await psycopg.AsyncConnection.connect(database_url, autocommit=True))
        try:
            async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(15.0)) as client:
                state["http"] = client
                yield
        finally:
            while not connections.empty():
                await connections.get_nowait().close()

    async def statement(sql: str, parameters: tuple[Any, ...]) -> tuple[Any, ...] | None:
        connection = await connections.get()
        try:
            cursor = await connection.execute(sql, parameters)
            return await cursor.fetchone()
        finally:
            connections.put_nowait(connection)

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)

    def verified(body: bytes, request: Request) -> bool:
        try:
            jwt.PyJWS().decode(
                request.headers.get("saleor-signature", ""), key, algorithms=["RS256"], detached_payload=body
            )
        except jwt.PyJWTError:
            return False
        return True

    @app.post("/api/webhooks/transaction_initialize_session")
    async def one_touch(request: Request) -> JSONResponse:
        body = await request.body()
        if not verified(body, request):
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        payload: dict[str, Any] = json.loads(body)
        amount = int(payload["action"]["amount"])
        transaction_id = payload["transaction"]["id"]
        entry_id = None
        if database_url:
            public_id = payload["data"]["paymentMethodId"].rsplit(":", 1)[-1]
            user_id = payload["sourceObject"]["user"]["id"]
            key = "initialize:" + transaction_id
            if two_steps:
                values = (installation_id, key, transaction_id, amount, public_id, user_id)
                begun = await statement(BEGIN_OWNED_SENT, values)
            else:
                owner = await statement(OWNED_CARD, (public_id, user_id))
                begun = await statement(BEGIN, (installation_id, key, transaction_id, amount)) if owner else None
                if begun is not None:
                    await statement(MARK_SENT, (begun[0],))
            if begun is None:
                return JSONResponse({"result": "CHARGE_FAILURE", "amount": amount}, status_code=200)
            entry_id = begun[0]
        form = {**card, "rt": "1", "cmd": "4", "cod": payload["transaction"]["token"], "jb": "CAPTURE",
                "am": str(amount), "tx": "0", "sf": "0"}  # fmt: skip
        answer = await state["http"].post(gateway, data=form)
        gid, succeeded = answer.text.split(",", 2)[:2]
        result = "CHARGE_SUCCESS" if succeeded == "1" else "CHARGE_FAILURE"
        saleor_answer = {"result": result, "amount": amount, "pspReference": gid}
        if entry_id is not None:
            status = "succeeded" if succeeded == "1" else "declined"
            await statement(COMPLETE, (status, gid, json.dumps(saleor_answer), entry_id))
        return JSONResponse(saleor_answer)

    @app.post("/api/webhooks/list_stored_payment_methods")
    async def stored_methods(request: Request) -> JSONResponse:
        body = await request.body()
        if not verified(body, request):
            return JSONResponse({"error": "invalid signature"}, status_code=401)
        return JSONResponse(FIXED_LIST)

    @app.get("/healthz")
    async def healthz() -> JSONResponse:
        return JSONResponse({"status": "ok"})

    return app

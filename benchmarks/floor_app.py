"""The floor: the least any app must do for these webhooks, to compare the app against.

- one-touch (TRANSACTION_INITIALIZE_SESSION): verify the Saleor signature (RS256 over the raw body, the same
  check as the app's), read the transaction token, make the same onetouch.aspx call, answer CHARGE_SUCCESS;
- list (LIST_STORED_PAYMENT_METHODS): verify the signature, answer a fixed list.

No database, no validation beyond that, the signing key parsed once. Served by uvicorn exactly as the app is:

    FLOOR_JWKS='{"keys": [...]}' FLOOR_GATEWAY_URL=http://127.0.0.1:8900/gateway/ FLOOR_STORE_ID=000000 \\
    FLOOR_CUSTOMER_ID=… FLOOR_CUSTOMER_KEY=… FLOOR_CARD_SEQ=1 \\
    .venv/bin/uvicorn benchmarks.floor_app:create_floor_app --factory --workers 2 --no-access-log
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
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
    state: dict[str, httpx.AsyncClient] = {}

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)  # as the app's gateway client
        async with httpx.AsyncClient(limits=limits, timeout=httpx.Timeout(15.0)) as client:
            state["http"] = client
            yield

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
        form = {**card, "rt": "1", "cmd": "4", "cod": payload["transaction"]["token"], "jb": "CAPTURE",
                "am": str(amount), "tx": "0", "sf": "0"}  # fmt: skip
        answer = await state["http"].post(gateway, data=form)
        gid, succeeded = answer.text.split(",", 2)[:2]
        result = "CHARGE_SUCCESS" if succeeded == "1" else "CHARGE_FAILURE"
        return JSONResponse({"result": result, "amount": amount, "pspReference": gid})

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

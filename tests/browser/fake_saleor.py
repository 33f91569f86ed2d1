"""A scripted stand-in for Saleor's GraphQL API, to test robotpayment.js at its boundary.

It answers the operations the module sends with contract-v1 data whose script URLs point at a real sandbox
gateway, records every request (root field, variables, Authorization header, raw body) and, per operation,
plays queued answers: a payload, an HTTP failure, a dropped connection or a delay. It also serves
`frontend_snippets/` under /snippets/, the minified module under /snippets-min/, and a blank shop page.
"""

from __future__ import annotations

import asyncio
import copy
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from robotpayment_app.sandbox.server import drop_connection

SNIPPETS = Path(__file__).resolve().parents[2] / "frontend_snippets"
GATEWAY_ID = "jp.robotpayment.saleor"
AID = "000000"

ROOT_FIELDS = (
    "paymentGatewayInitializeTokenization",
    "paymentMethodInitializeTokenization",
    "paymentMethodProcessTokenization",
    "storedPaymentMethodRequestDelete",
    "paymentGatewayInitialize",
    "transactionInitialize",
    "transactionProcess",
)

SHOP_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="referrer" content="origin"><title>shop</title></head>
<body>
  <input id="cn"><input id="month"><input id="year"><input id="fn"><input id="ln"><input id="cvv">
</body></html>
"""


@dataclass(frozen=True)
class Drop:
    """Close the connection without answering (the request did reach the server)."""


@dataclass(frozen=True)
class Status:
    code: int


@dataclass(frozen=True)
class Late:
    seconds: float
    answer: Any


@dataclass
class Call:
    operation: str
    variables: dict[str, Any]
    authorization: str | None
    raw: str


def payment_config(gateway_base: str, **changes: Any) -> dict[str, Any]:
    """`data` of paymentGatewayInitialize as the app answers it (contract v1)."""
    data: dict[str, Any] = {
        "version": 1,
        "aid": AID,
        "scripts": {
            "cpToken": f"{gateway_base}/gateway/js/CPToken.js",
            "threeDS": f"{gateway_base}/gateway/js/EMV3DSAdapter.js",
        },
        "tokenMode": "popup",
        "cvv": False,
        "paymentMethods": [
            {"md": "10"},
            {"md": "61", "installments": [3, 5, 6, 10, 12], "savedCardOnly": True},
            {"md": "80", "savedCardOnly": True},
        ],
        "saveCard": {"allowed": True, "hasSavedCards": False},
        "threeDS": {
            "payment": {"aid": AID, "am": 3500, "tx": 0, "sf": 0, "em": "taro@example.com"},
            "saveCard": {"aid": AID, "am": 3500, "tx": 0, "sf": 0, "em": "taro@example.com"},
        },
        "error": None,
    }
    data.update(changes)
    return data


def transaction_answer(event_type: str, data: dict[str, Any] | None = None, psp: str = "100001") -> dict[str, Any]:
    return {
        "transaction": {"id": "VHJhbnNhY3Rpb25JdGVtOjE="},
        "transactionEvent": {
            "type": event_type,
            "pspReference": psp,
            "message": "",
            "amount": {"amount": 3500, "currency": "JPY"},
        },
        "data": {"version": 1, "gid": psp, "savedCard": None, "error": None, **(data or {})},
        "errors": [],
    }


@dataclass
class FakeSaleor:
    gateway_base: str
    minified_module: str
    calls: list[Call] = field(default_factory=list)
    queued: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    config: dict[str, Any] = field(default_factory=dict)
    stored: list[dict[str, Any]] = field(default_factory=list)
    # Answers given to every call of an operation until removed (a browser may silently resend a request
    # whose connection dropped, so a dropped answer is set for all calls rather than queued once).
    always: dict[str, Any] = field(default_factory=dict)

    def reset(self) -> None:
        self.calls.clear()
        self.queued.clear()
        self.always.clear()
        self.stored.clear()
        self.config = payment_config(self.gateway_base)

    def queue(self, operation: str, *answers: Any) -> None:
        self.queued[operation].extend(answers)

    def calls_of(self, operation: str) -> list[Call]:
        return [call for call in self.calls if call.operation == operation]

    def default(self, operation: str) -> Any:
        if operation == "paymentGatewayInitialize":
            return {
                "gatewayConfigs": [{"id": GATEWAY_ID, "data": copy.deepcopy(self.config), "errors": []}],
                "errors": [],
            }
        if operation == "transactionInitialize":
            return transaction_answer("CHARGE_SUCCESS")
        if operation == "me":
            return {"storedPaymentMethods": self.stored}
        if operation == "paymentGatewayInitializeTokenization":
            keys = ("version", "aid", "scripts", "tokenMode", "cvv")
            data = {key: self.config[key] for key in keys} | {"threeDS": {"aid": AID, "uid": "saleor-user-1"}}
            return {"result": "SUCCESSFULLY_INITIALIZED", "data": data, "errors": []}
        if operation == "paymentMethodInitializeTokenization":
            return {"result": "SUCCESSFULLY_TOKENIZED", "id": "card-2", "data": {"version": 1}, "errors": []}
        if operation == "storedPaymentMethodRequestDelete":
            return {"result": "SUCCESSFULLY_DELETED", "errors": []}
        raise AssertionError(f"no default answer for {operation}")

    async def graphql(self, request: Request) -> Response:
        raw = (await request.body()).decode("utf-8")
        body = json.loads(raw)
        query = body["query"]
        operation = next((name for name in ROOT_FIELDS if re.search(rf"\b{name}\s*\(", query)), None)
        if operation is None and re.search(r"\bme\s*\{", query):
            operation = "me"
        assert operation is not None, query
        self.calls.append(Call(operation, body.get("variables") or {}, request.headers.get("authorization"), raw))
        if operation in self.always:
            answer = self.always[operation]
        elif self.queued[operation]:
            answer = self.queued[operation].pop(0)
        else:
            answer = self.default(operation)
        if isinstance(answer, Late):
            await asyncio.sleep(answer.seconds)
            answer = answer.answer
        if isinstance(answer, Drop):
            await drop_connection(request)
            return Response(status_code=500)
        if isinstance(answer, Status):
            return PlainTextResponse("Bad Gateway", status_code=answer.code)
        return JSONResponse({"data": {operation: answer}})

    def app(self) -> Starlette:
        async def shop(_: Request) -> HTMLResponse:
            return HTMLResponse(SHOP_PAGE)

        async def minified(_: Request) -> Response:
            return Response(self.minified_module, media_type="text/javascript")

        return Starlette(
            routes=[
                Route("/graphql/", self.graphql, methods=["POST"]),
                Route("/shop", shop),
                Route("/snippets-min/robotpayment.js", minified),
                Mount("/snippets", StaticFiles(directory=SNIPPETS)),
            ]
        )

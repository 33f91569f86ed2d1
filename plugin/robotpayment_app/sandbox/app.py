"""The sandbox's HTTP face: the real gateway paths under /gateway/, test controls under /sandbox/.

- `/gateway/{carduser,carduser_token,gateway_token,onetouch,gateway}.aspx`: GET or form POST,
  answered in the gateway's wire format; the source IP must be in the allow-list (else ER003).
- `/gateway/js/CPToken.js`, `/gateway/js/EMV3DSAdapter.js`, `/gateway/js/jquery.js`.
- `/gateway/sandbox/token`, `/gateway/sandbox/3ds/authenticate`, `/gateway/sandbox/3ds/challenge`:
  what the two scripts call from the shopper's page (CORS; the page origin is checked per store).
- `/sandbox/payments`, `/sandbox/customers`, `/sandbox/kickbacks`, `/sandbox/cards`,
  `/sandbox/faults` (GET, POST, DELETE), `POST /sandbox/reset`: inspection and fault injection.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import FileResponse, JSONResponse

from robotpayment_app.sandbox.config import SandboxConfig
from robotpayment_app.sandbox.faults import Fault, FaultMode
from robotpayment_app.sandbox.gateway import BROWSER_FIELDS, PAGES, SandboxGateway
from robotpayment_app.sandbox.kickback import ClientFactory
from robotpayment_app.sandbox.server import drop_connection
from robotpayment_app.sandbox.state import Clock, Effect
from robotpayment_app.sandbox.views import (
    CardProfileView,
    CustomerView,
    FaultView,
    KickbackView,
    PaymentView,
    card_profile_views,
)
from robotpayment_app.sandbox.wire import Params, parse_params

_ANSWER_MEDIA_TYPE = "text/html; charset=utf-8"
_SCRIPT_MEDIA_TYPE = "application/javascript; charset=utf-8"
_OWN_SCRIPTS = ("CPToken.js", "EMV3DSAdapter.js")
# What a failing ASP.NET front answers instead of CSV.
_GARBAGE_PAGE = (
    "<html><head><title>Runtime Error</title></head>"
    "<body><h1>Server Error in '/gateway' Application.</h1></body></html>"
)


def _jquery_path() -> Path:
    import xstatic.pkg.jquery as xstatic_jquery  # the packaged jQuery, never a copy in the repository

    return Path(xstatic_jquery.BASE_DIR) / "jquery.js"


async def _form_params(request: Request, fields: frozenset[str]) -> Params:
    body = b""
    content_type = request.headers.get("content-type", "")
    if request.method == "POST" and (not content_type or content_type.startswith("application/x-www-form-urlencoded")):
        body = await request.body()
    return parse_params(request.scope.get("query_string", b""), body, fields)


def _answer(body: str) -> Response:
    return Response(content=body, media_type=_ANSWER_MEDIA_TYPE)


def _gateway_router(sandbox: SandboxGateway) -> APIRouter:
    router = APIRouter()

    @router.api_route("/gateway/{page}", methods=["GET", "POST"], include_in_schema=False)
    async def gateway_page(page: str, request: Request) -> Response:
        spec = PAGES.get(page)
        if spec is None:
            raise HTTPException(status_code=404)
        params = await _form_params(request, spec.fields)
        fault = sandbox.faults.take(page)
        if fault is not None and fault.mode not in (FaultMode.SLOW, FaultMode.DROP_AFTER):
            return await _fault_answer(sandbox, page, params, fault, request)
        client_ip = request.client.host if request.client else None
        if not sandbox.ip_allowed(client_ip):
            return _answer(sandbox.error_answer(page, params, "ER003"))
        outcome = await sandbox.handle(page, params)
        if outcome.effect is Effect.DROP_BEFORE:
            await drop_connection(request)
            return Response(status_code=204)
        if fault is not None and fault.mode is FaultMode.SLOW:
            await asyncio.sleep(
                sandbox.config.slow_delay_seconds if fault.delay_seconds is None else fault.delay_seconds
            )
        if outcome.effect is Effect.SLOW:
            await asyncio.sleep(sandbox.config.slow_delay_seconds)
        if outcome.effect is Effect.DROP_AFTER or (fault is not None and fault.mode is FaultMode.DROP_AFTER):
            await drop_connection(request)
        return _answer(outcome.body)

    @router.get("/gateway/js/{name}", include_in_schema=False)
    async def script(name: str) -> Response:
        headers = {"Cache-Control": "no-store"}
        if name == "jquery.js":
            return FileResponse(_jquery_path(), media_type=_SCRIPT_MEDIA_TYPE, headers=headers)
        if name not in _OWN_SCRIPTS:
            raise HTTPException(status_code=404)
        source = resources.files("robotpayment_app.sandbox").joinpath("static", name).read_text("utf-8")
        return Response(content=source, media_type=_SCRIPT_MEDIA_TYPE, headers=headers)

    return router


async def _fault_answer(sandbox: SandboxGateway, page: str, params: Params, fault: Fault, request: Request) -> Response:
    if fault.mode is FaultMode.DROP:
        await drop_connection(request)
        return Response(status_code=204)
    if fault.mode is FaultMode.STATUS:
        # a redirect points at the same page elsewhere: a client that followed it would send the call twice
        moved = {"Location": f"https://moved.invalid/gateway/{page}"} if fault.status < 400 else None
        return Response(
            content=f"<html><body>{fault.status}</body></html>",
            status_code=fault.status,
            media_type=_ANSWER_MEDIA_TYPE,
            headers=moved,
        )
    if fault.mode is FaultMode.EMPTY:
        return _answer("")
    if fault.mode is FaultMode.GARBAGE:
        return _answer(_GARBAGE_PAGE)
    code = "ER010" if fault.mode is FaultMode.BUSY else "ER999"
    return _answer(sandbox.error_answer(page, params, code))


def _cors_headers(request: Request) -> dict[str, str]:
    # Every origin may read the answer, so the script can report ER002 for an unregistered one.
    origin = request.headers.get("origin")
    headers = {"Vary": "Origin", "Cache-Control": "no-store"}
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
    return headers


def _browser_router(sandbox: SandboxGateway) -> APIRouter:
    router = APIRouter()
    calls = {
        "token": sandbox.create_token,
        "3ds/authenticate": sandbox.authenticate,
        "3ds/challenge": sandbox.answer_challenge,
    }

    @router.post("/gateway/sandbox/{call:path}", include_in_schema=False)
    async def browser_call(call: str, request: Request) -> Response:
        handler = calls.get(call)
        if handler is None:
            raise HTTPException(status_code=404)
        params = await _form_params(request, BROWSER_FIELDS[call])
        answer = await handler(params, request.headers.get("origin"))
        return JSONResponse(answer, headers=_cors_headers(request))

    @router.options("/gateway/sandbox/{call:path}", include_in_schema=False)
    async def preflight(call: str, request: Request) -> Response:
        if call not in calls:
            raise HTTPException(status_code=404)
        headers = _cors_headers(request) | {
            "Access-Control-Allow-Methods": "POST, OPTIONS",
            "Access-Control-Allow-Headers": "Content-Type",
            "Access-Control-Max-Age": "600",
        }
        return Response(status_code=204, headers=headers)

    return router


def _inspection_router(sandbox: SandboxGateway) -> APIRouter:
    router = APIRouter(prefix="/sandbox", tags=["sandbox"])

    @router.get("/payments")
    async def payments() -> list[PaymentView]:
        return [PaymentView.of(payment) for payment in sandbox.payments()]

    @router.get("/customers")
    async def customers() -> list[CustomerView]:
        return [CustomerView.of(customer) for customer in sandbox.customers()]

    @router.get("/kickbacks")
    async def kickbacks() -> list[KickbackView]:
        return [KickbackView.of(delivery) for delivery in sandbox.kickbacks.deliveries]

    @router.get("/cards")
    async def cards() -> list[CardProfileView]:
        return card_profile_views()

    @router.get("/faults")
    async def faults() -> list[FaultView]:
        return [FaultView(fault=fault, remaining=remaining) for fault, remaining in sandbox.faults.pending()]

    @router.post("/faults", status_code=201)
    async def add_fault(fault: Fault) -> FaultView:
        sandbox.faults.add(fault)
        return FaultView(fault=fault, remaining=fault.count)

    @router.delete("/faults", status_code=204)
    async def clear_faults() -> None:
        sandbox.faults.clear()

    @router.post("/reset", status_code=204)
    async def reset() -> None:
        await sandbox.reset()

    return router


def create_sandbox_app(
    config: SandboxConfig | None = None,
    *,
    clock: Clock = time.time,
    kickback_client_factory: ClientFactory | None = None,
) -> FastAPI:
    """The sandbox gateway as an ASGI app; its SandboxGateway is `app.state.sandbox`."""
    sandbox = SandboxGateway(config or SandboxConfig(), clock=clock, kickback_client_factory=kickback_client_factory)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await sandbox.kickbacks.aclose()

    app = FastAPI(title="ROBOT PAYMENT sandbox gateway", lifespan=lifespan, redoc_url=None)
    app.state.sandbox = sandbox
    app.include_router(_gateway_router(sandbox))
    app.include_router(_browser_router(sandbox))
    app.include_router(_inspection_router(sandbox))
    return app

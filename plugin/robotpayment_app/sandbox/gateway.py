"""The sandbox gateway as one Python object: every page's behaviour, without HTTP.

`SandboxGateway` is what `create_sandbox_app` serves and what tests reach in process as
`app.state.sandbox`: run a call with `handle(page, params)`, look at `payments()` /
`customers()` / `kickbacks.deliveries`, inject faults with `faults.add(Fault(...))`, `reset()`.
"""

from __future__ import annotations

import ipaddress
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from robotpayment_app.sandbox import answers
from robotpayment_app.sandbox.cards import CHALLENGE_CODE
from robotpayment_app.sandbox.config import DEFAULT_STORE_ID, SandboxConfig, StoreConfig
from robotpayment_app.sandbox.errors import GatewayError, message_for
from robotpayment_app.sandbox.faults import FaultPlan
from robotpayment_app.sandbox.kickback import ClientFactory, KickbackSender
from robotpayment_app.sandbox.requests import (
    AUTHENTICATE_FIELDS,
    CAPTURE_CANCEL_FIELDS,
    CARD_TOKEN_FIELDS,
    ONE_TOUCH_FIELDS,
    TOKEN_CREATE_FIELDS,
    TOKEN_PAYMENT_FIELDS,
    USER_FIELDS,
    read_authenticate,
    read_capture_or_cancel,
    read_card_registration,
    read_one_touch,
    read_store,
    read_token_create,
    read_token_payment,
    read_user_request,
)
from robotpayment_app.sandbox.state import (
    Clock,
    Customer,
    DroppedBeforeProcessing,
    Effect,
    GatewayState,
    Payment,
    PaymentResult,
    ThreeDSOutcome,
)
from robotpayment_app.sandbox.wire import AnswerStyle, Params, kickback_url

BrowserAnswer = dict[str, str]


@dataclass(frozen=True, slots=True)
class Outcome:
    """A page's answer body and what the transport must do around it."""

    body: str
    effect: Effect = Effect.NONE


@dataclass(frozen=True, slots=True)
class _Page:
    fields: frozenset[str]
    error_answer: Callable[[Params, str, AnswerStyle], str]


def _bulk_payment_error(params: Params, code: str, style: AnswerStyle) -> str:
    return answers.payment_error(params, code, bulk=params.has("uid"), style=style)


def _plain_payment_error(params: Params, code: str, style: AnswerStyle) -> str:
    return answers.payment_error(params, code, bulk=False, style=style)


def _bare_error(params: Params, code: str, style: AnswerStyle) -> str:
    return answers.bare_error(code, style)


PAGES: dict[str, _Page] = {
    "carduser.aspx": _Page(USER_FIELDS, answers.user_error),
    "carduser_token.aspx": _Page(CARD_TOKEN_FIELDS, answers.card_registration_error),
    "gateway_token.aspx": _Page(TOKEN_PAYMENT_FIELDS, _bulk_payment_error),
    "onetouch.aspx": _Page(ONE_TOUCH_FIELDS, _bare_error),
    "gateway.aspx": _Page(CAPTURE_CANCEL_FIELDS, _plain_payment_error),
}


BROWSER_FIELDS = {
    "token": TOKEN_CREATE_FIELDS,
    "3ds/authenticate": AUTHENTICATE_FIELDS,
    "3ds/challenge": frozenset({"aid", "tkn", "code"}),
}


def origin_allowed(origin: str, patterns: tuple[str, ...]) -> bool:
    """Match a page origin against 決済データ送信元URL patterns; `*` stands for one port or host label."""
    for pattern in patterns:
        regex = re.escape(pattern).replace(r"\*", r"[A-Za-z0-9\-]+")
        if re.fullmatch(regex, origin):
            return True
    return False


class SandboxGateway:
    def __init__(
        self,
        config: SandboxConfig,
        *,
        clock: Clock = time.time,
        kickback_client_factory: ClientFactory | None = None,
    ) -> None:
        self.config = config
        self.answer_style = AnswerStyle(
            line_ending=config.line_ending,
            empty_free_data_field=config.empty_free_data_field,
            bulk_layout=config.bulk_answer_layout,
        )
        self.state = GatewayState(config, clock=clock)
        self.faults = FaultPlan()
        self.kickbacks = KickbackSender(
            attempts=config.kickback_attempts,
            backoff_seconds=config.kickback_backoff_seconds,
            timeout_seconds=config.kickback_timeout_seconds,
            clock=clock,
            client_factory=kickback_client_factory,
        )
        self._handlers: dict[str, Callable[[Params], Awaitable[Outcome]]] = {
            "carduser.aspx": self._carduser,
            "carduser_token.aspx": self._carduser_token,
            "gateway_token.aspx": self._gateway_token,
            "onetouch.aspx": self._onetouch,
            "gateway.aspx": self._gateway,
        }

    # ---- server-to-server pages ----

    def ip_allowed(self, ip: str | None) -> bool:
        if ip is None:
            return False
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        # A dual-stack listener reports IPv4 callers as ::ffff:a.b.c.d.
        mapped = getattr(address, "ipv4_mapped", None)
        return str(mapped or address) in self.config.allowed_ips

    def error_answer(self, page: str, params: Params, code: str) -> str:
        return PAGES[page].error_answer(params, code, self.answer_style)

    async def handle(self, page: str, params: Params) -> Outcome:
        """Run one call of `page` (a key of PAGES) with its parsed parameters."""
        try:
            return await self._handlers[page](params)
        except GatewayError as error:
            return Outcome(self.error_answer(page, params, error.code))
        except DroppedBeforeProcessing:
            return Outcome("", Effect.DROP_BEFORE)

    async def _carduser(self, params: Params) -> Outcome:
        request = read_user_request(params, self.config)
        customer, card = await self.state.user(request)
        return Outcome(answers.user_answer(request.cmd, customer, card, params.free, self.answer_style))

    async def _carduser_token(self, params: Params) -> Outcome:
        result = await self.state.register_card(read_card_registration(params, self.config))
        body = answers.card_registration_answer(result.customer, result.card_seq, params.free, self.answer_style)
        return Outcome(body, result.effect)

    async def _gateway_token(self, params: Params) -> Outcome:
        request = read_token_payment(params, self.config)
        result = await self.state.token_payment(request)
        tail = [] if request.uid is None else answers.registration_tail(request.uid, result.customer, result.card_seq)
        return self._paid(request.store, result, tail, params)

    async def _onetouch(self, params: Params) -> Outcome:
        request = read_one_touch(params, self.config)
        return self._paid(request.store, await self.state.one_touch(request), [], params)

    def _paid(self, store: StoreConfig, result: PaymentResult, tail: list[str], params: Params) -> Outcome:
        if store.kickback_url and (params["rt"] == "0" or self.config.kickback_for_rt1):
            # rt=0 as the spec says; rt=1 only when configured so (the spec describes no notification for it)
            fields = answers.kickback_fields(result.payment, tail)
            self.kickbacks.schedule(result.payment.gid, kickback_url(store.kickback_url, fields, params.free))
        body = answers.payment_answer(result.payment, tail, params.free, self.answer_style)
        return Outcome(body, result.effect)

    async def _gateway(self, params: Params) -> Outcome:
        payment = await self.state.capture_or_cancel(read_capture_or_cancel(params, self.config))
        return Outcome(answers.payment_answer(payment, [], params.free, self.answer_style))

    # ---- browser calls (CPToken.js, EMV3DSAdapter.js) ----

    def _check_origin(self, params: Params, origin: str | None) -> None:
        store = read_store(params, self.config)
        if origin is None or not origin_allowed(origin, store.allowed_origins):
            raise GatewayError("ER002", "the page origin is not registered for this store")

    @staticmethod
    def _browser_error(error: GatewayError) -> BrowserAnswer:
        message = message_for(error.code) + (f": {error.detail}" if error.detail else "")
        return {"resultCode": error.code, "errMsg": message}

    async def create_token(self, params: Params, origin: str | None) -> BrowserAnswer:
        try:
            self._check_origin(params, origin)
            token = await self.state.create_token(read_token_create(params, self.config))
        except GatewayError as error:
            return self._browser_error(error)
        return {"resultCode": "Success", "errMsg": "", "tkn": token.value}

    async def authenticate(self, params: Params, origin: str | None) -> BrowserAnswer:
        """`Success` means the call worked, not that 3-D Secure passed (the payment tells that)."""
        try:
            self._check_origin(params, origin)
            outcome = await self.state.authenticate(read_authenticate(params, self.config))
        except GatewayError as error:
            return self._browser_error(error)
        if outcome is ThreeDSOutcome.CHALLENGE_PENDING:
            return {"resultCode": "Challenge", "errMsg": "", "hint": f"sandbox code: {CHALLENGE_CODE}"}
        return {"resultCode": "Success", "errMsg": ""}

    async def answer_challenge(self, params: Params, origin: str | None) -> BrowserAnswer:
        try:
            self._check_origin(params, origin)
            store = read_store(params, self.config)
            if not params.has("tkn"):
                raise GatewayError("ER583", "tkn: required")
            await self.state.answer_challenge(store.store_id, params["tkn"], params["code"], CHALLENGE_CODE)
        except GatewayError as error:
            return self._browser_error(error)
        return {"resultCode": "Success", "errMsg": ""}

    # ---- inspection, for tests and /sandbox/ ----

    def payments(self) -> list[Payment]:
        return list(self.state.payments.values())

    def payment(self, gid: int) -> Payment | None:
        return self.state.payments.get(gid)

    def customers(self) -> list[Customer]:
        return list(self.state.customers.values())

    def customer(self, uid: str, store_id: str = DEFAULT_STORE_ID) -> Customer | None:
        return self.state.customers.get((store_id, uid))

    async def reset(self) -> None:
        """Forget customers, tokens, payments, pending faults and the kickback log."""
        await self.kickbacks.aclose()
        self.kickbacks.clear()
        self.faults.clear()
        self.state.clear()

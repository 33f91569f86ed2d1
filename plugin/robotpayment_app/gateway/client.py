"""`RobotPaymentClient`: one typed async method per gateway call, over an injected `httpx.AsyncClient`.

How failures are told apart (money safety first):
- nothing reached the gateway (refused connection, DNS, TLS or connect timeout, before the request was written)
  → `GatewayUnavailable` (safe to resend);
- the request was or may have been processed and no valid answer came back → `GatewayOutcomeUnknown`. Any HTTP
  status but 2xx counts here for calls that change something: the request was written, and a front server's
  3xx/4xx/5xx proves nothing about what the gateway behind it did. Redirects are never followed.
- a refusal in the answer (rst=2) → `GatewayRejected` for customer/card calls, a `PaymentResult` for payments.

Only reads (user read cmd 3, card read cmd 6) are retried, with capped exponential backoff, within the same
total time budget. Money-moving calls and deletes are sent once.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from typing import TypeVar

import httpx

from . import codec
from .answers import CardDetails, CardRecord, CustomerRecord, PaymentResult
from .calls import CallSummary
from .error_catalogue import ErrorEntry, lookup_error
from .errors import (
    GatewayAnswerError,
    GatewayError,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayUnavailable,
)
from .payments import AmountsCharge, BulkRegistrationPayment, Charge, OneTouchCharge, TokenPayment
from .requests import (
    CardDeletion,
    CardLookup,
    CardRegistration,
    CardUpdate,
    CustomerDeletion,
    CustomerLookup,
    CustomerRegistration,
    CustomerUpdate,
    GatewayRequest,
)
from .sales_and_cancel import Cancellation, Capture

PRODUCTION_BASE_URL = "https://credit.j-payment.co.jp/gateway/"

Result = TypeVar("Result")
Sleep = Callable[[float], Awaitable[None]]

# Raised before any byte of the request left this process.
_NOT_SENT: tuple[type[Exception], ...] = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
    httpx.ProxyError,
    httpx.InvalidURL,
)


@dataclass(frozen=True, kw_only=True)
class GatewayTimeouts:
    """Seconds. `total` bounds a whole call, retries of reads included; keep it under Saleor's 18 s."""

    connect: float = 3.0
    read: float = 10.0
    write: float = 5.0
    pool: float = 2.0
    total: float = 12.0

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"GatewayTimeouts.{field.name} must be a positive number of seconds")

    def for_httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True, kw_only=True)
class ReadRetryPolicy:
    """Backoff for reads: `attempts` in all, waiting first_delay, 2x, 4x ... at most max_delay in between."""

    attempts: int = 3
    first_delay: float = 0.2
    max_delay: float = 1.0

    def __post_init__(self) -> None:
        if isinstance(self.attempts, bool) or not isinstance(self.attempts, int) or self.attempts < 1:
            raise ValueError("ReadRetryPolicy.attempts must be an integer of at least 1")
        if not 0 <= self.first_delay <= self.max_delay:
            raise ValueError("ReadRetryPolicy delays must satisfy 0 <= first_delay <= max_delay")

    def delay_after(self, attempt: int) -> float:
        """Seconds to wait after the given (1-based) failed attempt."""
        return float(min(self.max_delay, self.first_delay * 2 ** (attempt - 1)))


class _Kind(Enum):
    READ = "read"  # retried; a bad answer is a GatewayAnswerError
    WRITE = "write"  # sent once; a bad answer is a GatewayAnswerError
    MONEY = "money"  # sent once; a bad answer means the outcome is unknown (payments, SALES/CANCEL and
    # card register/update, which run 3-D Secure and consume the single-use token)


def _refusal(succeeded: bool, error: ErrorEntry | None, call: CallSummary) -> None:
    if not succeeded:
        raise GatewayRejected(error or lookup_error(""), call=call)


def _same(answered: str | None, sent: str, field: str) -> None:
    if answered is not None and answered != sent:
        raise GatewayAnswerError(f"{field} in the answer differs from the request")


def _same_amounts(result: PaymentResult, charge: Charge) -> None:
    """A success must echo the amounts sent; anything else means the answer is not the one we think."""
    if result.succeeded and isinstance(charge, AmountsCharge):
        sent = (charge.amount, charge.tax, charge.shipping)
        if (result.amount, result.tax, result.shipping) != sent:
            raise GatewayAnswerError("am, tx or sf in the answer differ from the request")


def _outcome(result: object) -> str:
    if isinstance(result, PaymentResult):
        if result.succeeded:
            return "succeeded"
        return f"declined:{result.error.code if result.error else ''}"
    return "succeeded"


class RobotPaymentClient:
    """The ROBOT PAYMENT gateway client. The caller owns `http` (pooled) and closes it."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str = PRODUCTION_BASE_URL,
        timeouts: GatewayTimeouts | None = None,
        read_retry: ReadRetryPolicy | None = None,
        charset: str = codec.DEFAULT_CHARSET,
        sleep: Sleep = asyncio.sleep,
        logger: logging.Logger | None = None,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/") + "/"
        self._timeouts = timeouts or GatewayTimeouts()
        self._read_retry = read_retry or ReadRetryPolicy()
        self._charset = charset
        self._sleep = sleep
        self._logger = logger or logging.getLogger(__name__)

    @property
    def base_url(self) -> str:
        return self._base_url

    # users (carduser.aspx)

    async def register_customer(self, request: CustomerRegistration) -> CustomerRecord:
        """cmd 0. Returns the new user's `customer_key`."""
        return await self._call(request, _Kind.WRITE, lambda text: self._customer(text, request))

    async def update_customer(self, request: CustomerUpdate) -> CustomerRecord:
        """cmd 1."""
        return await self._call(request, _Kind.WRITE, lambda text: self._customer(text, request))

    async def delete_customer(self, request: CustomerDeletion) -> CustomerRecord:
        """cmd 2 (never retried automatically)."""
        return await self._call(request, _Kind.WRITE, lambda text: self._customer(text, request))

    async def read_customer(self, request: CustomerLookup) -> CustomerRecord:
        """cmd 3, with e-mail and phone. Retried on unavailability and 5xx."""
        return await self._call(request, _Kind.READ, lambda text: self._customer(text, request, contact=True))

    # cards

    async def register_card(self, request: CardRegistration) -> CardRecord:
        """carduser_token.aspx cmd 4; returns the new `card_seq`. Sent once; a bad answer is unknown."""
        return await self._call(request, _Kind.MONEY, lambda text: self._card(text, request, None))

    async def update_card(self, request: CardUpdate) -> CardRecord:
        """carduser_token.aspx cmd 4 with `num`. Sent once; a bad answer is unknown."""
        return await self._call(
            request, _Kind.MONEY, lambda text: self._card(text, request, request.card_seq)
        )

    async def read_card(self, request: CardLookup) -> CardDetails:
        """carduser.aspx cmd 6. Retried on unavailability and 5xx."""

        def interpret(text: str) -> CardDetails:
            details = codec.parse_card_details_answer(text, charset=self._charset)
            _refusal(details.succeeded, details.error, request.summary())
            _same(details.customer_id, request.customer_id, "uid")
            _same(details.card_seq, request.card_seq, "num")
            return details

        return await self._call(request, _Kind.READ, interpret)

    async def delete_card(self, request: CardDeletion) -> CardRecord:
        """carduser.aspx cmd 5 (never retried automatically)."""
        return await self._call(
            request, _Kind.WRITE, lambda text: self._card(text, request, request.card_seq)
        )

    # payments

    async def pay_and_register(self, request: BulkRegistrationPayment) -> PaymentResult:
        """Bulk user + card registration payment; a success carries customer_id, customer_key, card_seq."""

        def interpret(text: str) -> PaymentResult:
            result = self._payment(text, request.order_ref, request.charge, registering=request.customer_id)
            if result.succeeded:
                _same(result.customer_id, request.customer_id, "uid")
            return result

        return await self._call(request, _Kind.MONEY, interpret)

    async def pay_with_token(self, request: TokenPayment) -> PaymentResult:
        """Plain token payment (nothing saved)."""
        return await self._call(
            request, _Kind.MONEY, lambda text: self._payment(text, request.order_ref, request.charge)
        )

    async def charge_one_touch(self, request: OneTouchCharge) -> PaymentResult:
        """One-touch charge of a saved card."""
        return await self._call(
            request, _Kind.MONEY, lambda text: self._payment(text, request.order_ref, request.charge)
        )

    async def capture(self, request: Capture) -> PaymentResult:
        """jb=SALES of an AUTH payment [official-old]."""
        return await self._call(request, _Kind.MONEY, lambda text: self._by_payment_id(text, request.gid))

    async def cancel(self, request: Cancellation) -> PaymentResult:
        """jb=CANCEL of a payment [official-old]."""
        return await self._call(request, _Kind.MONEY, lambda text: self._by_payment_id(text, request.gid))

    # answers: parse, then refuse what does not match the request

    def _customer(
        self, text: str, request: CustomerRegistration | CustomerUpdate | CustomerDeletion | CustomerLookup,
        *, contact: bool = False,
    ) -> CustomerRecord:  # fmt: skip
        record = codec.parse_customer_answer(text, with_contact=contact, charset=self._charset)
        _refusal(record.succeeded, record.error, request.summary())
        _same(record.customer_id, request.customer_id, "uid")
        return record

    def _card(
        self, text: str, request: CardRegistration | CardUpdate | CardDeletion, card_seq: str | None
    ) -> CardRecord:
        record = codec.parse_card_answer(text, charset=self._charset)
        _refusal(record.succeeded, record.error, request.summary())
        _same(record.customer_id, request.customer_id, "uid")
        if card_seq is not None:
            _same(record.card_seq, card_seq, "num")
        return record

    def _payment(
        self, text: str, order_ref: str, charge: Charge, *, registering: str | None = None
    ) -> PaymentResult:
        """`registering`: the uid a bulk registration payment sent (it tells the answer's layout)."""
        result = codec.parse_payment_answer(
            text, with_registration=registering is not None, sent_customer_id=registering, charset=self._charset
        )
        _same(result.order_ref or None, order_ref, "cod")
        _same_amounts(result, charge)
        return result

    def _by_payment_id(self, text: str, gid: str) -> PaymentResult:
        result = codec.parse_payment_answer(text, require_gid=False, charset=self._charset)
        if not result.succeeded:
            return result
        _same(result.gid, gid, "gid")
        return dataclasses.replace(result, gid=gid)  # the old module's answer may leave gid out

    # transport

    async def _call(self, request: GatewayRequest, kind: _Kind, interpret: Callable[[str], Result]) -> Result:
        call = request.summary()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._timeouts.total
        attempt = 0
        while True:
            attempt += 1
            started = time.perf_counter()
            try:
                result = await self._attempt(request, call, kind, interpret, deadline)
            except (GatewayUnavailable, GatewayOutcomeUnknown) as exc:
                self._log(call, attempt, started, type(exc).__name__ + ":" + exc.reason)
                delay = self._read_retry.delay_after(attempt)
                retry = kind is _Kind.READ and attempt < self._read_retry.attempts and self._retryable(exc)
                if not retry or loop.time() + delay >= deadline:
                    raise
                await self._sleep(delay)
            except GatewayRejected as exc:
                self._log(call, attempt, started, f"rejected:{exc.entry.code}")
                raise
            except GatewayAnswerError as exc:
                self._log(call, attempt, started, "malformed:" + exc.reason)
                raise
            else:
                self._log(call, attempt, started, _outcome(result))
                return result

    async def _attempt(
        self,
        request: GatewayRequest,
        call: CallSummary,
        kind: _Kind,
        interpret: Callable[[str], Result],
        deadline: float,
    ) -> Result:
        body = await self._exchange(request, call, kind, deadline)
        try:
            return interpret(codec.decode_answer(body, self._charset))
        except GatewayAnswerError as exc:
            reason = exc.reason
        if kind is _Kind.MONEY:
            raise GatewayOutcomeUnknown(f"unusable answer ({reason})", call=call)
        raise GatewayAnswerError(reason, call=call)

    async def _exchange(self, request: GatewayRequest, call: CallSummary, kind: _Kind, deadline: float) -> bytes:
        body = codec.encode_form(request.wire_params(), self._charset)
        headers = {"Content-Type": f"application/x-www-form-urlencoded; charset={self._charset}"}
        response: httpx.Response | None = None
        failure: GatewayError | None = None
        try:
            async with asyncio.timeout_at(deadline):
                response = await self._http.post(
                    self._base_url + request.endpoint,
                    content=body,
                    headers=headers,
                    timeout=self._timeouts.for_httpx(),
                    follow_redirects=False,  # a redirected money call would be sent twice, or somewhere else
                )
        except TimeoutError:
            failure = GatewayOutcomeUnknown("no answer within the total time budget", call=call)
        except _NOT_SENT as exc:
            failure = GatewayUnavailable(type(exc).__name__, call=call)
        except httpx.TransportError as exc:
            # Read timeouts, connections dropped after sending, write errors: the gateway may have acted.
            failure = GatewayOutcomeUnknown(type(exc).__name__, call=call)
        # Raised here, outside the handlers, so the transport's exception (and its text) is not chained.
        if failure is not None or response is None:
            raise failure or GatewayOutcomeUnknown("no response", call=call)
        status = response.status_code
        if 200 <= status < 300:
            return response.content
        if kind is _Kind.READ:  # a read changes nothing: safe to try again
            raise GatewayUnavailable(f"HTTP {status}", call=call, status_code=status)
        raise GatewayOutcomeUnknown(f"HTTP {status} after the request was sent", call=call, status_code=status)

    @staticmethod
    def _retryable(exc: GatewayUnavailable | GatewayOutcomeUnknown) -> bool:
        # a read that reached no answer (or an HTTP error) is tried again; one that may still be running is not
        return isinstance(exc, GatewayUnavailable)

    def _log(self, call: CallSummary, attempt: int, started: float, outcome: str) -> None:
        duration_ms = round((time.perf_counter() - started) * 1000)
        self._logger.debug(
            "gateway call %s attempt=%d duration_ms=%d outcome=%s",
            call.describe(),
            attempt,
            duration_ms,
            outcome,
        )

"""The gateway's memory: customers and their cards, tokens with their 3-D Secure record, payments.

One `GatewayState` per sandbox process. Every operation runs under one asyncio lock and does not
await inside it, so concurrent requests see each other's effects in a clear order (a token is used
once even when two payments race for it). Operations take typed requests (requests.py) and return
records; they raise GatewayError for refusals. Wire formatting happens elsewhere (answers.py).
"""

from __future__ import annotations

import asyncio
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum

from robotpayment_app.sandbox.cards import (
    CardBehaviour,
    brand_of,
    card_profile,
    check_card_number,
    check_cvv,
    check_expiry,
    check_holder_names,
    decline_code,
    masked,
)
from robotpayment_app.sandbox.config import SandboxConfig
from robotpayment_app.sandbox.errors import GatewayError
from robotpayment_app.sandbox.requests import (
    Authenticate,
    CaptureOrCancel,
    CardRegistration,
    Charge,
    ChargeTerms,
    Contact,
    OneTouchCharge,
    TokenCreate,
    TokenPayment,
    UserRequest,
)

Clock = Callable[[], float]
JST = timezone(timedelta(hours=9))
_ALPHANUMERIC = string.ascii_letters + string.digits
FIRST_GID = 10_000_001
FIRST_GOD = 50_000_001


@dataclass(slots=True)
class Card:
    seq: int
    number: str = field(repr=False)  # the PAN stays out of reprs and logs
    expiry: str  # YYMM
    first_name: str
    last_name: str

    @property
    def masked(self) -> str:
        return masked(self.number)

    @property
    def brand(self) -> str | None:
        return brand_of(self.number)


@dataclass(slots=True)
class Customer:
    store_id: str
    uid: str
    key: str = field(repr=False)
    email: str
    phone: str
    cards: dict[int, Card] = field(default_factory=dict)
    next_card_seq: int = 1  # never reused, also after a card is deleted


class ThreeDSOutcome(Enum):
    PASSED = "passed"
    FAILED = "failed"  # frictionless failure
    CHALLENGE_PENDING = "challenge_pending"
    CHALLENGE_FAILED = "challenge_failed"


@dataclass(frozen=True, slots=True)
class ThreeDSRecord:
    """What authenticate was given (compared with the payment that uses the token) and how it ended."""

    uid: str | None
    terms: ChargeTerms | None
    contact: Contact
    outcome: ThreeDSOutcome


@dataclass(slots=True)
class Token:
    value: str = field(repr=False)
    store_id: str
    card: Card  # seq 0: not registered yet
    cvv_given: bool
    created_at: float
    used: bool = False
    three_ds: ThreeDSRecord | None = None


class PaymentState(Enum):
    AUTH = "AUTH"  # authorised, not captured
    CAPTURE = "CAPTURE"  # authorised and captured at once (jb=CAPTURE)
    SALES = "SALES"  # an AUTH captured later (jb=SALES)
    CHECK = "CHECK"  # a 0-yen validity check
    CANCEL = "CANCEL"
    DECLINED = "DECLINED"  # the card company refused (rst=2, ec G...)


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    action: str  # AUTH CAPTURE CHECK SALES CANCEL
    at: float


@dataclass(slots=True)
class Payment:
    gid: int
    god: int
    store_id: str
    endpoint: str
    job: str
    state: PaymentState
    approval: str  # ap
    error_code: str  # ec
    order_code: str  # cod
    amount: int
    tax: int
    shipping: int
    method: str  # md
    instalments: int | None  # pt
    item_id: str | None
    issued_id: str  # id / ps of content products
    issued_password: str
    uid: str | None
    card_seq: int | None
    card_masked: str
    card_brand: str | None
    events: list[PaymentEvent] = field(default_factory=list)

    @property
    def approved(self) -> bool:
        return self.state is not PaymentState.DECLINED

    @property
    def total(self) -> int:
        return self.amount + self.tax + self.shipping


class Effect(Enum):
    """What the card asks of the transport after the gateway's own work."""

    NONE = "none"
    SLOW = "slow"
    DROP_BEFORE = "drop_before"
    DROP_AFTER = "drop_after"


_CARD_EFFECTS = {
    CardBehaviour.SLOW: Effect.SLOW,
    CardBehaviour.DROP_BEFORE: Effect.DROP_BEFORE,
    CardBehaviour.DROP_AFTER: Effect.DROP_AFTER,
}


def card_effect(number: str) -> Effect:
    return _CARD_EFFECTS.get(card_profile(number).behaviour, Effect.NONE)


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """A processed payment (approved or declined) and, for a bulk registration, the new customer's card."""

    payment: Payment
    customer: Customer | None
    card_seq: int | None
    effect: Effect


@dataclass(frozen=True, slots=True)
class CardResult:
    customer: Customer
    card_seq: int
    effect: Effect


class DroppedBeforeProcessing(Exception):
    """The card makes the gateway drop the connection before it changes anything."""


class GatewayState:
    def __init__(self, config: SandboxConfig, *, clock: Clock) -> None:
        self._config = config
        self._clock = clock
        self._lock = asyncio.Lock()
        self._next_gid = FIRST_GID
        self._next_god = FIRST_GOD
        self.customers: dict[tuple[str, str], Customer] = {}
        self.tokens: dict[str, Token] = {}
        self.payments: dict[int, Payment] = {}

    def clear(self) -> None:
        """Forget customers, tokens and payments (gid/god keep counting, so numbers stay unique)."""
        self.customers.clear()
        self.tokens.clear()
        self.payments.clear()

    # ---- customers (carduser.aspx) ----

    def _customer(self, store_id: str, uid: str, key: str | None) -> Customer:
        customer = self.customers.get((store_id, uid))
        # A wrong key reads exactly like an unknown uid, so the answer does not confirm that a uid exists.
        if customer is None or (key is not None and not secrets.compare_digest(customer.key, key)):
            raise GatewayError("ER021", "no such uid / key")
        return customer

    def _card(self, customer: Customer, card_seq: int) -> Card:
        card = customer.cards.get(card_seq)
        if card is None:
            raise GatewayError("ER021", "no such num")
        return card

    def _new_customer(self, store_id: str, uid: str, contact: Contact) -> Customer:
        if (store_id, uid) in self.customers:
            raise GatewayError("ER021", "uid: already registered")
        key = "".join(secrets.choice(_ALPHANUMERIC) for _ in range(10))
        return Customer(store_id=store_id, uid=uid, key=key, email=contact.email, phone=contact.phone)

    async def user(self, request: UserRequest) -> tuple[Customer, Card | None]:
        """Run a carduser.aspx command; answers the customer (as it was, for deletions) and the card read."""
        async with self._lock:
            store_id = request.store.store_id
            if request.cmd == "0":
                customer = self._new_customer(store_id, request.uid, request.contact)
                self.customers[(store_id, request.uid)] = customer
                return customer, None
            if request.cmd == "3":
                return self._customer(store_id, request.uid, None), None
            customer = self._customer(store_id, request.uid, request.key)
            if request.cmd == "1":
                if not (request.contact.email or request.contact.phone or customer.email or customer.phone):
                    raise GatewayError("ER059", "em or pn: one of them is required")
                self._update_contact(customer, request.contact)
                return customer, None
            if request.cmd == "2":
                del self.customers[(store_id, request.uid)]
                return customer, None
            assert request.card_seq is not None
            card = self._card(customer, request.card_seq)
            if request.cmd == "5":
                del customer.cards[request.card_seq]
            return customer, card

    @staticmethod
    def _update_contact(customer: Customer, contact: Contact) -> None:
        if contact.email:
            customer.email = contact.email
        if contact.phone:
            customer.phone = contact.phone

    # ---- tokens and 3-D Secure (CPToken.js / EMV3DSAdapter.js) ----

    def _today_yymm(self) -> str:
        return datetime.fromtimestamp(self._clock(), tz=JST).strftime("%y%m")

    async def create_token(self, request: TokenCreate) -> Token:
        number = check_card_number(request.card_number)
        expiry = check_expiry(request.expiry, self._today_yymm())
        first_name, last_name = check_holder_names(
            request.first_name, request.last_name, spaces=self._config.lenient_fields
        )
        cvv_given = check_cvv(request.cvv, number, required=request.store.cvv_required)
        async with self._lock:
            value = secrets.token_urlsafe(32)
            token = Token(
                value=value,
                store_id=request.store.store_id,
                card=Card(seq=0, number=number, expiry=expiry, first_name=first_name, last_name=last_name),
                cvv_given=cvv_given,
                created_at=self._clock(),
            )
            self.tokens[value] = token
            return token

    def _live_token(self, store_id: str, value: str) -> Token:
        token = self.tokens.get(value)
        if token is None or token.store_id != store_id or token.used:
            raise GatewayError("ER584", "tkn: unknown or already used")
        if self._clock() - token.created_at > self._config.token_ttl_seconds:
            raise GatewayError("ER585", "tkn: expired")
        return token

    async def authenticate(self, request: Authenticate) -> ThreeDSOutcome:
        async with self._lock:
            token = self._live_token(request.store.store_id, request.token)
            behaviour = card_profile(token.card.number).behaviour
            outcome = {
                CardBehaviour.THREE_DS_FAILURE: ThreeDSOutcome.FAILED,
                CardBehaviour.THREE_DS_CHALLENGE: ThreeDSOutcome.CHALLENGE_PENDING,
            }.get(behaviour, ThreeDSOutcome.PASSED)
            token.three_ds = ThreeDSRecord(
                uid=request.uid, terms=request.terms, contact=request.contact, outcome=outcome
            )
            return outcome

    async def answer_challenge(self, store_id: str, value: str, code: str, expected: str) -> ThreeDSOutcome:
        async with self._lock:
            token = self._live_token(store_id, value)
            record = token.three_ds
            if record is None or record.outcome is not ThreeDSOutcome.CHALLENGE_PENDING:
                raise GatewayError("ER001", "no challenge is waiting for this token")
            passed = secrets.compare_digest(code.encode(), expected.encode())
            outcome = ThreeDSOutcome.PASSED if passed else ThreeDSOutcome.CHALLENGE_FAILED
            token.three_ds = ThreeDSRecord(uid=record.uid, terms=record.terms, contact=record.contact, outcome=outcome)
            return outcome

    def _use_token(
        self, store_id: str, value: str, *, uid: str | None, terms: ChargeTerms | None, contact: Contact
    ) -> Token:
        """Take a token for a payment or card registration; its 3DS record must match the call exactly."""
        token = self._live_token(store_id, value)
        if card_effect(token.card.number) is Effect.DROP_BEFORE:
            raise DroppedBeforeProcessing
        token.used = True
        record = token.three_ds
        if record is None or record.outcome is ThreeDSOutcome.FAILED:
            raise GatewayError("ER900", "3-D Secure: not authenticated, or failed")
        if record.outcome is not ThreeDSOutcome.PASSED:
            raise GatewayError("ER901", "3-D Secure: the challenge was not passed")
        if record.uid != uid or record.terms != terms or record.contact != contact:
            raise GatewayError("ER900", "3-D Secure: authenticated with other parameters than this call")
        return token

    # ---- cards (carduser_token.aspx) ----

    async def register_card(self, request: CardRegistration) -> CardResult:
        async with self._lock:
            store_id = request.store.store_id
            customer = self._customer(store_id, request.uid, request.key)
            if request.card_seq is not None:
                self._card(customer, request.card_seq)
            if not (customer.email or customer.phone):
                raise GatewayError("ER059", "the user has neither em nor pn")
            token = self._use_token(store_id, request.token, uid=request.uid, terms=None, contact=Contact("", ""))
            card_seq = request.card_seq if request.card_seq is not None else customer.next_card_seq
            if request.card_seq is None:
                customer.next_card_seq += 1
            new = token.card
            customer.cards[card_seq] = Card(card_seq, new.number, new.expiry, new.first_name, new.last_name)
            return CardResult(customer=customer, card_seq=card_seq, effect=card_effect(new.number))

    # ---- payments ----

    def _charge(
        self,
        *,
        endpoint: str,
        store_id: str,
        job: str,
        order_code: str,
        charge: Charge,
        card: Card,
        uid: str | None,
        card_seq: int | None,
    ) -> Payment:
        profile = card_profile(card.number)
        declined = profile.behaviour is CardBehaviour.DECLINE
        state = PaymentState.DECLINED if declined else PaymentState(job)
        gid, god = self._next_gid, self._next_god
        self._next_gid += 1
        self._next_god += 1
        credentials = charge.product is not None and charge.product.issues_credentials and not declined
        payment = Payment(
            gid=gid,
            god=god,
            store_id=store_id,
            endpoint=endpoint,
            job=job,
            state=state,
            approval="" if declined else f"{secrets.randbelow(10**7):07d}",
            error_code=decline_code(profile.decline_code) if declined else "",
            order_code=order_code,
            amount=charge.amount,
            tax=charge.tax,
            shipping=charge.shipping,
            method=charge.method,
            instalments=charge.instalments,
            item_id=charge.product.item_id if charge.product else None,
            issued_id=f"ID{gid}" if credentials else "",
            issued_password="".join(secrets.choice(_ALPHANUMERIC) for _ in range(8)) if credentials else "",
            uid=uid,
            card_seq=card_seq,
            card_masked=card.masked,
            card_brand=card.brand,
        )
        if not declined:
            payment.events.append(PaymentEvent(action=job, at=self._clock()))
        self.payments[gid] = payment
        return payment

    async def token_payment(self, request: TokenPayment) -> PaymentResult:
        async with self._lock:
            store_id = request.store.store_id
            customer = None
            if request.uid is not None:
                customer = self._new_customer(store_id, request.uid, request.contact)
            token = self._use_token(store_id, request.token, uid=None, terms=request.terms, contact=request.contact)
            payment = self._charge(
                endpoint="gateway_token.aspx",
                store_id=store_id,
                job=request.job,
                order_code=request.order_code,
                charge=request.charge,
                card=token.card,
                uid=request.uid,
                card_seq=1 if customer else None,
            )
            effect = card_effect(token.card.number)
            if customer is None or not payment.approved:
                # A declined bulk registration registers nobody [inferred].
                payment.card_seq = None
                return PaymentResult(payment=payment, customer=None, card_seq=None, effect=effect)
            card = token.card
            customer.cards[1] = Card(1, card.number, card.expiry, card.first_name, card.last_name)
            customer.next_card_seq = 2
            self.customers[(store_id, customer.uid)] = customer
            return PaymentResult(payment=payment, customer=customer, card_seq=1, effect=effect)

    async def one_touch(self, request: OneTouchCharge) -> PaymentResult:
        async with self._lock:
            store_id = request.store.store_id
            customer = self._customer(store_id, request.uid, request.key)
            card = self._card(customer, request.card_seq)
            effect = card_effect(card.number)
            if effect is Effect.DROP_BEFORE:
                raise DroppedBeforeProcessing
            self._update_contact(customer, request.contact)
            payment = self._charge(
                endpoint="onetouch.aspx",
                store_id=store_id,
                job=request.job,
                order_code=request.order_code,
                charge=request.charge,
                card=card,
                uid=request.uid,
                card_seq=request.card_seq,
            )
            return PaymentResult(payment=payment, customer=None, card_seq=None, effect=effect)

    async def capture_or_cancel(self, request: CaptureOrCancel) -> Payment:
        async with self._lock:
            payment = self.payments.get(request.gid)
            if payment is None or payment.store_id != request.store.store_id:
                raise GatewayError("ER053", "tid: no such payment in this store")
            if request.job == "SALES":
                if payment.state is not PaymentState.AUTH:
                    raise GatewayError("ER032", f"SALES: the payment is {payment.state.value}, not AUTH")
                payment.state = PaymentState.SALES
            else:
                cancellable = (PaymentState.AUTH, PaymentState.CAPTURE, PaymentState.SALES)
                if payment.state not in cancellable:
                    raise GatewayError("ER033", f"CANCEL: the payment is {payment.state.value}")
                payment.state = PaymentState.CANCEL
            payment.events.append(PaymentEvent(action=request.job, at=self._clock()))
            return payment


def iso_time(epoch_seconds: float) -> str:
    return datetime.fromtimestamp(epoch_seconds, tz=UTC).isoformat()

"""JSON shapes of the `/sandbox/` inspection endpoints (never the user key, never a token, never a PAN)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel

from robotpayment_app.sandbox.cards import TEST_CARDS
from robotpayment_app.sandbox.faults import Fault
from robotpayment_app.sandbox.kickback import KickbackDelivery
from robotpayment_app.sandbox.state import Card, Customer, Payment, iso_time


class PaymentEventView(BaseModel):
    action: str
    at: str


class PaymentView(BaseModel):
    gid: int
    god: int
    store_id: str
    endpoint: str
    jb: str
    state: str
    ap: str
    ec: str
    cod: str
    am: int
    tx: int
    sf: int
    ta: int
    md: str
    pt: int | None
    iid: str | None
    uid: str | None
    num: int | None
    card: str
    brand: str | None
    events: list[PaymentEventView]

    @classmethod
    def of(cls, payment: Payment) -> PaymentView:
        return cls(
            gid=payment.gid,
            god=payment.god,
            store_id=payment.store_id,
            endpoint=payment.endpoint,
            jb=payment.job,
            state=payment.state.value,
            ap=payment.approval,
            ec=payment.error_code,
            cod=payment.order_code,
            am=payment.amount,
            tx=payment.tax,
            sf=payment.shipping,
            ta=payment.total,
            md=payment.method,
            pt=payment.instalments,
            iid=payment.item_id,
            uid=payment.uid,
            num=payment.card_seq,
            card=payment.card_masked,
            brand=payment.card_brand,
            events=[PaymentEventView(action=event.action, at=iso_time(event.at)) for event in payment.events],
        )


class CardView(BaseModel):
    num: int
    cn: str
    ed: str
    fn: str
    ln: str
    brand: str | None

    @classmethod
    def of(cls, card: Card) -> CardView:
        return cls(
            num=card.seq,
            cn=card.masked,
            ed=card.expiry,
            fn=card.first_name,
            ln=card.last_name,
            brand=card.brand,
        )


class CustomerView(BaseModel):
    store_id: str
    uid: str
    em: str
    pn: str
    cards: list[CardView]

    @classmethod
    def of(cls, customer: Customer) -> CustomerView:
        return cls(
            store_id=customer.store_id,
            uid=customer.uid,
            em=customer.email,
            pn=customer.phone,
            cards=[CardView.of(card) for card in customer.cards.values()],
        )


class DeliveryAttemptView(BaseModel):
    at: str
    status: int | None
    body_bytes: int
    error: str


class KickbackView(BaseModel):
    id: int
    gid: int
    url: str  # the user key redacted
    state: str
    attempts: list[DeliveryAttemptView]

    @classmethod
    def of(cls, delivery: KickbackDelivery) -> KickbackView:
        return cls(
            id=delivery.delivery_id,
            gid=delivery.gid,
            url=redact_key(delivery.url),
            state=delivery.state.value,
            attempts=[
                DeliveryAttemptView(at=iso_time(a.at), status=a.status, body_bytes=a.body_bytes, error=a.error)
                for a in delivery.attempts
            ],
        )


class FaultView(BaseModel):
    fault: Fault
    remaining: int


class CardProfileView(BaseModel):
    number: str
    behaviour: str
    decline_code: str
    note: str


def card_profile_views() -> list[CardProfileView]:
    return [
        CardProfileView(
            number=card.number, behaviour=card.behaviour.value, decline_code=card.decline_code, note=card.note
        )
        for card in TEST_CARDS
    ]


def redact_key(url: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    pairs = [(name, "***" if name == "key" else value) for name, value in parse_qsl(query, keep_blank_values=True)]
    return urlunsplit((scheme, netloc, path, urlencode(pairs), fragment))

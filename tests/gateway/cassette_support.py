"""The gateway client's cassettes: their names, the requests behind them, and how they are scrubbed and matched.

Shared by the replay tests (`test_cassettes.py`) and the recorder (`scripts/record_cassettes.py`), so that the
requests replayed are built by the same code as the requests recorded.

- One cassette per client call and outcome, one interaction each: `cassettes/<name>.yaml`.
- Matched on method + path + the form parameters that are not secret (`gateway_form`).
- Scrubbed before writing, by vcrpy's `before_record_request` / `before_record_response` hooks (`Scrubber`):
  the user `key` and the token `tkn` in requests, the `key` and the issued password `ps` in answers become fixed
  placeholders that the client still parses. Values the recording chose (store id, customer ids, order refs, item
  id) are rewritten to the canonical ones below, so that a recording made against a real test store replays in
  the same tests.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import vcr
from vcr.request import Request

from robotpayment_app.gateway import (
    AmountsCharge,
    BulkRegistrationPayment,
    Cancellation,
    Capture,
    CardDeletion,
    CardLookup,
    CardRegistration,
    CardUpdate,
    CustomerDeletion,
    CustomerLookup,
    CustomerRegistration,
    CustomerUpdate,
    GatewayAnswerError,
    JobType,
    OneTouchCharge,
    PaymentMethod,
    ProductCharge,
    TokenPayment,
)
from robotpayment_app.gateway.codec import (
    CARD_LAYOUT,
    PAYMENT_LAYOUT,
    REGISTRATION_PAYMENT_LAYOUTS,
    encode_form,
    registration_answer_layout,
    split_fields,
)

CASSETTE_DIR = Path(__file__).resolve().parents[2] / "cassettes"

# What the secrets become. Each still passes the client's own field rules (key: at most 10 alphanumerics).
KEY_PLACEHOLDER = "XXXXXXXXXX"
TOKEN_PLACEHOLDER = "X" * 32
PASSWORD_PLACEHOLDER = "XXXXXXXX"
PLACEHOLDERS = frozenset({KEY_PLACEHOLDER, TOKEN_PLACEHOLDER, PASSWORD_PLACEHOLDER})
SECRET_PARAMS = {"key": KEY_PLACEHOLDER, "tkn": TOKEN_PLACEHOLDER}
SECRET_ANSWER_FIELDS = {"key": KEY_PLACEHOLDER, "ps": PASSWORD_PLACEHOLDER}

# A recording against the local sandbox runs it on a free port; cassettes name the command's default address.
SANDBOX_ORIGIN = "http://127.0.0.1:8900"

_FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
_CHARSET = "utf-8"

# ---- who and what the recorded calls are about ----

SHOPPER = "cassette1"  # registered by customer_register_success; holds the saved card
STRANGER = "cassette9"  # never registered
BULK_SHOPPER = "cassette2"  # registered by bulk_payment_amounts_success
DECLINED_SHOPPER = "cassette3"  # bulk payment declined, so never registered
PRODUCT_SHOPPER = "cassette4"  # registered by bulk_payment_product_success
CUSTOMERS = (SHOPPER, STRANGER, BULK_SHOPPER, DECLINED_SHOPPER, PRODUCT_SHOPPER)
SHOPPER_EMAIL = "taro@example.com"
SHOPPER_PHONE = "0311112222"
BULK_EMAIL = "hanako@example.com"
GUEST_EMAIL = "guest@example.com"
UNKNOWN_ITEM = "NOSUCHITEM1"
UNKNOWN_CARD_SEQ = "99"
ONE_TOUCH_MEMO = {"memo": "two words"}

ORDERS = (
    "onetouch-amounts", "onetouch-declined", "onetouch-product", "onetouch-product-unknown",
    "onetouch-instalments", "onetouch-revolving", "bulk-amounts", "bulk-declined", "bulk-product",
    "bulk-product-taken", "token-amounts", "token-3ds-failed", "token-product", "token-product-reused",
    "token-check", "token-check-declined",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Identity:
    """The values a recording chooses. `run` makes customer ids and order refs unique on a real store."""

    store_id: str = "000000"
    item_id: str = "EBOOK001"  # a content product: its payments answer an issued id and password
    run: str = ""

    def customer(self, name: str) -> str:
        return name + self.run

    def order(self, name: str) -> str:
        assert name in ORDERS, name
        return f"{name}-{self.run}" if self.run else name

    def request_aliases(self) -> dict[str, dict[str, str]]:
        """Per request parameter: recorded value -> canonical value."""
        return {
            "aid": _changed({self.store_id: CANONICAL.store_id}),
            "iid": _changed({self.item_id: CANONICAL.item_id}),
            "uid": _changed({self.customer(name): name for name in CUSTOMERS}),
            "cod": _changed({self.order(name): name for name in ORDERS}),
        }

    def answer_aliases(self) -> dict[str, str]:
        """Answer fields equal to a recorded customer id or order ref -> the canonical one (they hold letters,
        so no amount or number can be mistaken for one)."""
        aliases = self.request_aliases()
        return aliases["uid"] | aliases["cod"]


def _changed(pairs: Mapping[str, str]) -> dict[str, str]:
    return {recorded: canonical for recorded, canonical in pairs.items() if recorded != canonical}


CANONICAL = Identity()

# ---- the cassettes ----


@dataclass(frozen=True)
class CassetteEntry:
    name: str
    method: str  # the RobotPaymentClient method it records
    succeeds: bool


def _pair(prefix: str, method: str) -> tuple[CassetteEntry, CassetteEntry]:
    return CassetteEntry(f"{prefix}_success", method, True), CassetteEntry(f"{prefix}_failure", method, False)


# In recording order (later calls use what earlier ones created).
CASSETTES: tuple[CassetteEntry, ...] = (
    *_pair("customer_register", "register_customer"),
    *_pair("customer_read", "read_customer"),
    *_pair("customer_update", "update_customer"),
    *_pair("card_register", "register_card"),
    *_pair("card_read", "read_card"),
    *_pair("one_touch_product", "charge_one_touch"),
    *_pair("one_touch_instalments", "charge_one_touch"),
    *_pair("one_touch_amounts", "charge_one_touch"),
    *_pair("capture", "capture"),
    *_pair("cancel", "cancel"),
    *_pair("card_update", "update_card"),
    *_pair("bulk_payment_amounts", "pay_and_register"),
    *_pair("bulk_payment_product", "pay_and_register"),
    *_pair("token_payment_amounts", "pay_with_token"),
    *_pair("token_payment_product", "pay_with_token"),
    *_pair("token_payment_check", "pay_with_token"),
    *_pair("card_delete", "delete_card"),
    *_pair("customer_delete", "delete_customer"),
)
CASSETTE_NAMES = frozenset(entry.name for entry in CASSETTES)

# ---- the requests (the recorder passes real keys and tokens, the replay tests the placeholders) ----


def customer_registration(ids: Identity) -> CustomerRegistration:
    return CustomerRegistration(store_id=ids.store_id, customer_id=ids.customer(SHOPPER), email=SHOPPER_EMAIL)


def customer_lookup(ids: Identity, customer: str) -> CustomerLookup:
    return CustomerLookup(store_id=ids.store_id, customer_id=ids.customer(customer))


def customer_update(ids: Identity, customer: str, key: str) -> CustomerUpdate:
    return CustomerUpdate(
        store_id=ids.store_id, customer_id=ids.customer(customer), customer_key=key, phone=SHOPPER_PHONE
    )


def customer_deletion(ids: Identity, key: str) -> CustomerDeletion:
    return CustomerDeletion(store_id=ids.store_id, customer_id=ids.customer(SHOPPER), customer_key=key)


def card_registration(ids: Identity, key: str, token: str) -> CardRegistration:
    return CardRegistration(store_id=ids.store_id, customer_id=ids.customer(SHOPPER), customer_key=key, token=token)


def card_update(ids: Identity, key: str, card_seq: str, token: str) -> CardUpdate:
    return CardUpdate(
        store_id=ids.store_id, customer_id=ids.customer(SHOPPER), customer_key=key, card_seq=card_seq, token=token
    )


def card_lookup(ids: Identity, key: str, card_seq: str) -> CardLookup:
    return CardLookup(store_id=ids.store_id, customer_id=ids.customer(SHOPPER), customer_key=key, card_seq=card_seq)


def card_deletion(ids: Identity, key: str, card_seq: str) -> CardDeletion:
    return CardDeletion(store_id=ids.store_id, customer_id=ids.customer(SHOPPER), customer_key=key, card_seq=card_seq)


def _one_touch(ids: Identity, key: str, card_seq: str, order: str, **terms: Any) -> OneTouchCharge:
    return OneTouchCharge(
        store_id=ids.store_id,
        order_ref=ids.order(order),
        customer_id=ids.customer(SHOPPER),
        customer_key=key,
        card_seq=card_seq,
        **terms,
    )


def one_touch_amounts(ids: Identity, key: str, card_seq: str, order: str) -> OneTouchCharge:
    """AUTH of 3,000 yen + 300 tax + 500 shipping, with free data echoed back."""
    charge = AmountsCharge(job=JobType.AUTH, amount=3000, tax=300, shipping=500)
    return _one_touch(ids, key, card_seq, order, charge=charge, extra=ONE_TOUCH_MEMO)


def one_touch_product(ids: Identity, key: str, card_seq: str, order: str, item_id: str) -> OneTouchCharge:
    return _one_touch(ids, key, card_seq, order, charge=ProductCharge(item_id=item_id))


def one_touch_instalments(
    ids: Identity, key: str, card_seq: str, order: str, method: PaymentMethod, installments: int | None
) -> OneTouchCharge:
    charge = AmountsCharge(job=JobType.CAPTURE, amount=2000)
    return _one_touch(ids, key, card_seq, order, charge=charge, payment_method=method, installments=installments)


def capture(ids: Identity, gid: str) -> Capture:
    return Capture(store_id=ids.store_id, gid=gid)


def cancellation(ids: Identity, gid: str) -> Cancellation:
    return Cancellation(store_id=ids.store_id, gid=gid)


def bulk_payment_amounts(ids: Identity, customer: str, order: str, token: str) -> BulkRegistrationPayment:
    return BulkRegistrationPayment(
        store_id=ids.store_id,
        order_ref=ids.order(order),
        customer_id=ids.customer(customer),
        token=token,
        charge=AmountsCharge(job=JobType.CAPTURE, amount=1000),
        email=BULK_EMAIL,
    )


def bulk_payment_product(ids: Identity, customer: str, order: str, token: str) -> BulkRegistrationPayment:
    return BulkRegistrationPayment(
        store_id=ids.store_id,
        order_ref=ids.order(order),
        customer_id=ids.customer(customer),
        token=token,
        charge=ProductCharge(item_id=ids.item_id),
        email=BULK_EMAIL,
    )


def token_payment_amounts(ids: Identity, order: str, token: str) -> TokenPayment:
    charge = AmountsCharge(job=JobType.AUTH, amount=1500, tax=150)
    return TokenPayment(
        store_id=ids.store_id, order_ref=ids.order(order), token=token, charge=charge, email=GUEST_EMAIL
    )


def token_payment_product(ids: Identity, order: str, token: str) -> TokenPayment:
    charge = ProductCharge(item_id=ids.item_id)
    return TokenPayment(
        store_id=ids.store_id, order_ref=ids.order(order), token=token, charge=charge, email=GUEST_EMAIL
    )


def token_payment_check(ids: Identity, order: str, token: str) -> TokenPayment:
    charge = AmountsCharge(job=JobType.CHECK, amount=0)
    return TokenPayment(
        store_id=ids.store_id, order_ref=ids.order(order), token=token, charge=charge, email=GUEST_EMAIL
    )


# ---- scrubbing (vcrpy hooks) and matching ----

AnswerLayout = tuple[str, ...]
# The answer's items -> the layouts to scrub them in.
LayoutOf = Callable[[list[str]], tuple[AnswerLayout, ...]]


def _answer_layout(path: str, params: Mapping[str, str]) -> LayoutOf:
    """How the codec reads an answer to this request (`params` as sent, before scrubbing)."""
    page = path.rsplit("/", 1)[-1]
    if page in ("carduser.aspx", "carduser_token.aspx"):
        return lambda items: (CARD_LAYOUT,)  # key is the 4th field of every user and card answer
    uid = params.get("uid")
    if page == "gateway_token.aspx" and uid:

        def registration(items: list[str]) -> tuple[AnswerLayout, ...]:
            try:
                return (registration_answer_layout(items, uid),)
            except GatewayAnswerError:  # the client cannot read it either: scrub it in both layouts
                return REGISTRATION_PAYMENT_LAYOUTS

        return registration
    return lambda items: (PAYMENT_LAYOUT,)


class Scrubber:
    """vcrpy's `before_record_request` (`request`) and `before_record_response` (`response`) hooks.

    vcrpy calls them in that order for each interaction it records (and for each it loads), with nothing in
    between, so `response` knows the request it answers from the last `request` call. Every secret met is also
    remembered and replaced wherever it shows up again, whatever the position.
    """

    def __init__(self, *, identity: Identity = CANONICAL, origin: str | None = None) -> None:
        """`identity`: the values the recording chose; `origin`: the recorded gateway's scheme://host:port when it
        is a sandbox on a port of the moment (written as SANDBOX_ORIGIN). Use one scrubber for a whole recording
        run, so that a secret met in one cassette is also known in the next."""
        self._request_aliases = identity.request_aliases()
        self._answer_aliases = identity.answer_aliases()
        self._origin = origin.rstrip("/") if origin else None
        self._layout_of: LayoutOf | None = None
        self._secrets: dict[str, str] = {}  # secret value -> its placeholder

    def request(self, request: Request) -> Request | None:
        parts = urlsplit(request.uri)
        if not parts.path.endswith(".aspx"):
            return None  # the sandbox's browser and inspection endpoints are no gateway call
        body = self._scrubbed_params(_form(request.body))
        query = self._scrubbed_params(parse_qsl(parts.query, keep_blank_values=True))
        uri = urlunsplit(parts._replace(query=encode_form(query).decode("ascii") if query else ""))
        if self._origin is not None and uri.startswith(self._origin + "/"):
            uri = SANDBOX_ORIGIN + uri[len(self._origin) :]
        self._layout_of = _answer_layout(
            parts.path, dict(_form(request.body)) | dict(parse_qsl(parts.query, keep_blank_values=True))
        )
        headers = {"Content-Type": _FORM_TYPE} if request.body else {}
        return Request(request.method, uri, encode_form(body) if request.body else request.body, headers)

    def _scrubbed_params(self, params: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        scrubbed = []
        for name, value in params:
            if name in SECRET_PARAMS and value:
                self._remember(value, SECRET_PARAMS[name])
                value = SECRET_PARAMS[name]
            else:
                value = self._request_aliases.get(name, {}).get(value, value)
            scrubbed.append((name, value))
        return scrubbed

    def _remember(self, value: str, placeholder: str) -> None:
        if value not in PLACEHOLDERS:
            self._secrets[value] = placeholder

    def response(self, response: dict[str, Any]) -> dict[str, Any]:
        scrubbed = copy.deepcopy(response)
        raw = scrubbed["body"]["string"]
        text = raw.decode(_CHARSET, errors="surrogateescape") if isinstance(raw, bytes) else str(raw)
        text = self._scrubbed_answer(text)
        for secret, placeholder in self._secrets.items():
            text = text.replace(secret, placeholder)
        body = text.encode(_CHARSET, errors="surrogateescape")
        scrubbed["body"]["string"] = body
        headers = {name: values for name, values in scrubbed["headers"].items() if name.lower() == "content-type"}
        scrubbed["headers"] = headers | {"content-length": [str(len(body))]}
        return scrubbed

    def _scrubbed_answer(self, text: str) -> str:
        line = text.rstrip("\r\n")
        ending = text[len(line) :]
        if not line or line.lstrip().startswith("ER:") or self._layout_of is None:
            return text
        items = line.split(",")
        for layout in self._layout_of(items):
            named = _named_positions(items, layout)
            for name, index in named.items():
                if name in SECRET_ANSWER_FIELDS and items[index].strip():
                    self._remember(items[index].strip(), SECRET_ANSWER_FIELDS[name])
                    items[index] = SECRET_ANSWER_FIELDS[name]
            for index in range(len(named)):
                items[index] = self._answer_aliases.get(items[index].strip(), items[index])
        return ",".join(items) + ending


def _named_positions(items: list[str], layout: AnswerLayout) -> dict[str, int]:
    """Field name -> index, as the codec reads the line in `layout`."""
    count = len(split_fields(items, layout).named)
    return {name: index for index, name in enumerate(layout[:count])}


def _form(body: object) -> list[tuple[str, str]]:
    if not body:
        return []
    text = body.decode("ascii") if isinstance(body, bytes) else str(body)
    return parse_qsl(text, keep_blank_values=True, encoding=_CHARSET)


def _comparable(request: Request) -> list[tuple[str, str]]:
    query = parse_qsl(urlsplit(request.uri).query, keep_blank_values=True)
    return sorted((name, value) for name, value in [*_form(request.body), *query] if name not in SECRET_PARAMS)


def gateway_form(one: Request, other: Request) -> None:
    """vcrpy matcher: the same form parameters, secrets left out (their values are never in the message)."""
    first, second = _comparable(one), _comparable(other)
    if first != second:
        differing = sorted({name for name, _ in set(first) ^ set(second)})
        raise AssertionError(f"form parameters differ: {', '.join(differing)}")


RecordMode = Literal["none", "all", "once", "new_episodes"]


def gateway_vcr(directory: Path, *, record_mode: RecordMode, scrubber: Scrubber) -> vcr.VCR:
    """vcrpy set up for gateway cassettes: `<directory>/<name>.yaml`, scrubbed, matched without secrets."""
    config = vcr.VCR(
        cassette_library_dir=str(directory),
        path_transformer=vcr.VCR.ensure_suffix(".yaml"),
        record_mode=record_mode,
        match_on=("method", "path", "gateway_form"),
        before_record_request=scrubber.request,
        before_record_response=scrubber.response,
    )
    config.register_matcher("gateway_form", gateway_form)
    return config

"""Typed requests of each gateway call, read from wire parameters with the gateway's own checks.

Each `read_*` function checks the fields in the order the gateway does and raises GatewayError
with the field's code (ER05x / ER06x, see gateway-notes) at the first bad one. They are pure: the
configuration is passed in, nothing is looked up in the state here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from robotpayment_app.sandbox.config import Product, SandboxConfig, StoreConfig
from robotpayment_app.sandbox.errors import GatewayError
from robotpayment_app.sandbox.wire import Params, check_free_data

MAX_TOTAL = 9_999_999
INSTALMENT_COUNTS = frozenset({3, 5, 6, 10, 12, 15, 18, 20, 24})
LUMP_SUM, INSTALMENTS, REVOLVING = "10", "61", "80"

# The spec's 形式 column; the lenient forms are SandboxConfig.lenient_fields.
_UID = re.compile(r"^[A-Za-z0-9]{1,50}$")  # 半角英数(50)
_LENIENT_UID = re.compile(r"^[A-Za-z0-9._@+=\-]{1,50}$")
_AUTHENTICATE_UID = re.compile(r"^[!-~]{1,50}$")  # authenticate's uid is 半角英数記号
_KEY = re.compile(r"^[A-Za-z0-9]+$")
CARD_KEY_MAX = 10  # 半角英数(10): card register/update/read/delete, one-touch
USER_KEY_MAX = 100  # 半角英数(100): user update/delete
_EMAIL = re.compile(r"^[!-+\--~]{1,64}@[!-+\--~]{1,189}$")  # printable ASCII without space or comma
_PHONE = re.compile(r"^\d{1,15}$")
_MONEY = re.compile(r"^\d{1,8}$")
_ITEM = re.compile(r"^[A-Za-z0-9]{1,50}$")  # 半角英数(50)
_LENIENT_ITEM = re.compile(r"^[A-Za-z0-9_\-]{1,50}$")
_ORDER_CODE_FORBIDDEN = re.compile(r"[,\r\n]")

# Fields each endpoint defines; anything else a caller sends is free data.
USER_FIELDS = frozenset({"aid", "cmd", "uid", "key", "em", "pn", "num"})
CARD_TOKEN_FIELDS = frozenset({"aid", "cmd", "uid", "key", "num", "tkn", "cn"})
TOKEN_PAYMENT_FIELDS = frozenset(
    {"aid", "jb", "rt", "cod", "uid", "tkn", "em", "pn", "am", "tx", "sf", "iid", "md", "pt", "cn"}
)
ONE_TOUCH_FIELDS = frozenset(
    {"aid", "rt", "cmd", "cod", "uid", "key", "num", "jb", "am", "tx", "sf", "iid", "em", "pn", "md", "pt"}
)
CAPTURE_CANCEL_FIELDS = frozenset({"aid", "jb", "tid", "rt"})
AUTHENTICATE_FIELDS = frozenset({"aid", "tkn", "uid", "am", "tx", "sf", "iid", "em", "pn"})
TOKEN_CREATE_FIELDS = frozenset({"aid", "cn", "ed", "fn", "ln", "cvv"})


@dataclass(frozen=True, slots=True)
class Contact:
    email: str
    phone: str


@dataclass(frozen=True, slots=True)
class Charge:
    """What a payment charges: amounts sent (am tx sf) or a catalogue product (iid), and how it is paid."""

    amount: int
    tax: int
    shipping: int
    product: Product | None
    method: str  # md
    instalments: int | None  # pt

    @property
    def total(self) -> int:
        return self.amount + self.tax + self.shipping


@dataclass(frozen=True, slots=True)
class ChargeTerms:
    """The 3-D Secure-relevant shape of a payment: what authenticate must have been given."""

    amounts: tuple[int, int, int] | None
    item_id: str | None


@dataclass(frozen=True, slots=True)
class UserRequest:
    store: StoreConfig
    cmd: str
    uid: str
    key: str = field(repr=False)
    contact: Contact
    card_seq: int | None


@dataclass(frozen=True, slots=True)
class CardRegistration:
    store: StoreConfig
    uid: str
    key: str = field(repr=False)
    card_seq: int | None  # given: update that card
    token: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class TokenPayment:
    """gateway_token.aspx: bulk user + card registration payment when `uid` is given, else a plain one."""

    store: StoreConfig
    job: str
    reply_mode: str
    order_code: str
    uid: str | None
    token: str = field(repr=False)
    contact: Contact
    charge: Charge
    terms: ChargeTerms


@dataclass(frozen=True, slots=True)
class OneTouchCharge:
    store: StoreConfig
    reply_mode: str
    order_code: str
    uid: str
    key: str = field(repr=False)
    card_seq: int
    job: str
    charge: Charge
    contact: Contact


@dataclass(frozen=True, slots=True)
class CaptureOrCancel:
    store: StoreConfig
    job: str  # SALES or CANCEL
    gid: int


@dataclass(frozen=True, slots=True)
class Authenticate:
    """ThreeDSAdapter.authenticate: for card register/update (`uid`) or for a payment (terms + contact)."""

    store: StoreConfig
    token: str = field(repr=False)
    uid: str | None
    terms: ChargeTerms | None
    contact: Contact


@dataclass(frozen=True, slots=True)
class TokenCreate:
    store: StoreConfig
    card_number: str = field(repr=False)
    expiry: str
    first_name: str
    last_name: str
    cvv: str = field(repr=False)


def read_store(params: Params, config: SandboxConfig) -> StoreConfig:
    aid = params["aid"]
    if not re.fullmatch(r"\d{6}", aid):
        raise GatewayError("ER050", "aid: 6 digits")
    store = config.store(aid)
    if store is None:
        raise GatewayError("ER004", "aid: no such store")
    return store


def require_token_payments(store: StoreConfig) -> None:
    if not store.token_payments:
        raise GatewayError("ER565", "token payments are not enabled for this store")


def read_uid(params: Params, config: SandboxConfig) -> str:
    if config.lenient_fields:
        if not _LENIENT_UID.fullmatch(params["uid"]):
            raise GatewayError("ER001", "uid: 1-50 of A-Z a-z 0-9 . _ @ + = -")
    elif not _UID.fullmatch(params["uid"]):
        raise GatewayError("ER001", "uid: 1-50 letters or digits")
    return params["uid"]


def read_key(params: Params, config: SandboxConfig, max_length: int) -> str:
    """`max_length`: what the call's table allows (CARD_KEY_MAX or USER_KEY_MAX)."""
    limit = USER_KEY_MAX if config.lenient_fields else max_length
    if not (_KEY.fullmatch(params["key"]) and len(params["key"]) <= limit):
        raise GatewayError("ER001", f"key: 1-{limit} letters or digits")
    return params["key"]


def read_card_seq(params: Params) -> int:
    if not re.fullmatch(r"[1-9]\d{0,8}", params["num"]):
        raise GatewayError("ER001", "num: a card sequence number (1, 2, ...)")
    return int(params["num"])


def read_contact(params: Params, *, one_required: bool) -> Contact:
    email, phone = params["em"], params["pn"]
    if email and not (len(email) <= 254 and _EMAIL.fullmatch(email)):
        raise GatewayError("ER059", "em: an e-mail address of at most 254 characters")
    if phone and not _PHONE.fullmatch(phone):
        raise GatewayError("ER060", "pn: 1-15 digits")
    if one_required and not (email or phone):
        raise GatewayError("ER059", "em or pn: one of them is required")
    return Contact(email=email, phone=phone)


def read_order_code(params: Params) -> str:
    cod = params["cod"]
    if len(cod.encode("utf-8")) > 50 or _ORDER_CODE_FORBIDDEN.search(cod):
        raise GatewayError("ER054", "cod: at most 50 bytes, no comma or line break")
    return cod


def read_reply_mode(params: Params) -> str:
    if params["rt"] not in ("0", "1"):
        raise GatewayError("ER052", "rt: 0 (kickback) or 1 (response)")
    return params["rt"]


def read_job(params: Params, allowed: tuple[str, ...]) -> str:
    if params["jb"] not in allowed:
        raise GatewayError("ER051", "jb: one of " + " ".join(allowed))
    return params["jb"]


def _read_money(params: Params, name: str, code: str) -> int:
    if not _MONEY.fullmatch(params[name]):
        raise GatewayError(code, f"{name}: 1-8 digits")
    return int(params[name])


def read_terms(params: Params, config: SandboxConfig) -> tuple[ChargeTerms, Product | None]:
    """am tx sf, or iid naming a catalogue product (then am tx sf come from the catalogue)."""
    if params.has("iid"):
        if config.lenient_fields:
            if not _LENIENT_ITEM.fullmatch(params["iid"]):
                raise GatewayError("ER068", "iid: 1-50 of A-Z a-z 0-9 _ -")
        elif not _ITEM.fullmatch(params["iid"]):
            raise GatewayError("ER068", "iid: 1-50 letters or digits")
        product = config.product(params["iid"])
        if product is None:
            raise GatewayError("ER005", "iid: no such product")
        return ChargeTerms(amounts=None, item_id=product.item_id), product
    amounts = (
        _read_money(params, "am", "ER061"),
        _read_money(params, "tx", "ER062"),
        _read_money(params, "sf", "ER063"),
    )
    return ChargeTerms(amounts=amounts, item_id=None), None


def _read_method(params: Params, store: StoreConfig) -> tuple[str, int | None]:
    method = params["md"] or LUMP_SUM
    if method not in (LUMP_SUM, INSTALMENTS, REVOLVING):
        raise GatewayError("ER064", "md: 10, 61 or 80")
    if (method == INSTALMENTS and not store.instalments) or (method == REVOLVING and not store.revolving):
        raise GatewayError("ER064", f"md: {method} is not contracted for this store")
    if method != INSTALMENTS:
        if params.has("pt"):
            raise GatewayError("ER065", "pt: only with md=61")
        return method, None
    if not (params["pt"].isdigit() and int(params["pt"]) in INSTALMENT_COUNTS):
        raise GatewayError("ER065", "pt: one of " + ",".join(str(n) for n in sorted(INSTALMENT_COUNTS)))
    return method, int(params["pt"])


def _read_charge(params: Params, store: StoreConfig, config: SandboxConfig, job: str) -> tuple[Charge, ChargeTerms]:
    terms, product = read_terms(params, config)
    if product is not None:
        amount, tax, shipping = product.amount, product.tax, product.shipping
    else:
        assert terms.amounts is not None
        amount, tax, shipping = terms.amounts
    total = amount + tax + shipping
    if job != "CHECK" and total < 1:
        raise GatewayError("ER017", "am + tx + sf: at least 1 yen")
    if total > MAX_TOTAL:
        raise GatewayError("ER018", f"am + tx + sf: at most {MAX_TOTAL} yen")
    method, instalments = _read_method(params, store)
    charge = Charge(amount, tax, shipping, product, method, instalments)
    return charge, terms


def _read_product_job(params: Params, config: SandboxConfig, allowed: tuple[str, ...]) -> str:
    # The product forms of the spec send no jb: the product's own setting in the control panel decides.
    if params.has("iid") and not params.has("jb"):
        product = config.product(params["iid"])
        return product.job if product is not None else "CAPTURE"
    return read_job(params, allowed)


def read_user_request(params: Params, config: SandboxConfig) -> UserRequest:
    """carduser.aspx: cmd 0 register, 1 update, 2 delete, 3 read the user; 5 delete, 6 read a card."""
    store = read_store(params, config)
    cmd = params["cmd"]
    if cmd not in ("0", "1", "2", "3", "5", "6"):
        raise GatewayError("ER069", "cmd: 0, 1, 2, 3, 5 or 6 on carduser.aspx")
    uid = read_uid(params, config)
    if cmd in ("1", "2"):
        key = read_key(params, config, USER_KEY_MAX)
    elif cmd in ("5", "6"):
        key = read_key(params, config, CARD_KEY_MAX)
    else:
        key = ""
    card_seq = read_card_seq(params) if cmd in ("5", "6") else None
    contact = read_contact(params, one_required=cmd == "0") if cmd in ("0", "1") else Contact("", "")
    check_free_data(params.free)
    return UserRequest(store=store, cmd=cmd, uid=uid, key=key, contact=contact, card_seq=card_seq)


def _refuse_card_number(params: Params) -> None:
    if params.has("cn"):
        raise GatewayError("ER586", "cn: token endpoints take a token, never a card number")


def read_card_registration(params: Params, config: SandboxConfig) -> CardRegistration:
    """carduser_token.aspx cmd 4: register a card, or update card `num`."""
    store = read_store(params, config)
    require_token_payments(store)
    if params["cmd"] != "4":
        raise GatewayError("ER069", "cmd: 4 on carduser_token.aspx")
    _refuse_card_number(params)
    uid = read_uid(params, config)
    key = read_key(params, config, CARD_KEY_MAX)
    card_seq = read_card_seq(params) if params.has("num") else None
    check_free_data(params.free)
    if not params.has("tkn"):
        raise GatewayError("ER583", "tkn: required")
    return CardRegistration(store=store, uid=uid, key=key, card_seq=card_seq, token=params["tkn"])


def read_token_payment(params: Params, config: SandboxConfig) -> TokenPayment:
    """gateway_token.aspx: with `uid` the bulk registration payment, without it a plain token payment."""
    store = read_store(params, config)
    require_token_payments(store)
    bulk = params.has("uid")
    # CHECK (a 0-yen validity check) exists for plain token payments only.
    job = _read_product_job(params, config, ("AUTH", "CAPTURE") if bulk else ("AUTH", "CAPTURE", "CHECK"))
    reply_mode = read_reply_mode(params)
    order_code = read_order_code(params)
    _refuse_card_number(params)
    uid = read_uid(params, config) if bulk else None
    contact = read_contact(params, one_required=True)
    charge, terms = _read_charge(params, store, config, job)
    check_free_data(params.free)
    if not params.has("tkn"):
        raise GatewayError("ER583", "tkn: required")
    return TokenPayment(
        store=store,
        job=job,
        reply_mode=reply_mode,
        order_code=order_code,
        uid=uid,
        token=params["tkn"],
        contact=contact,
        charge=charge,
        terms=terms,
    )


def read_one_touch(params: Params, config: SandboxConfig) -> OneTouchCharge:
    """onetouch.aspx cmd 4: charge a registered card."""
    store = read_store(params, config)
    if params["cmd"] != "4":
        raise GatewayError("ER069", "cmd: 4 on onetouch.aspx")
    reply_mode = read_reply_mode(params)
    order_code = read_order_code(params)
    uid = read_uid(params, config)
    key = read_key(params, config, CARD_KEY_MAX)
    card_seq = read_card_seq(params)
    job = _read_product_job(params, config, ("AUTH", "CAPTURE"))
    charge, _terms = _read_charge(params, store, config, job)
    contact = read_contact(params, one_required=False)
    check_free_data(params.free)
    return OneTouchCharge(
        store=store,
        reply_mode=reply_mode,
        order_code=order_code,
        uid=uid,
        key=key,
        card_seq=card_seq,
        job=job,
        charge=charge,
        contact=contact,
    )


def read_capture_or_cancel(params: Params, config: SandboxConfig) -> CaptureOrCancel:
    """gateway.aspx: jb=SALES captures an AUTH, jb=CANCEL voids a payment; tid is the payment's gid."""
    store = read_store(params, config)
    job = read_job(params, ("SALES", "CANCEL"))
    if not re.fullmatch(r"[1-9]\d{0,17}", params["tid"]):
        raise GatewayError("ER053", "tid: the payment's gid")
    read_reply_mode(params)
    check_free_data(params.free)
    return CaptureOrCancel(store=store, job=job, gid=int(params["tid"]))


def read_authenticate(params: Params, config: SandboxConfig) -> Authenticate:
    store = read_store(params, config)
    require_token_payments(store)
    if not params.has("tkn"):
        raise GatewayError("ER583", "tkn: required")
    paying = any(params.has(name) for name in ("am", "tx", "sf", "iid"))
    if params.has("uid"):
        if paying:
            raise GatewayError("ER001", "uid: not with am/tx/sf/iid (a payment's authentication takes no uid)")
        if not _AUTHENTICATE_UID.fullmatch(params["uid"]):
            raise GatewayError("ER001", "uid: 1-50 printable ASCII characters (半角英数記号)")
        return Authenticate(store=store, token=params["tkn"], uid=params["uid"], terms=None, contact=Contact("", ""))
    if not paying:
        raise GatewayError("ER001", "uid (card registration) or am/tx/sf or iid (payment): one is required")
    terms, _product = read_terms(params, config)
    contact = read_contact(params, one_required=True)
    return Authenticate(store=store, token=params["tkn"], uid=None, terms=terms, contact=contact)


def read_token_create(params: Params, config: SandboxConfig) -> TokenCreate:
    """Only the shape; the card checks (check digit, brand, expiry, names, CVV) are in cards.py."""
    store = read_store(params, config)
    require_token_payments(store)
    return TokenCreate(
        store=store,
        card_number=params["cn"].replace(" ", "").replace("-", ""),
        expiry=params["ed"],
        first_name=params["fn"],
        last_name=params["ln"],
        cvv=params["cvv"],
    )

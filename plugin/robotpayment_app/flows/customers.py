"""Gateway customers and saved cards of Saleor users: the one place that creates, registers and remembers them.

Used by the saved-card events (tokenization, list, delete, customer sync, recovery) and by the payment flows
("pay and save card"). What it guarantees:

- A Saleor user has at most one gateway customer per installation and store id (`aid`); its `uid` is derived
  from the Saleor API URL and the user id, so it can be derived again when the app's database is lost, and it
  is also written to the user's private metadata (`robotpayment.uid.<aid>`).
- A card registration or update is written to the ledger before it is sent; an answer that never came is
  reported as unknown (`CardOutcomeUnknown`), never as a failure, and settled later by reading the cards.
- The card's masked number and expiry are read once (cmd 6) after a registration and kept for listing.
- Gateway failures become typed `FlowError`s: `GatewayRefused`, `GatewayNotReachable`, `InvalidPaymentData`.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import SecretStr

from robotpayment_app.flows.card_errors import CardOutcomeUnknown, ContactUnusable
from robotpayment_app.flows.context import WebhookContext
from robotpayment_app.flows.errors import GatewayNotReachable, GatewayRefused, InvalidPaymentData
from robotpayment_app.gateway import (
    CardDeletion,
    CardLookup,
    CardRegistration,
    CardUpdate,
    CustomerLookup,
    CustomerRecord,
    CustomerRegistration,
    GatewayAnswerError,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayUnavailable,
    GatewayValidationError,
    PaymentResult,
    RobotPaymentClient,
)
from robotpayment_app.gateway import CardDetails as GatewayCardDetails
from robotpayment_app.gateway import fields as gateway_fields
from robotpayment_app.saleor.graphql_client import SaleorApiError
from robotpayment_app.saleor.payloads import SavedCardUser
from robotpayment_app.saleor.responses import CardDetails as PaymentMethodDetails
from robotpayment_app.store.errors import CustomerAlreadyExists
from robotpayment_app.store.ledger import request_fingerprint
from robotpayment_app.store.records import (
    Card,
    CardDetails,
    ChannelConfig,
    Customer,
    Installation,
    LedgerEntry,
    LedgerIntent,
    LedgerKind,
    LedgerStatus,
    OwnedCard,
)

logger = logging.getLogger(__name__)

UID_METADATA_PREFIX = "robotpayment.uid."
SESSION_ID_PREFIX = "tks_"
SESSION_DEDUP_PREFIX = "card-session:"
_UID_PREFIX = "rp"
_UID_DIGEST_CHARS = 40  # 160 bits of sha256: no two users collide; 42 characters in all (uid allows 50)

# Brands a storefront may name (it sees the number in the customize form; the gateway never tells the brand).
_BRANDS = {
    "VISA": "VISA",
    "MASTER": "MASTERCARD",
    "MASTERCARD": "MASTERCARD",
    "JCB": "JCB",
    "AMEX": "AMEX",
    "AMERICANEXPRESS": "AMEX",
    "DINERS": "DINERS",
    "DINERSCLUB": "DINERS",
    "DISCOVER": "DISCOVER",
}
_MASK = "••••"
_UNKNOWN_BRAND_NAME = "Card"


# ---- identities --------------------------------------------------------------------------------------------


def uid_metadata_key(store_id: str) -> str:
    """The private-metadata key on the Saleor user that keeps the gateway `uid` for one store id."""
    return UID_METADATA_PREFIX + store_id


def gateway_customer_id_for(installation: Installation, saleor_user_id: str) -> str:
    """The gateway `uid` of a Saleor user: `rp` + 40 hex digits of sha256(API URL, user id).

    Deterministic so that recovery can derive it again; alphanumeric and at most 50 characters (the spec's
    limit); it reveals neither the user id nor the shop.
    """
    material = f"robotpayment-uid\n{installation.saleor_api_url}\n{saleor_user_id}".encode()
    return _UID_PREFIX + hashlib.sha256(material).hexdigest()[:_UID_DIGEST_CHARS]


@dataclass(frozen=True)
class Shopper:
    """The Saleor user behind a saved-card operation, with the contact details Saleor has for them."""

    user_id: str
    email: str | None = None
    phone: str | None = None
    private_metadata: Mapping[str, str] = field(default_factory=dict)
    metadata_readable: bool = True  # False: Saleor withheld it (a staff user): neither read nor written

    @classmethod
    def of(cls, user: SavedCardUser) -> Shopper:
        return cls(
            user_id=user.id,
            email=user.email or None,
            phone=user.phone,
            private_metadata=user.private_values or {},
            metadata_readable=user.private_values is not None,
        )


@dataclass(frozen=True)
class GatewayContact:
    """`em` and `pn` as the gateway accepts them; either may be None, not both when registering."""

    email: str | None
    phone: str | None

    def __bool__(self) -> bool:
        return bool(self.email or self.phone)


_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


def gateway_phone(phone: str | None) -> str | None:
    """Saleor's E.164 phone (`+81312345678`) → the gateway's digits (`0312345678`), or None if unusable.

    Japanese numbers get their domestic form (what the card companies hold); others lose the `+`.
    """
    if not phone:
        return None
    text = _PHONE_PUNCTUATION.sub("", phone.strip())
    if text.startswith("+81"):
        text = "0" + text[3:]
    elif text.startswith("+"):
        text = text[1:]
    try:
        return gateway_fields.phone(text)
    except GatewayValidationError:
        return None


def gateway_email(email: str | None) -> str | None:
    """The e-mail address if the gateway accepts it (printable ASCII, one @, no comma), else None."""
    if not email:
        return None
    try:
        return gateway_fields.email(email.strip())
    except GatewayValidationError:
        return None


def gateway_contact(email: str | None, phone: str | None) -> GatewayContact:
    """The `em`/`pn` the app sends for a shopper: the payment flows use it too, so 3-D Secure parameters and
    the gateway's user record always agree."""
    return GatewayContact(gateway_email(email), gateway_phone(phone))


# ---- cards for display -------------------------------------------------------------------------------------


def normalize_brand(value: str | None) -> str | None:
    """A storefront's brand hint (`visa`, `Master`, `AMEX`…) → our brand code, or None when unknown."""
    if value is None:
        return None
    return _BRANDS.get(re.sub(r"[\s_\-]", "", value).upper())


def card_display_name(card: Card) -> str:
    """`VISA •••• 1111`; `Card •••• 1111` when the brand is unknown."""
    brand = card.brand or _UNKNOWN_BRAND_NAME
    return f"{brand} {_MASK} {card.last4}" if card.last4 else brand


def card_payment_method_details(card: Card) -> PaymentMethodDetails:
    """Saleor's `paymentMethodDetails` for a payment with this card."""
    return PaymentMethodDetails(
        name=card_display_name(card),
        brand=card.brand,
        last_digits=card.last4,
        exp_month=card.exp_month,
        exp_year=card.exp_year,
    )


def card_details_from_gateway(read: GatewayCardDetails, *, brand: str | None) -> CardDetails:
    """The card read answer (`*****1111`, `ed` YYMM, names) → what the store keeps. Odd values are dropped."""
    month = year = None
    if re.fullmatch(r"[0-9]{4}", read.expiry or ""):
        year, month = 2000 + int(read.expiry[:2]), int(read.expiry[2:])
        if not 1 <= month <= 12:
            month = year = None
    masked = read.masked_number or None
    if masked is not None and (len(masked) > 32 or sum(char.isdigit() for char in masked) > 4):
        masked = None  # never keep more than the last four digits, whatever the gateway sent
    holder = " ".join(part for part in (read.first_name, read.last_name) if part).strip()[:255] or None
    return CardDetails(masked_number=masked, brand=brand, exp_month=month, exp_year=year, holder_name=holder)


# ---- gateway customers -------------------------------------------------------------------------------------


async def existing_customer(context: WebhookContext, config: ChannelConfig, user_id: str) -> Customer | None:
    """The user's gateway customer for the channel's store id, if the app has one (no gateway call)."""
    return await context.deps.store.customers.get_by_user(context.installation.id, config.store_id, user_id)


async def ensure_customer(context: WebhookContext, config: ChannelConfig, shopper: Shopper) -> Customer:
    """The shopper's gateway customer for this store id: the stored one, or a new one (cmd 0).

    The `uid` is deterministic, so a customer the gateway already has under it (registered before an answer
    was lost, or before the app's database was) is adopted with its key from the customer read (cmd 3).
    """
    store = context.deps.store
    installation = context.installation
    existing = await store.customers.get_by_user(installation.id, config.store_id, shopper.user_id)
    if existing is not None:
        await remember_uid_on_user(context, config.store_id, shopper, existing.gateway_customer_id)
        return existing
    contact = gateway_contact(shopper.email, shopper.phone)
    if not contact:
        raise ContactUnusable()
    uid = gateway_customer_id_for(installation, shopper.user_id)
    gateway = context.deps.gateway(config.gateway_base_url)
    request = CustomerRegistration(store_id=config.store_id, customer_id=uid, email=contact.email, phone=contact.phone)
    try:
        key = (await gateway.register_customer(request)).customer_key
    except GatewayUnavailable:
        raise GatewayNotReachable("customer registration") from None
    except (GatewayRejected, GatewayOutcomeUnknown, GatewayAnswerError) as error:
        adopted = await read_gateway_customer(gateway, config.store_id, uid)
        if adopted is None:
            if isinstance(error, GatewayRejected):
                raise GatewayRefused(error.entry, "customer registration") from None
            raise GatewayNotReachable("customer registration") from None
        logger.info("adopted the gateway customer already registered under the derived uid", extra={"uid": uid})
        key = adopted.customer_key
        contact = GatewayContact(adopted.email or contact.email, adopted.phone or contact.phone)
    customer = await _store_customer(context, config, shopper.user_id, uid, key, contact)
    await remember_uid_on_user(context, config.store_id, shopper, customer.gateway_customer_id)
    return customer


async def read_gateway_customer(gateway: RobotPaymentClient, store_id: str, uid: str) -> CustomerRecord | None:
    """cmd 3: the gateway's customer under `uid` (with its key), or None when the gateway has none."""
    try:
        return await gateway.read_customer(CustomerLookup(store_id=store_id, customer_id=uid))
    except GatewayRejected:
        return None
    except (GatewayUnavailable, GatewayOutcomeUnknown, GatewayAnswerError):
        raise GatewayNotReachable("customer read") from None


async def _store_customer(
    context: WebhookContext,
    config: ChannelConfig,
    user_id: str,
    uid: str,
    key: str,
    contact: GatewayContact,
) -> Customer:
    store = context.deps.store
    try:
        return await store.customers.create(
            installation_id=context.installation.id,
            store_id=config.store_id,
            saleor_user_id=user_id,
            gateway_customer_id=uid,
            gateway_key=SecretStr(key),
            email=contact.email,
            phone=contact.phone,
        )
    except CustomerAlreadyExists:
        # a concurrent request stored it first
        winner = await store.customers.get_by_user(context.installation.id, config.store_id, user_id)
        if winner is None or winner.gateway_customer_id != uid:
            raise
        return winner


async def remember_uid_on_user(context: WebhookContext, store_id: str, shopper: Shopper, uid: str) -> None:
    """Keep the uid in the user's private metadata (for recovery). Best effort: the uid can be derived too.

    Skipped when the metadata already says so; the write fires CUSTOMER_UPDATED, which changes nothing.
    """
    key = uid_metadata_key(store_id)
    if not shopper.metadata_readable or shopper.private_metadata.get(key) == uid:
        # unreadable: the app token may not write it either (MANAGE_STAFF); the app's own record has the uid
        return
    try:
        await context.deps.saleor(context.installation).update_private_metadata(shopper.user_id, {key: uid})
    except SaleorApiError as error:
        logger.warning(
            "could not write the gateway uid into the user's private metadata",
            extra={"reason": str(error), "metadata_key": key},
        )


# ---- cards -------------------------------------------------------------------------------------------------


def new_session_id() -> str:
    """A tokenization session id: `tks_` + 128 random bits (shown to browsers, so unguessable)."""
    return SESSION_ID_PREFIX + secrets.token_urlsafe(16)


def session_dedup_key(session_id: str) -> str:
    return SESSION_DEDUP_PREFIX + session_id


def _invalid_request(error: GatewayValidationError) -> InvalidPaymentData:
    return InvalidPaymentData(error.field, error.rule)


async def register_card(
    context: WebhookContext,
    config: ChannelConfig,
    customer: Customer,
    token: str,
    *,
    brand: str | None = None,
    session_id: str | None = None,
) -> Card:
    """Register a 3-D Secure-authenticated token as a new card of `customer` (cmd 4), read it (cmd 6), keep it.

    `brand` is the storefront's hint, normalized here (`normalize_brand`; unknown names are dropped).
    Raises `InvalidPaymentData`, `GatewayRefused`, `GatewayNotReachable` (nothing processed) or
    `CardOutcomeUnknown` (sent, no usable answer: `session_id` stays pending).
    """
    try:
        request = CardRegistration(
            store_id=config.store_id,
            customer_id=customer.gateway_customer_id,
            customer_key=customer.gateway_key.get_secret_value(),
            token=token,
        )
    except GatewayValidationError as error:
        raise _invalid_request(error) from None
    session = session_id or new_session_id()
    entry = await _begin_card_call(context, session, customer, card=None)
    gateway = context.deps.gateway(config.gateway_base_url)
    await context.deps.store.ledger.mark_sent(entry.id)
    try:
        record = await gateway.register_card(request)
    except (GatewayRejected, GatewayUnavailable, GatewayOutcomeUnknown, GatewayAnswerError) as error:
        raise await _card_call_failed(context, entry, session, error, "card registration") from None
    card = await _keep_card(context, config, customer, int(record.card_seq), brand=brand)
    await _card_call_succeeded(context, entry, card)
    return card


async def replace_card(
    context: WebhookContext, config: ChannelConfig, owned: OwnedCard, token: str, *, brand: str | None = None
) -> Card:
    """Put a new token's card in place of an owned card (cmd 4 with `num`): same id, new details (cmd 6).

    The caller has checked ownership (`store.cards.get_owned`). Raises like `register_card`.
    """
    card, customer = owned.card, owned.customer
    try:
        request = CardUpdate(
            store_id=config.store_id,
            customer_id=customer.gateway_customer_id,
            customer_key=customer.gateway_key.get_secret_value(),
            card_seq=str(card.card_seq),
            token=token,
        )
    except GatewayValidationError as error:
        raise _invalid_request(error) from None
    session = new_session_id()
    entry = await _begin_card_call(context, session, customer, card=card)
    gateway = context.deps.gateway(config.gateway_base_url)
    await context.deps.store.ledger.mark_sent(entry.id)
    try:
        await gateway.update_card(request)
    except (GatewayRejected, GatewayUnavailable, GatewayOutcomeUnknown, GatewayAnswerError) as error:
        raise await _card_call_failed(context, entry, session, error, "card update") from None
    replaced = await refresh_card(context, config, owned, brand=brand)
    await _card_call_succeeded(context, entry, replaced)
    return replaced


async def refresh_card(context: WebhookContext, config: ChannelConfig, owned: OwnedCard, *, brand: str | None) -> Card:
    """Read an owned card again (cmd 6) and keep what the gateway has now (same id). A failed read keeps the
    card with its details unknown rather than the old ones: the card behind this id may have changed."""
    details = await read_card_details(context, config, owned.customer, owned.card.card_seq, brand=brand)
    return await context.deps.store.cards.replace_details(
        owned.card.id, details or CardDetails(brand=normalize_brand(brand))
    )


async def remember_bulk_registration(
    context: WebhookContext,
    config: ChannelConfig,
    shopper: Shopper,
    result: PaymentResult,
    *,
    brand: str | None = None,
) -> Card:
    """Keep the customer and card a successful bulk registration payment created (its uid, key, num), read
    the card once (cmd 6) for listing, and note the uid on the user. `shopper` carries the e-mail/phone the
    payment sent."""
    if not (result.succeeded and result.customer_id and result.customer_key and result.card_seq):
        raise ValueError("result: a successful bulk registration answer with uid, key and num is needed")
    return await remember_registered_card(
        context, config, shopper, result.customer_id, result.customer_key, result.card_seq, brand=brand
    )


async def remember_registered_card(
    context: WebhookContext,
    config: ChannelConfig,
    shopper: Shopper,
    uid: str,
    key: str,
    card_seq: str,
    *,
    brand: str | None = None,
) -> Card:
    """Keep a customer and card the gateway registered during a payment (from its answer, or from its kickback
    when the answer was lost)."""
    if not card_seq.isdigit():
        raise ValueError("card_seq: the gateway's num must be digits")
    contact = gateway_contact(shopper.email, shopper.phone)
    store = context.deps.store
    customer = await store.customers.get_by_user(context.installation.id, config.store_id, shopper.user_id)
    if customer is None:
        customer = await _store_customer(context, config, shopper.user_id, uid, key, contact)
    elif customer.gateway_customer_id != uid:
        raise ValueError("uid: differs from the gateway customer the app has for this user")
    await remember_uid_on_user(context, config.store_id, shopper, customer.gateway_customer_id)
    return await _keep_card(context, config, customer, int(card_seq), brand=brand)


async def read_card_details(
    context: WebhookContext, config: ChannelConfig, customer: Customer, card_seq: int, *, brand: str | None
) -> CardDetails | None:
    """cmd 6 for one card; None when the read fails (the card itself is not in doubt)."""
    gateway = context.deps.gateway(config.gateway_base_url)
    try:
        read = await _read_gateway_card(gateway, config.store_id, customer, card_seq)
    except GatewayNotReachable:
        read = None
    if read is None:
        logger.warning("card read failed; the card is kept without details", extra={"card_seq": card_seq})
        return None
    return card_details_from_gateway(read, brand=normalize_brand(brand))


async def _keep_card(
    context: WebhookContext, config: ChannelConfig, customer: Customer, card_seq: int, *, brand: str | None
) -> Card:
    details = await read_card_details(context, config, customer, card_seq, brand=brand)
    return await context.deps.store.cards.add(
        customer.id, card_seq, details or CardDetails(brand=normalize_brand(brand))
    )


async def _begin_card_call(
    context: WebhookContext, session_id: str, customer: Customer, *, card: Card | None
) -> LedgerEntry:
    intent = LedgerIntent(kind=LedgerKind.CARD_REGISTRATION, customer_id=customer.id, card_id=card.id if card else None)
    fingerprint = request_fingerprint({"kind": intent.kind.value, "customer": customer.id, "card": intent.card_id})
    begun = await context.deps.store.ledger.begin(
        context.installation.id, session_dedup_key(session_id), fingerprint, intent
    )
    if not begun.created:
        # only a caller-chosen session id can repeat; its first call is still settling or settled
        raise CardOutcomeUnknown("card registration already under way", session_id)
    return begun.entry


async def _card_call_succeeded(context: WebhookContext, entry: LedgerEntry, card: Card) -> None:
    await context.deps.store.ledger.complete(
        entry.id,
        status=LedgerStatus.SUCCEEDED,
        saleor_response={"result": "SUCCESSFULLY_TOKENIZED", "id": card.public_id},
    )


async def _card_call_failed(
    context: WebhookContext, entry: LedgerEntry, session_id: str, error: Exception, what: str
) -> Exception:
    """Record how a card call ended without an answer we can use, and the error to raise."""
    ledger = context.deps.store.ledger
    if isinstance(error, GatewayRejected):
        await ledger.complete(
            entry.id, status=LedgerStatus.DECLINED, error_code=error.entry.code, failure_reason=str(error)
        )
        return GatewayRefused(error.entry, what)
    if isinstance(error, GatewayUnavailable):
        # the client knows the gateway did not process it (nothing left, or refused at the HTTP level); the
        # row was marked sent just before, so it closes as declined, with the reason
        await ledger.complete(entry.id, status=LedgerStatus.DECLINED, failure_reason=str(error))
        return GatewayNotReachable(what)
    await ledger.mark_unknown(entry.id, failure_reason=str(error))
    logger.warning("%s: outcome unknown, session left pending", what, extra={"session": session_id})
    return CardOutcomeUnknown(what, session_id)


async def delete_card(context: WebhookContext, config: ChannelConfig, owned: OwnedCard) -> None:
    """Delete an owned card at the gateway (cmd 5), then the app's row.

    A refusal is checked with a card read: a card the gateway no longer has counts as deleted (a repeated
    request, or a delete whose answer was lost). Raises `GatewayRefused` or `GatewayNotReachable` otherwise.
    """
    card, customer = owned.card, owned.customer
    gateway = context.deps.gateway(config.gateway_base_url)
    request = CardDeletion(
        store_id=config.store_id,
        customer_id=customer.gateway_customer_id,
        customer_key=customer.gateway_key.get_secret_value(),
        card_seq=str(card.card_seq),
    )
    try:
        await gateway.delete_card(request)
    except (GatewayUnavailable, GatewayOutcomeUnknown, GatewayAnswerError):
        raise GatewayNotReachable("card deletion") from None
    except GatewayRejected as error:
        if await gateway_has_card(gateway, config.store_id, customer, card.card_seq):
            raise GatewayRefused(error.entry, "card deletion") from None
        logger.info("card already gone at the gateway; removing the app's row", extra={"card": card.public_id})
    await context.deps.store.cards.delete(card.id)


async def gateway_has_card(gateway: RobotPaymentClient, store_id: str, customer: Customer, card_seq: int) -> bool:
    """cmd 6 as an existence check: True when the gateway answers the card, False when it refuses."""
    return await _read_gateway_card(gateway, store_id, customer, card_seq) is not None


async def _read_gateway_card(
    gateway: RobotPaymentClient, store_id: str, customer: Customer, card_seq: int
) -> GatewayCardDetails | None:
    try:
        return await gateway.read_card(
            CardLookup(
                store_id=store_id,
                customer_id=customer.gateway_customer_id,
                customer_key=customer.gateway_key.get_secret_value(),
                card_seq=str(card_seq),
            )
        )
    except GatewayRejected:
        return None
    except (GatewayUnavailable, GatewayOutcomeUnknown, GatewayAnswerError):
        raise GatewayNotReachable("card read") from None


@dataclass(frozen=True)
class CardScanLimits:
    """How far to look for cards by number (the gateway has no "list cards" call).

    Card numbers count up from 1 and deleted ones leave gaps: the scan stops after `max_gap` numbers in a
    row that the gateway does not know, and never reads more than `max_reads` numbers.
    """

    max_gap: int = 5
    max_reads: int = 100

    def __post_init__(self) -> None:
        if self.max_gap < 1 or self.max_reads < 1:
            raise ValueError("CardScanLimits: max_gap and max_reads must be at least 1")


async def scan_gateway_cards(
    gateway: RobotPaymentClient,
    store_id: str,
    customer: Customer,
    *,
    known: frozenset[int] = frozenset(),
    limits: CardScanLimits | None = None,
) -> dict[int, GatewayCardDetails]:
    """Cards the gateway has for `customer` that are not in `known`, found by reading numbers 1, 2, 3… (cmd 6).

    Known numbers are skipped without a call and count as present for the gap rule.
    """
    bounds = limits or CardScanLimits()
    found: dict[int, GatewayCardDetails] = {}
    misses = reads = 0
    card_seq = 0
    while misses < bounds.max_gap or card_seq < max(known, default=0):
        card_seq += 1
        if card_seq in known:
            misses = 0
            continue
        if reads >= bounds.max_reads:
            break
        reads += 1
        details = await _read_gateway_card(gateway, store_id, customer, card_seq)
        if details is None:
            misses += 1
        else:
            misses = 0
            found[card_seq] = details
    return found


async def settle_card_session(
    context: WebhookContext, config: ChannelConfig, entry: LedgerEntry, customer: Customer
) -> Card | None:
    """Settle a card registration/update whose answer never came, by reading what the gateway has now.

    An update: the card is read again and kept (same id); its brand stays only if the digits and expiry did
    not change (a replacement's brand hint is not kept while pending). A registration: cards the app does not
    know yet are looked for (`scan_gateway_cards`) and kept; the newest is the session's card. None when the
    gateway has no new card: then the registration did not happen and the session ends as declined.
    """
    store = context.deps.store
    cards = await store.cards.list_for_customer(customer.id)
    if entry.card_id is not None:
        card = next((card for card in cards if card.id == entry.card_id), None)
        if card is None:
            await store.ledger.complete(
                entry.id, status=LedgerStatus.DECLINED, failure_reason="the card was deleted meanwhile"
            )
            return None
        details = await read_card_details(context, config, customer, card.card_seq, brand=None)
        if details is not None and (details.masked_number, details.exp_month, details.exp_year) == (
            card.masked_number,
            card.exp_month,
            card.exp_year,
        ):
            details = details.model_copy(update={"brand": card.brand})  # the same card as far as can be told
        settled = await store.cards.replace_details(card.id, details or CardDetails())
        await _card_call_succeeded(context, entry, settled)
        return settled
    gateway = context.deps.gateway(config.gateway_base_url)
    found = await scan_gateway_cards(
        gateway, config.store_id, customer, known=frozenset(card.card_seq for card in cards)
    )
    kept = [
        await store.cards.add(customer.id, card_seq, card_details_from_gateway(details, brand=None))
        for card_seq, details in sorted(found.items())
    ]
    if not kept:
        await store.ledger.complete(
            entry.id,
            status=LedgerStatus.DECLINED,
            failure_reason="no new card at the gateway (checked by card reads)",
        )
        return None
    await _card_call_succeeded(context, entry, kept[-1])
    return kept[-1]


async def config_for_store_id(context: WebhookContext, store_id: str) -> ChannelConfig | None:
    """A channel configuration using `store_id` (its gateway base URL reaches that store), if any is left."""
    configs = await context.deps.store.channels.list_for_installation(context.installation.id)
    return next((config for config in configs if config.store_id == store_id), None)

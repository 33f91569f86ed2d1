"""TRANSACTION_INITIALIZE_SESSION: the shopper pays with a new card (a 3-D Secure-authenticated token) or
with a saved card (one touch). The storefront's `data` picks the branch (contract v1, `storefront_data.py`):

- `{tkn}` from a guest, or without saving → plain token payment (gateway_token.aspx without `uid`);
- `brand` (optional with `tkn`, the storefront's reading of the number) names the card: kept with a saved card,
  in `paymentMethodDetails` otherwise (the gateway never tells the brand);
- `{tkn, saveCard: true}`, signed-in shopper without a gateway customer → bulk user + card registration
  payment (gateway_token.aspx with `uid`); the returned uid/key/num become a saved card (`flows/customers.py`);
- the same from a shopper who has a gateway customer → card registration (cmd 4), then a one-touch charge;
- `{paymentMethodId}` → the checkout/order user must own the card (a guest never can) → one-touch charge.

Never twice: the ledger row, keyed by the Saleor transaction (a repeated idempotencyKey brings the same
transaction), is written before any gateway call; a repeat waits for it and replays the stored answer. A call
whose answer never came is `unknown` and answers *_REQUEST (pending), settled by the kickback or a later
TRANSACTION_PROCESS_SESSION; it is never reported as failed and never sent again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal

from robotpayment_app.flows.card_errors import CardOutcomeUnknown
from robotpayment_app.flows.channel import channel_config
from robotpayment_app.flows.context import JsonObject, WebhookContext
from robotpayment_app.flows.customers import (
    Shopper,
    card_display_name,
    card_payment_method_details,
    existing_customer,
    gateway_customer_id_for,
    register_card,
    remember_bulk_registration,
)
from robotpayment_app.flows.errors import (
    FlowError,
    GatewayNotReachable,
    GatewayRefused,
    InvalidPaymentData,
    SavedCardNotFound,
    SavingCardsDisabled,
    SignInRequired,
)
from robotpayment_app.flows.event_payload import read_event
from robotpayment_app.flows.language import Language, language_of
from robotpayment_app.flows.ledger_runs import settle_existing
from robotpayment_app.flows.money import yen
from robotpayment_app.flows.payment_answers import (
    UNKNOWN_CARD,
    Declined,
    Paid,
    Pending,
    Refused,
    ResultFamily,
    SessionOutcome,
    log_gateway_refusal,
    session_answer,
)
from robotpayment_app.flows.payment_errors import CardNotConfirmed, GatewayRequestInvalid, RequestConflict
from robotpayment_app.flows.payment_terms import (
    SourceObject,
    order_ref,
    payment_charge,
    payment_job,
    shopper_contact,
    three_ds_card_params,
    three_ds_payment_params,
)
from robotpayment_app.flows.storefront_data import (
    NewCardPayment,
    PaymentData,
    SavedCardPayment,
    SavedCardRef,
    parse_payment_data,
)
from robotpayment_app.flows.three_ds_offer import require_authenticated_terms
from robotpayment_app.gateway import (
    AmountsCharge,
    BulkRegistrationPayment,
    Charge,
    GatewayOutcomeUnknown,
    GatewayUnavailable,
    GatewayValidationError,
    JobType,
    OneTouchCharge,
    PaymentMethod,
    PaymentResult,
    TokenPayment,
    lookup_error,
)
from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from robotpayment_app.saleor.payloads import InvalidPayload, TransactionInitializeSession, bare_stored_method_id
from robotpayment_app.saleor.responses import CardDetails
from robotpayment_app.store.errors import CardNotFound, LedgerKeyConflict, LedgerTransitionError, StoreError
from robotpayment_app.store.ledger import request_fingerprint
from robotpayment_app.store.records import (
    Card,
    ChannelConfig,
    Customer,
    LedgerEntry,
    LedgerIntent,
    LedgerKind,
    LedgerStatus,
    PaymentMethodCode,
)

logger = logging.getLogger(__name__)

DEDUP_PREFIX = "initialize:"


def dedup_key(transaction_id: str) -> str:
    """The ledger key of a Saleor transaction's payment (TRANSACTION_PROCESS_SESSION looks it up too)."""
    return DEDUP_PREFIX + transaction_id


def saleor_method_id(card: Card) -> str:
    """A saved card's id as Saleor lists it to storefronts (`app:<app id>:<id>`)."""
    return f"app:{APP_IDENTIFIER}:{card.public_id}"


@dataclass(frozen=True)
class _Payment:
    """The facts every branch works from."""

    context: WebhookContext
    config: ChannelConfig
    event: TransactionInitializeSession
    amount: int  # whole yen: exactly the action amount
    order_ref: str  # cod
    language: Language

    @property
    def source(self) -> SourceObject:
        return self.event.source_object

    @property
    def job(self) -> JobType:
        return payment_job(self.config, self.event.action.action_type)

    @property
    def family(self) -> ResultFamily:
        return ResultFamily.of(self.job)

    @property
    def action_amount(self) -> Decimal:
        return self.event.action.amount


@dataclass(frozen=True)
class _Attempt:
    """How one branch ended: the outcome, the gateway's answer if one came, and whether the payment left."""

    outcome: SessionOutcome
    result: PaymentResult | None = None
    sent: bool = True


@dataclass(frozen=True)
class _Plan:
    """A branch, checked and ready: what the ledger records before anything is sent, and how to run it."""

    branch: str
    charge: Charge
    run: Callable[[_Payment, LedgerEntry], Awaitable[_Attempt]]
    method: PaymentMethod | None = None
    installments: int | None = None
    customer: Customer | None = None
    card: Card | None = None

    def intent(self, payment: _Payment) -> LedgerIntent:
        amounts = self.charge if isinstance(self.charge, AmountsCharge) else None
        return LedgerIntent(
            kind=LedgerKind.PAYMENT,
            saleor_transaction_id=payment.event.transaction.id,
            shop_order_code=payment.order_ref,
            amount=payment.amount,
            tax_amount=amounts.tax if amounts else None,
            shipping_amount=amounts.shipping if amounts else None,
            currency="JPY",
            job_type=payment.job.value,
            payment_method=self.method.value if self.method else None,
            installments=self.installments,
            customer_id=self.customer.id if self.customer else None,
            card_id=self.card.id if self.card else None,
            saleor_user_id=payment.source.user.id if payment.source.user else None,
            channel_slug=payment.source.channel.slug,
        )


# ---- the use case ----------------------------------------------------------------------------------------


async def initialize_transaction(context: WebhookContext, payload: JsonObject) -> JsonObject:
    try:
        event = read_event(TransactionInitializeSession, payload)
    except InvalidPayload as error:
        logger.error("TRANSACTION_INITIALIZE_SESSION payload unusable: %s", error)
        invalid = InvalidPaymentData("payload", "; ".join(error.problems))
        return session_answer(_family_hint(payload), Refused(invalid, Decimal(0)), Language.JA).to_json()
    language = language_of(event.source_object.language)
    ledger = context.deps.store.ledger
    fingerprint = request_fingerprint_of(event)
    try:
        # read-only checks: a repeat goes through them too, and is told apart by `begin` below
        payment, plan = await _prepare(context, event, language)
    except _RefusedEarly as refused:
        # a repeat of a transaction that went ahead (the card was deleted since, say) still gets its answer
        existing = await ledger.find_by_dedup_key(context.installation.id, dedup_key(event.transaction.id))
        if existing is not None:
            if existing.request_fingerprint != fingerprint:
                return _conflict(existing, event, language)
            return await replay_payment(context, existing, event.action.amount, language)
        return session_answer(refused.family, Refused(refused.error, event.action.amount), language).to_json()
    try:
        begun = await ledger.begin(
            context.installation.id, dedup_key(event.transaction.id), fingerprint, plan.intent(payment)
        )
    except LedgerKeyConflict as conflict:
        return _conflict(conflict.existing, event, language)
    if not begun.created:
        return await replay_payment(context, begun.entry, event.action.amount, language)
    logger.info("transaction %s: %s payment of %d yen", event.transaction.id, plan.branch, payment.amount)
    attempt = await plan.run(payment, begun.entry)
    return await _record(payment, begun.entry, attempt)


def request_fingerprint_of(event: TransactionInitializeSession) -> str:
    """What the storefront asked for, without the token (a secret, and single use): a repeat of the same
    transaction must ask for the same, or it is refused."""
    data = event.data
    asked = {key: value for key, value in data.items() if key != "tkn"} if isinstance(data, dict) else data
    return request_fingerprint(
        {
            "amount": str(event.action.amount),
            "currency": event.action.currency,
            "action": event.action.action_type,
            "source": event.source_object.id,
            "new_card": isinstance(data, dict) and "tkn" in data,
            "data": asked,
        }
    )


def _conflict(existing: LedgerEntry, event: TransactionInitializeSession, language: Language) -> JsonObject:
    logger.warning("transaction %s repeated with a different request: refused, nothing sent", event.transaction.id)
    family = ResultFamily.of(existing.job_type)
    return session_answer(family, Refused(RequestConflict(), event.action.amount), language).to_json()


class _RefusedEarly(Exception):
    def __init__(self, family: ResultFamily, error: FlowError) -> None:
        super().__init__(error.merchant_text)
        self.family = family
        self.error = error


async def _prepare(
    context: WebhookContext, event: TransactionInitializeSession, language: Language
) -> tuple[_Payment, _Plan]:
    """Everything checked before the ledger row is written; any refusal is `_RefusedEarly` (nothing sent)."""
    family = _family_hint_from_action(event.action.action_type)
    try:
        config = await channel_config(context, event.source_object.channel.slug)
        family = ResultFamily.of(payment_job(config, event.action.action_type))
        amount = yen(event.action.amount, event.action.currency)
        data = parse_payment_data(event.data)
        payment = _Payment(
            context=context,
            config=config,
            event=event,
            amount=amount,
            order_ref=order_ref(event.transaction.id, event.transaction.token),
            language=language,
        )
        return payment, await _plan(payment, data)
    except GatewayValidationError as error:
        raise _RefusedEarly(family, GatewayRequestInvalid(error.field, error.rule)) from None
    except FlowError as error:
        logger.info("payment refused before sending: %s", error.merchant_text, extra={"code": error.code})
        raise _RefusedEarly(family, error) from None


async def _plan(payment: _Payment, data: PaymentData) -> _Plan:
    if isinstance(data, SavedCardPayment):
        return await _saved_card_plan(payment, data)
    user = payment.source.user
    if not data.save_card:
        plan = _token_plan(payment, data)
        await _require_authenticated(payment, plan, saving=False)
        return plan
    if user is None:
        raise SignInRequired("saving a card")
    if not payment.config.save_cards_allowed:
        raise SavingCardsDisabled()
    customer = await existing_customer(payment.context, payment.config, user.id)
    if customer is None:
        plan = _bulk_registration_plan(payment, data, user.id)
    else:
        plan = _register_then_charge_plan(payment, data, customer)
    await _require_authenticated(payment, plan, saving=True)
    return plan


async def _require_authenticated(payment: _Payment, plan: _Plan, *, saving: bool) -> None:
    """The browser authenticated the token with what paymentGatewayInitialize handed it: the same terms, or
    a retryable refusal before anything is sent (`flows/three_ds_offer.py`)."""
    store_id = payment.config.store_id
    if plan.customer is not None:  # a card registration of that customer runs the 3-D Secure check
        params = three_ds_card_params(store_id, plan.customer.gateway_customer_id)
    else:
        params = three_ds_payment_params(store_id, plan.charge, shopper_contact(payment.source))
    await require_authenticated_terms(payment.context, payment.source.id, saving=saving, params=params)


def _payment_method(
    config: ChannelConfig, md: str | None, pt: int | None, *, one_touch: bool
) -> tuple[PaymentMethod | None, int | None]:
    """`md`/`pt` from the storefront, checked against what the channel offers and what the call can carry."""
    if md is None:
        if pt is not None:
            raise InvalidPaymentData("pt", "only allowed with md 61 (instalments)")
        return None, None
    offered = [method.value for method in config.payment_methods]
    if md not in offered:
        raise InvalidPaymentData("md", f"{md} is not offered in this shop (offered: {', '.join(offered)})")
    if md != PaymentMethodCode.LUMP_SUM and not one_touch:
        raise InvalidPaymentData(
            "md", "instalments (61) and revolving (80) need a saved card: a token payment has no md"
        )
    if md == PaymentMethodCode.INSTALLMENTS:
        counts = config.installment_counts
        if pt not in counts:
            raise InvalidPaymentData("pt", "required with md 61, one of " + ", ".join(str(count) for count in counts))
        return PaymentMethod(md), pt
    if pt is not None:
        raise InvalidPaymentData("pt", "only allowed with md 61 (instalments)")
    return PaymentMethod(md), None


# ---- branches ----------------------------------------------------------------------------------------------


def _token_plan(payment: _Payment, data: NewCardPayment) -> _Plan:
    _payment_method(payment.config, data.md, data.pt, one_touch=False)
    contact = shopper_contact(payment.source)
    charge = payment_charge(payment.config, payment.source, payment.amount, payment.job)
    request = TokenPayment(
        store_id=payment.config.store_id,
        order_ref=payment.order_ref,
        token=data.token,
        charge=charge,
        email=contact.email,
        phone=contact.phone,
    )

    async def run(payment: _Payment, entry: LedgerEntry) -> _Attempt:
        gateway = payment.context.deps.gateway(payment.config.gateway_base_url)
        sent = await _send(payment, entry, lambda: gateway.pay_with_token(request), "token payment")
        if isinstance(sent, _Attempt):
            return sent
        return _Attempt(_outcome(payment, sent, charge, card=None, brand=data.brand), sent)

    return _Plan(branch="token", charge=charge, run=run)


def _bulk_registration_plan(payment: _Payment, data: NewCardPayment, user_id: str) -> _Plan:
    _payment_method(payment.config, data.md, data.pt, one_touch=False)
    contact = shopper_contact(payment.source)
    charge = payment_charge(payment.config, payment.source, payment.amount, payment.job)
    uid = gateway_customer_id_for(payment.context.installation, user_id)
    request = BulkRegistrationPayment(
        store_id=payment.config.store_id,
        order_ref=payment.order_ref,
        customer_id=uid,
        token=data.token,
        charge=charge,
        email=contact.email,
        phone=contact.phone,
    )
    shopper = Shopper(user_id=user_id, email=payment.source.shopper_email, phone=payment.source.billing_phone)

    async def run(payment: _Payment, entry: LedgerEntry) -> _Attempt:
        gateway = payment.context.deps.gateway(payment.config.gateway_base_url)
        result = await _send(payment, entry, lambda: gateway.pay_and_register(request), "bulk registration payment")
        if isinstance(result, _Attempt):
            return result
        card = await _keep_registered_card(payment, shopper, result, data.brand) if result.succeeded else None
        return _Attempt(_outcome(payment, result, charge, card=card, saved=card is not None), result)

    return _Plan(branch="bulk_registration", charge=charge, run=run)


def _register_then_charge_plan(payment: _Payment, data: NewCardPayment, customer: Customer) -> _Plan:
    method, installments = _payment_method(payment.config, data.md, data.pt, one_touch=True)
    charge = payment_charge(payment.config, payment.source, payment.amount, payment.job)
    token = data.token

    async def run(payment: _Payment, entry: LedgerEntry) -> _Attempt:
        try:
            card = await register_card(
                payment.context,
                payment.config,
                customer,
                token,
                brand=data.brand,
                session_id=f"pay_{payment.order_ref}",
            )
        except FlowError as error:
            # the payment itself never left: a new attempt (new token) is safe
            if isinstance(error, GatewayRefused):
                log_gateway_refusal(error.entry, "a card registration before a one-touch charge")
            logger.info("card registration before a one-touch charge failed: %s", error.merchant_text)
            refusal = CardNotConfirmed() if isinstance(error, CardOutcomeUnknown) else error
            return _Attempt(Refused(refusal, payment.action_amount), sent=False)
        return await _one_touch(payment, entry, customer, card, charge, method, installments, saved=True)

    return _Plan(
        branch="register_then_charge",
        charge=charge,
        run=run,
        method=method,
        installments=installments,
        customer=customer,
    )


async def _saved_card_plan(payment: _Payment, data: SavedCardPayment) -> _Plan:
    user = payment.source.user
    if user is None:
        raise SignInRequired("paying with a saved card")
    method, installments = _payment_method(payment.config, data.md, data.pt, one_touch=True)
    public_id = bare_stored_method_id(data.payment_method_id, APP_IDENTIFIER)
    try:
        owned = await payment.context.deps.store.cards.get_owned(
            installation_id=payment.context.installation.id,
            store_id=payment.config.store_id,
            saleor_user_id=user.id,
            public_id=public_id,
        )
    except CardNotFound:
        logger.warning("refused a saved card the paying user does not own (or that does not exist)")
        raise SavedCardNotFound() from None
    charge = payment_charge(payment.config, payment.source, payment.amount, payment.job)
    # built now so that a field the gateway would refuse is reported before the ledger row exists
    _one_touch_request(payment, owned.customer, owned.card, charge, method, installments)

    async def run(payment: _Payment, entry: LedgerEntry) -> _Attempt:
        return await _one_touch(payment, entry, owned.customer, owned.card, charge, method, installments, saved=False)

    return _Plan(
        branch="saved_card",
        charge=charge,
        run=run,
        method=method,
        installments=installments,
        customer=owned.customer,
        card=owned.card,
    )


def _one_touch_request(
    payment: _Payment,
    customer: Customer,
    card: Card,
    charge: Charge,
    method: PaymentMethod | None,
    installments: int | None,
) -> OneTouchCharge:
    # em/pn are left out: on this call they would overwrite the gateway's user record [spec ※1]
    return OneTouchCharge(
        store_id=payment.config.store_id,
        order_ref=payment.order_ref,
        customer_id=customer.gateway_customer_id,
        customer_key=customer.gateway_key.get_secret_value(),
        card_seq=str(card.card_seq),
        charge=charge,
        payment_method=method,
        installments=installments,
    )


async def _one_touch(
    payment: _Payment,
    entry: LedgerEntry,
    customer: Customer,
    card: Card,
    charge: Charge,
    method: PaymentMethod | None,
    installments: int | None,
    *,
    saved: bool,
) -> _Attempt:
    try:
        request = _one_touch_request(payment, customer, card, charge, method, installments)
    except GatewayValidationError as error:
        return _Attempt(Refused(GatewayRequestInvalid(error.field, error.rule), payment.action_amount), sent=False)
    gateway = payment.context.deps.gateway(payment.config.gateway_base_url)
    sent = await _send(payment, entry, lambda: gateway.charge_one_touch(request), "one-touch charge")
    if isinstance(sent, _Attempt):
        return sent
    return _Attempt(_outcome(payment, sent, charge, card=card, saved=saved), sent)


# ---- sending and recording ---------------------------------------------------------------------------------


async def _send(
    payment: _Payment, entry: LedgerEntry, call: Callable[[], Awaitable[PaymentResult]], what: str
) -> PaymentResult | _Attempt:
    """Mark the row sent and make the one money-moving call: the gateway's answer, or, when none came, the
    attempt's end (pending if it may have been processed, refused if it provably was not)."""
    await payment.context.deps.store.ledger.mark_sent(entry.id)
    try:
        return await call()
    except GatewayOutcomeUnknown as error:
        logger.warning(
            "%s: outcome unknown (%s); left pending until a result notification or a person settles it",
            what,
            error.reason,
        )
        return _Attempt(Pending(payment.order_ref, payment.action_amount, f"{what}: {error.reason}"))
    except GatewayUnavailable as error:
        logger.warning("%s: gateway unavailable, nothing was processed (%s)", what, error.reason)
        return _Attempt(Refused(GatewayNotReachable(what), payment.action_amount))


def _outcome(
    payment: _Payment,
    result: PaymentResult,
    charge: Charge,
    *,
    card: Card | None,
    saved: bool = False,
    brand: str | None = None,
) -> SessionOutcome:
    if not result.succeeded:
        entry = result.error or lookup_error("")
        log_gateway_refusal(entry, "a payment")
        return Declined(entry, payment.action_amount, gid=result.gid)
    if result.gid is None:  # approved without a payment number (the parser refuses this; never call it failed)
        return Pending(payment.order_ref, payment.action_amount, "approved without a payment number (gid)")
    charged = payment.action_amount
    note = None
    if not isinstance(charge, AmountsCharge) and result.total is not None and result.total != payment.amount:
        # product mode: the gateway's catalogue decided the amount; Saleor must record what was charged
        charged = Decimal(result.total)
        note = f"charged {result.total} yen as registered for product {charge.item_id}, not {payment.amount}"
        logger.warning("product mode: %s; fix the product's price or the gateway's catalogue", note)
    if card is None:
        # a plain token payment: the gateway tells nothing of the card, the storefront may have told its brand
        details = CardDetails(name=brand, brand=brand) if brand else UNKNOWN_CARD
        return Paid(result.gid, charged, card=details, note=note)
    reference = SavedCardRef(id=saleor_method_id(card), name=card_display_name(card))
    return Paid(
        result.gid,
        charged,
        card=card_payment_method_details(card),
        saved_card=reference,
        note=note or ("card saved" if saved else None),
    )


async def _keep_registered_card(
    payment: _Payment, shopper: Shopper, result: PaymentResult, brand: str | None
) -> Card | None:
    """The bulk registration charged and saved the card: keep it. The payment stands even if this fails."""
    try:
        return await remember_bulk_registration(payment.context, payment.config, shopper, result, brand=brand)
    except (ValueError, StoreError) as error:
        logger.error("paid, but the saved card could not be kept: %s", error)
        return None


async def _record(payment: _Payment, entry: LedgerEntry, attempt: _Attempt) -> JsonObject:
    """Complete the ledger row with the outcome and the answer given to Saleor (replayed on a repeat)."""
    ledger = payment.context.deps.store.ledger
    outcome, result = attempt.outcome, attempt.result
    answer = session_answer(payment.family, outcome, payment.language).to_json()
    try:
        if isinstance(outcome, Pending):
            await ledger.mark_unknown(entry.id, failure_reason=outcome.detail, saleor_response=answer)
        elif isinstance(outcome, Paid | Declined):
            await ledger.complete(
                entry.id,
                status=LedgerStatus.SUCCEEDED if isinstance(outcome, Paid) else LedgerStatus.DECLINED,
                psp_reference=result.gid if result else None,
                order_code=(result.order_code or None) if result else None,
                approval_number=(result.approval_number or None) if result else None,
                error_code=outcome.entry.code or None if isinstance(outcome, Declined) else None,
                saleor_response=answer,
            )
        else:
            await ledger.complete(
                entry.id,
                status=LedgerStatus.DECLINED if attempt.sent else LedgerStatus.FAILED_BEFORE_SEND,
                failure_reason=outcome.error.merchant_text,
                saleor_response=answer,
            )
    except LedgerTransitionError:
        # settled meanwhile by someone else (a kickback or a crash check): their answer stands
        settled = await ledger.get(entry.id)
        if settled is not None and settled.saleor_response is not None:
            return settled.saleor_response
        raise
    return answer


async def replay_payment(
    context: WebhookContext, entry: LedgerEntry, amount: Decimal, language: Language
) -> JsonObject:
    """The answer for a payment already under way or done (a repeat, or TRANSACTION_PROCESS_SESSION):
    its stored answer once it settles; *_REQUEST while its outcome is unknown."""
    ledger = context.deps.store.ledger
    entry = await settle_existing(ledger, entry, now=context.deps.clock())
    if entry.saleor_response is not None:
        return entry.saleor_response
    reference = entry.psp_reference or entry.shop_order_code or entry.dedup_key
    pending = Pending(reference, amount, "an earlier request for this transaction has no answer yet")
    answer = session_answer(ResultFamily.of(entry.job_type), pending, language).to_json()
    if entry.status is LedgerStatus.UNKNOWN:
        await ledger.save_saleor_response(entry.id, answer)
    return answer


def _family_hint_from_action(action_type: str) -> ResultFamily:
    return ResultFamily.AUTHORIZATION if action_type == "AUTHORIZATION" else ResultFamily.CHARGE


def _family_hint(payload: JsonObject) -> ResultFamily:
    action = payload.get("action")
    action_type = action.get("actionType") if isinstance(action, dict) else None
    return _family_hint_from_action(action_type if isinstance(action_type, str) else "CHARGE")

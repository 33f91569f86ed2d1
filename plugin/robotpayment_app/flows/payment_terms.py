"""What a payment sends to the gateway, derived from the checkout/order the same way every time.

PAYMENT_GATEWAY_INITIALIZE_SESSION tells the browser the exact 3-D Secure parameters (`am tx sf` or `iid`,
`em`, `pn`) and TRANSACTION_INITIALIZE_SESSION later sends the payment: both take them from here, so the two
cannot disagree (a difference makes the gateway refuse the payment with ER900).
"""

from __future__ import annotations

import hashlib
import re

from robotpayment_app.flows.customers import GatewayContact, gateway_contact
from robotpayment_app.flows.payment_errors import ContactMissing, GatewayRequestInvalid, ProductCodeMissing
from robotpayment_app.gateway import AmountsCharge, Charge, GatewayValidationError, JobType, ProductCharge
from robotpayment_app.gateway import fields as gateway_fields
from robotpayment_app.saleor.payloads import CheckoutSource, OrderSource, metadata_dict
from robotpayment_app.store.records import ChannelConfig
from robotpayment_app.store.records import JobType as ChannelJobType

SourceObject = CheckoutSource | OrderSource


def shopper_contact(source: SourceObject) -> GatewayContact:
    """The checkout/order e-mail and billing phone as the gateway takes them (the same derivation as the
    gateway customer record, `customers.gateway_contact`); `ContactMissing` if neither is usable."""
    contact = gateway_contact(source.shopper_email, source.billing_phone)
    if not contact:
        raise ContactMissing()
    return contact


AUTHORIZATION = "AUTHORIZATION"  # action.actionType for authorise-only; CHARGE otherwise


def payment_job(config: ChannelConfig, action_type: str) -> JobType:
    """What the gateway does with the money: what Saleor asks (`action.actionType`, from the channel's
    transaction flow strategy, as Saleor's own payment apps follow it): AUTHORIZATION → 仮売上 (AUTH), CHARGE →
    即時売上 (CAPTURE). In product mode, what the product is set to in the control panel: the spec's product
    forms carry no `jb`, so the gateway does that whatever Saleor asks."""
    if config.product_mode and config.product_job_type is not None:
        return JobType.CAPTURE if config.product_job_type is ChannelJobType.CAPTURE else JobType.AUTH
    return JobType.AUTH if action_type == AUTHORIZATION else JobType.CAPTURE


def product_code(source: SourceObject, metadata_key: str) -> str:
    """Product mode: the one `iid` all lines name (variant metadata first, then its product's)."""
    codes: set[str] = set()
    for variant in source.variants:
        code = metadata_dict(variant.metadata).get(metadata_key) or metadata_dict(variant.product.metadata).get(
            metadata_key
        )
        if not code:
            raise ProductCodeMissing(metadata_key, f"variant {variant.id} has no product code")
        codes.add(code.strip())
    if not codes:
        raise ProductCodeMissing(metadata_key, "the checkout has no lines")
    if len(codes) > 1:
        raise ProductCodeMissing(metadata_key, "the lines name different product codes; one payment buys one")
    (code,) = codes
    try:
        return gateway_fields.item_id(code)
    except GatewayValidationError as error:
        raise GatewayRequestInvalid(error.field, error.rule) from None


def payment_charge(config: ChannelConfig, source: SourceObject, amount: int, job: JobType) -> Charge:
    """`iid` in product mode; otherwise the whole amount in `am` with tx = sf = 0.

    The channel's `split_tax_and_shipping` cannot be honoured yet: the subscription carries no tax/shipping
    breakdown, and a guessed split would change what 3-D Secure authenticates, so `am` always holds the total.
    """
    if config.product_mode:
        return ProductCharge(item_id=product_code(source, config.product_code_metadata_key))
    return AmountsCharge(job=job, amount=amount, tax=0, shipping=0)


def three_ds_payment_params(store_id: str, charge: Charge, contact: GatewayContact) -> dict[str, str | int]:
    """What `ThreeDSAdapter.authenticate` takes (besides `tkn`) for a token payment with these terms."""
    params: dict[str, str | int] = {"aid": store_id}
    if isinstance(charge, AmountsCharge):
        params.update(am=charge.amount, tx=charge.tax, sf=charge.shipping)
    else:
        params["iid"] = charge.item_id
    if contact.email is not None:
        params["em"] = contact.email
    if contact.phone is not None:
        params["pn"] = contact.phone
    return params


def three_ds_card_params(store_id: str, gateway_customer_id: str) -> dict[str, str | int]:
    """What `ThreeDSAdapter.authenticate` takes (besides `tkn`) for a card registration of that customer."""
    return {"aid": store_id, "uid": gateway_customer_id}


def order_ref(transaction_id: str, transaction_token: str | None) -> str:
    """The gateway's `cod` (≤ 50 bytes) for a Saleor transaction: deterministic, so a repeated request and a
    kickback find the same payment. The transaction token (a UUID) when Saleor sends it, else a hash of the id."""
    if transaction_token and re.fullmatch(r"[0-9A-Za-z\-]{1,50}", transaction_token):
        return transaction_token
    return "t" + hashlib.sha256(transaction_id.encode("utf-8")).hexdigest()[:40]

"""Checkouts: create, change lines, addresses and e-mail, and complete into an order."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from ..context import Requester
from ..domain.amounts import authorize_status, charge_status, checkout_total
from ..domain.records import Address, Checkout, CheckoutLine, Order, OrderLine, utc_now
from ..domain.store import ShopStore
from ..errors import ShopError
from ..ids import InvalidGlobalIdError, from_global_id

MAX_LINE_QUANTITY = 50


@dataclass(frozen=True)
class LineRequest:
    variant_id: str
    quantity: int


@dataclass(frozen=True)
class LineChange:
    quantity: int
    variant_id: str | None = None
    line_id: str | None = None


class CheckoutService:
    def __init__(self, store: ShopStore) -> None:
        self._store = store

    def find(self, requester: Requester, global_id: str | None, token: uuid.UUID | None = None) -> Checkout:
        if token is None:
            if not global_id:
                raise ShopError("REQUIRED", "Provide `id` of the checkout.", "id")
            try:
                _, raw = from_global_id(global_id, "Checkout")
                token = uuid.UUID(raw)
            except (InvalidGlobalIdError, ValueError):
                raise ShopError("INVALID", f"Couldn't resolve id: {global_id!r}.", "id") from None
        checkout = self._store.checkouts.get(token)
        if checkout is None or not self.may_access(requester, checkout):
            raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {global_id or token}", "id")
        return checkout

    @staticmethod
    def may_access(requester: Requester, checkout: Checkout) -> bool:
        """A checkout id works like a key, except that a shopper's checkout is theirs alone."""
        if checkout.user_pk is None or requester.has_any("MANAGE_CHECKOUTS", "HANDLE_PAYMENTS"):
            return True
        return requester.user is not None and requester.user.pk == checkout.user_pk

    def _variant_pk(self, variant_id: str, channel_slug: str) -> int:
        try:
            _, raw = from_global_id(variant_id, "ProductVariant")
        except InvalidGlobalIdError:
            raise ShopError("INVALID", f"Couldn't resolve id: {variant_id!r}.", "variantId") from None
        variant = self._store.variants.get(int(raw)) if raw.isdigit() else None
        if variant is None:
            raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {variant_id}", "variantId")
        if channel_slug not in variant.prices:
            raise ShopError("UNAVAILABLE_VARIANT_IN_CHANNEL", "Cannot add lines with unavailable variants.", "lines")
        return variant.pk

    @staticmethod
    def _check_quantity(quantity: int, *, allow_zero: bool) -> None:
        if quantity < 0 or (quantity == 0 and not allow_zero):
            raise ShopError("ZERO_QUANTITY", "The quantity should be higher than zero.", "quantity")
        if quantity > MAX_LINE_QUANTITY:
            raise ShopError(
                "QUANTITY_GREATER_THAN_LIMIT", f"Cannot add more than {MAX_LINE_QUANTITY} items.", "quantity"
            )

    def _add_lines(self, checkout: Checkout, lines: list[LineRequest]) -> None:
        for request in lines:
            self._check_quantity(request.quantity, allow_zero=False)
            pk = self._variant_pk(request.variant_id, checkout.channel_slug)
            existing = next((line for line in checkout.lines if line.variant_pk == pk), None)
            if existing is not None:
                self._check_quantity(existing.quantity + request.quantity, allow_zero=False)
                existing.quantity += request.quantity
                continue
            price = self._store.variants[pk].prices[checkout.channel_slug]
            checkout.lines.append(CheckoutLine(uuid.uuid4(), pk, request.quantity, price))

    def create(
        self,
        requester: Requester,
        channel_slug: str | None,
        lines: list[LineRequest],
        email: str | None,
        billing_address: Address | None,
        language_code: str | None,
    ) -> Checkout:
        if not channel_slug:
            raise ShopError("MISSING_CHANNEL_SLUG", "You need to provide channel slug.", "channel")
        channel = self._store.channels.get(channel_slug)
        if channel is None:
            raise ShopError("NOT_FOUND", f"Channel with '{channel_slug}' slug does not exist.", "channel")
        if not channel.is_active:
            raise ShopError("CHANNEL_INACTIVE", f"Channel with '{channel_slug}' is inactive.", "channel")
        user = requester.user if requester.app is None else None
        if email is not None and "@" not in email:
            raise ShopError("INVALID", "Enter a valid email address.", "email")
        checkout = Checkout(
            token=uuid.uuid4(),
            channel_slug=channel.slug,
            currency=channel.currency_code,
            user_pk=user.pk if user is not None else None,
            email=email or (user.email if user is not None else None),
            lines=[],
            language_code=language_code or (user.language_code if user is not None else "JA"),
            billing_address=billing_address or (user.default_billing_address if user is not None else None),
        )
        self._add_lines(checkout, lines)
        self._store.checkouts[checkout.token] = checkout
        return checkout

    def add_lines(self, checkout: Checkout, lines: list[LineRequest]) -> Checkout:
        self._add_lines(checkout, lines)
        checkout.updated_at = utc_now()
        return checkout

    def update_lines(self, checkout: Checkout, changes: list[LineChange]) -> Checkout:
        for change in changes:
            self._check_quantity(change.quantity, allow_zero=True)
            line = self._find_line(checkout, change)
            if change.quantity == 0:
                checkout.lines.remove(line)
            else:
                line.quantity = change.quantity
        checkout.updated_at = utc_now()
        return checkout

    def _find_line(self, checkout: Checkout, change: LineChange) -> CheckoutLine:
        if change.line_id is not None:
            try:
                _, raw = from_global_id(change.line_id, "CheckoutLine")
                wanted = uuid.UUID(raw)
            except (InvalidGlobalIdError, ValueError):
                raise ShopError("INVALID", f"Couldn't resolve id: {change.line_id!r}.", "lineId") from None
            found = next((line for line in checkout.lines if line.pk == wanted), None)
        elif change.variant_id is not None:
            pk = self._variant_pk(change.variant_id, checkout.channel_slug)
            found = next((line for line in checkout.lines if line.variant_pk == pk), None)
        else:
            raise ShopError("REQUIRED", "Provide `lineId` or `variantId`.", "lines")
        if found is None:
            raise ShopError("NOT_FOUND", "The checkout has no such line.", "lines")
        return found

    def set_billing_address(self, checkout: Checkout, billing: Address) -> Checkout:
        checkout.billing_address = billing
        checkout.updated_at = utc_now()
        return checkout

    def set_email(self, checkout: Checkout, email: str) -> Checkout:
        if "@" not in email:
            raise ShopError("INVALID", "Enter a valid email address.", "email")
        checkout.email = email
        checkout.updated_at = utc_now()
        return checkout

    def complete(self, checkout: Checkout) -> Order:
        """Turn a covered checkout into an order; its transactions move to the order."""
        if not checkout.lines:
            raise ShopError("NO_LINES", "Cannot complete checkout without lines.", "lines")
        if not checkout.email:
            raise ShopError("EMAIL_NOT_SET", "Email is not set.", "email")
        if checkout.billing_address is None:
            raise ShopError("BILLING_ADDRESS_NOT_SET", "Billing address is not set.", "billingAddress")
        total = checkout_total(checkout)
        transactions = self._store.transactions_of_checkout(checkout.token)
        amounts = [t.amounts for t in transactions]
        if authorize_status(total, amounts) != "FULL" and charge_status(total, amounts) not in (
            "FULL",
            "OVERCHARGED",
        ):
            raise ShopError(
                "CHECKOUT_NOT_FULLY_PAID",
                "The authorized amount doesn't cover the checkout's total amount.",
                "id",
            )
        order = Order(
            pk=uuid.uuid4(),
            number=self._store.next_pk("order_number"),
            channel_slug=checkout.channel_slug,
            currency=checkout.currency,
            user_pk=checkout.user_pk,
            user_email=checkout.email,
            lines=[self._order_line(line) for line in checkout.lines],
            total=total,
            checkout_token=checkout.token,
            language_code=checkout.language_code,
            billing_address=checkout.billing_address,
            shipping_address=checkout.shipping_address,
            metadata=dict(checkout.metadata),
        )
        self._store.orders[order.pk] = order
        for transaction in transactions:
            transaction.order_pk = order.pk
            transaction.checkout_token = None
        checkout.order_pk = order.pk
        del self._store.checkouts[checkout.token]
        return order

    def _order_line(self, line: CheckoutLine) -> OrderLine:
        variant = self._store.variants[line.variant_pk]
        product = self._store.product_of(variant)
        return OrderLine(
            pk=uuid.uuid4(),
            variant_pk=variant.pk,
            product_name=product.name,
            variant_name=variant.name,
            sku=variant.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )

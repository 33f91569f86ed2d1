"""Checkout mutations: create, lines add/update, billing address, e-mail, complete."""

from __future__ import annotations

import uuid

import strawberry

from ...context import Info
from ...domain.records import Checkout as CheckoutRecord
from ...errors import ShopError
from ...services.checkouts import LineChange, LineRequest
from ..errors import CheckoutError, CheckoutErrorCode, error_list
from ..inputs import (
    AddressInput,
    CheckoutCreateInput,
    CheckoutLineInput,
    CheckoutLineUpdateInput,
    address_record,
)
from ..nodes import Checkout, Order
from ..scalars import JSONString


def _errors(error: ShopError) -> list[CheckoutError]:
    return error_list(CheckoutError, CheckoutErrorCode, error)


@strawberry.type(name="CheckoutCreate")
class CheckoutCreate:
    created: bool | None = None
    checkout: Checkout | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type(name="CheckoutLinesAdd")
class CheckoutLinesAdd:
    checkout: Checkout | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type(name="CheckoutLinesUpdate")
class CheckoutLinesUpdate:
    checkout: Checkout | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type(name="CheckoutBillingAddressUpdate")
class CheckoutBillingAddressUpdate:
    checkout: Checkout | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type(name="CheckoutEmailUpdate")
class CheckoutEmailUpdate:
    checkout: Checkout | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


@strawberry.type(name="CheckoutComplete")
class CheckoutComplete:
    order: Order | None = None
    confirmation_needed: bool = False
    confirmation_data: JSONString | None = None
    errors: list[CheckoutError] = strawberry.field(default_factory=list)


def _find(info: Info, id: str | None, checkout_id: str | None, token: uuid.UUID | None) -> CheckoutRecord:
    return info.context.shop.checkouts.find(info.context.requester, id or checkout_id, token)


@strawberry.type
class CheckoutMutations:
    @strawberry.mutation
    def checkout_create(self, info: Info, input: CheckoutCreateInput) -> CheckoutCreate | None:
        try:
            checkout = info.context.shop.checkouts.create(
                info.context.requester,
                channel_slug=input.channel,
                lines=[LineRequest(line.variant_id, line.quantity) for line in input.lines or []],
                email=input.email,
                billing_address=address_record(input.billing_address, "billingAddress")
                if input.billing_address is not None
                else None,
                language_code=input.language_code.value if input.language_code is not None else None,
            )
        except ShopError as error:
            return CheckoutCreate(errors=_errors(error))
        return CheckoutCreate(created=True, checkout=Checkout(record=checkout))

    @strawberry.mutation
    def checkout_lines_add(
        self,
        info: Info,
        lines: list[CheckoutLineInput],
        id: strawberry.ID | None = None,
        checkout_id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
    ) -> CheckoutLinesAdd | None:
        try:
            checkout = _find(info, id, checkout_id, token)
            info.context.shop.checkouts.add_lines(checkout, [LineRequest(x.variant_id, x.quantity) for x in lines])
        except ShopError as error:
            return CheckoutLinesAdd(errors=_errors(error))
        return CheckoutLinesAdd(checkout=Checkout(record=checkout))

    @strawberry.mutation
    def checkout_lines_update(
        self,
        info: Info,
        lines: list[CheckoutLineUpdateInput],
        id: strawberry.ID | None = None,
        checkout_id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
    ) -> CheckoutLinesUpdate | None:
        try:
            checkout = _find(info, id, checkout_id, token)
            changes = []
            for line in lines:
                if line.quantity is None:
                    raise ShopError("REQUIRED", "lines[].quantity is required.", "quantity")
                changes.append(LineChange(line.quantity, line.variant_id, line.line_id))
            info.context.shop.checkouts.update_lines(checkout, changes)
        except ShopError as error:
            return CheckoutLinesUpdate(errors=_errors(error))
        return CheckoutLinesUpdate(checkout=Checkout(record=checkout))

    @strawberry.mutation
    def checkout_billing_address_update(
        self,
        info: Info,
        billing_address: AddressInput,
        id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
    ) -> CheckoutBillingAddressUpdate | None:
        try:
            checkout = _find(info, id, None, token)
            info.context.shop.checkouts.set_billing_address(checkout, address_record(billing_address, "billingAddress"))
        except ShopError as error:
            return CheckoutBillingAddressUpdate(errors=_errors(error))
        return CheckoutBillingAddressUpdate(checkout=Checkout(record=checkout))

    @strawberry.mutation
    def checkout_email_update(
        self,
        info: Info,
        email: str,
        id: strawberry.ID | None = None,
        checkout_id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
    ) -> CheckoutEmailUpdate | None:
        try:
            checkout = _find(info, id, checkout_id, token)
            info.context.shop.checkouts.set_email(checkout, email)
        except ShopError as error:
            return CheckoutEmailUpdate(errors=_errors(error))
        return CheckoutEmailUpdate(checkout=Checkout(record=checkout))

    @strawberry.mutation
    def checkout_complete(
        self,
        info: Info,
        id: strawberry.ID | None = None,
        checkout_id: strawberry.ID | None = None,
        token: uuid.UUID | None = None,
        redirect_url: str | None = None,
    ) -> CheckoutComplete | None:
        try:
            order = info.context.shop.checkouts.complete(_find(info, id, checkout_id, token))
        except ShopError as error:
            return CheckoutComplete(errors=_errors(error))
        return CheckoutComplete(order=Order(record=order))

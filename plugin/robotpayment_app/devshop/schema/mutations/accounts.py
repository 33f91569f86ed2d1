"""tokenCreate, customerUpdate, customerDelete, updatePrivateMetadata."""

from __future__ import annotations

import strawberry

from ...context import Info
from ...domain.records import InstalledApp
from ...errors import ShopError
from ...services.accounts import CustomerChanges
from ..errors import AccountError, AccountErrorCode, MetadataError, MetadataErrorCode, error_list
from ..inputs import CustomerInput, MetadataInput, address_record
from ..metadata import ObjectWithMetadata
from ..nodes import App, User


@strawberry.type(name="CreateToken")
class CreateToken:
    token: str | None = None
    refresh_token: str | None = None
    csrf_token: str | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type(name="RefreshToken")
class RefreshToken:
    token: str | None = None
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type(name="CustomerUpdate")
class CustomerUpdate:
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type(name="CustomerDelete")
class CustomerDelete:
    user: User | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)


@strawberry.type(name="UpdatePrivateMetadata")
class UpdatePrivateMetadata:
    item: ObjectWithMetadata | None = None
    errors: list[MetadataError] = strawberry.field(default_factory=list)


def _changes(value: CustomerInput) -> CustomerChanges:
    return CustomerChanges(
        email=value.email,
        first_name=value.first_name,
        last_name=value.last_name,
        note=value.note,
        is_active=value.is_active,
        is_confirmed=value.is_confirmed,
        language_code=value.language_code.value if value.language_code is not None else None,
        default_billing_address=address_record(value.default_billing_address, "defaultBillingAddress")
        if value.default_billing_address is not None
        else None,
        default_shipping_address=address_record(value.default_shipping_address, "defaultShippingAddress")
        if value.default_shipping_address is not None
        else None,
        metadata={m.key: m.value for m in value.metadata} if value.metadata else None,
        private_metadata={m.key: m.value for m in value.private_metadata} if value.private_metadata else None,
    )


@strawberry.type
class AccountMutations:
    @strawberry.mutation
    def token_create(self, info: Info, email: str, password: str, audience: str | None = None) -> CreateToken | None:
        try:
            issued = info.context.shop.accounts.create_token(email, password)
        except ShopError as error:
            return CreateToken(errors=error_list(AccountError, AccountErrorCode, error))
        return CreateToken(token=issued.token, refresh_token=issued.refresh_token, user=User(record=issued.user))

    @strawberry.mutation
    def token_refresh(
        self, info: Info, refresh_token: str | None = None, csrf_token: str | None = None
    ) -> RefreshToken | None:
        try:
            if not refresh_token:
                raise ShopError("REQUIRED", "Missing refreshToken.", "refreshToken")
            issued = info.context.shop.accounts.refresh_token(refresh_token)
        except ShopError as error:
            return RefreshToken(errors=error_list(AccountError, AccountErrorCode, error))
        return RefreshToken(token=issued.token, user=User(record=issued.user))

    @strawberry.mutation
    async def customer_update(
        self, info: Info, input: CustomerInput, id: strawberry.ID | None = None
    ) -> CustomerUpdate | None:
        try:
            if id is None:
                raise ShopError("REQUIRED", "Provide `id` of the customer.", "id")
            user = await info.context.shop.accounts.update_customer(info.context.requester, id, _changes(input))
        except ShopError as error:
            return CustomerUpdate(errors=error_list(AccountError, AccountErrorCode, error))
        return CustomerUpdate(user=User(record=user))

    @strawberry.mutation
    async def customer_delete(self, info: Info, id: strawberry.ID | None = None) -> CustomerDelete | None:
        try:
            if id is None:
                raise ShopError("REQUIRED", "Provide `id` of the customer.", "id")
            user = await info.context.shop.accounts.delete_customer(info.context.requester, id)
        except ShopError as error:
            return CustomerDelete(errors=error_list(AccountError, AccountErrorCode, error))
        return CustomerDelete(user=User(record=user))

    @strawberry.mutation
    async def update_private_metadata(
        self, info: Info, id: strawberry.ID, input: list[MetadataInput]
    ) -> UpdatePrivateMetadata | None:
        try:
            item = await info.context.shop.accounts.update_private_metadata(
                info.context.requester, id, {m.key: m.value for m in input}
            )
        except ShopError as error:
            return UpdatePrivateMetadata(errors=error_list(MetadataError, MetadataErrorCode, error))
        node: ObjectWithMetadata = App(record=item) if isinstance(item, InstalledApp) else User(record=item)
        return UpdatePrivateMetadata(item=node)

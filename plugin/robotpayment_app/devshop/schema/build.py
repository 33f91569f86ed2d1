"""Assembling the strawberry schema from the query, the mutation groups and the event types."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from ..errors import PermissionDeniedError, ShopError
from .common import CardPaymentMethodDetails, OtherPaymentMethodDetails
from .events import EVENT_TYPES, Subscription
from .mutations.accounts import AccountMutations
from .mutations.apps import AppMutations
from .mutations.checkout import CheckoutMutations
from .mutations.payments import PaymentMutations
from .mutations.stored_methods import StoredMethodMutations
from .query import Query
from .scalars import SCALAR_MAP


class DevshopSchema(strawberry.Schema):
    """Logs only unexpected resolver errors; refusals and bad input are answers, not incidents."""

    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        unexpected = [e for e in errors if e.original_error is not None and not _expected(e)]
        super().process_errors(unexpected, execution_context)


def _expected(error: GraphQLError) -> bool:
    return isinstance(error, PermissionDeniedError) or isinstance(
        error.original_error, (PermissionDeniedError, ShopError, ValueError)
    )


@strawberry.type(name="Mutation")
class Mutation(AccountMutations, CheckoutMutations, PaymentMutations, StoredMethodMutations, AppMutations):
    pass


def build_schema() -> strawberry.Schema:
    return DevshopSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=[*EVENT_TYPES, CardPaymentMethodDetails, OtherPaymentMethodDetails],
        config=StrawberryConfig(scalar_map=SCALAR_MAP),
        # storefronts and apps send the same few documents over and over
        extensions=[ParserCache, ValidationCache],
    )

"""A small, typed client for the Saleor GraphQL calls the app makes with its app token.

The token is sent only in the Authorization header: it is not kept in reprs, exception texts or logs.
Transport failures are raised as `SaleorUnavailable` so callers can tell "Saleor said no" from "we do not
know"; every call has explicit timeouts well under the 18 s Saleor gives a sync webhook.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError
from pydantic.alias_generators import to_camel

from .documents import GraphQLDocuments
from .errors import JwksFetchError, SaleorLayerError
from .responses import CardDetails, TransactionActionName, iso_time, json_amount, truncate_message

DEFAULT_TIMEOUT = httpx.Timeout(connect=3.0, read=8.0, write=5.0, pool=3.0)
MAX_PAGE_SIZE = 100


class SaleorApiError(SaleorLayerError):
    """A GraphQL call to Saleor did not succeed."""


class SaleorUnavailable(SaleorApiError):
    """No usable answer (connection, timeout, 5xx, not JSON). For a mutation the outcome is unknown."""


class SaleorUnauthorized(SaleorApiError):
    """Saleor refused the app token or the app lacks a permission."""


class SaleorGraphQLError(SaleorApiError):
    """Saleor answered with top-level GraphQL errors (e.g. the document does not fit its schema)."""


class SaleorMutationError(SaleorApiError):
    """A mutation answered `errors: [{field, code, message}]`."""

    def __init__(self, operation: str, code: str, field: str | None, message: str | None) -> None:
        super().__init__(f"{operation}: {code} on {field or '(no field)'}: {message or ''}".rstrip(": "))
        self.code = code
        self.field = field


@dataclass(frozen=True)
class SaleorOperations:
    """The GraphQL documents the client sends, read once from `graphql/`."""

    app_id: str
    transaction_event_report: str
    update_private_metadata: str
    customers_private_metadata: str
    channels: str

    @classmethod
    def load(cls, documents: GraphQLDocuments | None = None) -> SaleorOperations:
        docs = documents or GraphQLDocuments()
        return cls(
            app_id=docs.load("queries/app_id.graphql"),
            transaction_event_report=docs.load("mutations/transaction_event_report.graphql"),
            update_private_metadata=docs.load("mutations/update_private_metadata.graphql"),
            customers_private_metadata=docs.load("queries/customers_private_metadata.graphql"),
            channels=docs.load("queries/channels.graphql"),
        )


@dataclass(frozen=True)
class ReportResult:
    already_processed: bool
    event_id: str | None = None


@dataclass(frozen=True)
class ShopChannel:
    """A Saleor channel as the configuration page shows it."""

    slug: str
    name: str
    currency: str
    active: bool
    flow_strategy: str  # AUTHORIZATION or CHARGE: what action.actionType will say there


@dataclass(frozen=True)
class UserPrivateMetadata:
    user_id: str
    email: str
    private_metadata: Mapping[str, str]


class _Model(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore", frozen=True)


class _MutationError(_Model):
    field: str | None = None
    code: str
    message: str | None = None


class _EventRef(_Model):
    id: str


class _ReportPayload(_Model):
    already_processed: bool | None = None
    transaction_event: _EventRef | None = None
    errors: list[_MutationError] = []


class _MetadataPayload(_Model):
    errors: list[_MutationError] = []


class _Metadata(_Model):
    key: str
    value: str


class _Customer(_Model):
    id: str
    email: str
    private_metadata: list[_Metadata] = []


class _PaymentSettings(_Model):
    default_transaction_flow_strategy: str


class _Channel(_Model):
    slug: str
    name: str
    currency_code: str
    is_active: bool = True
    payment_settings: _PaymentSettings


class _CustomerEdge(_Model):
    node: _Customer


class _PageInfo(_Model):
    has_next_page: bool
    end_cursor: str | None = None


class _CustomerPage(_Model):
    page_info: _PageInfo
    edges: list[_CustomerEdge]


def _error_codes(errors: list[Any]) -> set[str]:
    """`extensions.exception.code` of each GraphQL error (Saleor names e.g. PermissionDenied there)."""
    codes = set()
    for error in errors:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        exception = extensions.get("exception") if isinstance(extensions, dict) else None
        if isinstance(exception, dict) and isinstance(exception.get("code"), str):
            codes.add(exception["code"])
    return codes


def _first_mutation_error(operation: str, errors: Sequence[_MutationError]) -> SaleorApiError:
    error = errors[0]
    if error.code in {"PERMISSION_DENIED", "NOT_AUTHORIZED"}:
        return SaleorUnauthorized(f"{operation}: {error.code}")
    return SaleorMutationError(operation, error.code, error.field, error.message)


class SaleorGraphQLClient:
    """Calls one Saleor (`api_url`, e.g. `https://shop.example.com/graphql/`) as the installed app."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        api_url: str,
        token: str,
        *,
        operations: SaleorOperations | None = None,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
    ) -> None:
        self._http = http
        self.api_url = api_url
        self._token = SecretStr(token)  # masked in reprs, tracebacks with locals and debuggers
        self._operations = operations or SaleorOperations.load()
        self._timeout = timeout

    def __repr__(self) -> str:
        return f"SaleorGraphQLClient(api_url={self.api_url!r})"

    async def _execute(self, operation: str, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http.post(
                self.api_url,
                json={"query": query, "variables": dict(variables)},
                headers={"Authorization": f"Bearer {self._token.get_secret_value()}"},
                timeout=self._timeout,
            )
        except httpx.TimeoutException:
            raise SaleorUnavailable(f"{operation}: Saleor did not answer in time") from None
        except httpx.HTTPError as exc:
            raise SaleorUnavailable(f"{operation}: request failed ({type(exc).__name__})") from None
        if response.status_code in {401, 403}:
            status = response.status_code
            raise SaleorUnauthorized(f"{operation}: Saleor refused the app token (HTTP {status})")
        if response.status_code >= 500:
            raise SaleorUnavailable(f"{operation}: Saleor answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            status = response.status_code
            raise SaleorUnavailable(f"{operation}: answer is not JSON (HTTP {status})") from None
        if not isinstance(body, dict):
            raise SaleorUnavailable(f"{operation}: answer is not a JSON object")
        errors = body.get("errors")
        if errors:
            if isinstance(errors, list) and "PermissionDenied" in _error_codes(errors):
                raise SaleorUnauthorized(f"{operation}: the app lacks a permission")
            messages = "; ".join(
                str(error.get("message", "?")) for error in list(errors)[:3] if isinstance(error, dict)
            )
            raise SaleorGraphQLError(f"{operation}: {truncate_message(messages, 300)}")
        if response.status_code != 200:
            raise SaleorApiError(f"{operation}: Saleor answered HTTP {response.status_code}")
        data = body.get("data")
        if not isinstance(data, dict):
            raise SaleorUnavailable(f"{operation}: answer has no data")
        return data

    async def fetch_app_id(self) -> str:
        """The app's own id (`App:…` global id): proves the token and names the webhook recipient."""
        data = await self._execute("app", self._operations.app_id, {})
        app = data.get("app")
        if not isinstance(app, dict) or not isinstance(app.get("id"), str) or not app["id"]:
            raise SaleorUnauthorized("app: the token is not an app token")
        return str(app["id"])

    async def transaction_event_report(
        self,
        *,
        transaction_id: str,
        psp_reference: str,
        event_type: str,
        amount: Decimal,
        message: str | None = None,
        time: datetime | None = None,
        available_actions: Sequence[TransactionActionName] | None = None,
        external_url: str | None = None,
        payment_method_details: CardDetails | None = None,
    ) -> ReportResult:
        """Report a transaction event. A repeat (`alreadyProcessed` or ALREADY_EXISTS) is success."""
        variables: dict[str, Any] = {
            "id": transaction_id,
            "pspReference": psp_reference,
            "type": event_type,
            "amount": json_amount(amount),
            "message": truncate_message(message) if message else None,
            "time": iso_time(time) if time is not None else None,
            "externalUrl": external_url,
            "availableActions": list(available_actions) if available_actions is not None else None,
            "paymentMethodDetails": (
                {"card": _card_input(payment_method_details)} if payment_method_details else None
            ),
        }
        query = self._operations.transaction_event_report
        data = await self._execute("transactionEventReport", query, variables)
        try:
            payload = _ReportPayload.model_validate(data.get("transactionEventReport"))
        except ValidationError:
            raise SaleorUnavailable("transactionEventReport: unexpected answer shape") from None
        if any(error.code == "ALREADY_EXISTS" for error in payload.errors):
            return ReportResult(already_processed=True, event_id=None)
        if payload.errors:
            raise _first_mutation_error("transactionEventReport", payload.errors)
        return ReportResult(
            already_processed=bool(payload.already_processed),
            event_id=payload.transaction_event.id if payload.transaction_event else None,
        )

    async def update_private_metadata(self, item_id: str, items: Mapping[str, str]) -> None:
        """Set private metadata keys on a Saleor object (the app keeps the gateway uid on the user)."""
        variables = {"id": item_id, "input": [{"key": key, "value": value} for key, value in items.items()]}
        query = self._operations.update_private_metadata
        data = await self._execute("updatePrivateMetadata", query, variables)
        try:
            payload = _MetadataPayload.model_validate(data.get("updatePrivateMetadata"))
        except ValidationError:
            raise SaleorUnavailable("updatePrivateMetadata: unexpected answer shape") from None
        if payload.errors:
            raise _first_mutation_error("updatePrivateMetadata", payload.errors)

    async def list_channels(self) -> list[ShopChannel]:
        """Every channel of the shop, with its currency and transaction flow strategy."""
        data = await self._execute("channels", self._operations.channels, {})
        try:
            channels = [_Channel.model_validate(item) for item in data.get("channels") or []]
        except ValidationError:
            raise SaleorUnavailable("channels: unexpected answer shape") from None
        return [
            ShopChannel(
                slug=channel.slug,
                name=channel.name,
                currency=channel.currency_code,
                active=channel.is_active,
                flow_strategy=channel.payment_settings.default_transaction_flow_strategy,
            )
            for channel in channels
        ]

    async def list_users_with_private_metadata(
        self, *, key_prefix: str | None = None, page_size: int = MAX_PAGE_SIZE, max_pages: int = 10_000
    ) -> list[UserPrivateMetadata]:
        """Every customer with private metadata (only keys starting with `key_prefix` when given; customers
        with no such key are left out). Walks all pages; for the recover command."""
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size: 1 to {MAX_PAGE_SIZE}")
        users: list[UserPrivateMetadata] = []
        after: str | None = None
        for _ in range(max_pages):
            variables = {"first": page_size, "after": after}
            data = await self._execute("customers", self._operations.customers_private_metadata, variables)
            try:
                page = _CustomerPage.model_validate(data.get("customers"))
            except ValidationError:
                raise SaleorUnavailable("customers: unexpected answer shape") from None
            for edge in page.edges:
                entries = {
                    item.key: item.value
                    for item in edge.node.private_metadata
                    if key_prefix is None or item.key.startswith(key_prefix)
                }
                if entries or key_prefix is None:
                    users.append(UserPrivateMetadata(edge.node.id, edge.node.email, entries))
            if not page.page_info.has_next_page:
                return users
            if not page.page_info.end_cursor or page.page_info.end_cursor == after:
                raise SaleorUnavailable("customers: pagination did not advance")
            after = page.page_info.end_cursor
        raise SaleorApiError(f"customers: more than {max_pages} pages")


def _card_input(details: CardDetails) -> dict[str, Any]:
    card = details.to_json()
    card.pop("type")
    return card


def jwks_url(api_url: str) -> str:
    """`https://shop.example.com/graphql/` -> `https://shop.example.com/.well-known/jwks.json`."""
    parts = urlsplit(api_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise JwksFetchError("Saleor API URL is not an absolute http(s) URL")
    return f"{parts.scheme}://{parts.netloc}/.well-known/jwks.json"


async def fetch_jwks(
    http: httpx.AsyncClient, api_url: str, *, timeouts: httpx.Timeout = DEFAULT_TIMEOUT
) -> dict[str, Any]:
    """Saleor's public signing keys; raises `JwksFetchError` unless they arrive as a JWKS with RSA keys."""
    url = jwks_url(api_url)
    try:
        response = await http.get(url, timeout=timeouts)
    except httpx.HTTPError as exc:
        raise JwksFetchError(f"JWKS request failed ({type(exc).__name__})") from None
    if response.status_code != 200:
        raise JwksFetchError(f"JWKS request answered HTTP {response.status_code}")
    try:
        jwks = response.json()
    except ValueError:
        raise JwksFetchError("JWKS is not JSON") from None
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        raise JwksFetchError("JWKS has no keys")
    if not all(isinstance(key, dict) and key.get("kty") == "RSA" and key.get("kid") for key in jwks["keys"]):
        raise JwksFetchError("JWKS holds a key that is not an RSA key with a kid")
    return jwks


def app_id_fetcher(
    http: httpx.AsyncClient, operations: SaleorOperations | None = None
) -> Callable[[str, str], Awaitable[str]]:
    """`(api_url, token) -> app id`, for `RegisterApp`."""
    loaded = operations or SaleorOperations.load()

    async def fetch(api_url: str, token: str) -> str:
        return await SaleorGraphQLClient(http, api_url, token, operations=loaded).fetch_app_id()

    return fetch


def jwks_fetcher(http: httpx.AsyncClient) -> Callable[[str], Awaitable[dict[str, Any]]]:
    """`api_url -> JWKS`, for `RegisterApp` and `JwksProvider`."""

    async def fetch(api_url: str) -> dict[str, Any]:
        return await fetch_jwks(http, api_url)

    return fetch

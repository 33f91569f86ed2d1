"""App installation: fetch the manifest, check every subscription, hand the app its token."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

import httpx
from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..answers import describe_validation_error
from ..config import DevshopConfig
from ..context import Requester
from ..domain.records import AppWebhook, InstalledApp
from ..domain.store import ShopStore
from ..errors import ShopError
from ..ids import InvalidGlobalIdError, from_global_id
from ..schema.enums import PermissionEnum
from ..webhooks.dispatcher import WebhookDispatcher
from ..webhooks.events import ASYNC_EVENTS, SYNC_EVENTS, AppDeleted
from .accounts import hash_app_token


class ManifestWebhook(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    name: str
    target_url: str = Field(alias="targetUrl")
    query: str
    sync_events: list[str] = Field(default_factory=list, alias="syncEvents")
    async_events: list[str] = Field(default_factory=list, alias="asyncEvents")
    is_active: bool = Field(default=True, alias="isActive")


class Manifest(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    version: str | None = None
    permissions: list[str] = Field(default_factory=list)
    app_url: str | None = Field(default=None, alias="appUrl")
    token_target_url: str = Field(alias="tokenTargetUrl")
    author: str | None = None
    about: str | None = None
    homepage_url: str | None = Field(default=None, alias="homepageUrl")
    support_url: str | None = Field(default=None, alias="supportUrl")
    data_privacy_url: str | None = Field(default=None, alias="dataPrivacyUrl")
    webhooks: list[ManifestWebhook] = Field(default_factory=list)


def event_name_of(type_name: str) -> str:
    """`TransactionInitializeSession` -> `TRANSACTION_INITIALIZE_SESSION`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type_name).upper()


def _is_http_url(value: str) -> bool:
    return re.match(r"^https?://[^\s/]+", value) is not None


def subscription_events(document: DocumentNode) -> set[str]:
    """Event names selected by `subscription { event { ... on X { } } }` (fragments followed)."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.SUBSCRIPTION:
        raise ValueError("the document must hold exactly one subscription operation")
    fields = [s for s in operations[0].selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != 1 or fields[0].name.value != "event" or fields[0].selection_set is None:
        raise ValueError("the subscription must select only the `event` field")
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    found: set[str] = set()
    pending = list(fields[0].selection_set.selections)
    while pending:
        selection = pending.pop()
        if isinstance(selection, InlineFragmentNode) and selection.type_condition is not None:
            if selection.type_condition.name.value == "Event":
                pending.extend(selection.selection_set.selections)
            else:
                found.add(event_name_of(selection.type_condition.name.value))
        elif isinstance(selection, FragmentSpreadNode):
            fragment = fragments[selection.name.value]
            condition = fragment.type_condition.name.value
            if condition == "Event":
                pending.extend(fragment.selection_set.selections)
            else:
                found.add(event_name_of(condition))
    if not found:
        raise ValueError("Can't find a single event in the subscription")
    return found


class AppInstaller:
    def __init__(
        self,
        store: ShopStore,
        schema: GraphQLSchema,
        client: httpx.AsyncClient,
        config: DevshopConfig,
        webhooks: WebhookDispatcher,
    ) -> None:
        self._store = store
        self._schema = schema
        self._client = client
        self._config = config
        self._webhooks = webhooks

    async def uninstall(self, requester: Requester, global_id: str) -> InstalledApp:
        """appDelete: APP_DELETED goes out (built while the app still exists), then the app is gone."""
        requester.require_any("MANAGE_APPS")
        try:
            _, pk = from_global_id(global_id, "App")
        except InvalidGlobalIdError as exc:
            raise ShopError("INVALID", str(exc), "id") from None
        app = self._store.apps.get(int(pk)) if pk.isdigit() else None
        if app is None:
            raise ShopError("NOT_FOUND", f"Couldn't resolve to a node: {global_id}", "id")
        await self._webhooks.publish(AppDeleted(app=app, issuing_principal=requester.principal))
        del self._store.apps[app.pk]
        return app

    async def install(self, manifest_url: str, permissions: list[str] | None = None) -> InstalledApp:
        """Saleor's app installation; raises ShopError (AppErrorCode names) when anything is wrong."""
        if not _is_http_url(manifest_url):
            raise ShopError("INVALID_URL_FORMAT", "Enter a valid URL.", "manifestUrl")
        manifest = await self._fetch_manifest(manifest_url)
        if self._store.app_by_identifier(manifest.id) is not None:
            raise ShopError("UNIQUE", f"App with the same identifier is already installed: {manifest.id}", "identifier")
        granted = self._permissions(manifest.permissions if permissions is None else permissions)
        webhooks = [self._webhook(position, hook) for position, hook in enumerate(manifest.webhooks)]
        token = secrets.token_urlsafe(30)
        app = InstalledApp(
            pk=self._store.next_pk("app"),
            identifier=manifest.id,
            name=manifest.name,
            version=manifest.version,
            permissions=granted,
            token_hash=hash_app_token(token),
            webhooks=webhooks,
            manifest_url=manifest_url,
            app_url=manifest.app_url,
            token_target_url=manifest.token_target_url,
            author=manifest.author,
            about=manifest.about,
            homepage_url=manifest.homepage_url,
            support_url=manifest.support_url,
            data_privacy_url=manifest.data_privacy_url,
        )
        # the app proves its token with `{ app { id } }` while registering, so it must exist by then
        self._store.apps[app.pk] = app
        try:
            await self._register(manifest.token_target_url, token)
        except ShopError:
            del self._store.apps[app.pk]
            raise
        return app

    async def _fetch_manifest(self, manifest_url: str) -> Manifest:
        try:
            response = await self._client.get(manifest_url, timeout=10.0, follow_redirects=False)
        except httpx.HTTPError as exc:
            raise ShopError(
                "MANIFEST_URL_CANT_CONNECT", f"Can't fetch the manifest: {type(exc).__name__}.", "manifestUrl"
            ) from None
        if response.status_code != 200:
            raise ShopError(
                "MANIFEST_URL_CANT_CONNECT",
                f"The manifest URL answered HTTP {response.status_code}.",
                "manifestUrl",
            )
        try:
            return Manifest.model_validate(response.json())
        except ValueError as exc:
            reason = describe_validation_error(exc) if isinstance(exc, ValidationError) else "not JSON"
            raise ShopError("INVALID_MANIFEST_FORMAT", f"Invalid manifest: {reason}", "manifestUrl") from None

    @staticmethod
    def _permissions(requested: list[str]) -> frozenset[str]:
        unknown = [p for p in requested if p not in PermissionEnum.__members__]
        if unknown:
            raise ShopError(
                "INVALID_PERMISSION", f"Given permissions don't exist: {', '.join(unknown)}.", "permissions"
            )
        return frozenset(requested)

    def _webhook(self, position: int, hook: ManifestWebhook) -> AppWebhook:
        where = f"webhooks[{position}] ({hook.name})"
        if not _is_http_url(hook.target_url):
            raise ShopError("INVALID_URL_FORMAT", f"{where}: targetUrl must be an http(s) URL.", "webhooks")
        for name in hook.sync_events:
            if name not in SYNC_EVENTS:
                raise ShopError("INVALID", f"{where}: sync event {name} is not one the devshop sends.", "webhooks")
        for name in hook.async_events:
            if name not in ASYNC_EVENTS:
                raise ShopError("INVALID", f"{where}: async event {name} is not one the devshop sends.", "webhooks")
        try:
            document = parse(hook.query)
        except GraphQLError as exc:
            raise ShopError("INVALID", f"{where}: Subscription query is not valid: {exc.message}", "webhooks") from None
        errors = validate(self._schema, document)
        if errors:
            details = "; ".join(sorted({e.message for e in errors}))
            raise ShopError("INVALID", f"{where}: Subscription query is not valid: {details}", "webhooks")
        try:
            selected = subscription_events(document)
        except ValueError as exc:
            raise ShopError("INVALID", f"{where}: {exc}", "webhooks") from None
        declared = set(hook.sync_events) | set(hook.async_events)
        if not declared:
            declared = selected
        missing = declared - selected
        if missing:
            # Saleor would send `{}` for these: refuse instead, so the app's bug shows at install
            raise ShopError(
                "INVALID",
                f"{where}: the query has no `... on` fragment for {', '.join(sorted(missing))}.",
                "webhooks",
            )
        return AppWebhook(
            pk=self._store.next_pk("webhook"),
            name=hook.name,
            target_url=hook.target_url,
            query=hook.query,
            document=document,
            sync_events=frozenset(declared & SYNC_EVENTS),
            async_events=frozenset(declared & ASYNC_EVENTS),
            is_active=hook.is_active,
        )

    async def _register(self, token_target_url: str, token: str) -> None:
        headers = {
            "Content-Type": "application/json",
            "User-Agent": f"Saleor/{self._config.schema_version}",
            "Saleor-Domain": self._config.domain,
            "Saleor-Api-Url": self._config.api_url,
            "Saleor-Schema-Version": self._config.schema_version,
            "X-Saleor-Domain": self._config.domain,
        }
        body: dict[str, Any] = {"auth_token": token}
        try:
            response = await self._client.post(
                token_target_url, content=json.dumps(body).encode(), headers=headers, timeout=20.0
            )
        except httpx.HTTPError as exc:
            raise ShopError("INVALID", f"Can't reach tokenTargetUrl: {type(exc).__name__}.", "tokenTargetUrl") from None
        if not 200 <= response.status_code < 300:
            raise ShopError(
                "INVALID",
                f"tokenTargetUrl refused the registration: HTTP {response.status_code}.",
                "tokenTargetUrl",
            )

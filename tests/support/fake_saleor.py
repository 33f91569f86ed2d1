"""A stand-in for Saleor's side of the app's own calls (JWKS, `app { id }`, transactionEventReport,
metadata, customers), as an httpx transport: every request is recorded for assertions."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.support.signing import SigningKey

SALEOR_API_URL = "https://shop.example.com/graphql/"
SALEOR_DOMAIN = "shop.example.com"
APP_ID = "QXBwOjQ="
APP_TOKEN = "app-token-NEVER-LOG-ME-5f3c9a"


@dataclass
class FakeSaleor:
    signing_key: SigningKey
    app_id: str = APP_ID
    app_token: str = APP_TOKEN
    graphql_calls: list[dict[str, Any]] = field(default_factory=list)
    jwks_fetches: int = 0
    private_metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    # users Saleor knows (id -> e-mail); `customers` lists them all, with or without metadata, as Saleor does
    users: dict[str, str] = field(default_factory=dict)
    reported_events: list[dict[str, Any]] = field(default_factory=list)
    # while True, the GraphQL API answers 503 (Saleor down or being upgraded)
    unavailable: bool = False
    # the shop's channels: slug -> (name, currency, transaction flow strategy)
    channels: dict[str, tuple[str, str, str]] = field(
        default_factory=lambda: {
            "default-channel": ("Default channel", "JPY", "CHARGE"),
            "second-channel": ("Second (authorise only)", "JPY", "AUTHORIZATION"),
            "us-channel": ("United States", "USD", "CHARGE"),
        }
    )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/jwks.json":
            self.jwks_fetches += 1
            return httpx.Response(200, json=self.signing_key.jwks())
        if self.unavailable:
            return httpx.Response(503, text="Service Unavailable")
        if request.headers.get("authorization") != f"Bearer {self.app_token}":
            return httpx.Response(401, json={"errors": [{"message": "invalid token"}]})
        body = json.loads(request.content)
        query: str = body["query"]
        variables: dict[str, Any] = body.get("variables") or {}
        self.graphql_calls.append({"query": query, "variables": variables})
        return httpx.Response(200, json={"data": self._answer(query, variables)})

    def _answer(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if "transactionEventReport" in query:
            duplicate = any(
                event["variables"].get("pspReference") == variables.get("pspReference")
                and event["variables"].get("type") == variables.get("type")
                and event["variables"].get("amount") == variables.get("amount")
                for event in self.reported_events
            )
            self.reported_events.append({"variables": variables})
            return {
                "transactionEventReport": {
                    "alreadyProcessed": duplicate,
                    "transactionEvent": {"id": f"event-{len(self.reported_events)}"},
                    "errors": [],
                }
            }
        if "updatePrivateMetadata" in query:
            item = self.private_metadata.setdefault(variables["id"], {})
            for entry in variables.get("input", []):
                item[entry["key"]] = entry["value"]
            return {"updatePrivateMetadata": {"errors": []}}
        if "customers" in query:
            user_ids = list(dict.fromkeys([*self.users, *self.private_metadata]))
            edges = [
                {
                    "node": {
                        "id": user_id,
                        "email": self.users.get(user_id, f"{user_id.lower().strip('=')}@example.com"),
                        "privateMetadata": [
                            {"key": k, "value": v} for k, v in self.private_metadata.get(user_id, {}).items()
                        ],
                    }
                }
                for user_id in user_ids
            ]
            return {"customers": {"edges": edges, "pageInfo": {"hasNextPage": False, "endCursor": None}}}
        if "query Channels" in query:
            return {
                "channels": [
                    {
                        "slug": slug,
                        "name": name,
                        "currencyCode": currency,
                        "isActive": True,
                        "paymentSettings": {"defaultTransactionFlowStrategy": flow},
                    }
                    for slug, (name, currency, flow) in self.channels.items()
                ]
            }
        if "app" in query:
            return {"app": {"id": self.app_id}}
        raise AssertionError(f"unexpected Saleor call: {query[:80]}")

"""POSTing a signed webhook body with Saleor's headers and reading the answer."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx

from ..config import DevshopConfig
from ..keys import SigningKey

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    """One attempt: the HTTP status (None when nothing came back) and the JSON answer if usable."""

    event_type: str
    target_url: str
    status_code: int | None
    answer: Any | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        return self.error is None


class WebhookTransport:
    def __init__(self, client: httpx.AsyncClient, key: SigningKey, config: DevshopConfig) -> None:
        self._client = client
        self._key = key
        self._config = config

    def headers(self, event_type: str, body: bytes) -> dict[str, str]:
        signature = self._key.sign_webhook(body)
        event = event_type.lower()
        domain = self._config.domain
        return {
            "User-Agent": f"Saleor/{self._config.schema_version}",
            "Content-Type": "application/json",
            "X-Saleor-Event": event,
            "X-Saleor-Domain": domain,
            "X-Saleor-Signature": signature,
            "Saleor-Event": event,
            "Saleor-Domain": domain,
            "Saleor-Signature": signature,
            "Saleor-Api-Url": self._config.api_url,
        }

    async def post(self, event_type: str, target_url: str, body: bytes, limits: httpx.Timeout) -> Delivery:
        try:
            # Saleor does not follow redirects: the target URL must be the exact route
            response = await self._client.post(
                target_url,
                content=body,
                headers=self.headers(event_type, body),
                timeout=limits,
                follow_redirects=False,
            )
        except httpx.HTTPError as exc:
            logger.info("webhook %s to %s failed: %s", event_type, target_url, type(exc).__name__)
            return Delivery(event_type, target_url, None, None, f"Request failed: {type(exc).__name__}")
        if not 200 <= response.status_code < 300:
            logger.info("webhook %s to %s answered %s", event_type, target_url, response.status_code)
            return Delivery(event_type, target_url, response.status_code, None, f"HTTP {response.status_code}")
        try:
            answer = json.loads(response.content)
        except ValueError:
            return Delivery(event_type, target_url, response.status_code, None, "The answer is not JSON")
        return Delivery(event_type, target_url, response.status_code, answer, None)

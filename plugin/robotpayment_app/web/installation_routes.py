"""Installation: the manifest Saleor reads and the register call that hands the app its token."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from robotpayment_app.saleor.graphql_client import app_id_fetcher, jwks_fetcher
from robotpayment_app.saleor.manifest import MANIFEST_PATH, REGISTER_PATH, build_manifest
from robotpayment_app.saleor.registration import RegisterApp
from robotpayment_app.web.services import AppServices

logger = logging.getLogger(__name__)

MAX_REGISTER_BODY_BYTES = 16 * 1024

router = APIRouter()


@router.get(MANIFEST_PATH, include_in_schema=False)
async def manifest(request: Request) -> JSONResponse:
    services: AppServices = request.app.state.services
    return JSONResponse(build_manifest(services.settings.public_url))


def _register_use_case(services: AppServices) -> RegisterApp:
    settings = services.settings

    async def save_installation(
        *, api_url: str, domain: str, token: str, app_id: str, jwks: Mapping[str, Any]
    ) -> None:
        await services.store.installations.upsert(
            saleor_api_url=api_url, domain=domain, app_id=app_id, app_token=SecretStr(token), jwks=jwks
        )
        logger.info("app installed", extra={"saleor_api_url": api_url, "app_id": app_id})

    return RegisterApp(
        allowlist=settings.saleor_url_allowlist(),
        fetch_app_id=app_id_fetcher(services.saleor_http, services.saleor_operations),
        fetch_jwks=jwks_fetcher(services.saleor_http),
        save_installation=save_installation,
    )


@router.post(REGISTER_PATH, include_in_schema=False)
async def register(request: Request) -> JSONResponse:
    services: AppServices = request.app.state.services
    body = await request.body()
    auth_token: str | None = None
    if len(body) <= MAX_REGISTER_BODY_BYTES:
        try:
            parsed = json.loads(body)
        except (UnicodeDecodeError, ValueError):
            parsed = None
        if isinstance(parsed, dict) and isinstance(parsed.get("auth_token"), str):
            auth_token = parsed["auth_token"]
    answer = await _register_use_case(services)(
        saleor_api_url=request.headers.get("saleor-api-url"),
        saleor_domain=request.headers.get("saleor-domain"),
        auth_token=auth_token,
    )
    if not answer.success:
        logger.warning(
            "installation refused",
            extra={"saleor_api_url": request.headers.get("saleor-api-url"), "code": answer.error_code},
        )
    return JSONResponse(answer.to_json(), status_code=answer.status_code)

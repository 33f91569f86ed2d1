"""Installation: the manifest Saleor reads and the register call that hands the app its token."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import SecretStr

from robotpayment_app.saleor.graphql_client import app_id_fetcher, jwks_fetcher
from robotpayment_app.saleor.manifest import MANIFEST_PATH, REGISTER_PATH, build_manifest
from robotpayment_app.saleor.registration import RegisterApp, RegistrationAnswer
from robotpayment_app.web.body_limits import BodyLimit
from robotpayment_app.web.json_body import InvalidJson, JsonTooDeep, parse_json
from robotpayment_app.web.services import AppServices

logger = logging.getLogger(__name__)


def _answer(answer: RegistrationAnswer) -> JSONResponse:
    return JSONResponse(answer.to_json(), status_code=answer.status_code)


MAX_REGISTER_BODY_BYTES = 16 * 1024
# enforced while the body is read (web/body_limits.py), refused in Saleor's register answer shape
BODY_LIMIT = BodyLimit(
    MAX_REGISTER_BODY_BYTES, refusal=lambda reason: _answer(RegistrationAnswer(413, "BODY_TOO_LARGE", reason))
)

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
    try:
        parsed = parse_json(await request.body())
    except JsonTooDeep as too_deep:
        return _answer(RegistrationAnswer(400, "INVALID_BODY", f"The body is {too_deep.reason}."))
    except InvalidJson:
        parsed = None  # the use case names what is missing: a JSON body with a string auth_token
    auth_token = parsed.get("auth_token") if isinstance(parsed, dict) else None
    answer = await _register_use_case(services)(
        saleor_api_url=request.headers.get("saleor-api-url"),
        saleor_domain=request.headers.get("saleor-domain"),
        auth_token=auth_token if isinstance(auth_token, str) else None,
    )
    if not answer.success:
        logger.warning(
            "installation refused",
            extra={"saleor_api_url": request.headers.get("saleor-api-url"), "code": answer.error_code},
        )
    return _answer(answer)

"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers too).

Readiness is probed every few seconds by every load balancer and orchestrator: it makes one indexed lookup
that finds nothing (no rows read, no secrets decrypted), bounded in time so that a hung database makes the
probe fail rather than hang. On SQLite it first checks that the file is still the one the app opened at start:
open connections keep answering from a deleted file (and from their page cache after the file was overwritten),
so the lookup alone would pass while every write went nowhere.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from robotpayment_app.store.database import DatabaseFileError
from robotpayment_app.web.services import AppServices

router = APIRouter()

READINESS_TIMEOUT_SECONDS = 2.0
# No Saleor API URL is empty: the lookup reaches the installations table (so the schema exists) and returns none.
_NO_SUCH_INSTALLATION = ""


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    services: AppServices = request.app.state.services
    try:
        if services.database_file is not None:
            services.database_file.check()
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            await services.store.installations.get_by_api_url(_NO_SUCH_INSTALLATION)
    except DatabaseFileError as error:
        return JSONResponse({"status": "unavailable", "database": error.problem}, status_code=503)
    except TimeoutError:
        return JSONResponse({"status": "unavailable", "database": "timeout"}, status_code=503)
    except Exception as error:  # any database failure means "not ready"; the reason is for operators
        return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})

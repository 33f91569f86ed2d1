"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers too)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from robotpayment_app.web.services import AppServices

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    return JSONResponse({"status": "ok"})


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    services: AppServices = request.app.state.services
    try:
        await services.store.installations.list_all()
    except Exception as error:  # any database failure means "not ready"; the reason is for operators
        return JSONResponse({"status": "unavailable", "database": type(error).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})

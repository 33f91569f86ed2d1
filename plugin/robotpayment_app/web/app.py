"""The app factory: settings in, a FastAPI application out (no globals; tests build as many as they like)."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from fastapi import FastAPI

from robotpayment_app import __version__
from robotpayment_app.flows.context import EventHandler
from robotpayment_app.flows.registry import HANDLERS
from robotpayment_app.flows.unresolved_watch import UnresolvedWatch
from robotpayment_app.saleor.manifest import REGISTER_PATH
from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent
from robotpayment_app.settings import AppSettings, load_settings
from robotpayment_app.web import config_api, health_routes, installation_routes, public_pages, webhook_routes
from robotpayment_app.web.body_limits import BodyLimit, BodyLimitMiddleware
from robotpayment_app.web.config_api import CONFIG_API_PATH, config_api_router
from robotpayment_app.web.dashboard import dashboard_router
from robotpayment_app.web.kickback_routes import kickback_router
from robotpayment_app.web.metrics import AppMetrics, metrics_router, timed_gateway_client
from robotpayment_app.web.observability import ObservabilityMiddleware, configure_logging
from robotpayment_app.web.services import AppServices, open_services

ServicesFactory = Callable[[AppSettings], AbstractAsyncContextManager[AppServices]]


def body_limits() -> dict[str, BodyLimit]:
    """The routes that read a body, by path, with their limits; every other path gets the default one."""
    return {
        REGISTER_PATH: installation_routes.BODY_LIMIT,
        CONFIG_API_PATH: config_api.router.BODY_LIMIT,
        **{hook.path: webhook_routes.BODY_LIMIT for hook in WEBHOOKS},
    }


def create_app(
    settings: AppSettings | None = None,
    *,
    services_factory: ServicesFactory = open_services,
    handlers: Mapping[SaleorEvent, EventHandler] = HANDLERS,
    freeze_startup_objects: bool = False,
) -> FastAPI:
    """`freeze_startup_objects`: once started, exempt every object alive from garbage collection (`gc.freeze`).
    For a server process (`create_app_from_environment`); tests build many apps in one process and leave it off."""
    resolved = settings or load_settings()
    metrics = AppMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with services_factory(resolved) as services:
            untimed = services.gateway_http
            services.gateway_http = timed_gateway_client(untimed, metrics)
            app.state.services = services
            if freeze_startup_objects:
                # what start-up built (modules, schemas, the ORM's and strawberry's tables) lives as long as the
                # process: kept out of the collector's full passes, which paused a worker long enough to make the
                # saved-card list's p99 at concurrency 50 135 ms instead of 1 ms (docs/evidence.md)
                gc.collect()
                gc.freeze()
            # settles held notifications, retries reports to Saleor, flags what needs a person
            stop_watch = asyncio.Event()
            watch = asyncio.create_task(UnresolvedWatch(services).run(stop_watch), name="unresolved-watch")
            try:
                yield
            finally:
                stop_watch.set()
                await asyncio.wait({watch}, timeout=10)
                watch.cancel()  # a round still waiting on the database or Saleor after that is abandoned
                with contextlib.suppress(asyncio.CancelledError):
                    await watch
                await services.gateway_http.aclose()
                services.gateway_http = untimed

    app = FastAPI(
        title="ROBOT PAYMENT for Saleor",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Starlette would answer `/dashboard/` with a redirect to an absolute URL built from the Host header: no
        # address is taken from a request (only ROBOTPAYMENT_APP_PUBLIC_URL makes absolute URLs), and every URL
        # the app hands out is exact, so a path that is not a route is a 404
        redirect_slashes=False,
    )
    app.state.metrics = metrics
    app.add_middleware(BodyLimitMiddleware, limits=body_limits())
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)  # added last: the outermost, it sees every answer
    app.include_router(metrics_router())
    app.include_router(health_routes.router)
    app.include_router(installation_routes.router)
    app.include_router(public_pages.router)
    app.include_router(webhook_routes.webhook_router(handlers))
    app.include_router(kickback_router())
    app.include_router(config_api_router())
    app.include_router(dashboard_router())
    return app


def create_app_from_environment() -> FastAPI:
    """Factory for `uvicorn --factory` and the `serve` command (settings from ROBOTPAYMENT_APP_*); the process's
    logging is configured here, once, from ROBOTPAYMENT_APP_LOG_LEVEL."""
    settings = load_settings()
    configure_logging(settings.log_level)
    return create_app(settings, freeze_startup_objects=True)

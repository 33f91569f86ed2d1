"""The devshop as an ASGI app: Saleor's GraphQL API at /graphql/ and its JWKS."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from strawberry.fastapi import GraphQLRouter

from .config import DevshopConfig
from .context import DevshopContext
from .shop import Devshop


def create_devshop_app(config: DevshopConfig, *, devshop: Devshop | None = None) -> FastAPI:
    """Build the app; `app.state.devshop` is the Devshop (state, services, `install_app`)."""
    shop = devshop if devshop is not None else Devshop(config)

    async def context_getter(request: Request) -> DevshopContext:
        requester = shop.accounts.authenticate(request.headers.get("authorization"))
        return shop.context(requester, request.client.host if request.client else None)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await shop.aclose()

    app = FastAPI(title="devshop (Saleor-compatible)", lifespan=lifespan, docs_url=None, redoc_url=None)
    # storefront pages on other origins call the API from the browser, as with Saleor
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(config.allowed_graphql_origins),
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type"],
    )
    app.include_router(GraphQLRouter(shop.schema, path="/graphql/", context_getter=context_getter))

    @app.get("/.well-known/jwks.json")
    def jwks() -> dict[str, Any]:
        return shop.key.jwks()

    app.state.devshop = shop
    return app

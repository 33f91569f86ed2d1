"""The merchant's page inside Saleor's dashboard (the manifest's `appUrl`, `GET /dashboard`).

A static page and a few ES modules, nothing from a CDN. With Saleor's own App Bridge (`static/app_bridge.js`, which
./dev builds from `frontend_dashboard/` with @saleor/app-sdk, committed like the hand-written files) the page performs
the handshake with the dashboard that frames it, and talks to the configuration API (`POST /graphql`) with the token
it receives. Mount with `app.include_router(dashboard_router())`.
"""

from robotpayment_app.web.dashboard.routes import DASHBOARD_ASSETS_PATH, dashboard_router

__all__ = ["DASHBOARD_ASSETS_PATH", "dashboard_router"]

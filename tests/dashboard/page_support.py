"""Opening the app page inside the stand-in dashboard, and what every page test checks on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from playwright.async_api import BrowserContext, FrameLocator, Page, Request

from tests.dashboard.servers import RunningApp, SaleorStandIn, Scenario

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@dataclass
class DashboardBrowser:
    """A fresh browser context and page, recording script errors and the app's API calls."""

    context: BrowserContext
    page: Page
    errors: list[str] = field(default_factory=list)
    api_requests: list[Request] = field(default_factory=list)

    @property
    def overview_requests(self) -> list[Request]:
        """The page's loads (its first query), leaving out the shop-channel list it asks for after one."""
        return [request for request in self.api_requests if "DashboardOverview" in (request.post_data or "")]

    def watch(self) -> None:
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

        def record(request: Request) -> None:
            if request.url.split("?", 1)[0].endswith("/graphql") and request.method == "POST":
                self.api_requests.append(request)

        self.page.on("request", record)

    async def open(
        self,
        app: RunningApp,
        saleor: SaleorStandIn,
        *,
        token: str | None,
        theme: str = "light",
        locale: str = "en",
        from_origin: str | None = None,
        through: str | None = None,
        referrer_policy: str | None = None,
        sandbox: str | None = None,
        page_url: str | None = None,
    ) -> FrameLocator:
        """Load the stand-in dashboard (from the shop's dashboard origin, unless `from_origin`), which frames the
        app page (through a page of `through` that opens it, when given) as Saleor's dashboard does: `theme` in the
        address, then the handshake with `token`, localeChanged with `locale` and the theme."""
        saleor.scenario = Scenario(
            page_url or app.page_url(theme=theme),
            token,
            locale=locale,
            theme=theme,
            hop_origin=through,
            referrer_policy=referrer_policy,
            sandbox=sandbox,
        )
        await self.page.goto(f"{from_origin or saleor.dashboard_origin}/dashboard/apps/app")
        return self.page.frame_locator("#app-frame")

    async def screenshot(self, name: str) -> None:
        # the viewport holds the whole framed page: a full-page capture re-lays out the cross-origin frame and
        # can catch it unpainted
        await self.page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"))

"""Setting up the installed app the way a merchant does, over HTTP only.

A staff user signs in to the devshop, asks it for the dashboard token of the installed app (what Saleor's
dashboard hands the app's page), and with that token saves the channel's settings through the app's own
configuration API and reads the kickback URL the gateway must be given. Nothing here reaches into the app's
database: what works here works from the dashboard page too.
"""

from __future__ import annotations

from typing import Any

import httpx

from robotpayment_app.store.records import ChannelSettings


class ProvisioningError(Exception):
    """A step of the set-up was refused; the message names the step and the reason (never a token)."""


async def _graphql(
    http: httpx.AsyncClient, url: str, step: str, query: str, variables: dict[str, Any], headers: dict[str, str]
) -> dict[str, Any]:
    try:
        response = await http.post(url, json={"query": query, "variables": variables}, headers=headers)
    except httpx.HTTPError as error:
        raise ProvisioningError(f"{step}: {url} unreachable ({type(error).__name__})") from None
    try:
        body = response.json()
    except ValueError:
        raise ProvisioningError(f"{step}: HTTP {response.status_code}, not a GraphQL answer") from None
    if not isinstance(body, dict):
        raise ProvisioningError(f"{step}: HTTP {response.status_code}, not a GraphQL answer")
    errors = body.get("errors")
    if errors:
        raise ProvisioningError(f"{step}: {errors[0].get('message', errors[0])}")
    if response.status_code != 200 or not isinstance(body.get("data"), dict):
        raise ProvisioningError(f"{step}: HTTP {response.status_code}")
    data: dict[str, Any] = body["data"]
    return data


_TOKEN_CREATE = """mutation DemoSignIn($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token errors { field message } }
}"""  # noqa: S105 (a GraphQL document, not a password)

_APP_ACCESS_TOKEN = "query DemoDashboardToken($id: ID!) { app(id: $id) { accessToken } }"  # noqa: S105

_SAVE_CHANNEL = """mutation DemoSaveChannel($slug: String!, $input: ChannelConfigurationInput!) {
  saveChannelConfiguration(channelSlug: $slug, input: $input) {
    configuration { channelSlug }
    errors { field message }
  }
}"""

_KICKBACK_URL = "query DemoKickbackUrl { kickbackUrl }"


async def sign_in(http: httpx.AsyncClient, saleor_api_url: str, email: str, password: str) -> str:
    """A user's access token from the devshop (`tokenCreate`)."""
    data = await _graphql(
        http, saleor_api_url, f"sign in as {email}", _TOKEN_CREATE, {"email": email, "password": password}, {}
    )
    result = data["tokenCreate"]
    if not result["token"]:
        reason = result["errors"][0]["message"] if result["errors"] else "no token"
        raise ProvisioningError(f"sign in as {email}: {reason}")
    token: str = result["token"]
    return token


async def dashboard_token(http: httpx.AsyncClient, saleor_api_url: str, staff_token: str, app_id: str) -> str:
    """The token Saleor's dashboard hands the app's page (`App.accessToken`), for a signed-in staff user."""
    data = await _graphql(
        http,
        saleor_api_url,
        "dashboard token",
        _APP_ACCESS_TOKEN,
        {"id": app_id},
        {"Authorization": f"Bearer {staff_token}"},
    )
    app = data.get("app")
    if not app or not app.get("accessToken"):
        raise ProvisioningError("dashboard token: the devshop gave none (is the user staff, the app installed?)")
    token: str = app["accessToken"]
    return token


def channel_configuration_input(settings: ChannelSettings) -> dict[str, Any]:
    """`ChannelSettings` as the configuration API's `ChannelConfigurationInput` (GraphQL enum names)."""
    method_names = {"10": "LUMP_SUM", "61": "INSTALLMENTS", "80": "REVOLVING"}
    return {
        "storeId": settings.store_id,
        "gatewayBaseUrl": settings.gateway_base_url,
        "jobType": settings.job_type.name,
        "tokenMode": settings.token_mode.name,
        "paymentMethods": [method_names[method.value] for method in settings.payment_methods],
        "installmentCounts": list(settings.installment_counts),
        "productMode": settings.product_mode,
        "productCodeMetadataKey": settings.product_code_metadata_key,
        "saveCardsAllowed": settings.save_cards_allowed,
        "cvvRequired": settings.cvv_required,
        "splitTaxAndShipping": settings.split_tax_and_shipping,
    }


class ConfigurationApi:
    """The app's configuration API (`<app>/graphql`) as the dashboard page calls it."""

    def __init__(self, http: httpx.AsyncClient, app_url: str, saleor_api_url: str, token: str) -> None:
        self._http = http
        self._url = app_url.rstrip("/") + "/graphql"
        self._headers = {"Authorization": f"Bearer {token}", "Saleor-Api-Url": saleor_api_url}

    def __repr__(self) -> str:
        return f"ConfigurationApi(url={self._url!r})"

    async def save_channel(self, channel_slug: str, settings: ChannelSettings) -> None:
        variables = {"slug": channel_slug, "input": channel_configuration_input(settings)}
        step = f"configure channel {channel_slug}"
        data = await _graphql(self._http, self._url, step, _SAVE_CHANNEL, variables, self._headers)
        errors = data["saveChannelConfiguration"]["errors"]
        if errors:
            raise ProvisioningError(f"{step}: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors))

    async def kickback_url(self) -> str:
        data = await _graphql(self._http, self._url, "kickback URL", _KICKBACK_URL, {}, self._headers)
        url: str = data["kickbackUrl"]
        return url

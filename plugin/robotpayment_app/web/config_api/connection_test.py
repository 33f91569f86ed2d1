"""The connection test: one harmless gateway call, explained in words a merchant can act on.

The call reads a gateway customer (carduser.aspx cmd 3) whose id cannot exist. It moves no money and changes
nothing, yet the gateway checks on the way the caller's IP address (ER003), the store id (ER004) and the
store's contract before it looks for the customer, so a "no such customer" answer proves all of them.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from robotpayment_app.gateway import (
    CustomerLookup,
    ErrorEntry,
    Fixer,
    GatewayAnswerError,
    GatewayOutcomeUnknown,
    GatewayRejected,
    GatewayUnavailable,
    RobotPaymentClient,
)
from robotpayment_app.web.config_api.types import ConnectionStatus

# The answer to a read of a customer that does not exist. The sandbox answers ER021; the real gateway's code
# for it is not documented [inferred]: add it here when seen.
CUSTOMER_NOT_FOUND_CODES = frozenset({"ER021"})
IP_NOT_ALLOWED_CODES = frozenset({"ER003"})
UNKNOWN_STORE_CODES = frozenset({"ER004", "ER050"})
TOKEN_PAYMENTS_CODES = frozenset({"ER564", "ER565", "ER567"})
SUSPENDED_CODES = frozenset({"ER998"})

CONTROL_PANEL = "the ROBOT PAYMENT control panel (管理画面)"
IP_ADVICE = (
    f"In {CONTROL_PANEL}, add the public IP address this app's server uses for outgoing connections to the "
    "allowed source IPs (決済データ送信元IP). Behind NAT, a proxy, a container platform or a cloud load "
    "balancer that is the shared egress (NAT gateway) address, not the server's private address; if your "
    "host has no fixed egress IP, ask it for a static one. Then run the test again."
)


@dataclass(frozen=True)
class ConnectionVerdict:
    status: ConnectionStatus
    message: str
    advice: str | None = None
    error_code: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is ConnectionStatus.OK


def probe_customer_id() -> str:
    """A customer id no shop has registered: letters and digits, random each time."""
    return "rpcheck" + secrets.token_hex(12)


async def run_connection_test(client: RobotPaymentClient, store_id: str) -> ConnectionVerdict:
    """Call the gateway at `client.base_url` as store `store_id` once and say what the answer means."""
    gateway = client.base_url
    try:
        await client.read_customer(CustomerLookup(store_id=store_id, customer_id=probe_customer_id()))
    except GatewayRejected as refusal:
        return explain_refusal(refusal.entry, store_id=store_id)
    except GatewayUnavailable as failure:
        if failure.status_code is None:
            return ConnectionVerdict(
                ConnectionStatus.UNREACHABLE,
                f"Could not connect to {_host(gateway)} ({failure.reason}).",
                "Check the gateway base URL, and that this server may open outgoing HTTPS connections "
                "(firewall, proxy, DNS).",
            )
        return _not_a_gateway(gateway, f"answered HTTP {failure.status_code}")
    except GatewayOutcomeUnknown as failure:
        if failure.status_code is not None:
            return ConnectionVerdict(
                ConnectionStatus.GATEWAY_BUSY,
                f"{_host(gateway)} answered HTTP {failure.status_code} (a server error).",
                "The gateway may be under maintenance; try again later. If it persists, check the base URL.",
            )
        return ConnectionVerdict(
            ConnectionStatus.UNREACHABLE,
            f"{_host(gateway)} did not answer in time ({failure.reason}).",
            "Check the gateway base URL and this server's outgoing connections (firewall, proxy); the gateway "
            "may also be under maintenance.",
        )
    except GatewayAnswerError:
        return _not_a_gateway(gateway, "answered, but not in the ROBOT PAYMENT gateway's format")
    return ConnectionVerdict(
        ConnectionStatus.OK,
        f"Connected: the gateway at {_host(gateway)} accepted this server and store id {store_id}.",
    )


def explain_refusal(entry: ErrorEntry, *, store_id: str) -> ConnectionVerdict:
    """What a refusal of the probe means for the merchant's set-up."""
    code = entry.code
    named = f"{code} ({entry.japanese}: {entry.english})"
    if code in CUSTOMER_NOT_FOUND_CODES:
        return ConnectionVerdict(
            ConnectionStatus.OK,
            f"Connected: the gateway accepted this server and store id {store_id} (it answered {code}, "
            '"no such customer", as expected for the test).',
            error_code=code,
        )
    if code in IP_NOT_ALLOWED_CODES:
        return ConnectionVerdict(
            ConnectionStatus.IP_NOT_ALLOWED,
            f"The gateway refused this server's IP address: {named}.",
            IP_ADVICE,
            code,
        )
    if code in UNKNOWN_STORE_CODES:
        return ConnectionVerdict(
            ConnectionStatus.UNKNOWN_STORE,
            f"The gateway does not know store id {store_id}: {named}.",
            f"Copy the store id (店舗ID, six digits) from {CONTROL_PANEL}. A test store has its own store id "
            "on the same gateway address.",
            code,
        )
    if code in TOKEN_PAYMENTS_CODES:
        return ConnectionVerdict(
            ConnectionStatus.TOKEN_PAYMENTS_NOT_ENABLED,
            f"Store {store_id} cannot take token card payments yet: {named}.",
            "Ask ROBOT PAYMENT to enable token payments (トークン決済) with 3-D Secure for this store and to "
            "issue its token keys; card payments through this app cannot work until then.",
            code,
        )
    if code in SUSPENDED_CODES:
        return ConnectionVerdict(
            ConnectionStatus.ACCOUNT_SUSPENDED,
            f"The gateway says store {store_id} is suspended: {named}.",
            "Contact ROBOT PAYMENT about the store's account.",
            code,
        )
    if entry.fixer is Fixer.RETRY_LATER:
        return ConnectionVerdict(
            ConnectionStatus.GATEWAY_BUSY,
            f"The gateway is busy or under maintenance: {named}.",
            "Try again in a few minutes.",
            code,
        )
    return ConnectionVerdict(
        ConnectionStatus.REFUSED,
        f"The gateway answered, but refused the test call: {named}.",
        f"Check the store's settings in {CONTROL_PANEL}, or ask ROBOT PAYMENT what {code} means for this store.",
        code,
    )


def _not_a_gateway(base_url: str, what: str) -> ConnectionVerdict:
    return ConnectionVerdict(
        ConnectionStatus.NOT_A_GATEWAY,
        f"{base_url} {what}: it does not look like the ROBOT PAYMENT gateway.",
        "The base URL is the folder holding the gateway's pages, e.g. https://credit.j-payment.co.jp/gateway/ "
        "(with /gateway/ at the end).",
    )


def _host(base_url: str) -> str:
    return urlsplit(base_url).netloc or base_url

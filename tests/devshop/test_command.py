"""`python -m robotpayment_app.devshop`: serves, prints its URL and accounts, and stops on Ctrl+C."""

from __future__ import annotations

import signal
import subprocess
import sys

import httpx


def _read_banner(process: subprocess.Popen[str]) -> dict[str, str]:
    banner: dict[str, str] = {}
    assert process.stdout is not None
    while "channel" not in banner:
        line = process.stdout.readline()
        assert line, "the devshop exited before printing its banner"
        key, _, value = line.strip().partition(": ")
        banner[key] = value
    return banner


def test_the_command_serves_and_prints_what_the_demo_needs() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "robotpayment_app.devshop", "--port", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        banner = _read_banner(process)
        api_url = banner["saleor"]
        assert api_url.startswith("http://127.0.0.1:") and api_url.endswith("/graphql/")
        email, password = banner["shopper"].split(" ")
        assert email == "shopper@example.com" and password.isalnum() and len(password) == 16
        assert banner["staff"].startswith("staff@example.com ")
        assert banner["channel"] == "default-channel"
        # the socket is bound before the banner, so connections wait in the backlog until uvicorn serves
        jwks = httpx.get(api_url.replace("/graphql/", "/.well-known/jwks.json"), timeout=10.0)
        assert jwks.json()["keys"][0]["alg"] == "RS256"
        signed_in = httpx.post(
            api_url,
            json={
                "query": "mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { token } }",
                "variables": {"e": email, "p": password},
            },
            timeout=5.0,
        ).json()
        assert signed_in["data"]["tokenCreate"]["token"]
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0

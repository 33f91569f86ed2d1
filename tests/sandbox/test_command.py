"""`robotpayment-app sandbox`: its help, its options, and a real process serving the gateway."""

from __future__ import annotations

import subprocess
import sys

import httpx

from robotpayment_app.cli import build_parser
from robotpayment_app.sandbox.command import config_from_args

OPTIONS = (
    "--host",
    "--port",
    "--store",
    "--allow-ip",
    "--allow-origin",
    "--kickback-url",
    "--token-ttl",
    "--slow-delay",
    "--kickback-attempts",
    "--kickback-backoff",
    "--cvv-required",
    "--no-token-payments",
    "--no-instalments",
    "--no-revolving",
    "--crlf",
    "--bulk-answer-layout",
    "--empty-free-data-field",
    "--lenient-fields",
    "--log-level",
)


def test_help_documents_every_option() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "robotpayment_app.cli", "sandbox", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    for option in OPTIONS:
        assert option in done.stdout
    assert "127.0.0.1" in done.stdout and "000000" in done.stdout


def test_options_become_the_sandbox_configuration() -> None:
    args = build_parser().parse_args(
        [
            "sandbox",
            "--store",
            "000000",
            "--store",
            "123456",
            "--allow-ip",
            "10.0.0.5",
            "--kickback-url",
            "http://127.0.0.1:8000/kickback",
            "--token-ttl",
            "60",
            "--no-instalments",
            "--crlf",
        ]
    )
    config = config_from_args(args)
    assert [store.store_id for store in config.stores] == ["000000", "123456"]
    assert all(store.kickback_url == "http://127.0.0.1:8000/kickback" for store in config.stores)
    assert not config.stores[1].instalments and config.stores[1].revolving
    assert config.allowed_ips == ("10.0.0.5",)
    assert config.token_ttl_seconds == 60 and config.line_ending == "\r\n"
    defaults = config_from_args(build_parser().parse_args(["sandbox"]))
    assert [s.store_id for s in defaults.stores] == ["000000"] and defaults.allowed_ips == ("127.0.0.1", "::1")


def test_answer_form_and_leniency_options() -> None:
    args = build_parser().parse_args(
        ["sandbox", "--bulk-answer-layout", "sample", "--empty-free-data-field", "--lenient-fields"]
    )
    config = config_from_args(args)
    assert (config.bulk_answer_layout, config.empty_free_data_field, config.lenient_fields) == ("sample", True, True)
    defaults = config_from_args(build_parser().parse_args(["sandbox"]))
    assert (defaults.bulk_answer_layout, defaults.empty_free_data_field, defaults.lenient_fields) == (
        "table",
        False,
        False,
    )


def test_the_command_serves_the_gateway_on_the_port_it_prints() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "robotpayment_app.cli", "sandbox", "--port", "0", "--log-level", "warning"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("gateway: http://127.0.0.1:")
        gateway = first_line.split(" ", 1)[1].strip()
        answer = httpx.post(gateway + "carduser.aspx", data={"aid": "000000", "cmd": "0", "uid": "u1", "pn": "0311"})
        assert answer.text.startswith("1,,u1,")
    finally:
        process.terminate()
        process.wait(timeout=30)

"""`robotpayment-app sandbox`: run the local ROBOT PAYMENT gateway double."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from robotpayment_app.sandbox.config import DEFAULT_STORE_ID, LOCAL_ORIGINS, LOOPBACK_IPS


def add_command(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "sandbox",
        help="run the local ROBOT PAYMENT sandbox gateway",
        description=(
            "Serve a stateful double of ROBOT PAYMENT's card gateway: the real paths under /gateway/ "
            "(carduser.aspx, carduser_token.aspx, gateway_token.aspx, onetouch.aspx, gateway.aspx, "
            "js/CPToken.js, js/EMV3DSAdapter.js, js/jquery.js) and test controls under /sandbox/ "
            "(payments, customers, kickbacks, cards, faults, reset)."
        ),
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    add("--port", type=int, default=8900, help="port to listen on, 0 for any free port (default: %(default)s)")
    add("--store", action="append", metavar="AID", help=f"store ID, repeatable (default: {DEFAULT_STORE_ID})")
    add(
        "--allow-ip",
        action="append",
        metavar="IP",
        help="source IP allowed to call the .aspx pages, others get ER003; repeatable "
        f"(default: {' '.join(LOOPBACK_IPS)})",
    )
    add(
        "--allow-origin",
        action="append",
        metavar="PATTERN",
        help="page origin allowed to use CPToken.js and EMV3DSAdapter.js, '*' matching a port; repeatable "
        f"(default: {' '.join(LOCAL_ORIGINS)})",
    )
    add("--kickback-url", metavar="URL", help="result notification URL of every store (default: none)")
    add(
        "--kickback-for-rt1",
        action="store_true",
        help="also send result notifications after rt=1 calls (the spec describes them for rt=0 only; the app "
        "sends rt=1)",
    )
    add("--cvv-required", action="store_true", help="stores require the security code")
    add("--no-token-payments", action="store_true", help="stores refuse token payments (ER565)")
    add("--no-instalments", action="store_true", help="stores have no instalment contract (md=61)")
    add("--no-revolving", action="store_true", help="stores have no revolving contract (md=80)")
    add(
        "--token-ttl",
        type=float,
        default=900.0,
        metavar="SECONDS",
        help="token lifetime (default: %(default)s)",
    )
    add(
        "--slow-delay",
        type=float,
        default=35.0,
        metavar="SECONDS",
        help="how long the slow test card and the slow fault keep a caller waiting (default: %(default)s)",
    )
    add(
        "--kickback-attempts",
        type=int,
        default=5,
        metavar="N",
        help="attempts per notification (default: %(default)s)",
    )
    add(
        "--kickback-backoff",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="wait before the second attempt, doubled after each (default: %(default)s)",
    )
    add("--crlf", action="store_true", help="end answer lines with CRLF (the real ones have no line ending)")
    add(
        "--bulk-answer-layout",
        choices=("table", "sample"),
        default="table",
        help="fields of the bulk registration payment answer: as the spec's table lists them, or as its printed "
        "14-field sample has them, without ps (default: %(default)s)",
    )
    add(
        "--empty-free-data-field",
        action="store_true",
        help="answer an empty free-data field when none was sent (lines end in a comma, as the official failure "
        "sample does)",
    )
    add(
        "--lenient-fields",
        action="store_true",
        help="accept more than the spec's formats: uid with . _ @ + = -, key up to 100 characters on every call, "
        "iid with _ and -, card names with spaces",
    )
    add(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn log level (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def config_from_args(args: argparse.Namespace) -> Any:
    from robotpayment_app.sandbox.config import SandboxConfig, StoreConfig

    stores = tuple(
        StoreConfig(
            store_id=store_id,
            token_payments=not args.no_token_payments,
            cvv_required=args.cvv_required,
            instalments=not args.no_instalments,
            revolving=not args.no_revolving,
            kickback_url=args.kickback_url,
            allowed_origins=tuple(args.allow_origin or LOCAL_ORIGINS),
        )
        for store_id in (args.store or [DEFAULT_STORE_ID])
    )
    return SandboxConfig(
        stores=stores,
        allowed_ips=tuple(args.allow_ip or LOOPBACK_IPS),
        token_ttl_seconds=args.token_ttl,
        slow_delay_seconds=args.slow_delay,
        kickback_for_rt1=args.kickback_for_rt1,
        kickback_attempts=args.kickback_attempts,
        kickback_backoff_seconds=args.kickback_backoff,
        line_ending="\r\n" if args.crlf else "",
        bulk_answer_layout=args.bulk_answer_layout,
        empty_free_data_field=args.empty_free_data_field,
        lenient_fields=args.lenient_fields,
    )


def run(args: argparse.Namespace) -> int:
    # Heavy imports here, so that `robotpayment-app --help` stays quick.
    import uvicorn
    from pydantic import ValidationError

    from robotpayment_app.sandbox.app import create_sandbox_app
    from robotpayment_app.sandbox.server import base_url, bound_socket, uvicorn_config

    try:
        config = config_from_args(args)
    except ValidationError as error:
        print(f"robotpayment-app sandbox: invalid option: {error}", file=sys.stderr)
        return 2
    sock = bound_socket(args.host, args.port)  # bound here, so that --port 0 can print the port it got
    print(f"gateway: {base_url(args.host, sock.getsockname()[1])}/gateway/", flush=True)
    app = create_sandbox_app(config)
    uvicorn.Server(uvicorn_config(app, host=args.host, port=args.port, log_level=args.log_level)).run(sockets=[sock])
    return 0

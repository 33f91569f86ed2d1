"""`robotpayment-app demo`: the devshop, the app, the sandbox gateway and a storefront, in one process."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = Path("data/demo")


def add_command(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="run the whole shop locally: storefront, app, devshop (Saleor-compatible) and sandbox gateway",
        description=(
            "Start, on 127.0.0.1, the storefront on PORT, the app on PORT+1, the devshop (Saleor's GraphQL API) "
            "on PORT+2 and the sandbox gateway on PORT+3 (--port 0: free ports); install the app into the "
            "devshop and configure channel default-channel; print one line per service and account, then "
            "serve until Ctrl-C. The app's demo database in DATA_DIR starts afresh each run."
        ),
    )
    add = parser.add_argument
    add("--port", type=int, default=8000, help="the storefront's port; the others follow (default: %(default)s)")
    add("--data-dir", type=Path, default=DEFAULT_DATA_DIR, help="the app's SQLite and key (default: %(default)s)")
    add("--job-type", choices=("CAPTURE", "AUTH"), default="CAPTURE", help="jb of payments (default: %(default)s)")
    add("--token-mode", choices=("popup", "customize"), default="popup", help="card entry (default: %(default)s)")
    add("--snippets-dir", type=Path, help="the frontend_snippets folder (default: the repository's)")
    add(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="servers' log level (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Heavy imports here, so that `robotpayment-app --help` stays quick.
    import asyncio

    from robotpayment_app.demo.runner import run_demo

    return asyncio.run(run_demo(args))

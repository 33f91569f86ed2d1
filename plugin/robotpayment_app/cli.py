"""The `robotpayment-app` console command.

Each subcommand lives beside the layer it starts and registers itself here through an
`add_command(subparsers)` function, so this module stays a thin table of contents and
importing it stays cheap (heavy imports happen inside the command functions).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# module path -> provides add_command(subparsers); order is the order in --help
_COMMAND_MODULES = (
    "robotpayment_app.web.command",
    "robotpayment_app.store.command",
    "robotpayment_app.sandbox.command",
    "robotpayment_app.devshop.command",
    "robotpayment_app.demo.command",
    "robotpayment_app.recovery.command",
    "robotpayment_app.web.payments_command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="robotpayment-app",
        description="Saleor payment app for ROBOT PAYMENT: app server, local sandbox gateway and tools.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in _COMMAND_MODULES:
        importlib.import_module(module_name).add_command(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result = args.run(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())

"""`python -m robotpayment_app.devshop [options]`: the same as `robotpayment-app devshop`."""

from __future__ import annotations

import argparse
import sys

from robotpayment_app.devshop.command import add_command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m robotpayment_app.devshop")
    add_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["devshop", *(sys.argv[1:] if argv is None else argv)])
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())

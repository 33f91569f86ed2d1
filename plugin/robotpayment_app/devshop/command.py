"""`robotpayment-app devshop`: run the local Saleor-compatible platform on its own."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def add_command(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "devshop",
        help="run the local Saleor-compatible platform (GraphQL API, JWKS, app install, signed webhooks)",
        description=(
            "Serve Saleor's GraphQL API at /graphql/ and its JWKS at /.well-known/jwks.json, with a JPY "
            "channel, a few products and a shopper and a staff account (random passwords, printed). "
            "Apps are installed from their manifest with --install or the appInstall mutation (staff)."
        ),
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    add("--port", type=int, default=8800, help="port to listen on, 0 for any free port (default: %(default)s)")
    add("--public-url", metavar="URL", help="origin apps reach the devshop at (default: http://HOST:PORT)")
    add("--channel", default="default-channel", help="slug of the JPY channel (default: %(default)s)")
    add(
        "--flow",
        choices=("CHARGE", "AUTHORIZATION"),
        default="CHARGE",
        help="the channel's default transaction flow (default: %(default)s)",
    )
    add("--key-file", metavar="PATH", help="RSA signing key (PEM); created there when missing (default: new key)")
    add("--install", action="append", metavar="MANIFEST_URL", help="install this app once serving; repeatable")
    add(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn log level (default: %(default)s)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # Heavy imports here, so that `robotpayment-app --help` stays quick.
    import asyncio
    import socket
    from pathlib import Path

    import uvicorn
    from pydantic import ValidationError

    from robotpayment_app.devshop import Devshop, DevshopConfig, ShopError, create_devshop_app

    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # no Nagle delay on small answers
    sock.bind((args.host, args.port))
    sock.listen(128)  # callers who read the banner early wait in the backlog instead of being refused
    port = sock.getsockname()[1]
    try:
        config = DevshopConfig(
            public_url=args.public_url or f"http://{args.host}:{port}",
            channel_slug=args.channel,
            default_transaction_flow=args.flow,
            signing_key_path=Path(args.key_file) if args.key_file else None,
        )
    except ValidationError as error:
        print(f"robotpayment-app devshop: invalid option: {error}", file=sys.stderr)
        return 2
    devshop = Devshop(config)
    app = create_devshop_app(config, devshop=devshop)
    print(f"saleor: {config.api_url}", flush=True)
    print(f"shopper: {config.shopper.email} {config.shopper.password.get_secret_value()}", flush=True)
    print(f"staff: {config.staff.email} {config.staff.password.get_secret_value()}", flush=True)
    print(f"channel: {config.channel_slug}", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level=args.log_level))

    async def serve() -> int:
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started and not serving.done():  # noqa: ASYNC110 - uvicorn has no "started" event
            await asyncio.sleep(0.05)
        for manifest_url in args.install or []:
            try:
                installed = await devshop.install_app(manifest_url)
            except ShopError as error:
                print(f"install {manifest_url}: {error.code}: {error.message}", file=sys.stderr, flush=True)
            else:
                print(f"installed: {installed.identifier} ({manifest_url})", flush=True)
        await serving
        return 0

    try:
        return asyncio.run(serve())
    except KeyboardInterrupt:
        # uvicorn has already shut down gracefully and re-raised the signal it caught
        return 0

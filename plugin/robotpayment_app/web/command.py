"""`robotpayment-app serve`: run the app with uvicorn; `robotpayment-app manifest`: print the manifest."""

from __future__ import annotations

import argparse
import json
import os
from typing import Any


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    if args.migrate:
        os.environ["ROBOTPAYMENT_APP_APPLY_MIGRATIONS_ON_START"] = "true"
    uvicorn.run(
        "robotpayment_app.web.app:create_app_from_environment",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_level=args.log_level,
        # uvicorn's access log prints raw paths and query strings: the kickback URL carries the installation's
        # secret and the gateway's answer fields (a user key after a bulk registration). The app logs requests
        # itself, without them.
        access_log=False,
        proxy_headers=True,
    )
    return 0


def _manifest(args: argparse.Namespace) -> int:
    from robotpayment_app.saleor.manifest import build_manifest
    from robotpayment_app.settings import load_settings

    public_url = args.public_url or load_settings().public_url
    print(json.dumps(build_manifest(public_url), indent=2, ensure_ascii=False))
    return 0


def add_command(subparsers: Any) -> None:
    serve = subparsers.add_parser("serve", help="run the app server (uvicorn)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL for more than one)")
    serve.add_argument(
        "--migrate", action="store_true", help="apply pending database migrations at start-up"
    )
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(run=_serve)
    manifest = subparsers.add_parser("manifest", help="print the app manifest for a public URL")
    manifest.add_argument("--public-url", help="default: ROBOTPAYMENT_APP_PUBLIC_URL")
    manifest.set_defaults(run=_manifest)

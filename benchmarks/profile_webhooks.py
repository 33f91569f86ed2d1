"""Where the app spends its time on one webhook: cProfile over the app in process (no HTTP server), the
sandbox gateway in its own process (so its time is not counted), requests sent one after another.

    .venv/bin/python benchmarks/profile_webhooks.py [--scenario one-touch|list] [--requests 500]
        [--database sqlite|postgresql] [--sort cumulative|tottime] [--limit 40] [--filter robotpayment_app]

Prints the app's time per request and the top functions. The figures are for finding hot spots, not for
publishing: use benchmarks/webhooks.py for those.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

import httpx
from pydantic import SecretStr

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.support import COMMAND, HOST, SigningKey, base_environment, free_port, start
from benchmarks.webhooks import (
    LIST_PATH,
    ONE_TOUCH_PATH,
    _database,
    _seed,
    list_payload,
    one_touch_payload,
)

from robotpayment_app.settings import load_settings
from robotpayment_app.store.crypto import generate_key
from robotpayment_app.web.app import create_app


async def _profile(args: argparse.Namespace, database_url: str, sandbox_url: str, work: Path) -> None:
    signing_key = SigningKey.generate()
    encryption_key = generate_key()
    seed = await _seed(database_url, sandbox_url, signing_key, encryption_key)
    settings = load_settings(
        database_url=database_url,
        data_dir=work,
        encryption_key=SecretStr(encryption_key),
        apply_migrations_on_start=False,
    )
    app = create_app(settings)
    if args.scenario == "one-touch":
        requests = [
            signing_key.signed_request(
                ONE_TOUCH_PATH, "TRANSACTION_INITIALIZE_SESSION", one_touch_payload(seed.method_id)
            )
            for _ in range(args.requests + 20)
        ]
    else:
        requests = [signing_key.signed_request(LIST_PATH, "LIST_STORED_PAYMENT_METHODS", list_payload())] * (
            args.requests + 20
        )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://app.local") as client:

            async def send(request: dict[str, object]) -> None:
                body = str(request["body"]).encode()
                headers = request["headers"]
                assert isinstance(headers, dict)
                response = await client.post(str(request["path"]), content=body, headers=headers)
                if response.status_code != 200 or ("result" in response.text and "SUCCESS" not in response.text):
                    raise RuntimeError(f"unexpected answer {response.status_code}: {response.text[:300]}")

            for request in requests[:20]:  # warm-up: connections, caches, imports
                await send(request)
            profiler = cProfile.Profile()
            started = time.perf_counter()
            if not args.no_profile:
                profiler.enable()
            for request in requests[20:]:
                await send(request)
            profiler.disable()
            elapsed = time.perf_counter() - started
    if args.no_profile:
        print(f"{args.scenario} on {args.database}: {elapsed / args.requests * 1000:.2f} ms per request in process")
        return
    print(f"{args.scenario} on {args.database}: {elapsed / args.requests * 1000:.2f} ms per request in process "
          f"(under the profiler; the gateway's time included)")  # fmt: skip
    if args.dump:
        profiler.dump_stats(str(args.dump))
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(*([args.filter] if args.filter else []), args.limit)
    print(out.getvalue())


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--scenario", choices=("one-touch", "list"), default="one-touch")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--filter", default="", help="only functions whose path matches this")
    parser.add_argument("--dump", type=Path, help="write the raw pstats here")
    parser.add_argument("--no-profile", action="store_true", help="only time the requests")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rp-profile-") as folder:
        work = Path(folder)
        port = free_port()
        sandbox_args = [str(COMMAND), "sandbox", "--host", HOST, "--port", str(port), "--log-level", "warning"]
        sandbox, _ = start(
            sandbox_args, env=base_environment(), log_path=work / "sandbox.log", ready_path="/sandbox/cards", port=port
        )
        try:
            with _database(args.database, work) as database_url:
                asyncio.run(_profile(args, database_url, sandbox.base_url, work))
        finally:
            sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

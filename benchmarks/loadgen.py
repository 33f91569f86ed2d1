"""The load generator: replays prepared requests against one server, bounded in count and time, and prints one
JSON object with the figures. Run in its own process so that its CPU shows as the load it is.

    .venv/bin/python benchmarks/loadgen.py --base-url http://127.0.0.1:8000 --requests requests.jsonl \\
        --concurrency 50 [--max-seconds 20] [--expect CHARGE_SUCCESS] [--warmup 50]

Each line of the requests file is `{"path", "headers", "body"}` (signed beforehand: signing here would
compete with the server for the CPU). Every request is sent once, in file order, by `concurrency` workers
over kept-alive loopback connections. Warm-up requests (the first lines) are sent but not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import httpx


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def _run(
    base_url: str, requests: list[dict[str, Any]], concurrency: int, max_seconds: float, expect: str | None,
    warmup: int,
) -> dict[str, Any]:  # fmt: skip
    latencies: list[float] = []
    failures: dict[str, int] = {}
    prepared = [(request["path"], request["headers"], request["body"].encode()) for request in requests]
    warm, measured = prepared[:warmup], prepared[warmup:]
    warm.reverse()
    measured.reverse()
    # One client (one kept-alive connection) per worker: a single pool shared by many concurrent requests
    # costs more per request as concurrency grows (httpcore scans its queue), and would be measured instead
    clients = [
        httpx.AsyncClient(base_url=base_url, limits=httpx.Limits(max_connections=1), timeout=httpx.Timeout(30.0))
        for _ in range(concurrency)
    ]

    async def drain(
        client: httpx.AsyncClient, queue: list[tuple[str, dict[str, str], bytes]], deadline: float, record: bool
    ) -> None:
        while queue and time.perf_counter() < deadline:
            path, headers, body = queue.pop()
            started = time.perf_counter()
            failure: str | None = None
            try:
                response = await client.post(path, content=body, headers=headers)
            except httpx.HTTPError as error:
                failure = type(error).__name__
            else:
                if response.status_code != 200:
                    failure = f"HTTP {response.status_code}"
                elif expect is not None and expect not in response.text:
                    failure = "unexpected answer"
            elapsed = time.perf_counter() - started
            if not record:
                continue
            if failure is None:
                latencies.append(elapsed)
            else:
                failures[failure] = failures.get(failure, 0) + 1

    try:
        await asyncio.gather(*(drain(client, warm, time.perf_counter() + 60, False) for client in clients))
        started = time.perf_counter()
        deadline = started + max_seconds
        await asyncio.gather(*(drain(client, measured, deadline, True) for client in clients))
        elapsed = time.perf_counter() - started
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))
    completed = len(latencies)
    return {
        "concurrency": concurrency,
        "completed": completed,
        "failed": sum(failures.values()),
        "failures": failures,
        "seconds": elapsed,
        "rps": completed / elapsed if elapsed > 0 else 0.0,
        "p50_ms": _percentile(latencies, 0.50) * 1000 if latencies else None,
        "p99_ms": _percentile(latencies, 0.99) * 1000 if latencies else None,
        "mean_ms": sum(latencies) / completed * 1000 if latencies else None,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--requests", type=Path, required=True, help="JSON lines: path, headers, body")
    parser.add_argument("--concurrency", type=int, required=True)
    parser.add_argument("--max-seconds", type=float, default=30.0)
    parser.add_argument("--expect", help="a text every answer must contain")
    parser.add_argument("--warmup", type=int, default=0, help="first N requests: sent, not counted")
    args = parser.parse_args(argv)
    if not args.base_url.startswith(("http://127.", "http://[::1]", "http://localhost")):
        parser.error("--base-url: loopback only")
    requests = [json.loads(line) for line in args.requests.read_text().splitlines() if line.strip()]
    run = _run(args.base_url, requests, args.concurrency, args.max_seconds, args.expect, args.warmup)
    try:
        import uvloop  # the servers run on uvloop too

        figures = uvloop.run(run)
    except ImportError:
        figures = asyncio.run(run)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

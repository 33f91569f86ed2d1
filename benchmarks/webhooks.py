"""Webhook throughput and latency of the app against a floor, memory per worker, start-up time, snippet size.

    .venv/bin/python benchmarks/webhooks.py [--databases sqlite,postgresql] [--concurrency 1,10,50]
        [--requests 1500] [--max-seconds 15] [--gateway-delay 0.05] [--workers 2]
        [--memory-webhooks 10000] [--memory-rounds 2] [--repeat 1] [--json results.json]

What runs, all on the loopback, each in its own process:
- the sandbox gateway (`robotpayment-app sandbox`), every onetouch.aspx answer held back `--gateway-delay`
  seconds through its public fault API (`POST /sandbox/faults`, mode `slow`);
- the app (`robotpayment-app serve --workers 2`) on a fresh SQLite file or PostgreSQL database, seeded with an
  installation, a channel (CAPTURE) and one shopper with a saved card registered at the sandbox;
- the floor (`benchmarks/floor_app.py`, uvicorn, same workers): signature check + the same gateway call;
- the load generator (`benchmarks/loadgen.py`): signed requests prepared beforehand, `--concurrency` workers.

Scenarios: one-touch (TRANSACTION_INITIALIZE_SESSION paying with the saved card, a new transaction each time:
one ledger row and one gateway charge per request) and list (LIST_STORED_PAYMENT_METHODS). For each database
and concurrency the floor and the app get the same requests; the tables show requests/s, p50 and p99 in ms,
app/floor throughput and the p99 the app adds. Then memory per worker before and after `--memory-webhooks`
more webhooks, start-up time until /readyz answers, and the snippet size (benchmarks/snippet_size.py).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable like the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.support import (
    APP_ID,
    CHANNEL,
    COMMAND,
    EMAIL,
    HOST,
    PYTHON,
    REPO_ROOT,
    SALEOR_API_URL,
    SALEOR_DOMAIN,
    STORE_ID,
    USER_ID,
    Served,
    SigningKey,
    base_environment,
    cpu_seconds,
    free_port,
    list_payload,
    median,
    one_touch_payload,
    postgres_database,
    postgres_pids,
    process_tree,
    rss_kib,
    start,
    table,
    worker_pids,
)

from robotpayment_app.flows.customers import card_details_from_gateway, gateway_customer_id_for
from robotpayment_app.gateway import CardLookup, CardRegistration, CustomerRegistration, RobotPaymentClient
from robotpayment_app.sandbox.shopper import SandboxShopper
from robotpayment_app.store.crypto import SecretBox, generate_key
from robotpayment_app.store.database import create_engine_from_url, create_session_factory
from robotpayment_app.store.migrations import upgrade_to_head
from robotpayment_app.store.records import ChannelSettings, JobType
from robotpayment_app.store.repositories import Store

ONE_TOUCH_PATH = "/api/webhooks/transaction_initialize_session"
LIST_PATH = "/api/webhooks/list_stored_payment_methods"
SCENARIOS = ("one-touch", "list")
FAULT_BATCH = 1000  # the sandbox's largest `count` per fault
CARD = "4444333322221111"


@dataclass(frozen=True)
class Seed:
    user_id: str  # one per database: they share the sandbox, where a user is registered once
    method_id: str
    customer_id: str
    customer_key: str = ""  # the floor sends it; never printed
    card_seq: str = ""
    installation_id: int = 0


@dataclass(frozen=True)
class Cell:
    database: str
    scenario: str
    concurrency: int
    floor: dict[str, Any]
    app: dict[str, Any]
    durable: dict[str, Any] | None = None  # the durable floor's figures (one-touch on PostgreSQL)


# ---- set-up --------------------------------------------------------------------------------------------------


async def _seed(
    database_url: str, sandbox_url: str, signing_key: SigningKey, encryption_key: str, user_id: str = USER_ID
) -> Seed:
    """The app's database: installation, channel, and a shopper whose card the sandbox really holds."""
    upgrade_to_head(database_url)
    engine = create_engine_from_url(database_url)
    store = Store.create(create_session_factory(engine), SecretBox.from_secret(SecretStr(encryption_key)))
    gateway_url = sandbox_url + "/gateway/"
    try:
        installation = await store.installations.upsert(
            saleor_api_url=SALEOR_API_URL,
            domain=SALEOR_DOMAIN,
            app_id=APP_ID,
            app_token=SecretStr("bench-app-token"),
            jwks=signing_key.jwks(),
        )
        settings = ChannelSettings(store_id=STORE_ID, gateway_base_url=gateway_url, job_type=JobType.CAPTURE)
        await store.channels.upsert(installation.id, CHANNEL, settings)
        uid = gateway_customer_id_for(installation, user_id)
        async with httpx.AsyncClient(timeout=10.0) as http:
            gateway = RobotPaymentClient(http, base_url=gateway_url)
            customer = await gateway.register_customer(
                CustomerRegistration(store_id=STORE_ID, customer_id=uid, email=EMAIL)
            )
            shopper = SandboxShopper(http, sandbox_url)
            token = await shopper.create_token(STORE_ID, CARD, "3012", "BENCH", "SHOPPER")
            if await shopper.authenticate({"aid": STORE_ID, "uid": uid}, token) != "Success":
                raise RuntimeError("3-D Secure for the benchmark card failed")
            key = customer.customer_key
            card = await gateway.register_card(
                CardRegistration(store_id=STORE_ID, customer_id=uid, customer_key=key, token=token)
            )
            details = await gateway.read_card(
                CardLookup(store_id=STORE_ID, customer_id=uid, customer_key=key, card_seq=card.card_seq)
            )
        stored = await store.customers.create(
            installation_id=installation.id,
            store_id=STORE_ID,
            saleor_user_id=user_id,
            gateway_customer_id=uid,
            gateway_key=SecretStr(key),
            email=EMAIL,
        )
        saved = await store.cards.add(stored.id, int(card.card_seq), card_details_from_gateway(details, brand="VISA"))
    finally:
        await engine.dispose()
    return Seed(
        user_id=user_id,
        method_id=saved.public_id,
        customer_id=uid,
        customer_key=key,
        card_seq=card.card_seq,
        installation_id=installation.id,
    )


def _app_environment(database_url: str, data_dir: Path, encryption_key: str) -> dict[str, str]:
    return {
        **base_environment(),
        "ROBOTPAYMENT_APP_DATABASE_URL": database_url,
        "ROBOTPAYMENT_APP_DATA_DIR": str(data_dir),
        "ROBOTPAYMENT_APP_ENCRYPTION_KEY": encryption_key,
        "ROBOTPAYMENT_APP_PUBLIC_URL": "http://127.0.0.1:8000",
        "ROBOTPAYMENT_APP_APPLY_MIGRATIONS_ON_START": "false",
        "ROBOTPAYMENT_APP_LOG_LEVEL": "INFO",  # as deployed: one JSON line per request
    }


def _start_app(env: dict[str, str], workers: int, log: Path) -> tuple[Served, float]:
    port = free_port()
    args = [str(COMMAND), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    return start(args, env=env, log_path=log, ready_path="/readyz", port=port)


def _start_floor(
    seed: Seed, signing_key: SigningKey, sandbox_url: str, workers: int, log: Path, database_url: str | None = None,
    ledger_statements: int = 4,
) -> Served:  # fmt: skip
    """The floor; with `database_url` (PostgreSQL), the durable floor (benchmarks/floor_app.py)."""
    port = free_port()
    durable = {
        "FLOOR_DATABASE_URL": database_url,
        "FLOOR_INSTALLATION_ID": str(seed.installation_id),
        "FLOOR_LEDGER_STATEMENTS": str(ledger_statements),
    }
    env = {
        **(durable if database_url else {}),
        **base_environment(),
        "PYTHONPATH": str(REPO_ROOT),
        "FLOOR_JWKS": json.dumps(signing_key.jwks()),
        "FLOOR_GATEWAY_URL": sandbox_url + "/gateway/",
        "FLOOR_STORE_ID": STORE_ID,
        "FLOOR_CUSTOMER_ID": seed.customer_id,
        "FLOOR_CUSTOMER_KEY": seed.customer_key,
        "FLOOR_CARD_SEQ": seed.card_seq,
    }
    args = [
        str(PYTHON), "-m", "uvicorn", "benchmarks.floor_app:create_floor_app", "--factory",
        "--host", HOST, "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    served, _ = start(args, env=env, log_path=log, ready_path="/healthz", port=port)
    return served


# ---- load ----------------------------------------------------------------------------------------------------


def _requests_file(path: Path, signing_key: SigningKey, scenario: str, seed: Seed, count: int) -> Path:
    """Signed requests: a new transaction each for one-touch; one list request repeated."""
    with path.open("w") as out:
        if scenario == "list":
            payload = list_payload(seed.user_id)
            line = json.dumps(signing_key.signed_request(LIST_PATH, "LIST_STORED_PAYMENT_METHODS", payload))
            out.write((line + "\n") * count)
            return path
        for _ in range(count):
            payload = one_touch_payload(seed.method_id, seed.user_id)
            request = signing_key.signed_request(ONE_TOUCH_PATH, "TRANSACTION_INITIALIZE_SESSION", payload)
            out.write(json.dumps(request) + "\n")
    return path


def _hold_gateway_answers(sandbox_url: str, calls: int, delay: float) -> None:
    """Every onetouch.aspx answer of the next `calls` waits `delay` s (the sandbox's `slow` fault)."""
    with httpx.Client(base_url=sandbox_url, timeout=10.0) as client:
        client.delete("/sandbox/faults").raise_for_status()
        for batch in range(math.ceil(calls / FAULT_BATCH)):
            count = min(FAULT_BATCH, calls - batch * FAULT_BATCH)
            fault = {"endpoint": "onetouch.aspx", "mode": "slow", "delay_seconds": delay, "count": count}
            client.post("/sandbox/faults", json=fault).raise_for_status()


def _load(
    base_url: str, requests: Path, concurrency: int, max_seconds: float, expect: str, warmup: int
) -> dict[str, Any]:
    args = [
        str(PYTHON), str(REPO_ROOT / "benchmarks" / "loadgen.py"), "--base-url", base_url, "--requests",
        str(requests), "--concurrency", str(concurrency), "--max-seconds", str(max_seconds), "--expect", expect,
        "--warmup", str(warmup),
    ]  # fmt: skip
    finished = subprocess.run(args, capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    figures: dict[str, Any] = json.loads(finished.stdout)
    return figures


def _processes(served: Served, sandbox: Served) -> dict[str, list[int]]:
    """Whose CPU a cell counts: the server under load (master and workers), PostgreSQL, the sandbox gateway."""
    return {
        "server": process_tree(served.process.pid),
        "postgresql": postgres_pids(),
        "sandbox": process_tree(sandbox.process.pid),
    }


def _loadgen_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # finished children: the load generators
    return usage.ru_utime + usage.ru_stime


def _measure(
    served: Served, scenario: str, concurrency: int, args: argparse.Namespace, signing_key: SigningKey,
    seed: Seed, sandbox: Served, work: Path,
) -> dict[str, Any]:  # fmt: skip
    warmup = max(20, concurrency * 2)
    count = warmup + args.requests
    requests = _requests_file(work / f"{scenario}-{concurrency}.jsonl", signing_key, scenario, seed, count)
    if scenario == "one-touch":
        _hold_gateway_answers(sandbox.base_url, count, args.gateway_delay)
    expect = "CHARGE_SUCCESS" if scenario == "one-touch" else "paymentMethods"
    before = {name: cpu_seconds(pids) for name, pids in _processes(served, sandbox).items()}
    loadgen_before = _loadgen_cpu()
    figures = _load(served.base_url, requests, concurrency, args.max_seconds, expect, warmup)
    after = {name: cpu_seconds(pids) for name, pids in _processes(served, sandbox).items()}
    # CPU per request sent (warm-up included: the CPU readings cover it too), by process, in ms
    sent = warmup + figures["completed"] + figures["failed"]
    used = {
        name: sum(seconds - before[name].get(pid, 0.0) for pid, seconds in after[name].items())
        for name in after
    }
    used["loadgen"] = _loadgen_cpu() - loadgen_before
    figures["cpu_ms"] = {name: seconds / sent * 1000 for name, seconds in used.items()}
    return figures


def _median_figures(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One server's figures for a cell measured `--repeat` times: the median of each figure, failures summed (the
    single runs are kept under "runs" for --json)."""
    if len(runs) == 1:
        return runs[0]
    merged: dict[str, Any] = {**runs[-1], "runs": runs, "failed": sum(run["failed"] for run in runs)}
    for name in ("rps", "p50_ms", "p99_ms", "mean_ms"):
        values = [run[name] for run in runs if run[name] is not None]
        merged[name] = median(values) if values else None
    merged["cpu_ms"] = {name: median([run["cpu_ms"][name] for run in runs]) for name in runs[0]["cpu_ms"]}
    return merged


# ---- memory, start-up, snippet -------------------------------------------------------------------------------


def _memory(
    app: Served, args: argparse.Namespace, signing_key: SigningKey, seed: Seed, sandbox_url: str, work: Path
) -> list[tuple[int, list[int]]]:
    """(pid, RSS KiB before and after each round) per worker; a round is `--memory-webhooks` webhooks
    (`--memory-one-touch` of them one-touch payments, the rest lists)."""
    pids = worker_pids(app, args.workers)
    readings = {pid: [rss_kib(pid)] for pid in pids}
    one_touch = min(args.memory_one_touch, args.memory_webhooks)
    for round_number in range(args.memory_rounds):
        for scenario, count in (("one-touch", one_touch), ("list", args.memory_webhooks - one_touch)):
            requests = _requests_file(
                work / f"memory-{round_number}-{scenario}.jsonl", signing_key, scenario, seed, count
            )
            if scenario == "one-touch":
                _hold_gateway_answers(sandbox_url, count, args.gateway_delay)
            expect = "CHARGE_SUCCESS" if scenario == "one-touch" else "paymentMethods"
            figures = _load(app.base_url, requests, 50, 900.0, expect, 0)
            if figures["completed"] != count:
                raise RuntimeError(f"memory run: {figures['completed']} of {count} {scenario} webhooks answered")
        for pid in pids:
            readings[pid].append(rss_kib(pid))
    return list(readings.items())


def _startup_times(env: dict[str, str], work: Path, runs: int) -> dict[int, list[float]]:
    """Seconds from starting `serve` until /readyz answers, per worker count."""
    times: dict[int, list[float]] = {}
    for workers in (1, 2):
        for run in range(runs):
            served, seconds = _start_app(env, workers, work / f"startup-{workers}-{run}.log")
            served.stop()
            times.setdefault(workers, []).append(seconds)
    return times


def _snippet_size() -> str:
    script = REPO_ROOT / "benchmarks" / "snippet_size.py"
    if not script.exists():
        return "(benchmarks/snippet_size.py does not exist yet)"
    finished = subprocess.run([str(PYTHON), str(script)], capture_output=True, text=True, cwd=REPO_ROOT)
    return (finished.stdout + finished.stderr).strip()


@contextmanager
def _database(backend: str, work: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{work / 'bench.sqlite3'}"
        return
    server = os.environ.get("ROBOTPAYMENT_APP_TEST_POSTGRES_URL", "postgresql://127.0.0.1:5432/")
    with postgres_database(server) as url:
        yield url


# ---- report --------------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _throughput_table(cells: list[Cell]) -> str:
    rows = []
    for cell in cells:
        floor, app = cell.floor, cell.app
        ratio = app["rps"] / floor["rps"] if floor["rps"] else float("nan")
        added = app["p99_ms"] - floor["p99_ms"] if app["p99_ms"] is not None and floor["p99_ms"] is not None else None
        failed = f"{floor['failed']}/{app['failed']}"
        rows.append([
            cell.scenario, cell.database, str(cell.concurrency),
            f"{floor['rps']:.0f}", f"{app['rps']:.0f}", f"{ratio:.2f}",
            _ms(floor["p50_ms"]), _ms(app["p50_ms"]), _ms(floor["p99_ms"]), _ms(app["p99_ms"]), _ms(added), failed,
        ])  # fmt: skip
    headers = [
        "scenario", "database", "conc", "floor r/s", "app r/s", "app/floor", "floor p50", "app p50",
        "floor p99", "app p99", "added p99", "failed f/a",
    ]  # fmt: skip
    return table(headers, rows)


def _cpu_table(cells: list[Cell]) -> str:
    """Where the two cores went: CPU per request (ms) of each process group while the floor, then the app, ran."""
    rows = []
    for cell in cells:
        floor, app = cell.floor["cpu_ms"], cell.app["cpu_ms"]
        rows.append([
            cell.scenario, cell.database, str(cell.concurrency),
            f"{floor['server']:.2f}", f"{app['server']:.2f}", f"{app['postgresql']:.2f}",
            f"{floor['sandbox']:.2f}/{app['sandbox']:.2f}", f"{floor['loadgen']:.2f}/{app['loadgen']:.2f}",
            f"{sum(floor.values()) - floor['postgresql']:.2f}", f"{sum(app.values()):.2f}",
        ])  # fmt: skip
    headers = [
        "scenario", "database", "conc", "floor", "app", "PostgreSQL (app)", "sandbox f/a", "loadgen f/a",
        "floor total", "app total",
    ]  # fmt: skip
    return table(headers, rows)


def _durable_table(cells: list[Cell]) -> str:
    rows = []
    for cell in cells:
        durable, app = cell.durable or {}, cell.app
        added = app["p99_ms"] - durable["p99_ms"] if app["p99_ms"] is not None and durable["p99_ms"] else None
        rows.append([
            cell.database, str(cell.concurrency), f"{durable['rps']:.0f}", f"{app['rps']:.0f}",
            f"{app['rps'] / durable['rps']:.2f}" if durable["rps"] else "-", _ms(durable["p99_ms"]),
            _ms(app["p99_ms"]), _ms(added), f"{sum(durable['cpu_ms'].values()):.2f}",
            f"{sum(app['cpu_ms'].values()):.2f}", f"{durable['failed']}/{app['failed']}",
        ])  # fmt: skip
    headers = [
        "database", "conc", "durable r/s", "app r/s", "app/durable", "durable p99", "app p99", "added p99",
        "durable: machine ms", "app: machine ms", "failed d/a",
    ]  # fmt: skip
    return table(headers, rows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--concurrency", default="1,10,50")
    parser.add_argument("--requests", type=int, default=1500, help="measured requests per cell (after warm-up)")
    parser.add_argument("--max-seconds", type=float, default=15.0, help="time bound per cell")
    parser.add_argument(
        "--repeat", type=int, default=1, help="measure each cell this many times, floor and app alternated; medians"
    )
    parser.add_argument("--gateway-delay", type=float, default=0.05, help="seconds the sandbox holds each charge")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-webhooks", type=int, default=10_000, help="0 to skip the memory run")
    parser.add_argument("--memory-one-touch", type=int, default=2_000, help="how many of them are payments")
    parser.add_argument("--memory-databases", default="postgresql", help="where to run the memory run")
    parser.add_argument("--memory-rounds", type=int, default=2, help="rounds of --memory-webhooks each")
    parser.add_argument("--startup-runs", type=int, default=3, help="0 to skip")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument(
        "--durable-statements", type=int, choices=(2, 4), default=4,
        help="the durable floor's statements per payment: 4 as the app's ledger, or 2 (owner check in the INSERT, "
        "written as sent at once)",
    )  # fmt: skip
    parser.add_argument(
        "--durable-floor",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure one-touch on PostgreSQL against the durable floor (the floor plus the four statements)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    databases = [name.strip() for name in args.databases.split(",") if name.strip()]
    concurrencies = [int(value) for value in args.concurrency.split(",")]
    scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    if not set(databases) <= {"sqlite", "postgresql"} or not set(scenarios) <= set(SCENARIOS):
        parser.error("--databases: sqlite, postgresql; --scenarios: one-touch, list")
    if args.repeat < 1:
        parser.error("--repeat: at least 1")

    signing_key = SigningKey.generate()
    cells: list[Cell] = []
    memory: dict[str, list[tuple[int, list[int]]]] = {}
    startup: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="rp-bench-") as folder:
        work = Path(folder)
        port = free_port()
        sandbox_args = [str(COMMAND), "sandbox", "--host", HOST, "--port", str(port), "--log-level", "warning"]
        sandbox, _ = start(
            sandbox_args, env=base_environment(), log_path=work / "sandbox.log", ready_path="/sandbox/cards", port=port
        )
        floor: Served | None = None
        try:
            for backend in databases:
                encryption_key = generate_key()
                with _database(backend, work) as database_url:
                    user_id = base64.b64encode(f"User:{backend}".encode()).decode()
                    seed = asyncio.run(_seed(database_url, sandbox.base_url, signing_key, encryption_key, user_id))
                    if floor is None:
                        floor = _start_floor(seed, signing_key, sandbox.base_url, args.workers, work / "floor.log")
                    env = _app_environment(database_url, work / "data", encryption_key)
                    app, _ = _start_app(env, args.workers, work / f"app-{backend}.log")
                    durable: Served | None = None
                    if args.durable_floor and backend == "postgresql" and "one-touch" in scenarios:
                        durable = _start_floor(
                            seed, signing_key, sandbox.base_url, args.workers, work / "durable.log", database_url,
                            args.durable_statements,
                        )  # fmt: skip
                    try:
                        for scenario in scenarios:
                            for concurrency in concurrencies:
                                servers = [("floor", floor), ("app", app)]
                                if durable is not None and scenario == "one-touch":
                                    servers.append(("durable", durable))
                                runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in servers}
                                for _ in range(args.repeat):  # alternated, so that drifts hit both alike
                                    for name, served in servers:
                                        runs[name].append(
                                            _measure(
                                                served, scenario, concurrency, args, signing_key, seed,
                                                sandbox, work,
                                            )
                                        )  # fmt: skip
                                figures = {name: _median_figures(measured) for name, measured in runs.items()}
                                cell = Cell(
                                    backend, scenario, concurrency, figures["floor"], figures["app"],
                                    figures.get("durable"),
                                )  # fmt: skip
                                cells.append(cell)
                                print(_throughput_table([cell]).splitlines()[-1], flush=True)
                        if args.memory_webhooks and backend in args.memory_databases.split(","):
                            memory[backend] = _memory(app, args, signing_key, seed, sandbox.base_url, work)
                    finally:
                        app.stop()
                        if durable is not None:
                            durable.stop()
                    if args.startup_runs and not startup:
                        startup = _startup_times(env, work, args.startup_runs)
        finally:
            if floor is not None:
                floor.stop()
            sandbox.stop()

    print()
    print(
        f"Webhook throughput and latency (ms): {args.workers} uvicorn workers each, gateway delay "
        f"{args.gateway_delay * 1000:.0f} ms, {args.requests} requests per cell (bound {args.max_seconds:.0f} s), "
        f"median of {args.repeat} run(s) per cell, "
        f"{os.cpu_count()} CPUs shared by everything"
    )
    print(_throughput_table(cells))
    print()
    print(
        "CPU per request (ms) of each process while the cell ran: the floor's or the app's server (all workers), "
        "PostgreSQL, the sandbox gateway, the load generator; total = what one request cost the machine"
    )
    print(_cpu_table(cells))
    durable_cells = [cell for cell in cells if cell.durable is not None]
    if durable_cells:
        print()
        print(
            "One-touch against the durable floor (the floor plus the owner check and the three ledger writes, "
            "hand-written on psycopg): the least a correct app pays"
        )
        print(_durable_table(durable_cells))
    if memory:
        print()
        print(
            f"Memory per worker (RSS, MiB) before and after each round of {args.memory_webhooks} webhooks "
            f"({args.memory_one_touch} one-touch payments, the rest lists), after the throughput runs"
        )
        rounds = [f"after {index + 1}" for index in range(args.memory_rounds)]
        rows = [
            [backend, str(pid), *(f"{value / 1024:.1f}" for value in values), f"{(values[-1] - values[1]) / 1024:+.1f}"]
            for backend, workers in memory.items()
            for pid, values in workers
        ]
        print(table(["database", "worker", "before", *rounds, "growth after round 1"], rows))
    if startup:
        print()
        print("Start-up: `robotpayment-app serve` until /readyz answers 200 (s)")
        rows = [
            [str(workers), f"{median(times):.2f}", " ".join(f"{time_:.2f}" for time_ in times)]
            for workers, times in startup.items()
        ]
        print(table(["workers", "median", "runs"], rows))
    print()
    print("Snippet size (benchmarks/snippet_size.py)")
    print(_snippet_size())
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "settings": {key: str(value) for key, value in vars(args).items()},
                    "cells": [cell.__dict__ for cell in cells],
                    "memory_kib": memory,
                    "startup_seconds": startup,
                    "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

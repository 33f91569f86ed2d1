"""Shared pieces of the benchmarks: child processes on free loopback ports, their memory, a Saleor-like
signing key, payloads shaped like our subscriptions, and throw-away PostgreSQL databases.

Nothing here is imported by the app or the tests.
"""

from __future__ import annotations

import getpass
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

REPO_ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
COMMAND = PYTHON.with_name("robotpayment-app")
HOST = "127.0.0.1"
SALEOR_API_URL = "https://bench.example.com/graphql/"
SALEOR_DOMAIN = "bench.example.com"
APP_ID = "QXBwOjE="
CHANNEL = "default-channel"
STORE_ID = "000000"
USER_ID = "VXNlcjox"
EMAIL = "bench.shopper@example.com"
AMOUNT = 3500


def free_port() -> int:
    """A port free right now on the loopback (uvicorn with several workers cannot report a port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_until_answering(url: str, *, timeout: float = 60.0, process: subprocess.Popen[bytes] | None = None) -> float:
    """Poll `url` until it answers 200; returns the seconds it took."""
    started = time.perf_counter()
    deadline = started + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.perf_counter() < deadline:
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{process.args!r} exited with {process.returncode} before answering")
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.02)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


@dataclass
class Served:
    """A child process serving HTTP on `base_url`."""

    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    args: list[str], *, env: Mapping[str, str], log_path: Path, ready_path: str, port: int
) -> tuple[Served, float]:
    """Start a server process and wait for `ready_path`; returns it and its start-up time in seconds."""
    log = log_path.open("wb")
    process = subprocess.Popen(args, env=dict(env), stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
    log.close()
    base_url = f"http://{HOST}:{port}"
    try:
        seconds = wait_until_answering(base_url + ready_path, process=process)
    except BaseException:
        process.kill()
        process.wait()
        sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
        raise
    return Served(process, base_url, log_path), seconds


def base_environment() -> dict[str, str]:
    """The caller's environment without any ROBOTPAYMENT_APP_* setting (each benchmark sets its own)."""
    return {name: value for name, value in os.environ.items() if not name.startswith("ROBOTPAYMENT_APP_")}


# ---- memory ---------------------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time each of these processes has used so far (one gone already is left out)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return used


def process_tree(pid: int) -> list[int]:
    """A process and its children (a uvicorn master and its workers)."""
    return [pid, *children(pid)]


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (the benchmark's connections are pooled: they live through a
    cell)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def worker_pids(served: Served, expected: int) -> list[int]:
    """The uvicorn worker processes (children of the master; with one worker, the master itself)."""
    if expected == 1:
        return [served.process.pid]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pids = [pid for pid in children(served.process.pid) if _is_worker(pid)]
        if len(pids) >= expected:
            return sorted(pids)
        time.sleep(0.1)
    raise RuntimeError(f"expected {expected} workers under {served.process.pid}")


def _is_worker(pid: int) -> bool:
    """A spawned uvicorn worker, not multiprocessing's resource tracker."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    return "spawn_main" in command


# ---- Saleor's side ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    """An RSA key standing in for Saleor's: signs bodies as `Saleor-Signature` (detached, unencoded JWS)."""

    kid: str
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> SigningKey:
        return cls("bench-" + secrets.token_hex(4), rsa.generate_private_key(public_exponent=65537, key_size=2048))

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        jwk.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def sign(self, body: bytes) -> str:
        return jwt.PyJWS().encode(
            body,
            self.private_key,
            algorithm="RS256",
            headers={"kid": self.kid, "b64": False, "crit": ["b64"]},
            is_payload_detached=True,
        )

    def signed_request(self, path: str, event: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """A request line for the load generator: path, headers, body."""
        body = json.dumps(dict(payload)).encode()
        return {
            "path": path,
            "headers": {
                "Content-Type": "application/json",
                "Saleor-Event": event.lower(),
                "Saleor-Domain": SALEOR_DOMAIN,
                "Saleor-Api-Url": SALEOR_API_URL,
                "Saleor-Signature": self.sign(body),
            },
            "body": body.decode(),
        }


ENVELOPE = {"version": "3.20.0", "issuedAt": "2026-11-28T00:15:29.141760+00:00", "recipient": {"id": APP_ID}}


def one_touch_payload(payment_method_id: str, user_id: str = USER_ID) -> dict[str, Any]:
    """TRANSACTION_INITIALIZE_SESSION for a new transaction paying with a saved card (as our subscription asks)."""
    transaction_token = str(uuid.uuid4())
    transaction_id = "VHJhbnNhY3Rpb25JdGVtOi" + uuid.uuid4().hex
    return {
        "__typename": "TransactionInitializeSession",  # every subscription selects it: the route checks it
        **ENVELOPE,
        "action": {"amount": float(AMOUNT), "currency": "JPY", "actionType": "CHARGE"},
        "data": {"paymentMethodId": payment_method_id},
        "idempotencyKey": "key-" + transaction_token,
        "merchantReference": transaction_id,
        "transaction": {"id": transaction_id, "token": transaction_token, "pspReference": ""},
        "sourceObject": {
            "__typename": "Checkout",
            "id": "Q2hlY2tvdXQ6" + uuid.uuid4().hex,
            "email": EMAIL,
            "languageCode": "JA",
            "channel": {"slug": CHANNEL, "currencyCode": "JPY"},
            "user": {"id": user_id, "email": EMAIL},
            "billingAddress": {"phone": "+81312345678"},
            "totalPrice": {"gross": {"amount": float(AMOUNT), "currency": "JPY"}},
            "lines": [
                {
                    "quantity": 1,
                    "variant": {
                        "id": "UHJvZHVjdFZhcmlhbnQ6MzQ4",
                        "sku": "328223580",
                        "metadata": [],
                        "product": {"id": "UHJvZHVjdDoxMzQ=", "metadata": []},
                    },
                }
            ],
        },
    }


def list_payload(user_id: str = USER_ID) -> dict[str, Any]:
    """LIST_STORED_PAYMENT_METHODS for the shopper who owns the saved card."""
    return {
        "__typename": "ListStoredPaymentMethods",
        **ENVELOPE,
        "user": {
            "id": user_id,
            "email": EMAIL,
            "defaultBillingAddress": {"phone": "+81312345678"},
            "privateMetadata": [],
        },
        "channel": {"slug": CHANNEL, "currencyCode": "JPY"},
    }


# ---- figures ---------------------------------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (values need not be sorted)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(header), *(len(row[index]) for row in rows)) for index, header in enumerate(headers)]
    line = "  ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True))
    rule = "  ".join("-" * width for width in widths)
    body = ["  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    return "\n".join([line, rule, *body])


# ---- PostgreSQL ------------------------------------------------------------------------------------------------


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database `rp_bench_<hex>` on a local server (trust authentication), dropped afterwards."""
    import psycopg
    from psycopg import sql

    netloc = server_url.partition("://")[2].split("/", 1)[0]
    user, at, host = netloc.rpartition("@")
    candidates = [user] if at else list(dict.fromkeys((getpass.getuser(), "postgres")))
    admin = None
    for candidate in candidates:
        try:
            admin = psycopg.connect(f"postgresql://{candidate}@{host}/postgres", autocommit=True, connect_timeout=5)
            user = candidate
            break
        except psycopg.OperationalError:
            continue
    if admin is None:
        raise RuntimeError(f"cannot reach PostgreSQL at {host} as {' or '.join(candidates)}")
    name = "rp_bench_" + secrets.token_hex(5)
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql://{user}@{host}/{name}"
    finally:
        with psycopg.connect(f"postgresql://{user}@{host}/postgres", autocommit=True, connect_timeout=5) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

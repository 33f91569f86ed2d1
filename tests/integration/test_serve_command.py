"""`robotpayment-app serve --migrate` as an operator runs it: a real process on a free port with a fresh SQLite
file, answering health, readiness and the manifest, and stopping cleanly on Ctrl+C."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
import pytest

from robotpayment_app.saleor.manifest import APP_IDENTIFIER
from robotpayment_app.store.migrations import current_revision, head_revision

COMMAND = Path(sys.executable).with_name("robotpayment-app")
PUBLIC_URL = "https://payments.example.test"
LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
START_DEADLINE_SECONDS = 60.0


def _environment(tmp_path: Path) -> dict[str, str]:
    inherited = {name: value for name, value in os.environ.items() if not name.startswith("ROBOTPAYMENT_APP_")}
    return {
        **inherited,
        "ROBOTPAYMENT_APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.sqlite3'}",
        "ROBOTPAYMENT_APP_DATA_DIR": str(tmp_path / "data"),
        "ROBOTPAYMENT_APP_PUBLIC_URL": PUBLIC_URL,
    }


def _collect_lines(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)


@pytest.fixture
def served_app(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], queue.Queue[str]]]:
    """The command started with `--port 0` (the OS picks a free port; uvicorn logs the one it got)."""
    assert COMMAND.exists(), f"{COMMAND} is missing: install the project into the venv"
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--host", "127.0.0.1", "--port", "0", "--migrate", "--log-level", "info"],
        env=_environment(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None and process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    for stream in (process.stderr, process.stdout):  # uvicorn logs to stderr, its access log to stdout
        threading.Thread(target=_collect_lines, args=(stream, lines), daemon=True).start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + START_DEADLINE_SECONDS
        port = None
        while port is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or process.poll() is not None:
                pytest.fail("serve did not start:\n" + "".join(seen))
            try:
                line = lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            seen.append(line)
            match = LISTENING.search(line)
            port = match.group(1) if match else None
        yield f"http://127.0.0.1:{port}", process, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def test_serve_migrates_then_answers_health_manifest_and_readiness(
    served_app: tuple[str, subprocess.Popen[str], queue.Queue[str]], tmp_path: Path
) -> None:
    base_url, process, _ = served_app
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        manifest = client.get("/api/manifest")
        assert manifest.status_code == 200
        assert manifest.json()["id"] == APP_IDENTIFIER
        assert manifest.json()["tokenTargetUrl"] == PUBLIC_URL + "/api/register"
        ready = client.get("/readyz")
        assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "ok"})
        # the configuration API is mounted and refuses a caller without a dashboard token
        assert client.post("/graphql", json={"query": "{ kickbackUrl }"}).status_code == 401
    assert current_revision(f"sqlite:///{tmp_path / 'app.sqlite3'}") == head_revision()
    assert (tmp_path / "data" / "encryption.key").exists()  # the development key, kept beside the data

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0


def test_serve_logs_no_kickback_secret_or_gateway_key(
    served_app: tuple[str, subprocess.Popen[str], queue.Queue[str]],
) -> None:
    """Found in review: uvicorn's access log printed kickback paths and queries (installation secret, user key)."""
    base_url, process, lines = served_app
    secret, user_key = "kbSECRETzz81f3", "KEYvalue9Q"
    with httpx.Client(base_url=base_url, timeout=10.0) as client:
        answer = client.get(f"/api/kickback/{secret}", params={"gid": "1", "rst": "1", "key": user_key})
        assert answer.status_code == 200 and answer.text  # the gateway needs a non-empty body, whatever happens
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=15) == 0
    time.sleep(0.2)  # let the reader thread take the last lines
    output = []
    while not lines.empty():
        output.append(lines.get_nowait())
    logged = "".join(output)
    assert secret not in logged and user_key not in logged

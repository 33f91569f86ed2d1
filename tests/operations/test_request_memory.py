"""What a refused body costs the server: `robotpayment-app serve` as an operator runs it (a real process, uvicorn's
default HTTP parser), sent a 200 MB chunked body on routes that read one.

Found in review: `/api/register` read the whole body before refusing it, and the process grew from 145 to 520 MB.
The body must be refused as soon as it passes the route's limit and the rest never held: the process's peak
resident memory (VmHWM, Linux) may not grow by more than a few MB.
"""

from __future__ import annotations

import os
import queue
import re
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from robotpayment_app.saleor.webhooks import WEBHOOKS, SaleorEvent

COMMAND = Path(sys.executable).with_name("robotpayment-app")
LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
BODY_BYTES = 200 * 1024 * 1024
CHUNK = 64 * 1024
ALLOWED_GROWTH_MIB = 16
WEBHOOK = next(hook.path for hook in WEBHOOKS if hook.event is SaleorEvent.TRANSACTION_INITIALIZE_SESSION)

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc/<pid>/status")


def _peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) / 1024


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, int]]:
    """(pid, port) of `serve --migrate` on a fresh SQLite file."""
    assert COMMAND.exists(), f"{COMMAND} is missing: install the project into the venv"
    folder = tmp_path_factory.mktemp("served")
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ROBOTPAYMENT_APP_")}
    environment |= {
        "ROBOTPAYMENT_APP_DATABASE_URL": f"sqlite:///{folder / 'app.sqlite3'}",
        "ROBOTPAYMENT_APP_DATA_DIR": str(folder / "data"),
    }
    process = subprocess.Popen(
        [str(COMMAND), "serve", "--host", "127.0.0.1", "--port", "0", "--migrate", "--log-level", "info"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stderr or ()], daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        port = None
        while port is None:
            assert time.monotonic() < deadline and process.poll() is None, "serve did not start"
            try:
                match = LISTENING.search(lines.get(timeout=0.5))
            except queue.Empty:
                continue
            port = int(match.group(1)) if match else None
        yield process.pid, port
    finally:
        process.terminate()
        process.wait(timeout=15)


def _answer(connection: socket.socket) -> bytes:
    answer = b""
    while b"\r\n\r\n" not in answer:
        data = connection.recv(65536)
        assert data, "the server closed the connection without an answer"
        answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    length = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
    assert length is not None, head
    while len(body) < int(length.group(1)):
        body += connection.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.mark.parametrize("path", ["/api/register", WEBHOOK], ids=["register", "webhook"])
def test_a_200_mb_chunked_body_is_refused_while_it_streams_and_never_held(served: tuple[int, int], path: str) -> None:
    pid, port = served
    peak_before = _peak_rss_mib(pid)
    frame = b"%x\r\n" % CHUNK + b"[" * CHUNK + b"\r\n"
    sent, sent_when_answered = 0, None
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        request = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        connection.sendall(request.encode() + b"Transfer-Encoding: chunked\r\n\r\n")
        # the whole body is sent, as a client that reads no answer before it is done would: the rest is discarded
        while sent < BODY_BYTES:
            connection.sendall(frame)
            sent += CHUNK
            if sent_when_answered is None and select.select([connection], [], [], 0)[0]:
                sent_when_answered = sent
        connection.sendall(b"0\r\n\r\n")
        answer = _answer(connection)
    peak_after = _peak_rss_mib(pid)

    assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
    assert b"request body too large: this route accepts at most" in answer
    assert sent_when_answered is not None and sent_when_answered < 32 * 1024 * 1024, sent_when_answered
    assert peak_after - peak_before < ALLOWED_GROWTH_MIB, (peak_before, peak_after)

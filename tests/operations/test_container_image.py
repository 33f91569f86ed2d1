"""The Dockerfile, checked without a container engine: a slim Python 3.11 base, a non-root user, a command the
CLI accepts, nothing secret or bulky sent to the build, and (the real proof) the files it copies are enough to
serve: the app started from a copy of exactly those files answers readiness and its manifest, whose
subscriptions it reads from graphql/ beside plugin/."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

import httpx

from robotpayment_app.cli import build_parser
from robotpayment_app.saleor.documents import DEFAULT_GRAPHQL_DIR
from tests.support.shared import REPO_ROOT

DOCKERFILE = REPO_ROOT / "Dockerfile"
ALL_INTERFACES = ".".join(["0"] * 4)
DOCKERIGNORE = REPO_ROOT / ".dockerignore"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "") for line in lines]


def _copied() -> list[str]:
    sources: list[str] = []
    for instruction, arguments in _instructions():
        if instruction == "COPY":
            words = [word for word in shlex.split(arguments) if not word.startswith("--")]
            sources.extend(words[:-1])
    return sources


def _ignored(path: str) -> bool:
    patterns = [line.strip() for line in DOCKERIGNORE.read_text().splitlines() if line.strip() and line[0] != "#"]
    return any(fnmatch(path, pattern) or fnmatch(path, pattern.removeprefix("**/")) for pattern in patterns)


def test_base_user_command_and_health() -> None:
    instructions = _instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users and users[-1] not in ("root", "0")
    [command] = [arguments for instruction, arguments in instructions if instruction == "CMD"]
    argv = json.loads(command)  # the exec (JSON array) form: no shell in between
    assert argv[:2] == ["robotpayment-app", "serve"]
    args = build_parser().parse_args(argv[1:])
    # every interface of the container (its network is the boundary), one worker per container
    assert (args.host, args.port, args.workers) == (ALL_INTERFACES, 8000, 1)
    [health] = [arguments for instruction, arguments in instructions if instruction == "HEALTHCHECK"]
    assert "/readyz" in health


def test_the_build_context_holds_what_is_copied_and_no_secrets() -> None:
    for source in _copied():
        assert (REPO_ROOT / source).exists(), source
        assert not _ignored(source), f"{source} is copied but .dockerignore leaves it out"
    for unwanted in (".venv", ".git", "data", "app.sqlite3", "encryption.key", ".env", "tests", "test-artifacts"):
        assert _ignored(unwanted), unwanted


def test_an_app_made_of_the_copied_files_alone_serves(tmp_path: Path) -> None:
    image = tmp_path / "app"
    image.mkdir()
    for source in _copied():
        origin = REPO_ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, image / source, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(origin, image / source)
    assert DEFAULT_GRAPHQL_DIR == REPO_ROOT / "graphql"  # the relation the copy keeps: graphql/ beside plugin/
    port = _free_port()
    environment = {name: value for name, value in os.environ.items() if not name.startswith("ROBOTPAYMENT_APP_")}
    environment |= {
        "ROBOTPAYMENT_APP_DATA_DIR": str(tmp_path / "data"),
        "ROBOTPAYMENT_APP_PUBLIC_URL": "https://payments.example.test",
    }
    program = (
        f"import sys; sys.path.insert(0, {str(image / 'plugin')!r}); import robotpayment_app; "
        f"assert robotpayment_app.__file__.startswith({str(image)!r}); from robotpayment_app.cli import main; "
        f"sys.exit(main(['serve', '--host', '127.0.0.1', '--port', '{port}', '--migrate']))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", program], cwd=image, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base_url, timeout=5.0) as client:
            while True:
                assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
                try:
                    ready = client.get("/readyz")
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the copied app did not start"
                    time.sleep(0.1)
            manifest = client.get("/api/manifest")
        assert ready.status_code == 200
        assert manifest.status_code == 200 and len(manifest.json()["webhooks"]) == 14
        assert all(webhook["query"].startswith("subscription") for webhook in manifest.json()["webhooks"])
    finally:
        process.terminate()
        process.wait(timeout=15)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port

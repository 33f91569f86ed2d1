"""`robotpayment-app demo` as a subprocess: start it, read its banner, stop it with SIGINT."""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

BANNER_KEYS = ("storefront", "app", "saleor", "gateway", "shopper", "staff", "channel")
START_TIMEOUT_SECONDS = 90.0  # imports, key generation and migrations on a busy two-core machine
STOP_TIMEOUT_SECONDS = 30.0


def demo_command() -> list[str]:
    """The installed console command beside this interpreter (.venv/bin/robotpayment-app)."""
    script = Path(sys.executable).with_name("robotpayment-app")
    return [str(script), "demo"] if script.exists() else [sys.executable, "-m", "robotpayment_app.cli", "demo"]


@dataclass
class DemoProcess:
    process: subprocess.Popen[str]
    stderr_path: Path
    lines: list[str] = field(default_factory=list)  # stdout, in order
    _stdout: queue.Queue[str | None] = field(default_factory=queue.Queue)

    @classmethod
    def start(cls, *args: str, stderr_path: Path) -> DemoProcess:
        stderr = stderr_path.open("w")
        process = subprocess.Popen([*demo_command(), *args], stdout=subprocess.PIPE, stderr=stderr, text=True)
        stderr.close()
        started = cls(process, stderr_path)
        threading.Thread(target=started._pump, daemon=True).start()
        return started

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._stdout.put(line.rstrip("\n"))
        self._stdout.put(None)

    def read_banner(self) -> dict[str, str]:
        """Reads stdout up to the `channel:` line; fails with stderr's tail when the demo exits or stalls."""
        banner: dict[str, str] = {}
        while "channel" not in banner:
            try:
                line = self._stdout.get(timeout=START_TIMEOUT_SECONDS)
            except queue.Empty:
                raise AssertionError(f"no banner within {START_TIMEOUT_SECONDS} s:\n{self.stderr()[-3000:]}") from None
            if line is None:
                raise AssertionError(
                    f"the demo exited ({self.process.wait()}) before its banner:\n{self.stderr()[-3000:]}"
                )
            self.lines.append(line)
            key, _, value = line.partition(": ")
            banner[key] = value
        return banner

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def interrupt(self) -> int:
        """Ctrl-C: SIGINT, then the exit status (a demo that does not stop is killed and fails the caller)."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the demo did not stop within {STOP_TIMEOUT_SECONDS} s of SIGINT") from None

    def remaining_stdout(self) -> list[str]:
        """stdout after the banner, once the process has exited."""
        rest: list[str] = []
        while (line := self._stdout.get(timeout=5)) is not None:
            rest.append(line)
        return rest

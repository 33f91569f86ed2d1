"""Helpers for the operations tests: JSON log capture through the app's own logging set-up, and a reader of
the Prometheus text format."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from robotpayment_app.web.observability import configure_logging
from tests.support.app_harness import APP_BASE_URL

APP_HOST = httpx.URL(APP_BASE_URL).host
_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


@dataclass
class JsonLog:
    stream: io.StringIO

    def lines(self) -> list[dict[str, Any]]:
        """Every line written so far, each parsed (a line that is not one JSON object fails the test)."""
        parsed = []
        for line in self.stream.getvalue().splitlines():
            value = json.loads(line)
            assert isinstance(value, dict), line
            parsed.append(value)
        return parsed

    def text(self) -> str:
        return self.stream.getvalue()


class NotTheApp(logging.Filter):
    """Drops what the test's doubles log, which a deployed app would never write: the requests that Saleor and
    the gateway (the test's clients) send *to* the app, logged by httpx on the sender's side, and the in-process
    sandbox's own lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("robotpayment_app.sandbox"):
            return False
        if record.name == "httpx" and isinstance(record.args, tuple) and len(record.args) > 1:
            url = record.args[1]
            return not (isinstance(url, httpx.URL) and url.host == APP_HOST)
        return True


@contextmanager
def json_logs(level: str = "DEBUG") -> Iterator[JsonLog]:
    """The process's logging as `configure_logging` sets it, into a buffer (without the doubles' own lines,
    see `NotTheApp`); restored afterwards."""
    root = logging.getLogger()
    saved_level, saved_root_handlers = root.level, list(root.handlers)
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi", "aiosqlite", "sqlalchemy", "httpcore",
             "hpack", "multipart", "asyncio", "psycopg")  # fmt: skip
    saved = {
        name: (logger.level, logger.propagate, list(logger.handlers), logger.disabled)
        for name in names
        for logger in [logging.getLogger(name)]
    }
    stream = io.StringIO()
    handler = configure_logging(level, stream=stream)
    handler.addFilter(NotTheApp())
    try:
        yield JsonLog(stream)
    finally:
        handler.close()
        root.handlers[:] = saved_root_handlers  # also drops handlers a tested factory installed
        root.setLevel(saved_level)
        for name, (level_before, propagate, handlers, disabled) in saved.items():
            logger = logging.getLogger(name)
            logger.setLevel(level_before)
            logger.propagate = propagate
            logger.handlers[:] = handlers
            logger.disabled = disabled


def parse_exposition(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Samples of a Prometheus text exposition, by (name, labels); every line must be well formed."""
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float] = {}
    types: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            assert kind in ("counter", "gauge", "histogram"), line
            types[name] = kind
            continue
        if line.startswith("# HELP "):
            continue
        match = _SAMPLE.match(line)
        assert match is not None, f"malformed sample line: {line!r}"
        name, _, labels, value = match.groups()
        family = re.sub(r"_(bucket|sum|count)$", "", name)
        assert name in types or family in types, f"sample without # TYPE: {line!r}"
        key = (name, frozenset(_LABEL.findall(labels or "")))
        assert key not in samples, f"duplicate sample {line!r}"
        samples[key] = float(value.replace("+Inf", "inf"))
    return samples


def sample(samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)

"""Operations: JSON log lines, a request id per request, one summary line and metrics per request.

- `configure_logging(level)` makes every log record (the app's, uvicorn's, libraries') one JSON object per
  line on stderr: time, level, logger, message, request_id, event, psp_reference and duration_ms when known,
  plus the record's own `extra` fields. uvicorn's access log is switched off: it prints the query string,
  and a kickback's carries a user key (its path, the installation's kickback secret); the summary line
  written here carries neither.
- `ObservabilityMiddleware` takes the request id from `X-Request-Id` (when it is a sane token) or makes
  one, passes it on to the routes, echoes it in the response, and after the answer logs one line
  (`request finished`) and counts webhooks in `AppMetrics`.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from robotpayment_app.saleor.webhooks import WEBHOOKS
from robotpayment_app.web.kickback_routes import KICKBACK_PATH
from robotpayment_app.web.metrics import METRICS_PATH, AppMetrics

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_KICKBACK_PREFIX = KICKBACK_PATH.split("{", 1)[0]
_WEBHOOK_EVENTS = {hook.path: hook.event.value for hook in WEBHOOKS}
# Answers larger than this are not read for their result (webhook answers are a few hundred bytes).
_MAX_ANSWER_BYTES = 64 * 1024
# Probes and scrapes come every few seconds: their lines would drown the rest at INFO.
_QUIET_PATHS = frozenset({"/healthz", "/readyz", METRICS_PATH})
# Libraries whose INFO/DEBUG lines carry SQL parameters or raw protocol data: never below WARNING.
_CHATTY_LIBRARIES = ("aiosqlite", "sqlalchemy", "httpcore", "hpack", "multipart", "asyncio", "psycopg")
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")

_STANDARD_RECORD_FIELDS = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime", "color_message"}
)


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    event: str | None = None


_CURRENT_REQUEST: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "robotpayment_request", default=None
)


def current_request() -> RequestContext | None:
    """The request being served by the running task, if any."""
    return _CURRENT_REQUEST.get()


class JsonLogFormatter(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request = current_request()
        if request is not None:
            line["request_id"] = request.request_id
            if request.event is not None:
                line["event"] = request.event
        for key, value in record.__dict__.items():
            if key not in _STANDARD_RECORD_FIELDS and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _OurHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler this module installed, so that configuring again replaces it."""


def configure_logging(level: str, *, stream: IO[str] | None = None) -> logging.Handler:
    """Send every log record, as JSON lines, to `stream` (stderr) at `level` (ROBOTPAYMENT_APP_LOG_LEVEL).

    Called once by the process's composition root (`create_app_from_environment`); tests call it with their
    own stream. Returns the installed handler.
    """
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        raise ValueError(f"log level: one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {level!r}")
    root = logging.getLogger()
    for existing in [handler for handler in root.handlers if isinstance(handler, _OurHandler)]:
        root.removeHandler(existing)
    handler = _OurHandler(stream or sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root.addHandler(handler)
    root.setLevel(numeric)
    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
        uvicorn_logger.setLevel(logging.NOTSET)
    # the summary line below replaces it, without the query string
    logging.getLogger("uvicorn.access").disabled = True
    for name in _CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
    return handler


# ---- per request ------------------------------------------------------------------------------------------------


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            return text if _REQUEST_ID.fullmatch(text) else None
    return None


def _route_of(path: str) -> str:
    """The path as logged: the kickback secret is replaced by its placeholder."""
    return KICKBACK_PATH if path.startswith(_KICKBACK_PREFIX) else path


def _kickback_gid(scope: Scope) -> str | None:
    """Only `gid` is taken from a kickback's query (the rest may hold a user key)."""
    query = scope.get("query_string", b"").decode("latin-1")
    gid = next((value for name, value in parse_qsl(query) if name == "gid"), None)
    return gid if gid is not None and gid.isdigit() and len(gid) <= 20 else None


def _answer_fields(body: bytes) -> tuple[str, str | None]:
    """Saleor's `result` and `pspReference` from a webhook answer ("none" when it has no result)."""
    try:
        answer = json.loads(body)
    except ValueError:
        return "none", None
    if not isinstance(answer, dict):
        return "none", None
    result = answer.get("result")
    reference = answer.get("pspReference")
    return (
        result if isinstance(result, str) and len(result) <= 64 else "none",
        reference if isinstance(reference, str) and len(reference) <= 128 else None,
    )


class ObservabilityMiddleware:
    """Request id, one summary log line and metrics per HTTP request (pure ASGI: no body buffering except a
    webhook's small answer)."""

    def __init__(self, app: ASGIApp, *, metrics: AppMetrics, logger: logging.Logger | None = None) -> None:
        self._app = app
        self._metrics = metrics
        self._logger = logger or logging.getLogger("robotpayment_app.web.requests")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope)
        if request_id is None:
            request_id = uuid.uuid4().hex
            # the routes read the id from the headers: give them this one
            headers = [(name, value) for name, value in scope.get("headers", ()) if name != b"x-request-id"]
            scope = {**scope, "headers": [*headers, (b"x-request-id", request_id.encode("ascii"))]}
        path: str = scope.get("path", "")
        event = _WEBHOOK_EVENTS.get(path)
        token = _CURRENT_REQUEST.set(RequestContext(request_id, event))
        status = 500
        answer = bytearray()
        header = (b"x-request-id", request_id.encode("ascii"))

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), header]}
            elif message["type"] == "http.response.body" and event is not None and len(answer) < _MAX_ANSWER_BYTES:
                answer.extend(message.get("body", b""))
            await send(message)

        started = time.perf_counter()
        try:
            await self._app(scope, receive, send_with_id)
        finally:
            duration = time.perf_counter() - started
            try:
                self._finish(scope, path, event, status, bytes(answer), duration)
            finally:
                _CURRENT_REQUEST.reset(token)

    def _finish(
        self, scope: Scope, path: str, event: str | None, status: int, answer: bytes, duration: float
    ) -> None:
        fields: dict[str, Any] = {
            "method": scope.get("method", ""),
            "path": _route_of(path),
            "status": status,
            "duration_ms": round(duration * 1000, 2),
        }
        if event is not None:
            if status == 200:
                result, reference = _answer_fields(answer)
            else:
                result, reference = ("error" if status >= 500 else "refused"), None
            self._metrics.webhooks.inc(event, str(status), result)
            self._metrics.webhook_seconds.observe(duration, event)
            fields["result"] = result
            if reference is not None:
                fields["psp_reference"] = reference
        elif path.startswith(_KICKBACK_PREFIX):
            self._metrics.kickbacks.inc(str(status))
            gid = _kickback_gid(scope)
            if gid is not None:
                fields["psp_reference"] = gid
        level = logging.DEBUG if path in _QUIET_PATHS and status < 500 else logging.INFO
        self._logger.log(level, "request finished", extra=fields)

"""Request bodies are bounded before they are read, on every route: one ASGI middleware, `BodyLimitMiddleware`.

A body is refused with 413 and a one-line reason as soon as it is known to pass its route's limit: before the
route runs when `Content-Length` says so, else as soon as the chunks read so far pass it, so that a chunked body
of any size costs the app at most its limit in memory (while a chunk waits to be read, uvicorn stops reading the
socket; once the answer is sent, it discards the rest of the body). Each route that reads a body declares its
`BodyLimit` (how many bytes, and how its refusal reads in that route's own error shape); every other path gets the
default one. Routes simply read their body: the limit is enforced underneath them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

# for a path without a limit of its own: the app's other routes read no body at all
DEFAULT_MAX_BODY_BYTES = 16 * 1024


def error_refusal(reason: str) -> Response:
    """The refusal of a route without an error shape of its own: `{"error": reason}`."""
    return JSONResponse({"error": reason}, status_code=413)


@dataclass(frozen=True)
class BodyLimit:
    """At most `max_bytes` of body; `refusal` builds the 413 answer from the one-line reason."""

    max_bytes: int
    refusal: Callable[[str], Response] = error_refusal

    def reason(self) -> str:
        return f"request body too large: this route accepts at most {self.max_bytes} bytes"


class _BodyTooLarge(Exception):
    """Raised from `receive` into the route when the body passes its limit; the middleware answers it."""


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            # the server has validated the header already; anything else is left for it to refuse
            return int(value) if value.isdigit() else None
    return None


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limits: Mapping[str, BodyLimit],
        default: BodyLimit = BodyLimit(DEFAULT_MAX_BODY_BYTES),
    ) -> None:
        self._app = app
        self._limits = dict(limits)
        self._default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit = self._limits.get(scope.get("path", ""), self._default)
        declared = _declared_length(scope)
        if declared is not None and declared > limit.max_bytes:
            await self._refuse(limit, scope, receive, send)
            return
        received = 0
        answering = False

        async def bounded_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.max_bytes:
                    raise _BodyTooLarge
            return message

        async def watched_send(message: Message) -> None:
            nonlocal answering
            answering = answering or message["type"] == "http.response.start"
            await send(message)

        try:
            await self._app(scope, bounded_receive, watched_send)
        except _BodyTooLarge:
            if answering:  # no route answers before reading its body; if one did, the answer cannot be replaced
                raise
            await self._refuse(limit, scope, receive, send)

    async def _refuse(self, limit: BodyLimit, scope: Scope, receive: Receive, send: Send) -> None:
        # no path here: a kickback's carries its secret (the request's own summary line masks it)
        logger.warning("request body refused", extra={"limit_bytes": limit.max_bytes})
        await limit.refusal(limit.reason())(scope, receive, send)

"""Typed errors of the gateway layer.

Texts never hold the user `key`, the token `tkn` or answer bodies (a bulk registration answer echoes the key):
only field names, rules, codes and the secret-free `CallSummary` of the request.
"""

from __future__ import annotations

from .calls import CallSummary
from .error_catalogue import ErrorEntry


class GatewayError(Exception):
    """Base of every error raised by the gateway layer."""


class GatewayValidationError(GatewayError, ValueError):
    """A request field breaks a rule of the spec; nothing was sent.

    `field` is the gateway's own spelling (`aid`, `uid`, `am`, ...); `rule` says what the value must be.
    """

    def __init__(self, field: str, rule: str, *, name: str | None = None) -> None:
        self.field = field
        self.rule = rule
        self.name = name
        label = f"{field} ({name})" if name and name != field else field
        super().__init__(f"invalid {label}: {rule}")


class GatewayAnswerError(GatewayError):
    """An answer from the gateway does not have the documented form."""

    def __init__(self, reason: str, *, call: CallSummary | None = None) -> None:
        self.reason = reason
        self.call = call
        where = f" from {call.describe()}" if call is not None else ""
        super().__init__(f"malformed gateway answer{where}: {reason}")


class GatewayRejected(GatewayError):
    """A customer or card management call answered rst=2; `entry` explains the code."""

    def __init__(self, entry: ErrorEntry, *, call: CallSummary) -> None:
        self.entry = entry
        self.call = call
        code = entry.code or "(no code)"
        super().__init__(f"gateway refused {call.describe()}: {code} {entry.english}")


class GatewayUnavailable(GatewayError):
    """The gateway did not process the request: it never got it (connect error, DNS, pool timeout) or refused
    it at the HTTP level (status other than 2xx/5xx). Safe to send again."""

    def __init__(self, reason: str, *, call: CallSummary, status_code: int | None = None) -> None:
        self.reason = reason
        self.call = call
        self.status_code = status_code
        super().__init__(f"gateway unavailable for {call.describe()}: {reason}")


class GatewayOutcomeUnknown(GatewayError):
    """The request was or may have been processed and no valid answer came back (read timeout, connection
    dropped after sending, 5xx, unusable answer to a money-moving call). Never report it as failed; never
    resend blindly."""

    def __init__(self, reason: str, *, call: CallSummary, status_code: int | None = None) -> None:
        self.reason = reason
        self.call = call
        self.status_code = status_code
        super().__init__(f"outcome unknown for {call.describe()}: {reason}")

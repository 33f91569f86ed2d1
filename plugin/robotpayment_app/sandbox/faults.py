"""Faults a test can inject: the next N calls to an endpoint misbehave the way real networks do.

Modes that answer at once (nothing is processed): `status` (an HTTP 3xx/4xx/5xx page, as a front server or
proxy may answer; a 3xx points elsewhere), `empty` (200 with
no body), `garbage` (200 with an HTML error page instead of CSV), `busy` (ER010), `maintenance`
(ER999), `drop` (the connection closes unanswered). Modes that process the call first: `slow`
(answers after a delay) and `drop_after` (charges, then closes the connection unanswered).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

GATEWAY_PAGES = (
    "carduser.aspx",
    "carduser_token.aspx",
    "gateway_token.aspx",
    "onetouch.aspx",
    "gateway.aspx",
)
ANY_PAGE = "*"
_ENDPOINT_PATTERN = "^(" + "|".join(re.escape(page) for page in (ANY_PAGE, *GATEWAY_PAGES)) + ")$"


class FaultMode(StrEnum):
    STATUS = "status"
    EMPTY = "empty"
    GARBAGE = "garbage"
    BUSY = "busy"
    MAINTENANCE = "maintenance"
    SLOW = "slow"
    DROP = "drop"
    DROP_AFTER = "drop_after"


class Fault(BaseModel):
    """`POST /sandbox/faults` body, and what `Sandbox.faults.add` takes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    endpoint: str = Field(default=ANY_PAGE, pattern=_ENDPOINT_PATTERN)
    mode: FaultMode
    count: int = Field(default=1, ge=1, le=1000)
    status: int = Field(default=503, ge=300, le=599)  # for mode `status`
    delay_seconds: float | None = Field(default=None, ge=0)  # for mode `slow`; None: the configured delay


@dataclass(slots=True)
class _Pending:
    fault: Fault
    remaining: int


class FaultPlan:
    """Faults waiting to happen, first added first used."""

    def __init__(self) -> None:
        self._pending: list[_Pending] = []

    def add(self, fault: Fault) -> None:
        self._pending.append(_Pending(fault=fault, remaining=fault.count))

    def take(self, page: str) -> Fault | None:
        """The fault the next call to `page` suffers, if any (each one counts down)."""
        for pending in self._pending:
            if pending.fault.endpoint in (ANY_PAGE, page):
                pending.remaining -= 1
                if pending.remaining == 0:
                    self._pending.remove(pending)
                return pending.fault
        return None

    def pending(self) -> list[tuple[Fault, int]]:
        return [(pending.fault, pending.remaining) for pending in self._pending]

    def clear(self) -> None:
        self._pending.clear()

"""Capture (実売上, jb=SALES) and void (取消, jb=CANCEL) of an earlier payment, by its `gid`.

Source: J-Payment's own 2014 EC-CUBE payment module (vendor code, pre-token), rated **[official-old]** in
`docs/gateway-notes.md`: `gateway.aspx` with `aid jb tid=<gid> rt=1`, answered in the payment CSV; ER032 =
capture failed or already captured, ER033 = cancel failed. The current spec does not describe these calls, so
they live here alone and can be changed in one place. Refund after capture and partial amounts are not
documented anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from . import fields
from .calls import CallSummary
from .fields import JobType
from .requests import WireParams, assign

SALES_AND_CANCEL_ENDPOINT = "gateway.aspx"


@dataclass(frozen=True, kw_only=True)
class _ByPaymentId:
    endpoint: ClassVar[str] = SALES_AND_CANCEL_ENDPOINT
    _job: ClassVar[JobType]

    store_id: str
    gid: str

    def __post_init__(self) -> None:
        assign(self, store_id=fields.store_id(self.store_id), gid=fields.payment_id(self.gid))

    def wire_params(self) -> WireParams:
        return (("aid", self.store_id), ("jb", self._job.value), ("tid", self.gid), ("rt", "1"))

    def summary(self) -> CallSummary:
        return CallSummary(endpoint=self.endpoint, jb=self._job.value, gid=self.gid)


@dataclass(frozen=True, kw_only=True)
class Capture(_ByPaymentId):
    """実売上 (SALES) of an AUTH payment, within 90 days of it."""

    _job: ClassVar[JobType] = JobType.SALES


@dataclass(frozen=True, kw_only=True)
class Cancellation(_ByPaymentId):
    """取消 (CANCEL) of a payment."""

    _job: ClassVar[JobType] = JobType.CANCEL

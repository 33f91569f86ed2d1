"""What a gateway call was, told without its secrets: for exceptions and log lines.

A `CallSummary` is built by every request model. It never holds the user `key` or the token `tkn`,
so it can go into exception texts, logs and ledger notes as it is.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class CallSummary:
    """The non-secret part of one gateway request (wire names in `describe()`)."""

    endpoint: str
    cmd: str | None = None
    jb: str | None = None
    cod: str | None = None
    amount: int | None = None
    tax: int | None = None
    shipping: int | None = None
    item_id: str | None = None
    customer_id: str | None = None
    card_seq: str | None = None
    gid: str | None = None

    def describe(self) -> str:
        """One short line such as `onetouch.aspx cmd=4 jb=AUTH cod=A-1 am=1000 tx=0 sf=0 uid=u1 num=1`."""
        labelled = (
            ("cmd", self.cmd),
            ("jb", self.jb),
            ("cod", self.cod),
            ("am", self.amount),
            ("tx", self.tax),
            ("sf", self.shipping),
            ("iid", self.item_id),
            ("uid", self.customer_id),
            ("num", self.card_seq),
            ("gid", self.gid),
        )
        parts = [self.endpoint, *(f"{name}={value}" for name, value in labelled if value is not None)]
        return " ".join(parts)

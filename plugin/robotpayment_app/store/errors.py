"""Typed errors of the store. Messages name what was looked for, never a secret."""

from __future__ import annotations

from robotpayment_app.store.records import LedgerEntry, LedgerStatus


class StoreError(Exception):
    """Base of the store's own errors."""


class CustomerAlreadyExists(StoreError):
    """A customer with this Saleor user or this gateway customer id already exists for the store id."""


class CardNotFound(StoreError):
    """No such card, or the card belongs to someone else: deliberately the same error for both."""

    def __init__(self, public_id: str) -> None:
        super().__init__(f"no saved card {public_id!r} for this customer")
        self.public_id = public_id


class RecordNotFound(StoreError):
    """A row addressed by its id does not exist (any more)."""


class LedgerKeyConflict(StoreError):
    """A dedup key is reused for a different request (its fingerprint differs)."""

    def __init__(self, existing: LedgerEntry) -> None:
        super().__init__(f"dedup key {existing.dedup_key!r} was first used for a different request")
        self.existing = existing


class LedgerTransitionError(StoreError):
    """A ledger entry cannot move to the requested status from the one it is in."""

    def __init__(
        self, entry_id: int, current: LedgerStatus, requested: LedgerStatus, detail: str = ""
    ) -> None:
        reason = f": {detail}" if detail else ""
        super().__init__(
            f"ledger entry {entry_id} is {current.value}; cannot become {requested.value}{reason}"
        )
        self.entry_id = entry_id
        self.current = current
        self.requested = requested


class ResolutionRefused(StoreError):
    """A person's decision cannot be recorded for this payment (settled already, or resolved before)."""

    def __init__(self, entry_id: int, reason: str) -> None:
        super().__init__(f"payment {entry_id} cannot be resolved: {reason}")
        self.entry_id = entry_id
        self.reason = reason

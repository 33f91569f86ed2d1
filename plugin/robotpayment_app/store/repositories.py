"""The store as the flows see it: one object bundling every repository, built from its dependencies."""

from __future__ import annotations

from dataclasses import dataclass

from robotpayment_app.store._sql import Clock, utc_now
from robotpayment_app.store.card_lists import CardChanges, NoCardChanges
from robotpayment_app.store.channels import ChannelConfigRepository
from robotpayment_app.store.crypto import SecretBox
from robotpayment_app.store.customers import CardRepository, CustomerRepository
from robotpayment_app.store.database import SessionFactory
from robotpayment_app.store.installations import InstallationRepository
from robotpayment_app.store.kickbacks import KickbackLog
from robotpayment_app.store.ledger import PaymentLedger
from robotpayment_app.store.recorded_refunds import RecordedRefunds
from robotpayment_app.store.settlements import Settlements
from robotpayment_app.store.three_ds_offers import ThreeDsOffers

__all__ = [
    "CardRepository",
    "ChannelConfigRepository",
    "CustomerRepository",
    "InstallationRepository",
    "KickbackLog",
    "PaymentLedger",
    "Settlements",
    "Store",
]


@dataclass(frozen=True, slots=True)
class Store:
    installations: InstallationRepository
    channels: ChannelConfigRepository
    customers: CustomerRepository
    cards: CardRepository
    ledger: PaymentLedger
    kickbacks: KickbackLog
    settlements: Settlements
    three_ds_offers: ThreeDsOffers
    recorded_refunds: RecordedRefunds

    @classmethod
    def create(
        cls,
        sessions: SessionFactory,
        secret_box: SecretBox,
        *,
        clock: Clock = utc_now,
        channel_cache_seconds: float = 0.0,
        card_changes: CardChanges | None = None,
    ) -> Store:
        """`channel_cache_seconds`: how old a channel configuration a webhook may be given (see store/channels.py);
        `card_changes`: the change feed behind the saved-card list cache (store/card_lists.py; none: no cache)."""
        changes = card_changes or NoCardChanges()
        return cls(
            installations=InstallationRepository(sessions, secret_box, clock=clock, card_changes=changes),
            channels=ChannelConfigRepository(sessions, clock=clock, cache_seconds=channel_cache_seconds),
            customers=CustomerRepository(sessions, secret_box, clock=clock, changes=changes),
            cards=CardRepository(sessions, secret_box, clock=clock, changes=changes),
            ledger=PaymentLedger(sessions, clock=clock),
            kickbacks=KickbackLog(sessions, clock=clock),
            settlements=Settlements(sessions, clock=clock),
            three_ds_offers=ThreeDsOffers(sessions, clock=clock),
            recorded_refunds=RecordedRefunds(sessions, clock=clock),
        )

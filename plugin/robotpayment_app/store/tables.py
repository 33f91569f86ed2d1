"""SQLAlchemy table definitions. The repositories are the only readers and writers.

No ORM relationships: every read and write is an explicit statement (async sessions and lazy loading do
not mix), and deletes cascade in the database itself (`ON DELETE CASCADE`; SQLite runs with foreign keys on).
Column names are English; the gateway's names are noted where they differ.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from robotpayment_app.store.records import (
    JobType,
    LedgerKind,
    LedgerStatus,
    NotificationState,
    ResolutionDecision,
    SettledBy,
    TokenMode,
)

# named constraints: Alembic needs names to alter SQLite tables in batch mode
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset, so we put it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the store keeps timezone-aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JsonDocument = JSON().with_variant(JSONB(), "postgresql")


def _one_of(column: str, values: type[Any]) -> str:
    return f"{column} IN ({', '.join(repr(str(member.value)) for member in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class InstallationRow(Base):
    __tablename__ = "installations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saleor_api_url: Mapped[str] = mapped_column(String(1024), unique=True)
    domain: Mapped[str] = mapped_column(String(255))
    app_id: Mapped[str] = mapped_column(String(255))
    app_token_encrypted: Mapped[str] = mapped_column(Text)
    jwks: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    # the kickback URL's secret: sealed like the other secrets, found by its SHA-256 (the route knows the secret)
    kickback_secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kickback_secret_encrypted: Mapped[str] = mapped_column(Text)
    kickback_secret_created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ChannelConfigRow(Base):
    __tablename__ = "channel_configs"
    __table_args__ = (
        UniqueConstraint("installation_id", "channel_slug"),
        CheckConstraint(_one_of("job_type", JobType), name="job_type"),
        CheckConstraint(_one_of("token_mode", TokenMode), name="token_mode"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    channel_slug: Mapped[str] = mapped_column(String(255))
    store_id: Mapped[str] = mapped_column(String(16))  # aid
    gateway_base_url: Mapped[str] = mapped_column(String(1024))
    job_type: Mapped[str] = mapped_column(String(16))  # jb
    token_mode: Mapped[str] = mapped_column(String(16))
    payment_methods: Mapped[list[str]] = mapped_column(JsonDocument)  # md codes
    installment_counts: Mapped[list[int]] = mapped_column(JsonDocument)  # pt choices
    product_mode: Mapped[bool] = mapped_column(Boolean)
    product_code_metadata_key: Mapped[str] = mapped_column(String(256))  # where the product's iid lives
    product_job_type: Mapped[str | None] = mapped_column(String(16))  # AUTH | CAPTURE, as the product is set
    save_cards_allowed: Mapped[bool] = mapped_column(Boolean)
    cvv_required: Mapped[bool] = mapped_column(Boolean)
    split_tax_and_shipping: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CustomerRow(Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("installation_id", "store_id", "saleor_user_id"),
        UniqueConstraint("installation_id", "store_id", "gateway_customer_id"),
        Index(None, "installation_id", "saleor_user_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    store_id: Mapped[str] = mapped_column(String(16))  # aid
    saleor_user_id: Mapped[str] = mapped_column(String(255))
    gateway_customer_id: Mapped[str] = mapped_column(String(50))  # uid
    gateway_key_encrypted: Mapped[str] = mapped_column(Text)  # key
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CardRow(Base):
    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("customer_id", "card_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id", ondelete="CASCADE"))
    card_seq: Mapped[int] = mapped_column(Integer)  # num
    masked_number: Mapped[str | None] = mapped_column(String(32))  # cn, e.g. *****1111
    last4: Mapped[str | None] = mapped_column(String(4))
    brand: Mapped[str | None] = mapped_column(String(32))
    exp_month: Mapped[int | None] = mapped_column(SmallInteger)
    exp_year: Mapped[int | None] = mapped_column(SmallInteger)
    holder_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PaymentRow(Base):
    """The payment ledger: one row per money-moving gateway call, written before the call."""

    __tablename__ = "payments"
    __table_args__ = (
        UniqueConstraint("installation_id", "dedup_key"),
        Index(None, "installation_id", "psp_reference"),
        Index(None, "installation_id", "saleor_transaction_id"),
        Index(None, "status", "created_at"),
        CheckConstraint(_one_of("kind", LedgerKind), name="kind"),
        CheckConstraint(_one_of("status", LedgerStatus), name="status"),
        CheckConstraint(_one_of("settled_by", SettledBy), name="settled_by"),
        Index(None, "installation_id", "shop_order_code"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    dedup_key: Mapped[str] = mapped_column(String(600))
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    saleor_transaction_id: Mapped[str | None] = mapped_column(String(255))
    psp_reference: Mapped[str | None] = mapped_column(String(64))  # gid
    order_code: Mapped[str | None] = mapped_column(String(64))  # god
    shop_order_code: Mapped[str | None] = mapped_column(String(64))  # cod
    amount: Mapped[int | None] = mapped_column(BigInteger)  # what is charged in all (am + tx + sf)
    tax_amount: Mapped[int | None] = mapped_column(BigInteger)  # tx
    shipping_amount: Mapped[int | None] = mapped_column(BigInteger)  # sf
    currency: Mapped[str | None] = mapped_column(String(3))
    job_type: Mapped[str | None] = mapped_column(String(16))  # jb
    payment_method: Mapped[str | None] = mapped_column(String(2))  # md
    installments: Mapped[int | None] = mapped_column(SmallInteger)  # pt
    customer_id: Mapped[int | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), index=True
    )
    card_id: Mapped[int | None] = mapped_column(ForeignKey("cards.id", ondelete="SET NULL"), index=True)
    # who paid, in which channel: lets a late answer (a kickback) finish what the request began, e.g. keep the card
    # a lost bulk registration payment saved
    saleor_user_id: Mapped[str | None] = mapped_column(String(255))
    channel_slug: Mapped[str | None] = mapped_column(String(255))
    approval_number: Mapped[str | None] = mapped_column(String(16))  # ap
    error_code: Mapped[str | None] = mapped_column(String(32))  # ec
    failure_reason: Mapped[str | None] = mapped_column(Text)
    saleor_response: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)  # replayed on a repeat
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    store_id: Mapped[str | None] = mapped_column(String(16))  # aid the call was made as
    # what settled the outcome: the gateway's answer, a result notification (a claim) or a person
    settled_by: Mapped[str | None] = mapped_column(String(16))
    # the first result notification about this payment (kickback_notifications.id; no foreign key: the two
    # tables point at each other, and both go with their installation)
    claim_id: Mapped[int | None] = mapped_column(Integer)
    # frozen: notifications disagreed (with each other or with the ledger); only a person settles it now
    conflict_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    conflict_reason: Mapped[str | None] = mapped_column(Text)
    # a settlement by notification or by a person that Saleor has not been told of yet (retried until it is)
    report_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # when "unresolved for too long" was logged for it (once)
    alerted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class KickbackNotificationRow(Base):
    """Every result notification received, one row per distinct content (a redelivery is the same row)."""

    __tablename__ = "kickback_notifications"
    __table_args__ = (
        UniqueConstraint("installation_id", "fingerprint"),
        Index(None, "installation_id", "psp_reference"),
        CheckConstraint(_one_of("state", NotificationState), name="state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    psp_reference: Mapped[str] = mapped_column(String(64))  # gid
    result: Mapped[str] = mapped_column(String(4))  # rst
    error_code: Mapped[str | None] = mapped_column(String(32))  # ec
    order_code: Mapped[str | None] = mapped_column(String(64))  # god
    shop_order_code: Mapped[str | None] = mapped_column(String(64))  # cod
    amount: Mapped[int | None] = mapped_column(BigInteger)  # am
    tax_amount: Mapped[int | None] = mapped_column(BigInteger)  # tx
    shipping_amount: Mapped[int | None] = mapped_column(BigInteger)  # sf
    total_amount: Mapped[int | None] = mapped_column(BigInteger)  # ta
    matched: Mapped[bool] = mapped_column(Boolean)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # SHA-256 of every field as sent, the user key left out: what makes a redelivery "the same notification"
    fingerprint: Mapped[str] = mapped_column(String(64))
    store_id: Mapped[str | None] = mapped_column(String(16))  # aid, when the gateway sends it
    # after a bulk registration payment: the customer and card it registered (the key is read from the gateway
    # itself when the claim settles the payment, never kept from the notification)
    customer_id: Mapped[str | None] = mapped_column(String(50))  # uid
    card_seq: Mapped[str | None] = mapped_column(String(16))  # num
    state: Mapped[str] = mapped_column(String(16))
    # a delivery processing it holds it until then; a redelivery after that (its process died) takes over
    processing_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


class PaymentResolutionRow(Base):
    """A person's decision about a payment whose outcome the app could not know: kept for good."""

    __tablename__ = "payment_resolutions"
    __table_args__ = (
        UniqueConstraint("payment_id"),
        CheckConstraint(_one_of("decision", ResolutionDecision), name="decision"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))
    psp_reference: Mapped[str | None] = mapped_column(String(64))  # gid, when charged
    reason: Mapped[str] = mapped_column(Text)
    resolved_by: Mapped[str] = mapped_column(String(255))
    via: Mapped[str] = mapped_column(String(16))  # cli | dashboard
    resolved_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ThreeDsOfferRow(Base):
    """The ThreeDSAdapter parameters paymentGatewayInitialize last handed a checkout's (or order's) browser, so
    that transactionInitialize charges only what the browser authenticated."""

    __tablename__ = "three_ds_offers"
    __table_args__ = (UniqueConstraint("installation_id", "source_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"))
    source_id: Mapped[str] = mapped_column(String(255))  # the Saleor checkout or order id
    payment_params: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    save_card_params: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


class RecordedRefundRow(Base):
    """A refund the merchant made in the ROBOT PAYMENT control panel (the API has no partial refund), recorded in
    Saleor by a staff user: the payment's recorded refunds never add up to more than it charged."""

    __tablename__ = "recorded_refunds"
    __table_args__ = (UniqueConstraint("payment_id", "request_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("installations.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id", ondelete="CASCADE"))
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(255))
    request_id: Mapped[str] = mapped_column(String(64))  # the page's form submission: a double click is one refund
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

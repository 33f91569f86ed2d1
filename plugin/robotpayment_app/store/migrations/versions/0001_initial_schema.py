"""Initial schema: installations, channel configs, customers, cards, the payment ledger, kickback log.

Revision ID: 0001
Revises:
Create Date: 2026-11-28

Types are spelled out here rather than imported from `store.tables`, so this revision keeps describing the
schema it created even after the models move on.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _json(name: str, *, nullable: bool) -> sa.Column[object]:
    return sa.Column(name, sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "installations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("saleor_api_url", sa.String(length=1024), nullable=False),
        sa.Column("domain", sa.String(length=255), nullable=False),
        sa.Column("app_id", sa.String(length=255), nullable=False),
        sa.Column("app_token_encrypted", sa.Text(), nullable=False),
        _json("jwks", nullable=True),
        sa.Column("kickback_secret", sa.String(length=64), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installations")),
        sa.UniqueConstraint("kickback_secret", name=op.f("uq_installations_kickback_secret")),
        sa.UniqueConstraint("saleor_api_url", name=op.f("uq_installations_saleor_api_url")),
    )
    op.create_table(
        "channel_configs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("channel_slug", sa.String(length=255), nullable=False),
        sa.Column("store_id", sa.String(length=16), nullable=False),
        sa.Column("gateway_base_url", sa.String(length=1024), nullable=False),
        sa.Column("job_type", sa.String(length=16), nullable=False),
        sa.Column("token_mode", sa.String(length=16), nullable=False),
        _json("payment_methods", nullable=False),
        _json("installment_counts", nullable=False),
        sa.Column("product_mode", sa.Boolean(), nullable=False),
        sa.Column("product_code_metadata_key", sa.String(length=256), nullable=False),
        sa.Column("save_cards_allowed", sa.Boolean(), nullable=False),
        sa.Column("cvv_required", sa.Boolean(), nullable=False),
        sa.Column("split_tax_and_shipping", sa.Boolean(), nullable=False),
        _timestamp("updated_at"),
        sa.CheckConstraint("job_type IN ('AUTH', 'CAPTURE')", name=op.f("ck_channel_configs_job_type")),
        sa.CheckConstraint(
            "token_mode IN ('popup', 'customize')", name=op.f("ck_channel_configs_token_mode")
        ),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_channel_configs_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_configs")),
        sa.UniqueConstraint(
            "installation_id", "channel_slug", name=op.f("uq_channel_configs_installation_id_channel_slug")
        ),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("store_id", sa.String(length=16), nullable=False),
        sa.Column("saleor_user_id", sa.String(length=255), nullable=False),
        sa.Column("gateway_customer_id", sa.String(length=50), nullable=False),
        sa.Column("gateway_key_encrypted", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        _timestamp("created_at"),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_customers_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint(
            "installation_id",
            "store_id",
            "gateway_customer_id",
            name=op.f("uq_customers_installation_id_store_id_gateway_customer_id"),
        ),
        sa.UniqueConstraint(
            "installation_id",
            "store_id",
            "saleor_user_id",
            name=op.f("uq_customers_installation_id_store_id_saleor_user_id"),
        ),
    )
    op.create_index(
        op.f("ix_customers_installation_id_saleor_user_id"),
        "customers",
        ["installation_id", "saleor_user_id"],
    )
    op.create_table(
        "cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=40), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("card_seq", sa.Integer(), nullable=False),
        sa.Column("masked_number", sa.String(length=32), nullable=True),
        sa.Column("last4", sa.String(length=4), nullable=True),
        sa.Column("brand", sa.String(length=32), nullable=True),
        sa.Column("exp_month", sa.SmallInteger(), nullable=True),
        sa.Column("exp_year", sa.SmallInteger(), nullable=True),
        sa.Column("holder_name", sa.String(length=255), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_cards_customer_id_customers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cards")),
        sa.UniqueConstraint("customer_id", "card_seq", name=op.f("uq_cards_customer_id_card_seq")),
        sa.UniqueConstraint("public_id", name=op.f("uq_cards_public_id")),
    )
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("dedup_key", sa.String(length=600), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("request_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("saleor_transaction_id", sa.String(length=255), nullable=True),
        sa.Column("psp_reference", sa.String(length=64), nullable=True),
        sa.Column("order_code", sa.String(length=64), nullable=True),
        sa.Column("shop_order_code", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("tax_amount", sa.BigInteger(), nullable=True),
        sa.Column("shipping_amount", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("job_type", sa.String(length=16), nullable=True),
        sa.Column("payment_method", sa.String(length=2), nullable=True),
        sa.Column("installments", sa.SmallInteger(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("card_id", sa.Integer(), nullable=True),
        sa.Column("approval_number", sa.String(length=16), nullable=True),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        _json("saleor_response", nullable=True),
        _timestamp("created_at"),
        _timestamp("sent_at", nullable=True),
        _timestamp("completed_at", nullable=True),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "kind IN ('payment', 'capture', 'cancel', 'refund', 'card_registration')",
            name=op.f("ck_payments_kind"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'succeeded', 'declined', 'unknown', 'failed_before_send')",
            name=op.f("ck_payments_status"),
        ),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_payments_card_id_cards"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_payments_customer_id_customers"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_payments_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.UniqueConstraint(
            "installation_id", "dedup_key", name=op.f("uq_payments_installation_id_dedup_key")
        ),
    )
    op.create_index(op.f("ix_payments_card_id"), "payments", ["card_id"])
    op.create_index(op.f("ix_payments_customer_id"), "payments", ["customer_id"])
    op.create_index(
        op.f("ix_payments_installation_id_psp_reference"), "payments", ["installation_id", "psp_reference"]
    )
    op.create_index(
        op.f("ix_payments_installation_id_saleor_transaction_id"),
        "payments",
        ["installation_id", "saleor_transaction_id"],
    )
    op.create_index(op.f("ix_payments_status_created_at"), "payments", ["status", "created_at"])
    op.create_table(
        "kickback_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        _timestamp("received_at"),
        sa.Column("psp_reference", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=4), nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("order_code", sa.String(length=64), nullable=True),
        sa.Column("shop_order_code", sa.String(length=64), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("tax_amount", sa.BigInteger(), nullable=True),
        sa.Column("shipping_amount", sa.BigInteger(), nullable=True),
        sa.Column("total_amount", sa.BigInteger(), nullable=True),
        sa.Column("matched", sa.Boolean(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
        _timestamp("processed_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_kickback_notifications_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_kickback_notifications_payment_id_payments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kickback_notifications")),
        sa.UniqueConstraint(
            "installation_id",
            "psp_reference",
            "result",
            name=op.f("uq_kickback_notifications_installation_id_psp_reference_result"),
        ),
    )
    op.create_index(op.f("ix_kickback_notifications_payment_id"), "kickback_notifications", ["payment_id"])


def downgrade() -> None:
    op.drop_table("kickback_notifications")
    op.drop_table("payments")
    op.drop_table("cards")
    op.drop_table("customers")
    op.drop_table("channel_configs")
    op.drop_table("installations")

"""three_ds_offers, and the job type of a channel's product.

- three_ds_offers: the 3-D Secure parameters paymentGatewayInitialize handed each checkout's browser.
  transactionInitialize compares the payment with them, so that a checkout changed after the browser
  authenticated (amount, e-mail, phone, a gateway customer created meanwhile) is refused before the gateway
  answers ER900.
- channel_configs.product_job_type: what the channel's product is set to in the control panel (仮売上 AUTH or
  即時売上 CAPTURE): the product forms carry no jb. Channels in product mode keep CAPTURE, what the app assumed
  until now; the merchant should check it against the control panel.
- recorded_refunds: refunds made in the control panel (the API has no partial refund) and recorded in Saleor by
  a staff user, so that they never add up to more than the payment charged, nor count twice.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("channel_configs", sa.Column("product_job_type", sa.String(16), nullable=True))
    op.execute("UPDATE channel_configs SET product_job_type = 'CAPTURE' WHERE product_mode")
    op.create_table(
        "three_ds_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.String(255), nullable=False),
        sa.Column("payment_params", _JSON, nullable=True),
        sa.Column("save_card_params", _JSON, nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_three_ds_offers_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_three_ds_offers")),
        sa.UniqueConstraint("installation_id", "source_id", name=op.f("uq_three_ds_offers_installation_id_source_id")),
    )
    op.create_index(op.f("ix_three_ds_offers_updated_at"), "three_ds_offers", ["updated_at"])
    op.create_table(
        "recorded_refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(255), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_recorded_refunds_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payments.id"], name=op.f("fk_recorded_refunds_payment_id_payments"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recorded_refunds")),
        sa.UniqueConstraint("payment_id", "request_id", name=op.f("uq_recorded_refunds_payment_id_request_id")),
    )
    op.create_index(op.f("ix_recorded_refunds_installation_id"), "recorded_refunds", ["installation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_recorded_refunds_installation_id"), table_name="recorded_refunds")
    op.drop_table("recorded_refunds")
    op.drop_column("channel_configs", "product_job_type")
    op.drop_index(op.f("ix_three_ds_offers_updated_at"), table_name="three_ds_offers")
    op.drop_table("three_ds_offers")

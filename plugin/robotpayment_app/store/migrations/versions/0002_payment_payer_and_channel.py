"""Payments remember who paid and in which channel (Saleor user id, channel slug), so that a late answer (a
kickback) can finish what the request began: keep the card a bulk registration payment saved.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("saleor_user_id", sa.String(255), nullable=True))
        batch.add_column(sa.Column("channel_slug", sa.String(255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("channel_slug")
        batch.drop_column("saleor_user_id")

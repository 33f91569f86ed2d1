"""Money truth: notifications are claims, unknown outcomes are settled by people, the kickback secret is sealed.

- installations: the kickback secret is sealed like the other secrets (AES-GCM) and found by its SHA-256;
  the plain column goes. Sealing needs the encryption key: the caller hands the `SecretBox` over in
  `config.attributes["secret_box"]` (`upgrade_to_head(url, secret_box=…)`); a database with installations
  cannot be upgraded without it.
- payments: the store id a call was made as, what settled it (answer, notification, staff), its first
  notification (claim), the conflict that froze it, whether Saleor still has to be told, and when it was
  reported as unresolved for too long.
- kickback_notifications: one row per distinct notification (a fingerprint of its fields) instead of one per
  (gid, rst), its state, and the lease of the delivery processing it.
- payment_resolutions: who settled which payment, when and why.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UtcDateTime = sa.DateTime(timezone=True)


def _seal_kickback_secrets() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, saleor_api_url, kickback_secret, created_at FROM installations")
    ).fetchall()
    if not rows:
        return
    config = op.get_context().config
    box = config.attributes.get("secret_box") if config is not None else None
    if box is None:
        raise RuntimeError(
            "this upgrade seals the kickback secrets: run it with the encryption key configured "
            "(robotpayment-app migrate, or start the app, with ROBOTPAYMENT_APP_ENCRYPTION_KEY set)"
        )
    # the contexts must stay those of store/installations.py (kickback_secret_context)
    for row_id, api_url, secret, created_at in rows:
        connection.execute(
            sa.text(
                "UPDATE installations SET kickback_secret_hash = :hash, kickback_secret_encrypted = :sealed, "
                "kickback_secret_created_at = :created WHERE id = :id"
            ),
            {
                "hash": hashlib.sha256(secret.encode("utf-8")).hexdigest(),
                "sealed": box.encrypt(secret, context=f"installations.kickback_secret:{api_url}"),
                "created": created_at,
                "id": row_id,
            },
        )


def upgrade() -> None:
    with op.batch_alter_table("installations") as batch:
        batch.add_column(sa.Column("kickback_secret_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("kickback_secret_encrypted", sa.Text(), nullable=True))
        batch.add_column(sa.Column("kickback_secret_created_at", UtcDateTime, nullable=True))
    _seal_kickback_secrets()
    with op.batch_alter_table("installations") as batch:
        batch.drop_constraint("uq_installations_kickback_secret", type_="unique")
        batch.drop_column("kickback_secret")
        batch.alter_column("kickback_secret_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("kickback_secret_encrypted", existing_type=sa.Text(), nullable=False)
        batch.alter_column("kickback_secret_created_at", existing_type=UtcDateTime, nullable=False)
        batch.create_unique_constraint("uq_installations_kickback_secret_hash", ["kickback_secret_hash"])

    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("store_id", sa.String(16), nullable=True))
        batch.add_column(sa.Column("settled_by", sa.String(16), nullable=True))
        batch.add_column(sa.Column("claim_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("conflict_at", UtcDateTime, nullable=True))
        batch.add_column(sa.Column("conflict_reason", sa.Text(), nullable=True))
        batch.add_column(sa.Column("report_pending", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("reported_at", UtcDateTime, nullable=True))
        batch.add_column(sa.Column("alerted_at", UtcDateTime, nullable=True))
        batch.create_check_constraint("settled_by", "settled_by IN ('answer', 'notification', 'staff')")
        batch.create_index("ix_payments_installation_id_shop_order_code", ["installation_id", "shop_order_code"])
    # every outcome recorded so far came from the gateway's answer, except those a kickback settled
    op.execute("UPDATE payments SET settled_by = 'answer' WHERE status IN ('succeeded', 'declined')")
    op.execute(
        "UPDATE payments SET settled_by = 'notification' WHERE id IN "
        "(SELECT payment_id FROM kickback_notifications WHERE outcome LIKE 'resolved%' AND payment_id IS NOT NULL)"
    )

    with op.batch_alter_table("kickback_notifications") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(64), nullable=True))
        batch.add_column(sa.Column("store_id", sa.String(16), nullable=True))
        batch.add_column(sa.Column("customer_id", sa.String(50), nullable=True))
        batch.add_column(sa.Column("card_seq", sa.String(16), nullable=True))
        batch.add_column(sa.Column("state", sa.String(16), nullable=True))
        batch.add_column(sa.Column("processing_until", UtcDateTime, nullable=True))
    connection = op.get_bind()
    states = {"resolved": "applied", "settled": "confirmed", "disagrees": "conflict"}
    for row_id, outcome, processed_at in connection.execute(
        sa.text("SELECT id, outcome, processed_at FROM kickback_notifications")
    ).fetchall():
        prefix = (outcome or "").split(":")[0]
        if processed_at is None or prefix == "in_flight":
            state = "received"
        else:
            state = states.get(prefix, "applied" if prefix.startswith("resolved") else "ignored")
        # notifications received before fingerprints existed: each stays its own row
        fingerprint = hashlib.sha256(f"legacy notification {row_id}".encode()).hexdigest()
        connection.execute(
            sa.text("UPDATE kickback_notifications SET fingerprint = :fingerprint, state = :state WHERE id = :id"),
            {"fingerprint": fingerprint, "state": state, "id": row_id},
        )
    with op.batch_alter_table("kickback_notifications") as batch:
        batch.drop_constraint("uq_kickback_notifications_installation_id_psp_reference_result", type_="unique")
        batch.alter_column("fingerprint", existing_type=sa.String(64), nullable=False)
        batch.alter_column("state", existing_type=sa.String(16), nullable=False)
        batch.create_unique_constraint(
            "uq_kickback_notifications_installation_id_fingerprint", ["installation_id", "fingerprint"]
        )
        batch.create_check_constraint(
            "state", "state IN ('received', 'ignored', 'held', 'applied', 'confirmed', 'conflict')"
        )
        batch.create_index(
            "ix_kickback_notifications_installation_id_psp_reference", ["installation_id", "psp_reference"]
        )
    # the first claim of each payment a kickback settled
    op.execute(
        "UPDATE payments SET claim_id = (SELECT MIN(k.id) FROM kickback_notifications k WHERE k.payment_id = "
        "payments.id) WHERE settled_by = 'notification'"
    )

    op.create_table(
        "payment_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("psp_reference", sa.String(64), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resolved_by", sa.String(255), nullable=False),
        sa.Column("via", sa.String(16), nullable=False),
        sa.Column("resolved_at", UtcDateTime, nullable=False),
        sa.CheckConstraint("decision IN ('charged', 'not_charged')", name=op.f("ck_payment_resolutions_decision")),
        sa.ForeignKeyConstraint(
            ["installation_id"],
            ["installations.id"],
            name=op.f("fk_payment_resolutions_installation_id_installations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name=op.f("fk_payment_resolutions_payment_id_payments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_resolutions")),
        sa.UniqueConstraint("payment_id", name=op.f("uq_payment_resolutions_payment_id")),
    )
    op.create_index(op.f("ix_payment_resolutions_installation_id"), "payment_resolutions", ["installation_id"])


def downgrade() -> None:
    raise RuntimeError("0003 cannot be undone: the kickback secrets are sealed (restore a backup instead)")

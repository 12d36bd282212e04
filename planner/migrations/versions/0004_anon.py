"""anonymous raises: pending pool, publication schedule, pooled group on items

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0004"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "feedback_pending",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_feedback_pending_team_id_team"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_feedback_pending")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_feedback_pending_idempotency_key")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_feedback_pending_receipt_hash")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "feedback_publication",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_at", planner.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_published_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_publication")),
    )
    with op.batch_alter_table("feedback_item") as batch:
        batch.add_column(
            sa.Column("pooled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.create_check_constraint(
            op.f("ck_feedback_item_pooled_no_team"), "NOT pooled OR team_id IS NULL"
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("feedback_item") as batch:
        batch.drop_constraint(op.f("ck_feedback_item_pooled_no_team"), type_="check")
        batch.drop_column("pooled")
    op.drop_table("feedback_publication")
    op.drop_table("feedback_pending")

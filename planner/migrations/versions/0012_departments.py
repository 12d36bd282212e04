"""departments own feedback, customer impact, monthly signal reports

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.add_column(sa.Column("head_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_team_head_id_person"), "person", ["head_id"], ["id"],
            ondelete="SET NULL", use_alter=True,
        )  # fmt: skip
    with op.batch_alter_table("feedback_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("customer_impact", sa.String(length=30), server_default="", nullable=False)
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_item_department_id"), ["department_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_feedback_item_department_id_team"), "team", ["department_id"], ["id"],
            ondelete="SET NULL",
        )  # fmt: skip
    # Plain ADD COLUMN, no table rebuild: both tables are WITHOUT ROWID on SQLite (SECURITY.md
    # 17a), which a batch copy would not keep.
    op.add_column("feedback_change", sa.Column("department_id", sa.Integer(), nullable=True))
    op.add_column(
        "feedback_pending",
        sa.Column("customer_impact", sa.String(length=30), server_default="", nullable=False),
    )
    op.create_table(
        "feedback_signal_report_sent",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", planner.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["team.id"],
            name=op.f("fk_feedback_signal_report_sent_department_id_team"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["person.id"],
            name=op.f("fk_feedback_signal_report_sent_recipient_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint(
            "department_id", "month", name=op.f("pk_feedback_signal_report_sent")
        ),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("feedback_signal_report_sent")
    op.drop_column("feedback_pending", "customer_impact")
    op.drop_column("feedback_change", "department_id")
    with op.batch_alter_table("feedback_item", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_feedback_item_department_id_team"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_feedback_item_department_id"))
        batch_op.drop_column("customer_impact")
        batch_op.drop_column("department_id")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_team_head_id_person"), type_="foreignkey")
        batch_op.drop_column("head_id")

"""stored plan previews (the preview as a job)

Revision ID: 0014
Revises: 0010
Create Date: 2026-12-02 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "scheduler_plan_preview",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("computed_at", planner.db.UTCDateTime(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_scheduler_plan_preview")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("scheduler_plan_preview")

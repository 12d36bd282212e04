"""year plan: teams per skip-level meeting, the first day of a published plan year

Revision ID: 0006
Revises: 0002
Create Date: 2026-12-02 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("scheduler_cadence", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("teams_per_meeting", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "scheduler_plan_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("created_at", planner.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_scheduler_plan_year")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("scheduler_plan_year")
    with op.batch_alter_table("scheduler_cadence", schema=None) as batch_op:
        batch_op.drop_column("teams_per_meeting")

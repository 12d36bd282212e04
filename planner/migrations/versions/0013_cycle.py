"""employment dates on people; editable cycle-of-success thresholds

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02 04:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("start_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("end_date", sa.Date(), nullable=True))
        batch.create_index(batch.f("ix_person_end_date"), ["end_date"], unique=False)
    op.create_table(
        "cycle_threshold",
        sa.Column("key", sa.String(length=30), nullable=False),
        sa.Column("failure", sa.Float(), nullable=False),
        sa.Column("success", sa.Float(), nullable=False),
        sa.Column("updated_at", planner.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_cycle_threshold")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("cycle_threshold")
    with op.batch_alter_table("person") as batch:
        batch.drop_index(batch.f("ix_person_end_date"))
        batch.drop_column("end_date")
        batch.drop_column("start_date")

"""an index on event.for_everyone (My calendar reads its candidate events from indexes)

Revision ID: 0015
Revises: 0010
Create Date: 2026-12-02 05:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_index(op.f("ix_event_for_everyone"), "event", ["for_everyone"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index(op.f("ix_event_for_everyone"), table_name="event")

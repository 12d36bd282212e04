"""auth: password-reset links; login attempts become short-lived digests

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0003"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reset_token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("reset_expires_at", planner.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_person_reset_token_hash"), ["reset_token_hash"], unique=False
        )
    # Old rows hold plain e-mails and addresses; the throttle now stores keyed digests and
    # needs no history older than its window, so nothing of value is lost.
    op.execute("DELETE FROM login_attempt")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_reset_token_hash"))
        batch_op.drop_column("reset_expires_at")
        batch_op.drop_column("reset_token_hash")

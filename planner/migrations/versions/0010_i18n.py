"""a person's own language

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("person") as batch:
        batch.drop_column("language")

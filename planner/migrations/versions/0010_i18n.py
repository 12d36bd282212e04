"""a person's own language; feed pieces per language

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-02 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
    op.create_table(
        "event_piece",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("ics_key", sa.String(length=64), nullable=False),
        sa.Column("ics_piece", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["event.id"],
            name=op.f("fk_event_piece_event_id_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "language", name=op.f("pk_event_piece")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("event_piece")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("language")

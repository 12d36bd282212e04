"""feeds: reminders per feed, fetch records per feed and client kind

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reminders", sa.String(length=10), server_default="none", nullable=False)
        )
        batch_op.add_column(sa.Column("cache_size", sa.Integer(), nullable=True))
        for name in ("cache_cut_after", "cache_cut_before"):
            batch_op.add_column(
                sa.Column(name, planner.db.UTCDateTime(timezone=True), nullable=True)
            )
        batch_op.create_check_constraint(
            op.f("ck_feed_reminders"), "reminders IN ('none','timed','tasks','both')"
        )
    op.create_table(
        "feed_fetch",
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=20), nullable=False),
        sa.Column("first_at", planner.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_at", planner.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fetches", sa.Integer(), nullable=False),
        sa.Column("not_modified", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "client IN ('google','outlook','apple','thunderbird','other')",
            name=op.f("ck_feed_fetch_client"),
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feed.id"], name=op.f("fk_feed_fetch_feed_id_feed"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("feed_id", "client", name=op.f("pk_feed_fetch")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("feed_fetch")
    with op.batch_alter_table("feed", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_feed_reminders"), type_="check")
        batch_op.drop_column("reminders")
        for name in ("cache_size", "cache_cut_after", "cache_cut_before"):
            batch_op.drop_column(name)

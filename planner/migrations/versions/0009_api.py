"""API and integrations: API tokens, webhook sources and receipts, notification targets

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import planner.db

revision: str = "0009"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("scopes", sa.String(length=300), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=12), nullable=False),
        sa.Column("created_at", planner.db.UTCDateTime(), nullable=False),
        sa.Column("last_used_at", planner.db.UTCDateTime(), nullable=True),
        sa.Column("revoked_at", planner.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["person.id"],
            name=op.f("fk_api_token_owner_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    op.create_index(op.f("ix_api_token_owner_id"), "api_token", ["owner_id"], unique=False)
    op.create_table(
        "webhook_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", planner.db.UTCDateTime(), nullable=False),
        sa.Column("last_received_at", planner.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["person.id"],
            name=op.f("fk_webhook_source_created_by_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_source")),
        sa.UniqueConstraint("name", name=op.f("uq_webhook_source_name")),
    )
    op.create_table(
        "webhook_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("praise_id", sa.Integer(), nullable=True),
        sa.Column("received_at", planner.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["praise_id"],
            ["praise.id"],
            name=op.f("fk_webhook_receipt_praise_id_praise"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["webhook_source.id"],
            name=op.f("fk_webhook_receipt_source_id_webhook_source"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_receipt")),
        sa.UniqueConstraint("source_id", "external_id", name=op.f("uq_webhook_receipt_source_id")),
    )
    op.create_index(
        op.f("ix_webhook_receipt_source_id"), "webhook_receipt", ["source_id"], unique=False
    )
    op.create_table(
        "notify_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("topics", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", planner.db.UTCDateTime(), nullable=False),
        sa.Column("last_sent_at", planner.db.UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('teams','slack')", name=op.f("ck_notify_target_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_target")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("notify_target")
    op.drop_index(op.f("ix_webhook_receipt_source_id"), table_name="webhook_receipt")
    op.drop_table("webhook_receipt")
    op.drop_table("webhook_source")
    op.drop_index(op.f("ix_api_token_owner_id"), table_name="api_token")
    op.drop_table("api_token")

"""The JSON API and integrations: personal API tokens, incoming praise webhooks, outgoing
Teams/Slack notification targets.

Tokens are stored as their SHA-256 only. A webhook secret must be known to check signatures, so
it is derived like feed tokens (HMAC of the source id and a salt under SECRET_KEY) and only the
salt is stored: a database leak alone forges nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.models.org import Person

NOTIFY_KINDS = ("teams", "slack")
NOTIFY_TOPICS = ("star_approved", "team_thanks", "monthly_update")


class ApiToken(Base):
    """A personal API token: owned by an admin or coordinator, scoped per area, revocable."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # Space-separated "area:read" / "area:write" scopes, sorted.
    scopes: Mapped[str] = mapped_column(String(300))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters after the prefix, shown on the page to tell tokens apart.
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    owner: Mapped[Person] = relationship()

    @property
    def scope_set(self) -> frozenset[str]:
        """The scopes as a set."""
        return frozenset(self.scopes.split())


class WebhookSource(Base):
    """A survey or ticketing tool allowed to push praise, with its own signing secret."""

    __tablename__ = "webhook_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    salt: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class WebhookReceipt(Base):
    """One accepted delivery, keyed by the source's own id: a repeat is answered, not re-applied."""

    __tablename__ = "webhook_receipt"
    __table_args__ = (UniqueConstraint("source_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_source.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(200))
    praise_id: Mapped[int | None] = mapped_column(
        ForeignKey("praise.id", ondelete="SET NULL"), default=None
    )
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NotifyTarget(Base):
    """A Microsoft Teams or Slack incoming-webhook URL and the topics announced there."""

    __tablename__ = "notify_target"
    __table_args__ = (CheckConstraint("kind IN ('teams','slack')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    url: Mapped[str] = mapped_column(String(2000))
    # Space-separated topics from NOTIFY_TOPICS.
    topics: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_error: Mapped[str] = mapped_column(String(300), default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def topic_set(self) -> frozenset[str]:
        """The topics as a set."""
        return frozenset(self.topics.split())

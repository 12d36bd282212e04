"""Calendar feeds: who a feed is for, its token (hash only), its cached bytes, its rotations.

A token is never stored: it is derived as HMAC-SHA256(SECRET_KEY, feed id + salt) so the app can
show it to its owner again and export feeds, and only its SHA-256 is kept for lookup (SECURITY.md
item 7): a database leak alone reveals no usable URL. Rotation = a new salt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.models.org import Person, Team

FEED_SCOPES = ("person", "team", "org")
# Reminders a feed's owner can opt into (FEEDS.md 16: none by default).
REMINDER_CHOICES = ("none", "timed", "tasks", "both")
# Kinds of calendar client, told apart by User-Agent (planner.feeds.clients).
CLIENT_KINDS = ("google", "outlook", "apple", "thunderbird", "other")


class Feed(Base):
    """One subscribable calendar: a person's, a team's or the organisation's, maybe narrowed."""

    __tablename__ = "feed"
    __table_args__ = (
        CheckConstraint("scope IN ('person','team','org')", name="scope"),
        CheckConstraint("reminders IN ('none','timed','tasks','both')", name="reminders"),
        CheckConstraint(
            "(scope = 'person' AND person_id IS NOT NULL AND team_id IS NULL) OR "
            "(scope = 'team' AND team_id IS NOT NULL AND person_id IS NULL) OR "
            "(scope = 'org' AND person_id IS NULL AND team_id IS NULL)",
            name="owner",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True, default=None
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), index=True, default=None
    )
    # Comma-separated practice codes (sorted), "" = every practice.
    practices: Mapped[str] = mapped_column(String(60), default="")
    # The readable file name of the URL (without .ics), fixed at creation.
    slug: Mapped[str] = mapped_column(String(120))
    salt: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # A coordinator can disable a person's feeds; a disabled feed answers 404.
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # none | timed (15 minutes before timed events) | tasks (09:00 on all-day tasks) | both
    reminders: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rotated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # The assembled feed, shared by every worker; cache_key says what it was built from.
    cache_key: Mapped[str | None] = mapped_column(String(64), default=None)
    cache_etag: Mapped[str | None] = mapped_column(String(80), default=None)
    cache_built_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    cache_body: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    # Its size, and where its window was cut to stay under 1 MB (None: not cut on that side).
    cache_size: Mapped[int | None] = mapped_column(Integer, default=None)
    cache_cut_after: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    cache_cut_before: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])

    @property
    def practice_list(self) -> list[str]:
        """The practices this feed is narrowed to (empty: all)."""
        return [p for p in self.practices.split(",") if p]


class FeedRotation(Base):
    """Append-only record of every token creation, rotation, disabling and enabling."""

    __tablename__ = "feed_rotation"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("feed.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    # created | rotated | disabled | enabled
    action: Mapped[str] = mapped_column(String(20))


class FeedFetch(Base):
    """How one kind of client fetches a feed ("is my calendar working?"): no address, no UA text.

    Written at most once a minute per feed and client kind (planner.feeds.fetches), so counts
    are those of the fetches seen by the writes; a process that stops may lose its last minute.
    """

    __tablename__ = "feed_fetch"
    __table_args__ = (
        CheckConstraint(
            "client IN ('google','outlook','apple','thunderbird','other')", name="client"
        ),
    )

    feed_id: Mapped[int] = mapped_column(
        ForeignKey("feed.id", ondelete="CASCADE"), primary_key=True
    )
    client: Mapped[str] = mapped_column(String(20), primary_key=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    fetches: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)  # answered 304

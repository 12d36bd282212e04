"""Recognition all year: customer praise and outreach (P2), service stars (P1), scorecard
metrics (P3) and the service career ladder (P5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.i18n import lazy_gettext as _l
from planner.models.events import Event
from planner.models.org import Person, Team

PRAISE_CHANNELS = {
    "survey": _l("Survey"),
    "email": _l("E-mail"),
    "call": _l("Call"),
    "chat": _l("Chat"),
    "social": _l("Social media"),
}
QUOTE_MAX = 2000
NOMINATION_STATUSES = ("pending", "approved", "declined")


class Praise(Base):
    """A customer's praise for one staff member; leaders may see the customer's name."""

    __tablename__ = "praise"
    __table_args__ = (
        # Re-importing the same survey verbatim never duplicates it (same person, day, words).
        UniqueConstraint("person_id", "received_on", "quote_key", name="uq_praise_once"),
        CheckConstraint("channel IN ('survey','email','call','chat','social')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    quote: Mapped[str] = mapped_column(Text)
    # sha256 of the whitespace- and case-normalised quote: a short, indexable identity.
    quote_key: Mapped[str] = mapped_column(String(64))
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    logged_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    task: Mapped[OutreachTask | None] = relationship(back_populates="praise", uselist=False)

    @property
    def channel_label(self) -> str:
        """The channel in words."""
        return PRAISE_CHANNELS.get(self.channel, self.channel)


class OutreachTask(Base):
    """A leader's task to thank a praised person personally; mirrored by an 'outreach' event."""

    __tablename__ = "outreach_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    praise_id: Mapped[int] = mapped_column(ForeignKey("praise.id", ondelete="CASCADE"), unique=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    gesture: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), default=None
    )
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    done_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    done_note: Mapped[str] = mapped_column(Text, default="")

    praise: Mapped[Praise] = relationship(back_populates="task")
    leader: Mapped[Person] = relationship(foreign_keys=[leader_id])
    event: Mapped[Event | None] = relationship(foreign_keys=[event_id])

    @property
    def done(self) -> bool:
        """Whether the leader has reached out."""
        return self.done_at is not None


class Nomination(Base):
    """Someone proposes a colleague as service star; a leader approves or declines."""

    __tablename__ = "nomination"
    __table_args__ = (
        CheckConstraint("status IN ('pending','approved','declined')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nominee_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    nominator_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    reason: Mapped[str] = mapped_column(Text)
    praise_id: Mapped[int | None] = mapped_column(
        ForeignKey("praise.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    decision_note: Mapped[str] = mapped_column(Text, default="")

    nominee: Mapped[Person] = relationship(foreign_keys=[nominee_id])
    nominator: Mapped[Person | None] = relationship(foreign_keys=[nominator_id])
    praise: Mapped[Praise | None] = relationship(foreign_keys=[praise_id])


class Award(Base):
    """An approved nomination: the team's service star of one month (at most one per month)."""

    __tablename__ = "award"
    __table_args__ = (
        UniqueConstraint("team_id", "year", "month", name="uq_award_team_month"),
        CheckConstraint("month BETWEEN 1 AND 12", name="month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(
        ForeignKey("nomination.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int] = mapped_column(Integer)
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    nomination: Mapped[Nomination] = relationship(foreign_keys=[nomination_id])
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    team: Mapped[Team] = relationship(foreign_keys=[team_id])

    @property
    def month_label(self) -> str:
        """The star's month in words, e.g. 'December 2026'."""
        from planner.i18n.formatting import format_month

        return format_month(date(self.year, self.month, 1))


class MetricValue(Base):
    """One scorecard number: a team's value of one metric in one month (first day of it)."""

    __tablename__ = "metric_value"
    __table_args__ = (UniqueConstraint("team_id", "month", "metric", name="uq_metric_value_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    month: Mapped[date] = mapped_column(Date)
    metric: Mapped[str] = mapped_column(String(30))
    value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )

    team: Mapped[Team] = relationship(foreign_keys=[team_id])


class CareerLevel(Base):
    """A step on the service career ladder, ordered by rank (1 = first step)."""

    __tablename__ = "career_level"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    meaning: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")


class PersonLevel(Base):
    """Where a person stands on the ladder now (kept here, not on Person)."""

    __tablename__ = "person_level"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    level_id: Mapped[int] = mapped_column(ForeignKey("career_level.id", ondelete="RESTRICT"))
    since: Mapped[date] = mapped_column(Date)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    level: Mapped[CareerLevel] = relationship(foreign_keys=[level_id])


class Promotion(Base):
    """A recorded step up the ladder; celebrated as a 'promotion' event for the team."""

    __tablename__ = "promotion"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    level_id: Mapped[int] = mapped_column(ForeignKey("career_level.id", ondelete="RESTRICT"))
    promoted_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    level: Mapped[CareerLevel] = relationship(foreign_keys=[level_id])

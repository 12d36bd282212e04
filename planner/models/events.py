"""Event: every calendar item (week activities, skip-levels, recognitions, outreach, follow-ups).

DESIGN.md rule 8: one row per calendar item, a stable `uid`, a `sequence` that only grows and a
`last_modified`. A feed is a query over this table. The item an event stems from is named by
(`source_kind`, `source_id`) so that areas stay decoupled; scheduled slots also carry `slot_key`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.i18n import lazy_gettext as _l
from planner.models.org import Person, Team

PRACTICES = {
    "P1": _l("P1 Service stars"),
    "P2": _l("P2 Personal outreach"),
    "P3": _l("P3 Scorecards"),
    "P4": _l("P4 Skip-levels"),
    "P5": _l("P5 Career path"),
    "support": _l("Support"),
}

EVENT_KINDS = {
    "activity": _l("Customer Service Week activity"),
    "milestone": _l("Planning milestone"),
    "skip_level": _l("Skip-level roundtable"),
    "recognition": _l("Service-star recognition"),
    "hall_of_fame": _l("Hall-of-fame ceremony"),
    "feedback_update": _l('"You said, we did" update'),
    "training": _l("Refresher training"),
    "scorecard_review": _l("Scorecard review"),
    "career_conversation": _l("Career conversation"),
    "outreach": _l("Outreach to praised staff"),
    "follow_up": _l("Feedback follow-up"),
    "promotion": _l("Promotion celebration"),
    "day_after": _l("The day after Customer Service Week"),
    "department_thanks": _l("Thank-you to a supporting department"),
}

STATUSES = ("tentative", "confirmed", "cancelled")

event_attendee = Table(
    "event_attendee",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)

event_team = Table(
    "event_team",
    Base.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(Base):
    """One calendar item, timed (UTC instants) or all-day (dates, exclusive end)."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("status IN ('tentative','confirmed','cancelled')", name="status"),
        CheckConstraint(
            "(all_day AND start_date IS NOT NULL AND end_date > start_date"
            " AND start_at IS NULL AND end_at IS NULL) OR "
            "(NOT all_day AND start_at IS NOT NULL AND end_at > start_at"
            " AND start_date IS NULL AND end_date IS NULL)",
            name="times",
        ),
        CheckConstraint("sequence >= 0", name="sequence"),
        Index("ix_event_source", "source_kind", "source_id"),
        Index("ix_event_when", "start_at", "start_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Domain-free UID key; feeds append "@<UID_DOMAIN>". Never reused, never changed.
    uid: Mapped[str] = mapped_column(String(200), unique=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    last_modified: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    kind: Mapped[str] = mapped_column(String(40), index=True)
    practice: Mapped[str] = mapped_column(String(10), default="support")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    # Path inside the app (e.g. "/feedback/12"); feeds prefix BASE_URL.
    link_path: Mapped[str] = mapped_column(String(300), default="")

    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    end_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    start_date: Mapped[date | None] = mapped_column(Date, default=None)
    end_date: Mapped[date | None] = mapped_column(Date, default=None)  # exclusive
    # Follow-ups and outreach tasks do not block time (FEEDS.md item 15).
    transparent: Mapped[bool] = mapped_column(Boolean, default=False)

    status: Mapped[str] = mapped_column(String(20), default="confirmed")
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Moved or edited by hand: re-planning never moves it.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)

    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, default=None
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True, default=None
    )
    # Everyone in the organisation is invited (e.g. the week's kickoff).
    for_everyone: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    source_kind: Mapped[str] = mapped_column(String(40), default="")
    source_id: Mapped[int | None] = mapped_column(Integer, default=None)
    slot_key: Mapped[str | None] = mapped_column(String(200), unique=True, default=None)

    # The rendered VEVENT (feeds/ical.py), refreshed whenever the event or its render inputs change.
    ics_piece: Mapped[str | None] = mapped_column(Text, default=None)
    ics_key: Mapped[str | None] = mapped_column(String(64), default=None)

    host: Mapped[Person | None] = relationship(foreign_keys=[host_id])
    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])
    attendees: Mapped[list[Person]] = relationship(secondary=event_attendee, order_by="Person.id")
    audience_teams: Mapped[list[Team]] = relationship(secondary=event_team, order_by="Team.id")

    @property
    def practice_label(self) -> str:
        """The practice in words."""
        return PRACTICES.get(self.practice, self.practice)

    @property
    def kind_label(self) -> str:
        """The kind in words."""
        return EVENT_KINDS.get(self.kind, self.kind)

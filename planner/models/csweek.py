"""Customer Service Week: one plan per year, its day themes and activities; the library."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.db import Base, UTCDateTime, utcnow
from planner.i18n import _, ngettext
from planner.i18n import lazy_gettext as _l
from planner.i18n.content import shown
from planner.i18n.formatting import weekday_name
from planner.models.events import PRACTICES, Event
from planner.models.org import Person, Team

ACTIVITY_STATUSES = {
    "idea": _l("Idea"),
    "planned": _l("Planned"),
    "confirmed": _l("Confirmed"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
LIBRARY_SCOPES = ("week", "year")
LIBRARY_AUDIENCES = {
    "everyone": _l("Everyone"),
    "team": _l("A team"),
    "leader_team": _l("A leader with a team"),
    "person": _l("One person"),
}

activity_team = Table(
    "csweek_activity_team",
    Base.metadata,
    Column("activity_id", ForeignKey("csweek_activity.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ServiceWeek(Base):
    """The plan of one year's Customer Service Week (Monday to Friday, movable)."""

    __tablename__ = "service_week"
    __table_args__ = (CheckConstraint("last_day >= first_day", name="order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    theme: Mapped[str] = mapped_column(String(200), default="")
    # Optimistic locking (SECURITY.md 19): the edit form carries the version it showed.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    kickoff_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), default=None
    )
    retro_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    kickoff_event: Mapped[Event | None] = relationship(foreign_keys=[kickoff_event_id])
    retro_event: Mapped[Event | None] = relationship(foreign_keys=[retro_event_id])
    days: Mapped[list[ServiceWeekDay]] = relationship(
        back_populates="week", order_by="ServiceWeekDay.weekday", cascade="all, delete-orphan"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="week",
        order_by=lambda: (Activity.day, Activity.all_day.desc(), Activity.start_time, Activity.id),
        cascade="all, delete-orphan",
    )

    def day_theme(self, weekday: int) -> str:
        """The theme of one weekday (0 = Monday), or an empty string."""
        return next((d.theme for d in self.days if d.weekday == weekday), "")


class ServiceWeekDay(Base):
    """The theme of one day of the week (weekday 0-4 counted from the plan's first day)."""

    __tablename__ = "service_week_day"
    __table_args__ = (
        UniqueConstraint("week_id", "weekday", name="week_day"),
        CheckConstraint("weekday BETWEEN 0 AND 4", name="weekday"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("service_week.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    theme: Mapped[str] = mapped_column(String(200), default="")

    week: Mapped[ServiceWeek] = relationship(back_populates="days")


class Activity(Base):
    """One activity of the week; its calendar item is `event` (DESIGN rule 8)."""

    __tablename__ = "csweek_activity"
    __table_args__ = (
        CheckConstraint(
            "status IN ('idea','planned','confirmed','done','cancelled')", name="status"
        ),
        CheckConstraint(
            "all_day OR (start_time IS NOT NULL AND end_time IS NOT NULL"
            " AND end_time > start_time)",
            name="times",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(
        ForeignKey("service_week.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    practice: Mapped[str] = mapped_column(String(10), default="support")
    day: Mapped[date] = mapped_column(Date)
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    # Wall-clock times in the organisation's time zone; the event holds the UTC instants.
    start_time: Mapped[time | None] = mapped_column(Time, default=None)
    end_time: Mapped[time | None] = mapped_column(Time, default=None)
    location: Mapped[str] = mapped_column(String(300), default="")
    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True, default=None
    )
    for_everyone: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="idea")
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("event.id", ondelete="SET NULL"), default=None
    )
    library_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("csweek_library_entry.id", ondelete="SET NULL"), default=None
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Sent with the form that created it: a double-click or retried POST finds this row.
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    week: Mapped[ServiceWeek] = relationship(back_populates="activities")
    host: Mapped[Person | None] = relationship(foreign_keys=[host_id])
    event: Mapped[Event | None] = relationship(foreign_keys=[event_id])
    teams: Mapped[list[Team]] = relationship(secondary=activity_team, order_by="Team.name")

    @property
    def practice_label(self) -> str:
        """The practice in words."""
        return PRACTICES.get(self.practice, self.practice)

    @property
    def status_label(self) -> str:
        """The status in words."""
        return ACTIVITY_STATUSES.get(self.status, self.status)

    @property
    def audience_label(self) -> str:
        """Everyone, or the chosen teams' names."""
        if self.for_everyone or not self.teams:
            return _("Everyone")
        return ", ".join(t.name for t in self.teams)


class LibraryEntry(Base):
    """An activity idea: for the week (scope "week") or for the rest of the year ("year").

    The year planner reads the year-round entries (kind, gap in weeks, duration, audience) to
    seed its cadences; built-in entries come from planner/data/library.json.
    """

    __tablename__ = "csweek_library_entry"
    __table_args__ = (
        CheckConstraint("scope IN ('week','year')", name="scope"),
        CheckConstraint(
            "suggested_weekday IS NULL OR suggested_weekday BETWEEN 0 AND 4", name="weekday"
        ),
        CheckConstraint(
            "min_gap_weeks IS NULL OR max_gap_weeks IS NULL OR max_gap_weeks >= min_gap_weeks",
            name="gap",
        ),
        CheckConstraint("duration_minutes IS NULL OR duration_minutes > 0", name="duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable key of a built-in entry, so seeding again never duplicates it.
    key: Mapped[str | None] = mapped_column(String(80), unique=True, default=None)
    scope: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    practice: Mapped[str] = mapped_column(String(10), default="support")
    suggested_weekday: Mapped[int | None] = mapped_column(Integer, default=None)
    suggested_start: Mapped[time | None] = mapped_column(Time, default=None)
    kind: Mapped[str] = mapped_column(String(40), default="activity")
    min_gap_weeks: Mapped[int | None] = mapped_column(Integer, default=None)
    max_gap_weeks: Mapped[int | None] = mapped_column(Integer, default=None)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=None)  # None: all-day
    audience: Mapped[str] = mapped_column(String(20), default="everyone")
    host_hint: Mapped[str] = mapped_column(String(200), default="")
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def cadence_label(self) -> str:
        """ "every 10-16 weeks" for year-round entries, empty for week ones."""
        if self.min_gap_weeks is None:
            return ""
        if self.max_gap_weeks in (None, self.min_gap_weeks):
            return ngettext("every %(num)d week", "every %(num)d weeks", self.min_gap_weeks)
        return ngettext(
            "every %(low)s–%(num)d week",
            "every %(low)s–%(num)d weeks",
            self.max_gap_weeks or 0,
            low=self.min_gap_weeks,
        )

    # A built-in entry is shown in the reader's language (planner/data/library.json is in the
    # catalogue); text a coordinator wrote, or changed, is content and stays as written.
    @property
    def shown_title(self) -> str:
        """The title in the reader's language when it is the shipped one."""
        return shown(self.title)

    @property
    def shown_description(self) -> str:
        """The description in the reader's language when it is the shipped one."""
        return shown(self.description)

    @property
    def shown_host_hint(self) -> str:
        """Who usually hosts it, in the reader's language when it is the shipped text."""
        return shown(self.host_hint)

    @property
    def weekday_label(self) -> str:
        """The suggested day's name ("Monday", "maandag"), or empty."""
        if self.suggested_weekday is None:
            return ""
        return weekday_name(self.suggested_weekday)

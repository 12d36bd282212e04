"""Cadences: what recurs over the year between two Customer Service Weeks, how often, for whom."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column

from planner.db import Base, UTCDateTime, utcnow
from planner.i18n import lazy_gettext as _l
from planner.models.events import EVENT_KINDS, PRACTICES

# How one cadence expands into series (one series per expansion; see planner/scheduler/planning).
EXPANSIONS = {
    "skip_level": _l("Each skip-level leader with each frontline team in their scope"),
    "team": _l("Each frontline team, hosted by its team leader"),
    "person": _l("Each frontline person, with their manager"),
    "everyone": _l("Once for everyone"),
}


class Cadence(Base):
    """A recurring touchpoint: spacing in weeks, length, preferred window and who takes part."""

    __tablename__ = "scheduler_cadence"
    __table_args__ = (
        CheckConstraint(
            "min_gap_weeks BETWEEN 1 AND 52 AND max_gap_weeks BETWEEN 1 AND 52"
            " AND max_gap_weeks >= min_gap_weeks",
            name="gaps",
        ),
        CheckConstraint(
            "duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440", name="duration"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The library entry it was seeded from (stable key, so seeding again adds nothing twice).
    library_key: Mapped[str | None] = mapped_column(String(80), unique=True, default=None)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40))
    practice: Mapped[str] = mapped_column(String(10), default="support")
    expansion: Mapped[str] = mapped_column(String(20), default="team")
    min_gap_weeks: Mapped[int] = mapped_column(Integer, default=10)
    max_gap_weeks: Mapped[int] = mapped_column(Integer, default=16)
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=60)  # None = all-day
    window_start: Mapped[time] = mapped_column(Time, default=time(9, 0))
    window_end: Mapped[time] = mapped_column(Time, default=time(16, 0))
    weekdays: Mapped[str] = mapped_column(String(7), default="01234")  # Monday = 0
    counts_toward_cap: Mapped[bool] = mapped_column(Boolean, default=False)
    # Host of an "everyone" cadence; None = the organisation's first top-level leader.
    host_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), default=None
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Skip-level roundtables only: how many of a leader's teams one meeting may cover.
    teams_per_meeting: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def practice_label(self) -> str:
        """The practice in words."""
        return PRACTICES.get(self.practice, self.practice)

    @property
    def kind_label(self) -> str:
        """The kind in words."""
        return EVENT_KINDS.get(self.kind, self.kind)

    @property
    def expansion_label(self) -> str:
        """Who takes part, in words."""
        return EXPANSIONS.get(self.expansion, self.expansion)

    @property
    def weekday_set(self) -> frozenset[int]:
        """Allowed weekdays as Python weekday numbers (Monday = 0)."""
        return frozenset(int(c) for c in self.weekdays if c.isdigit() and int(c) < 7)


class PlanYear(Base):
    """The first day of a published year plan: a plan first made mid-year (a company that
    starts in December) keeps that start, so its occurrences and slot keys stay stable."""

    __tablename__ = "scheduler_plan_year"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    first_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PlanPreview(Base):
    """The last computed preview of a plan year (by the "preview-plan" job): the engine's result
    and the fingerprint of the inputs it came from, so publishing can reuse it while the inputs
    are unchanged. `data` is the zlib-compressed pickle of the computed plan without its
    published events (those are re-read when the preview is shown or published); only this
    app's own job writes it."""

    __tablename__ = "scheduler_plan_preview"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    today: Mapped[date] = mapped_column(Date)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    job_id: Mapped[int | None] = mapped_column(Integer, default=None)
    data: Mapped[bytes] = mapped_column(LargeBinary)

"""Dataclasses of the spreading engine's contract (see `planner.scheduler.spread` for the API)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Literal

WORKWEEK: frozenset[int] = frozenset(range(5))

Status = Literal["kept", "moved", "new"]
MoveReason = Literal["forced", "unforced"]


@dataclass(frozen=True)
class SeriesSpec:
    """One recurring series (a cadence for one host/team) the engine spreads over the period."""

    key: str
    kind: str
    practice: str
    title: str
    host_id: int
    attendee_ids: tuple[int, ...] = ()
    leader_id: int | None = None
    team_id: int | None = None
    counts_toward_cap: bool = False
    min_gap_weeks: int = 10
    max_gap_weeks: int = 16
    duration_minutes: int | None = 60
    window_start: time = time(9, 0)
    window_end: time = time(16, 0)
    weekdays: frozenset[int] = WORKWEEK
    # A series that starts inside the period (a person who joined mid-year): its occurrences
    # are counted and planned from this day on. None = from the period's first day.
    starts_on: date | None = None


@dataclass(frozen=True)
class ExistingPlacement:
    """A placement published by an earlier run (or edited by hand when pinned)."""

    slot_key: str
    start: datetime | date
    pinned: bool = False
    end: datetime | date | None = None


@dataclass(frozen=True)
class BusyTime:
    """Time these people are already taken by something outside the plan (blocks, never moves)."""

    person_ids: tuple[int, ...]
    start: datetime
    end: datetime


@dataclass(frozen=True)
class PlanInput:
    """Everything the engine needs; plain values only, no database."""

    period_start: date
    period_end: date
    tz: str
    working_weekdays: frozenset[int] = WORKWEEK
    closed_dates: frozenset[date] = frozenset()
    absences: Mapping[int, frozenset[date]] = field(default_factory=dict)
    leader_weekly_cap: int = 3
    team_max_gap_weeks: int = 4
    frontline_team_ids: frozenset[int] = frozenset()
    series: tuple[SeriesSpec, ...] = ()
    existing: tuple[ExistingPlacement, ...] = ()
    frozen_until: date | None = None
    busy: tuple[BusyTime, ...] = ()
    # Published placements up to frozen_until stay where they are even when no longer valid
    # (with a warning from `today` on; before it they are history).
    today: date | None = None
    # Words for messages (ids are used where a name is missing): people, teams, why a day is
    # closed (a blackout's or holiday's name), and the organisation's date format.
    person_names: Mapping[int, str] = field(default_factory=dict)
    team_names: Mapping[int, str] = field(default_factory=dict)
    closed_reasons: Mapping[date, str] = field(default_factory=dict)
    date_format: str = "%a %d %b %Y"


@dataclass(frozen=True)
class Placement:
    """One occurrence placed in the calendar; `end` is exclusive."""

    slot_key: str
    series_key: str
    index: int
    start: datetime | date
    end: datetime | date
    status: Status
    move_reason: MoveReason | None = None
    note: str = ""  # a Said (spread_words) when the engine wrote it
    pinned: bool = False


@dataclass(frozen=True)
class Unplaced:
    """An occurrence the engine could not place, and why (a Said, see spread_words; a plain str
    in previews stored before the engine's sentences had codes)."""

    slot_key: str
    series_key: str
    reason: str


@dataclass(frozen=True)
class LeaderLoad:
    """How many events a leader has over the period and in their busiest week."""

    leader_id: int
    events: int
    busiest_week: int


@dataclass(frozen=True)
class PlanStats:
    """Summary figures of a plan (loads are events per week, normalised by working days)."""

    events: int = 0
    weeks_total: int = 0
    weeks_plannable: int = 0
    weeks_covered: int = 0
    mean_week_load: float = 0.0
    busiest_week_load: float = 0.0
    balance_ratio: float = 0.0
    balance_bound_ratio: float = 0.0
    busiest_minus_quietest: int = 0
    max_team_gap_weeks: int = 0
    leader_loads: tuple[LeaderLoad, ...] = ()
    kept: int = 0
    new: int = 0
    moved_forced: int = 0
    moved_unforced: int = 0
    repaired: int = 0


@dataclass(frozen=True)
class PlanResult:
    """What `spread_over_year` returns."""

    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    cancelled_slot_keys: tuple[str, ...]
    warnings: tuple[str, ...]  # Saids (spread_words), plain str in older stored previews
    stats: PlanStats


def slot_key(series_key: str, index: int) -> str:
    """Return the stable identity of occurrence `index` of a series ("c12:l5:t9#3")."""
    return f"{series_key}#{index}"


def parse_slot_key(key: str) -> tuple[str, int] | None:
    """Split a slot key into (series key, index); None when it is not one."""
    series_key, sep, index = key.rpartition("#")
    if not sep or not series_key or not index.isdigit() or not index.isascii():
        return None
    return series_key, int(index)

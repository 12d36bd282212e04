"""Per-series facts the engine derives once: people, allowed days, start times, problems."""

from __future__ import annotations

import zlib
from datetime import date, time
from functools import lru_cache

from planner.scheduler.spread_calendar import Calendar, occurrence_count
from planner.scheduler.spread_input import series_problem
from planner.scheduler.spread_types import PlanInput, SeriesSpec
from planner.scheduler.spread_words import Said, listing, say, weekday

# Start times are tried on this grid inside the preferred window.
START_STEP_MINUTES = 30


class SeriesInfo:
    """What the engine knows about one series while planning it."""

    __slots__ = (
        "absent",
        "anchor",
        "capped",
        "count",
        "days_by_week",
        "duration",
        "error",
        "events",
        "half",
        "key",
        "leader",
        "max_gap",
        "min_gap",
        "order",
        "people",
        "spec",
        "starts",
        "team",
        "weeks",
        "window",
    )

    def __init__(self, spec: SeriesSpec, order: int) -> None:
        self.spec = spec
        self.key = spec.key  # the caller's stable series key
        self.order = order
        self.count = 0
        self.people: tuple[int, ...] = ()
        self.leader: int | None = None
        self.capped = False
        self.team: int | None = None
        self.min_gap = 1
        self.max_gap = 1
        self.half = 0.5
        self.duration: int | None = None
        self.starts: tuple[int, ...] = ()
        self.window = (0, 0)  # local minutes, timed series only
        self.absent: frozenset[int] | set[int] = frozenset()  # days any participant is away
        self.days_by_week: dict[int, tuple[int, ...]] = {}
        self.weeks: list[int] = []
        self.error: Said | None = None
        self.anchor = -1  # week of the touchpoint before the first one (the last service week)
        self.events: list = []  # placed Ev objects in date order (see spread_board)

    def role(self, person: int) -> Said:
        """How a person takes part, for messages."""
        if person == self.leader:
            return say("role-leader")
        return say("role-host" if person == self.spec.host_id else "role-attendee")


def _minutes(value: object) -> int | None:
    if not isinstance(value, time):
        return None
    return value.hour * 60 + value.minute


def _spec_problem(spec: SeriesSpec, plan: PlanInput, zone_ok: bool) -> Said | None:
    """Why a series can never be placed, judged from its own fields; None if it can be."""
    if not isinstance(spec.min_gap_weeks, int) or not isinstance(spec.max_gap_weeks, int):
        return say("spacing-not-weeks")
    if spec.min_gap_weeks < 1 or spec.max_gap_weeks < spec.min_gap_weeks:
        return say("spacing-invalid", min=spec.min_gap_weeks, max=spec.max_gap_weeks)
    if not isinstance(spec.host_id, int):
        return say("no-host")
    days = {d for d in spec.weekdays if isinstance(d, int) and 0 <= d <= 6}
    if not days:
        return say("no-weekday")
    if not days & set(plan.working_weekdays):
        names = listing((weekday(d) for d in sorted(days)), ", ")
        return say("weekdays-not-working", days=names)
    if spec.counts_toward_cap and spec.leader_id is not None and plan.leader_weekly_cap < 1:
        return say("cap-is", cap=plan.leader_weekly_cap)
    if spec.duration_minutes is None:
        return None
    start, end = _minutes(spec.window_start), _minutes(spec.window_end)
    if start is None or end is None:
        return say("window-not-times")
    if not isinstance(spec.duration_minutes, int) or spec.duration_minutes <= 0:
        return say("duration-invalid", minutes=repr(spec.duration_minutes))
    if end - start < spec.duration_minutes:
        # Formatted only here: strftime on every valid series cost more than the whole check.
        shown = f"{spec.window_start:%H:%M}-{spec.window_end:%H:%M}"
        if end <= start:
            return say("window-empty", window=shown)
        return say("window-short", window=shown, minutes=spec.duration_minutes)
    if not zone_ok:
        return say("zone-unknown-named", zone=repr(plan.tz))
    return None


@lru_cache(maxsize=64)  # pure; series share a handful of windows and durations
def _start_grid(first: int, end: int, duration: int) -> tuple[int, ...]:
    """Start minutes on the grid whose event ends inside the window."""
    return tuple(range(first, end - duration + 1, START_STEP_MINUTES))


def _start_times(spec: SeriesSpec) -> tuple[int, ...]:
    """Candidate local start minutes, rotated so each series has its own stable preferred time."""
    assert spec.duration_minutes is not None
    first, end = _minutes(spec.window_start), _minutes(spec.window_end)
    assert first is not None and end is not None
    starts = _start_grid(first, end, spec.duration_minutes)
    # crc32, not hash(): str hashes change per process and the plan must not.
    turn = zlib.crc32(spec.key.encode("utf-8")) % len(starts)
    return starts[turn:] + starts[:turn]


def _days_problem(info: SeriesInfo, cal: Calendar, base: tuple[int, ...]) -> Said:
    """Explain why a series has no allowed day at all."""
    if not base:
        return say("no-open-day-after-frozen" if cal.frozen_ord >= 0 else "no-open-day")
    for person in info.people:
        if all(o in cal.absent_days(person) for o in base):
            return say("away-every-day", person=cal.person(person), role=info.role(person))
    return say("absences-leave-none")


def describe_series(
    spec: SeriesSpec, order: int, plan: PlanInput, cal: Calendar, seen: set[str]
) -> SeriesInfo:
    """Derive the engine's view of one series; problems end up in `error`, never raised."""
    info = SeriesInfo(spec, order)
    if not isinstance(spec.key, str) or not spec.key or spec.key in seen:
        info.error = say("duplicate-key", key=repr(spec.key))
        return info
    seen.add(spec.key)
    info.error = series_problem(spec) or _spec_problem(spec, plan, cal.zone is not None)
    if info.error is not None and info.error.code in ("spacing-not-weeks", "spacing-invalid"):
        # One reported slot when the spacing itself is unusable, so the problem is never silent.
        info.count = int(plan.period_end > plan.period_start)
        return info
    begins = spec.starts_on if isinstance(spec.starts_on, date) else None
    first = max(plan.period_start, begins) if begins else plan.period_start
    info.count = occurrence_count(spec.min_gap_weeks, spec.max_gap_weeks, first, plan.period_end)
    if info.error:
        return info
    if first > plan.period_start:
        info.anchor = cal.week_of(first.toordinal()) - 1
    info.min_gap, info.max_gap = spec.min_gap_weeks, spec.max_gap_weeks
    info.half = (spec.min_gap_weeks + spec.max_gap_weeks) / 4
    people = [spec.host_id, *(p for p in spec.attendee_ids if isinstance(p, int))]
    info.people = tuple(dict.fromkeys(people))
    info.leader = spec.leader_id
    info.capped = bool(spec.counts_toward_cap) and spec.leader_id is not None
    info.team = spec.team_id if spec.team_id in plan.frontline_team_ids else None
    info.duration = spec.duration_minutes
    if info.duration is not None:
        info.starts = _start_times(spec)
        info.window = (_minutes(spec.window_start) or 0, _minutes(spec.window_end) or 0)
    info.days_by_week, info.weeks = cal.days_by_week(spec.weekdays)
    absent = cal.absent_union(info.people)
    if first > plan.period_start:
        # Not before it starts: those days count as days away for this series alone.
        absent |= set(range(plan.period_start.toordinal(), first.toordinal()))
    info.absent = absent
    if absent:
        # Shared tables stay untouched: only the weeks someone is away get a filtered copy.
        by_week = dict(info.days_by_week)
        for week in {cal.week_of(o) for o in absent}:
            if week in by_week:
                kept = tuple(o for o in by_week[week] if o not in absent)
                if kept:
                    by_week[week] = kept
                else:
                    del by_week[week]
        info.days_by_week, info.weeks = by_week, sorted(by_week)
    if not info.weeks and info.count:
        info.error = _days_problem(info, cal, cal.plannable_days(spec.weekdays))
    return info


def _period(plan: PlanInput) -> tuple[date, date]:
    return plan.period_start, plan.period_end

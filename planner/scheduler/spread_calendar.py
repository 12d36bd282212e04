"""Calendar arithmetic for the spreading engine: weeks, open days, local wall-clock time <-> UTC.

Days are handled as proleptic ordinals (`date.toordinal()`), weeks as indices counted from the
Monday on or before the period start. Ordinal 1 (0001-01-01) is a Monday, so the weekday of an
ordinal is `(ordinal - 1) % 7`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.scheduler.spread_types import PlanInput
from planner.scheduler.spread_words import DAY_NAMES, Said, say

__all__ = ["DAY_NAMES", "Calendar", "load_zone", "occurrence_count", "weekday_of"]


def weekday_of(ordinal: int) -> int:
    """Weekday (Monday = 0) of a day ordinal."""
    return (ordinal - 1) % 7


def load_zone(name: str) -> tzinfo | None:
    """Return the IANA zone, or None when the name is unknown or malformed."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


@lru_cache(maxsize=256)  # pure, and asked once per series with only a handful of distinct spacings
def occurrence_count(min_gap: int, max_gap: int, period_start: date, period_end: date) -> int:
    """How many occurrences of a series with this spacing the period holds (deterministic).

    About period length / ideal spacing, where ideal = (min + max) / 2; then adjusted so that the
    occurrences fit between the Customer Service Weeks just before and after the period without
    breaking max_gap (if the minimum spacing allows it), and never so many that the minimum
    spacing cannot be kept.
    """
    days = (period_end - period_start).days
    if days <= 0 or min_gap < 1 or max_gap < min_gap:
        return 0
    ideal = (min_gap + max_gap) / 2
    weeks = week_count(period_start, period_end)
    count = max(1, math.floor(days / 7 / ideal + 0.5))
    span = weeks + 1  # from the week before the period to the week after it
    while (count + 1) * max_gap < span and count * min_gap <= weeks - 1:
        count += 1
    while count > 1 and (count - 1) * min_gap > weeks - 1:
        count -= 1
    return count


def week_count(period_start: date, period_end: date) -> int:
    """Number of Monday-based calendar weeks the half-open period touches."""
    if period_end <= period_start:
        return 0
    first = period_start.toordinal() - period_start.weekday()
    return (period_end.toordinal() - 1 - first) // 7 + 1


class Calendar:
    """The period as weeks of open days, plus the conversions the engine needs."""

    def __init__(self, plan: PlanInput, zone: tzinfo | None) -> None:
        self.zone = zone
        self.start_ord = plan.period_start.toordinal()
        self.end_ord = plan.period_end.toordinal()
        self.base_ord = self.start_ord - plan.period_start.weekday()
        self.weeks = week_count(plan.period_start, plan.period_end)
        self.frozen_ord = plan.frozen_until.toordinal() if plan.frozen_until else -1
        working = {d for d in plan.working_weekdays if isinstance(d, int)}
        closed = {d.toordinal() for d in plan.closed_dates}
        self.open_days: list[int] = [
            o
            for o in range(self.start_ord, self.end_ord)
            if weekday_of(o) in working and o not in closed
        ]
        self.open_set = frozenset(self.open_days)
        self.working_days = [0] * self.weeks
        for o in self.open_days:
            self.working_days[self.week_of(o)] += 1
        # Index among plannable weeks: team gaps are counted in weeks where anyone can meet.
        self.plannable_index: list[int] = []
        count = 0
        for wd in self.working_days:
            self.plannable_index.append(count)
            count += wd > 0
        self.plannable = count
        self._absent: dict[int, frozenset[int]] = {}
        self._absences = plan.absences
        # Keyed by frozensets of small ints, whose hashes do not vary between processes.
        self._base_cache: dict[frozenset[int], tuple[int, ...]] = {}
        self._offsets: dict[int, int | None] = {}
        self._spans: dict[tuple[int, int, int], tuple[datetime, datetime] | None] = {}
        self._locals: dict[datetime, tuple[int, int]] = {}
        self._week_cache: dict[frozenset[int], tuple[dict[int, tuple[int, ...]], list[int]]] = {}
        self._names, self._teams = plan.person_names, plan.team_names
        self._closed_reasons, self.date_format = plan.closed_reasons, plan.date_format
        self._working = working

    # --- words for messages (codes + parameters; see spread_words) ----------------------------
    def say(self, code: str, **params: object) -> Said:
        """A sentence of the engine, dates in English in the organisation's format."""
        return say(code, self.date_format, **params)

    def person(self, person: int | None) -> str:
        """A person's name for messages (their id only when no name is known)."""
        name = self._names.get(person) if person is not None else None
        return name if isinstance(name, str) and name else self.say("person-id", id=person)

    def team(self, team: int | None) -> str:
        """A team's name for messages."""
        name = self._teams.get(team) if team is not None else None
        return name if isinstance(name, str) and name else self.say("team-id", id=team)

    def day(self, ordinal: int | date) -> date:
        """A day as a message parameter (worded when shown)."""
        return ordinal if isinstance(ordinal, date) else date.fromordinal(ordinal)

    def why_closed(self, ordinal: int) -> Said:
        """Why an open-looking day is not plannable, in words."""
        value = date.fromordinal(ordinal)
        if not self.start_ord <= ordinal < self.end_ord:
            return self.say("day-outside-period", day=value)
        if weekday_of(ordinal) not in self._working:
            return self.say("day-not-working", day=value)
        reason = self._closed_reasons.get(value)
        if isinstance(reason, str) and reason:
            return self.say("day-closed-because", day=value, reason=reason)
        return self.say("day-closed", day=value)

    def week_of(self, ordinal: int) -> int:
        """Week index of a day ordinal."""
        return (ordinal - self.base_ord) // 7

    def week_monday(self, week: int) -> date:
        """Monday of a week index."""
        return date.fromordinal(self.base_ord + 7 * week)

    def week_span(self, first: int, last: int) -> Said:
        """Human text for the days of weeks first..last, clamped to the period."""
        lo = max(self.start_ord, self.base_ord + 7 * max(first, 0))
        hi = min(self.end_ord - 1, self.base_ord + 7 * min(last, self.weeks - 1) + 6)
        return self.say("days-between", first=self.day(lo), last=self.day(hi))

    def absent_days(self, person: int) -> frozenset[int]:
        """Ordinals on which a person is absent."""
        found = self._absent.get(person)
        if found is None:
            raw = self._absences.get(person) or frozenset()
            found = frozenset(d.toordinal() for d in raw if isinstance(d, date))
            self._absent[person] = found
        return found

    def absent_union(self, people: Iterable[int]) -> set[int]:
        """Ordinals on which any of the people is absent."""
        union: set[int] = set()
        for person in people:
            found = self._absent.get(person)
            if found is None:
                found = self.absent_days(person)
            if found:
                union |= found
        return union

    def plannable_days(self, weekdays: Iterable[int]) -> tuple[int, ...]:
        """Open days after the frozen horizon that fall on one of the weekdays."""
        key = frozenset(d for d in weekdays if isinstance(d, int))
        found = self._base_cache.get(key)
        if found is None:
            allowed = set(key)
            found = tuple(
                o for o in self.open_days if o > self.frozen_ord and weekday_of(o) in allowed
            )
            self._base_cache[key] = found
        return found

    def days_by_week(self, weekdays: Iterable[int]) -> tuple[dict[int, tuple[int, ...]], list[int]]:
        """Plannable days on the weekdays by week, and the sorted weeks (shared: read only)."""
        key = weekdays if isinstance(weekdays, frozenset) else frozenset(weekdays)
        found = self._week_cache.get(key)
        if found is None:
            by_week: dict[int, list[int]] = {}
            for o in self.plannable_days(key):
                by_week.setdefault(self.week_of(o), []).append(o)
            found = ({w: tuple(v) for w, v in by_week.items()}, sorted(by_week))
            self._week_cache[key] = found
        return found

    def day_offset(self, ordinal: int) -> int | None:
        """UTC offset in minutes valid all day, or None on a day the offset changes."""
        if ordinal in self._offsets:
            return self._offsets[ordinal]
        assert self.zone is not None
        day = date.fromordinal(ordinal)
        first = datetime(day.year, day.month, day.day, tzinfo=self.zone).utcoffset()
        last = datetime(day.year, day.month, day.day, 23, 59, tzinfo=self.zone).utcoffset()
        following = day + timedelta(days=1)
        after = datetime(following.year, following.month, following.day, tzinfo=self.zone)
        offset: int | None = None
        if first is not None and first == last == after.utcoffset():
            offset = int(first.total_seconds()) // 60
        self._offsets[ordinal] = offset
        return offset

    def to_utc(self, ordinal: int, minute: int) -> datetime | None:
        """Aware UTC instant of a local wall-clock minute; None if it is skipped or repeated."""
        offset = self.day_offset(ordinal)
        day = date.fromordinal(ordinal)
        if offset is not None:
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
                minutes=minute - offset
            )
        naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minute)
        local = naive.replace(tzinfo=self.zone)
        if local.utcoffset() != local.replace(fold=1).utcoffset():
            return None  # skipped (spring forward) or repeated (fall back): never plan there
        return local.astimezone(UTC)

    def utc_span(self, ordinal: int, start: int, end: int) -> tuple[datetime, datetime] | None:
        """UTC start and end of a local interval, or None if a clock change cuts through it."""
        # Remembered per (day, start, end): ~58,000 events at 10,000 people share ~3,500 of
        # them, and the datetimes are immutable, so placements may share them.
        key = (ordinal, start, end)
        if key in self._spans:
            return self._spans[key]
        first = self.to_utc(ordinal, start)
        last = self.to_utc(ordinal, end)
        span: tuple[datetime, datetime] | None = None
        length = timedelta(minutes=end - start)
        if first is not None and last is not None and last - first == length:
            span = (first, last)
        self._spans[key] = span
        return span

    def local_of(self, instant: datetime) -> tuple[int, int]:
        """Local (day ordinal, minute of day) of an aware instant."""
        # Remembered per UTC instant: published events share a few thousand start times. Only
        # UTC ones: in a zone with a repeated hour, two instants an hour apart compare equal.
        found = self._locals.get(instant) if instant.tzinfo is UTC else None
        if found is None:
            local = instant.astimezone(self.zone)
            found = (local.toordinal(), local.hour * 60 + local.minute)
            if instant.tzinfo is UTC:
                self._locals[instant] = found
        return found

"""Independent check of a plan's hard constraints (shares no code with the engine on purpose).

Used by the tests and the benchmark: whatever the engine believes, this re-derives every rule
from the PlanInput and the PlanResult alone. Violations in which every placement involved is
pinned are the user's own doing and are skipped (the engine reports those as warnings).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.scheduler.collector import collector_paused
from planner.scheduler.spread_types import Placement, PlanInput, PlanResult, SeriesSpec
from planner.scheduler.spread_words import Said
from planner.scheduler.spread_words import say as _say

ISO = "%Y-%m-%d"


def say(code: str, **params: object) -> Said:
    """A violation, its dates written as ISO days (YYYY-MM-DD) in English."""
    return _say(code, ISO, **params)


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week(day: date) -> int:
    """Monday-based week number (0001-01-01, ordinal 1, was a Monday): the weeks between two
    days' Mondays are the difference of their numbers."""
    return (day.toordinal() - 1) // 7


class _Days:
    """What the rules need to know about local days and instants, worked out once per distinct
    value instead of once per placement (a 10,000-person plan has ~58,000 placements but only a
    few thousand distinct start instants and a few hundred days).

    `local(instant)` gives (local date, local time, ambiguous) for an aware instant, where
    ambiguous means the wall-clock time is skipped or repeated by a clock change; `day_open(d)`
    says whether a day passes the plan-wide day rules (period, working weekday, not closed);
    `away[d]` is who is absent on day d (absences inverted: few people are away, many attend)."""

    def __init__(self, plan: PlanInput, zone: ZoneInfo | None) -> None:
        self.plan, self.zone = plan, zone
        self._local: dict[datetime, tuple[date, time, bool]] = {}
        self._open: dict[date, bool] = {}
        self.away: dict[object, set[int]] = {}
        for person, days in plan.absences.items():
            for day in days:
                self.away.setdefault(day, set()).add(person)

    def local(self, instant: datetime) -> tuple[date, time, bool]:
        """Local date, wall-clock time and whether that time is ambiguous, for an aware instant."""
        # Only UTC instants are remembered: in a zone with a repeated hour, two instants an
        # hour apart compare equal (and hash alike), so they cannot share an entry.
        found = self._local.get(instant) if instant.tzinfo is UTC else None
        if found is None:
            here = instant.astimezone(self.zone)
            ambiguous = here.replace(fold=1).utcoffset() != here.utcoffset()
            found = (here.date(), here.time(), ambiguous)
            if instant.tzinfo is UTC:
                self._local[instant] = found
        return found

    def day_open(self, day: date) -> bool:
        """Inside the period, a working weekday and not closed."""
        found = self._open.get(day)
        if found is None:
            plan = self.plan
            found = self._open[day] = (
                plan.period_start <= day < plan.period_end
                and day.weekday() in plan.working_weekdays
                and day not in plan.closed_dates
            )
        return found


def _pinned_starts(plan: PlanInput, days: _Days) -> dict[str, datetime | date]:
    """Placements the rules do not judge: pinned ones, and published ones inside the frozen
    weeks (they stay where they are whatever changed)."""
    frozen = plan.frozen_until
    found = {}
    for e in plan.existing:
        timed = isinstance(e.start, datetime) and days.zone
        day = days.local(e.start)[0] if timed else e.start  # type: ignore[arg-type]
        if e.pinned or (frozen is not None and isinstance(day, date) and day <= frozen):
            found[e.slot_key] = e.start
    return found


def _single(
    plan: PlanInput, p: Placement, spec: SeriesSpec, days: _Days
) -> tuple[list[Said], date | None]:
    """Rules one placement must meet on its own; also returns its local date."""
    found: list[Said] = []
    name = p.slot_key
    if spec.duration_minutes is None:
        if isinstance(p.start, datetime) or not isinstance(p.start, date):
            return [say("v-all-day-start", slot=name, value=repr(p.start))], None
        day = p.start
        if type(p.end) is not date or p.end != day + timedelta(days=1):
            found.append(say("v-all-day-end", slot=name, value=repr(p.end)))
    else:
        if not isinstance(p.start, datetime) or not isinstance(p.end, datetime):
            return [say("v-timed-not-datetimes", slot=name)], None
        if p.start.tzinfo is not UTC or p.end.tzinfo is not UTC:
            found.append(say("v-not-utc", slot=name))
        if p.start.utcoffset() is None or days.zone is None:
            return [*found, say("v-no-local-time", slot=name)], None
        day, start_t, ambiguous = days.local(p.start)
        end_day, end_t, _ = days.local(p.end)
        if p.end - p.start != timedelta(minutes=spec.duration_minutes):
            length, minutes = str(p.end - p.start), spec.duration_minutes
            found.append(say("v-length", slot=name, length=length, minutes=minutes))
        if end_day != day:
            found.append(say("v-midnight", slot=name))
        if start_t < spec.window_start or end_t > spec.window_end:
            found.append(say("v-outside-window", slot=name, start=str(start_t), end=str(end_t)))
        if ambiguous:
            found.append(say("v-ambiguous", slot=name))
    if not days.day_open(day):
        if not plan.period_start <= day < plan.period_end:
            found.append(say("v-outside-period", slot=name, day=day))
        if day.weekday() not in plan.working_weekdays:
            found.append(say("v-not-working", slot=name, day=day))
        if day in plan.closed_dates:
            found.append(say("v-closed", slot=name, day=day))
    if day.weekday() not in spec.weekdays:
        found.append(say("v-weekday", slot=name, day=day))
    away = days.away.get(day)
    if away:
        for person in (spec.host_id, *spec.attendee_ids):
            if person in away:
                found.append(say("v-absent", slot=name, person=person, day=day))
    if isinstance(spec.starts_on, date) and day < spec.starts_on:
        found.append(say("v-before-start", slot=name, day=day, starts=spec.starts_on))
    if p.status != "kept" and plan.frozen_until is not None and day <= plan.frozen_until:
        found.append(say("v-frozen", slot=name, status=p.status, day=day))
    return found, day


def _stability(plan: PlanInput, result: PlanResult) -> list[Said]:
    """Kept means exactly where it was; pinned never moves; cancelled/unplaced are not placed."""
    found: list[Said] = []
    before = {e.slot_key: e for e in plan.existing}
    placed = {p.slot_key: p for p in result.placements}
    for key, e in before.items():
        if e.pinned and (key not in placed or placed[key].start != e.start):
            found.append(say("v-pinned-moved", slot=key))
    for p in result.placements:
        old = before.get(p.slot_key)
        if p.status == "kept" and (old is None or old.start != p.start):
            found.append(say("v-kept-moved", slot=p.slot_key))
        if p.status == "moved" and old is None:
            found.append(say("v-moved-new", slot=p.slot_key))
        if p.status == "new" and old is not None:
            found.append(say("v-new-existed", slot=p.slot_key))
    for key in [*result.cancelled_slot_keys, *(u.slot_key for u in result.unplaced)]:
        if key in placed:
            found.append(say("v-placed-and-cancelled", slot=key))
    return found


def personal_overlaps(
    busy: Mapping[int, list[tuple[datetime, datetime, str]]],
) -> list[tuple[int, str, str]]:
    """(person, label, label) for every two of a person's timed items that overlap in time.

    Works for any kind of event: callers put in each person's series events (an event for
    everyone or a whole team lists all its people), outside busy times, or a personal feed."""
    found = []
    for person, spans in sorted(busy.items()):
        spans = sorted(spans)
        for i, (_, end, k1) in enumerate(spans):
            for start, _, k2 in spans[i + 1 :]:
                if start >= end:
                    break
                found.append((person, k1, k2))
    return found


Timed = tuple[datetime, datetime, str, "set[int] | frozenset[int]"]  # start, end, label, people


def _double_bookings(items: list[Timed]) -> list[tuple[int, str, str]]:
    """What personal_overlaps finds, for items that each list all their people, without a sort
    per person: the items are sorted once, by (start, end, label) as personal_overlaps sorts a
    person's spans, and each person gets the positions of their items in that order (already
    sorted). A person's sweep then costs one comparison per item unless items overlap."""
    items = sorted(items, key=lambda item: item[:3])
    ranks: dict[int, list[int]] = defaultdict(list)
    for rank, item in enumerate(items):
        for person in item[3]:
            ranks[person].append(rank)
    starts, ends = [item[0] for item in items], [item[1] for item in items]
    found = []
    for person, mine in sorted(ranks.items()):
        count = len(mine)
        for i in range(count - 1):
            end = ends[mine[i]]
            if starts[mine[i + 1]] >= end:
                continue  # the usual case: the next one starts when this one has ended
            label = items[mine[i]][2]
            j = i + 1
            while j < count and starts[mine[j]] < end:
                found.append((person, label, items[mine[j]][2]))
                j += 1
    return found


def find_violations(plan: PlanInput, result: PlanResult) -> list[Said]:
    """Every hard-constraint violation in the result, as readable lines (empty when valid).

    Checked: slot identity, shape (UTC-aware or date), period, working day, closed dates,
    weekdays, window, length, absences, frozen weeks, double booking of each person across
    every kind of event (events for everyone and whole-team events list all their people as
    attendees; outside busy times included),
    leader weekly cap, min spacing, and that kept/pinned placements did not move.
    """
    with collector_paused():
        return _violations(plan, result)


def _violations(plan: PlanInput, result: PlanResult) -> list[Said]:
    """find_violations without the GC pause."""
    found: list[Said] = []
    zone = _zone(plan.tz)
    specs = {s.key: s for s in plan.series}
    days = _Days(plan, zone)
    pinned = _pinned_starts(plan, days)
    counts = Counter(p.slot_key for p in result.placements)
    found += [say("v-placed-twice", slot=k) for k, n in sorted(counts.items()) if n > 1]
    timed: list[Timed] = []
    people: dict[str, frozenset[int]] = {}  # per series: host and attendees, once each
    capped: dict[tuple[int, date], list[str]] = defaultdict(list)
    by_series: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for p in result.placements:
        spec = specs.get(p.series_key)
        if spec is None or p.slot_key != f"{p.series_key}#{p.index}":
            found.append(say("v-unknown-series", slot=p.slot_key))
            continue
        problems, day = _single(plan, p, spec, days)
        if not (p.slot_key in pinned and pinned[p.slot_key] == p.start):
            found += problems
        if day is None:
            continue
        by_series[p.series_key].append((day, p.slot_key))
        if spec.counts_toward_cap and spec.leader_id is not None:
            capped[(spec.leader_id, _monday(day))].append(p.slot_key)
        if isinstance(p.start, datetime) and isinstance(p.end, datetime):
            who = people.get(spec.key)
            if who is None:
                who = people[spec.key] = frozenset((spec.host_id, *spec.attendee_ids))
            timed.append((p.start, p.end, p.slot_key, who))

    outside: set[str] = set()
    for i, item in enumerate(plan.busy):
        if isinstance(item.start, datetime) and item.start.utcoffset() is not None:
            label = say("v-busy-time", index=i)
            outside.add(label)
            timed.append((item.start, item.end, label, set(item.person_ids)))

    def all_pinned(slots: list[str]) -> bool:
        """The user's own doing: only pinned placements and outside busy times are involved."""
        return all(s in pinned or s in outside for s in slots)

    for person, k1, k2 in _double_bookings(timed):
        if not all_pinned([k1, k2]):
            found.append(say("v-double-booked", person=person, first=k1, second=k2))
    for (leader, monday), slots in sorted(capped.items()):
        if len(slots) > plan.leader_weekly_cap and not all_pinned(slots):
            found.append(say("v-over-cap", leader=leader, count=len(slots), monday=monday))
    for key, dated in sorted(by_series.items()):
        dated.sort()
        gap = specs[key].min_gap_weeks
        for (d1, k1), (d2, k2) in pairwise(dated):
            weeks = _week(d2) - _week(d1)
            if weeks < gap and not all_pinned([k1, k2]):
                found.append(say("v-too-close", first=k1, second=k2, weeks=weeks, gap=gap))
    return found + _stability(plan, result)

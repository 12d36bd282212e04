"""Independent check of a plan's hard constraints (shares no code with the engine on purpose).

Used by the tests and the benchmark: whatever the engine believes, this re-derives every rule
from the PlanInput and the PlanResult alone. Violations in which every placement involved is
pinned are the user's own doing and are skipped (the engine reports those as warnings).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from planner.scheduler.spread_types import Placement, PlanInput, PlanResult, SeriesSpec


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _pinned_starts(plan: PlanInput, zone: ZoneInfo | None) -> dict[str, datetime | date]:
    """Placements the rules do not judge: pinned ones, and published ones inside the frozen
    weeks (they stay where they are whatever changed)."""
    frozen = plan.frozen_until
    found = {}
    for e in plan.existing:
        day = e.start.astimezone(zone).date() if isinstance(e.start, datetime) and zone else e.start
        if e.pinned or (frozen is not None and isinstance(day, date) and day <= frozen):
            found[e.slot_key] = e.start
    return found


def _single(
    plan: PlanInput, p: Placement, spec: SeriesSpec, zone: ZoneInfo | None
) -> tuple[list[str], date | None]:
    """Rules one placement must meet on its own; also returns its local date."""
    found: list[str] = []
    name = p.slot_key
    if spec.duration_minutes is None:
        if isinstance(p.start, datetime) or not isinstance(p.start, date):
            return [f"{name}: all-day series but start is {p.start!r}"], None
        day = p.start
        if type(p.end) is not date or p.end != day + timedelta(days=1):
            found.append(f"{name}: all-day end {p.end!r} is not the next day")
    else:
        if not isinstance(p.start, datetime) or not isinstance(p.end, datetime):
            return [f"{name}: timed series but start/end are not datetimes"], None
        if p.start.tzinfo is not UTC or p.end.tzinfo is not UTC:
            found.append(f"{name}: start/end are not aware UTC datetimes")
        if p.start.utcoffset() is None or zone is None:
            return [*found, f"{name}: cannot read its local time"], None
        local_start, local_end = p.start.astimezone(zone), p.end.astimezone(zone)
        day = local_start.date()
        if p.end - p.start != timedelta(minutes=spec.duration_minutes):
            found.append(f"{name}: lasts {p.end - p.start}, not {spec.duration_minutes} minutes")
        if local_end.date() != day:
            found.append(f"{name}: crosses midnight")
        start_t, end_t = local_start.time(), local_end.time()
        if start_t < spec.window_start or end_t > spec.window_end:
            found.append(f"{name}: {start_t}-{end_t} outside window")
        if local_start.replace(fold=1).utcoffset() != local_start.utcoffset():
            found.append(f"{name}: starts at an ambiguous local time")
    if not plan.period_start <= day < plan.period_end:
        found.append(f"{name}: {day} outside the period")
    if day.weekday() not in plan.working_weekdays:
        found.append(f"{name}: {day} is not a working day")
    if day in plan.closed_dates:
        found.append(f"{name}: {day} is closed")
    if day.weekday() not in spec.weekdays:
        found.append(f"{name}: {day} is not an allowed weekday of the series")
    for person in (spec.host_id, *spec.attendee_ids):
        if day in plan.absences.get(person, frozenset()):
            found.append(f"{name}: person {person} is absent on {day}")
    if isinstance(spec.starts_on, date) and day < spec.starts_on:
        found.append(f"{name}: {day} is before the series starts on {spec.starts_on}")
    if p.status != "kept" and plan.frozen_until is not None and day <= plan.frozen_until:
        found.append(f"{name}: {p.status} placement on {day}, inside the frozen period")
    return found, day


def _stability(plan: PlanInput, result: PlanResult) -> list[str]:
    """Kept means exactly where it was; pinned never moves; cancelled/unplaced are not placed."""
    found: list[str] = []
    before = {e.slot_key: e for e in plan.existing}
    placed = {p.slot_key: p for p in result.placements}
    for key, e in before.items():
        if e.pinned and (key not in placed or placed[key].start != e.start):
            found.append(f"{key}: pinned placement moved or vanished")
    for p in result.placements:
        old = before.get(p.slot_key)
        if p.status == "kept" and (old is None or old.start != p.start):
            found.append(f"{p.slot_key}: marked kept but not at its existing start")
        if p.status == "moved" and old is None:
            found.append(f"{p.slot_key}: marked moved but was never placed")
        if p.status == "new" and old is not None:
            found.append(f"{p.slot_key}: marked new but existed")
    for key in [*result.cancelled_slot_keys, *(u.slot_key for u in result.unplaced)]:
        if key in placed:
            found.append(f"{key}: both placed and cancelled/unplaced")
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


def find_violations(plan: PlanInput, result: PlanResult) -> list[str]:
    """Every hard-constraint violation in the result, as readable lines (empty when valid).

    Checked: slot identity, shape (UTC-aware or date), period, working day, closed dates,
    weekdays, window, length, absences, frozen weeks, double booking of each person across
    every kind of event (events for everyone and whole-team events list all their people as
    attendees; outside busy times included),
    leader weekly cap, min spacing, and that kept/pinned placements did not move.
    """
    found: list[str] = []
    zone = _zone(plan.tz)
    specs = {s.key: s for s in plan.series}
    pinned = _pinned_starts(plan, zone)
    counts = Counter(p.slot_key for p in result.placements)
    found += [f"{k}: placed more than once" for k, n in sorted(counts.items()) if n > 1]
    busy: dict[int, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    capped: dict[tuple[int, date], list[str]] = defaultdict(list)
    by_series: dict[str, list[tuple[date, str]]] = defaultdict(list)
    for p in result.placements:
        spec = specs.get(p.series_key)
        if spec is None or p.slot_key != f"{p.series_key}#{p.index}":
            found.append(f"{p.slot_key}: unknown series or wrong index")
            continue
        problems, day = _single(plan, p, spec, zone)
        if not (p.slot_key in pinned and pinned[p.slot_key] == p.start):
            found += problems
        if day is None:
            continue
        by_series[p.series_key].append((day, p.slot_key))
        if spec.counts_toward_cap and spec.leader_id is not None:
            capped[(spec.leader_id, _monday(day))].append(p.slot_key)
        if isinstance(p.start, datetime) and isinstance(p.end, datetime):
            for person in {spec.host_id, *spec.attendee_ids}:
                busy[person].append((p.start, p.end, p.slot_key))

    outside: set[str] = set()
    for i, item in enumerate(plan.busy):
        if isinstance(item.start, datetime) and item.start.utcoffset() is not None:
            outside.add(f"busy time {i}")
            for person in set(item.person_ids):
                busy[person].append((item.start, item.end, f"busy time {i}"))

    def all_pinned(slots: list[str]) -> bool:
        """The user's own doing: only pinned placements and outside busy times are involved."""
        return all(s in pinned or s in outside for s in slots)

    for person, k1, k2 in personal_overlaps(busy):
        if not all_pinned([k1, k2]):
            found.append(f"person {person} double-booked: {k1} and {k2}")
    for (leader, monday), slots in sorted(capped.items()):
        if len(slots) > plan.leader_weekly_cap and not all_pinned(slots):
            found.append(f"leader {leader}: {len(slots)} capped events in week of {monday}")
    for key, dated in sorted(by_series.items()):
        dated.sort()
        gap = specs[key].min_gap_weeks
        for (d1, k1), (d2, k2) in pairwise(dated):
            weeks = (_monday(d2) - _monday(d1)).days // 7
            if weeks < gap and not all_pinned([k1, k2]):
                found.append(f"{k1} and {k2}: {weeks} weeks apart, minimum {gap}")
    return found + _stability(plan, result)

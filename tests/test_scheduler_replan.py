"""Re-planning keeps published placements stable (no database, no Flask)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.bench.plan import as_existing, synthetic_org, team_series
from planner.scheduler.spread import (
    ExistingPlacement,
    PlanInput,
    PlanResult,
    spread_over_year,
)
from planner.scheduler.validate import find_violations


def local_day(plan: PlanInput, start: datetime | date) -> date:
    """The organisation's local date of a placement start."""
    if isinstance(start, datetime):
        return start.astimezone(ZoneInfo(plan.tz)).date()
    return start


def starts(result: PlanResult) -> dict[str, datetime | date]:
    return {p.slot_key: p.start for p in result.placements}


@pytest.fixture(scope="module")
def published() -> tuple[PlanInput, PlanResult]:
    """A planned org fed back as its published placements, eight weeks into the period."""
    plan = synthetic_org(4, 5, 6)
    base = spread_over_year(plan)
    today = plan.period_start + timedelta(weeks=8)
    again = replace(plan, existing=as_existing(base), frozen_until=today + timedelta(weeks=2))
    return again, base


def test_replanning_without_changes_keeps_everything_exactly(published) -> None:
    plan, base = published
    result = spread_over_year(plan)
    assert starts(result) == starts(base)
    assert {p.status for p in result.placements} == {"kept"}
    assert result.stats.kept == len(base.placements)
    assert find_violations(plan, result) == []


def test_adding_a_leader_moves_nothing(published) -> None:
    plan, base = published
    added = tuple(
        s for t in (901, 902) for s in team_series(77, t, 50_000 + t, (60_000 + t, 61_000 + t))
    )
    grown = replace(
        plan, series=plan.series + added, frontline_team_ids=plan.frontline_team_ids | {901, 902}
    )
    result = spread_over_year(grown)
    after = starts(result)
    assert all(after[key] == start for key, start in starts(base).items())
    assert result.stats.moved_unforced == result.stats.moved_forced == 0
    new = [p for p in result.placements if p.status == "new"]
    assert new and {p.series_key for p in new} == {s.key for s in added}
    assert all(local_day(grown, p.start) > grown.frozen_until for p in new)
    assert find_violations(grown, result) == []


def test_removing_a_team_cancels_its_slots_and_moves_nothing(published) -> None:
    plan, base = published
    smaller = replace(plan, series=tuple(s for s in plan.series if s.team_id != 3))
    result = spread_over_year(smaller)
    gone = {s.key for s in plan.series if s.team_id == 3}
    assert set(result.cancelled_slot_keys) == {k for k in starts(base) if k.split("#")[0] in gone}
    assert starts(result) == {k: v for k, v in starts(base).items() if k.split("#")[0] not in gone}
    assert result.stats.moved_unforced == 0
    assert find_violations(smaller, result) == []


def test_a_new_blackout_week_in_february_moves_only_that_weeks_events(published) -> None:
    plan, base = published
    week = frozenset(date(2026, 2, 9) + timedelta(days=d) for d in range(5))
    closed = replace(plan, closed_dates=plan.closed_dates | week)
    result = spread_over_year(closed)
    hit = {p.slot_key for p in base.placements if local_day(plan, p.start) in week}
    after = starts(result)
    assert hit
    for key, start in starts(base).items():
        if key not in hit:
            assert after[key] == start
    moved = {p.slot_key: p for p in result.placements if p.status == "moved"}
    unplaced = {u.slot_key: u for u in result.unplaced}
    assert set(moved) | set(unplaced) == hit
    assert all(p.move_reason == "forced" and "closed" in p.note for p in moved.values())
    assert all("closed" in u.reason for u in unplaced.values())
    assert result.stats.moved_forced == len(moved) and result.stats.moved_unforced == 0
    assert not {local_day(closed, p.start) for p in result.placements} & week
    assert find_violations(closed, result) == []


def test_a_pinned_event_never_moves_even_onto_a_closed_day(published) -> None:
    plan, base = published
    target = next(p for p in base.placements if p.series_key.startswith("skip:"))
    day = local_day(plan, target.start)
    existing = tuple(
        replace(e, pinned=True) if e.slot_key == target.slot_key else e for e in plan.existing
    )
    closed = replace(plan, existing=existing, closed_dates=plan.closed_dates | {day})
    result = spread_over_year(closed)
    kept = next(p for p in result.placements if p.slot_key == target.slot_key)
    assert (kept.start, kept.status, kept.pinned) == (target.start, "kept", True)
    title = next(s.title for s in plan.series if s.key == target.series_key)
    said = f"{title} on {day:%a %d %b %Y} is pinned and stays although"
    assert any(said in w and "is closed" in w for w in result.warnings)
    assert find_violations(closed, result) == []


def test_a_pinned_hand_edited_time_and_length_are_respected(published) -> None:
    plan, base = published
    target = next(p for p in base.placements if p.series_key.startswith("skip:"))
    assert isinstance(target.start, datetime)
    evening = datetime.combine(local_day(plan, target.start), time(19), ZoneInfo(plan.tz))
    edited = ExistingPlacement(target.slot_key, evening, True, evening + timedelta(hours=2))
    existing = tuple(edited if e.slot_key == target.slot_key else e for e in plan.existing)
    result = spread_over_year(replace(plan, existing=existing))
    kept = next(p for p in result.placements if p.slot_key == target.slot_key)
    assert kept.start == evening and kept.end == evening + timedelta(hours=2)
    assert kept.start.tzinfo is not None and kept.start.utcoffset() == timedelta(0)  # type: ignore[union-attr]


def test_a_new_absence_forces_that_event_to_move(published) -> None:
    plan, base = published
    target = next(
        p
        for p in base.placements
        if p.series_key.startswith("skip:")
        and local_day(plan, p.start) > plan.frozen_until + timedelta(days=7)
    )
    leader = int(target.series_key.split(":")[1][1:])
    day = local_day(plan, target.start)
    away = {**plan.absences, leader: frozenset({day})}
    result = spread_over_year(replace(plan, absences=away))
    moved = next(p for p in result.placements if p.slot_key == target.slot_key)
    assert moved.status == "moved" and moved.move_reason == "forced"
    assert f"person {leader} (leader) is away on {day:%a %d %b %Y}" in moved.note
    assert local_day(plan, moved.start) != day
    assert abs((local_day(plan, moved.start) - day).days) <= 7  # near where it was
    specs = {s.key: s for s in plan.series}
    his_that_day = {
        p.slot_key
        for p in base.placements
        if local_day(plan, p.start) == day
        and leader in (specs[p.series_key].host_id, *specs[p.series_key].attendee_ids)
    }
    assert {p.slot_key for p in result.placements if p.status != "kept"} == his_that_day


def test_unknown_series_extra_indices_and_garbage_keys_are_cancelled(published) -> None:
    plan, base = published
    first = base.placements[0]
    extra = (
        ExistingPlacement("gone:series#0", first.start),
        ExistingPlacement(f"{first.series_key}#99", first.start),
        ExistingPlacement("no index here", first.start),
    )
    result = spread_over_year(replace(plan, existing=plan.existing + extra))
    assert set(result.cancelled_slot_keys) == {e.slot_key for e in extra}
    assert starts(result) == starts(base)


def test_a_naive_datetime_is_moved_not_raised(published) -> None:
    plan, base = published
    target = next(p for p in base.placements if isinstance(p.start, datetime))
    naive = target.start.replace(tzinfo=None)  # type: ignore[union-attr]
    existing = tuple(
        ExistingPlacement(e.slot_key, naive) if e.slot_key == target.slot_key else e
        for e in plan.existing
    )
    result = spread_over_year(replace(plan, existing=existing))
    # Moved if its series has room after the frozen weeks, otherwise reported; never an error.
    outcome = [p.note for p in result.placements if p.slot_key == target.slot_key]
    outcome += [u.reason for u in result.unplaced if u.slot_key == target.slot_key]
    assert len(outcome) == 1 and "naive datetime" in outcome[0]
    assert all(
        p.start.tzinfo is not None for p in result.placements if isinstance(p.start, datetime)
    )

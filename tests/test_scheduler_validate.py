"""The independent validator catches planted hard-constraint violations."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.bench.plan import as_existing, synthetic_org
from planner.scheduler.spread import (
    BusyTime,
    Placement,
    PlanInput,
    PlanResult,
    spread_over_year,
)
from planner.scheduler.validate import _double_bookings, _week, find_violations, personal_overlaps


@pytest.fixture(scope="module")
def planned() -> tuple[PlanInput, PlanResult]:
    plan = synthetic_org(2, 3, 4)
    return plan, spread_over_year(plan)


def swap(result: PlanResult, old: Placement, new: Placement) -> PlanResult:
    """The result with one placement replaced."""
    return replace(result, placements=tuple(new if p is old else p for p in result.placements))


def timed(result: PlanResult, prefix: str) -> Placement:
    return next(p for p in result.placements if p.series_key.startswith(prefix))


def shifted(p: Placement, delta: timedelta) -> Placement:
    return replace(p, start=p.start + delta, end=p.end + delta)  # type: ignore[operator]


def test_a_generated_plan_is_clean(planned) -> None:
    plan, result = planned
    assert find_violations(plan, result) == []


def test_catches_a_closed_day(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:")
    day = p.start.date()  # type: ignore[union-attr]
    closed = replace(plan, closed_dates=plan.closed_dates | {day})
    assert any("is closed" in v for v in find_violations(closed, result))


def test_catches_a_weekend(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:")
    to_saturday = timedelta(days=5 - p.start.weekday())  # type: ignore[union-attr]
    found = find_violations(plan, swap(result, p, shifted(p, to_saturday)))
    assert any("not a working day" in v for v in found)


def test_catches_an_absent_participant(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:")
    spec = next(s for s in plan.series if s.key == p.series_key)
    away = {**plan.absences, spec.attendee_ids[0]: frozenset({p.start.date()})}  # type: ignore[union-attr]
    found = find_violations(replace(plan, absences=away), result)
    assert any(f"person {spec.attendee_ids[0]} is absent" in v for v in found)


def test_catches_double_booking(planned) -> None:
    plan, result = planned
    a = timed(result, "skip:l1000:t1")
    b = timed(result, "skip:l1000:t2")
    moved = replace(b, start=a.start + timedelta(minutes=30), end=a.end + timedelta(minutes=30))  # type: ignore[operator]
    found = find_violations(plan, swap(result, b, moved))
    assert any("person 1000 double-booked" in v for v in found)


def test_catches_a_broken_leader_cap(planned) -> None:
    plan, result = planned
    found = find_violations(replace(plan, leader_weekly_cap=0), result)
    assert any("capped events in week" in v for v in found)


def test_catches_spacing_below_the_minimum(planned) -> None:
    plan, result = planned
    series = [p for p in result.placements if p.series_key == "skip:l1000:t1"]
    gap = series[1].start - series[0].start  # type: ignore[operator]
    closer = shifted(series[1], -gap + timedelta(weeks=2))
    found = find_violations(plan, swap(result, series[1], closer))
    assert any("weeks apart, minimum 10" in v for v in found)


def test_catches_times_outside_the_window_and_naive_or_local_datetimes(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:")
    late = replace(p, start=p.start.replace(hour=18), end=p.end.replace(hour=19))  # type: ignore[union-attr]
    assert any("outside window" in v for v in find_violations(plan, swap(result, p, late)))
    naive = replace(p, start=p.start.replace(tzinfo=None), end=p.end.replace(tzinfo=None))  # type: ignore[union-attr]
    assert any("not aware UTC" in v for v in find_violations(plan, swap(result, p, naive)))


def test_catches_wrong_length_and_all_day_shapes(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:")
    longer = replace(p, end=p.end + timedelta(minutes=15))  # type: ignore[operator]
    assert any("not 60 minutes" in v for v in find_violations(plan, swap(result, p, longer)))
    star = timed(result, "star:")
    as_instant = replace(star, start=datetime(2026, 1, 5, 9, tzinfo=UTC))
    assert any("all-day series" in v for v in find_violations(plan, swap(result, star, as_instant)))


def test_catches_placements_outside_the_period_and_in_the_frozen_weeks(planned) -> None:
    plan, result = planned
    star = timed(result, "star:")
    early = replace(star, start=date(2020, 1, 6), end=date(2020, 1, 7))
    assert any("outside the period" in v for v in find_violations(plan, swap(result, star, early)))
    frozen = replace(plan, frozen_until=plan.period_end)
    assert any("inside the frozen period" in v for v in find_violations(frozen, result))


def test_catches_a_moved_pin_and_a_false_kept(planned) -> None:
    plan, result = planned
    published = replace(plan, existing=as_existing(result))
    p = timed(result, "skip:")
    pinned = replace(
        published,
        existing=tuple(replace(e, pinned=e.slot_key == p.slot_key) for e in published.existing),
    )
    kept = replace(result, placements=tuple(replace(q, status="kept") for q in result.placements))
    moved = swap(kept, next(q for q in kept.placements if q.slot_key == p.slot_key),
                 shifted(replace(p, status="kept"), timedelta(days=1)))  # fmt: skip
    found = find_violations(pinned, moved)
    assert any("pinned placement moved" in v for v in found)
    assert any("marked kept but not at its existing start" in v for v in found)


def test_violations_among_pinned_placements_only_are_the_users_choice(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:")
    day = p.start.date()  # type: ignore[union-attr]
    pins = tuple(replace(e, pinned=True) for e in as_existing(result))
    kept = replace(result, placements=tuple(replace(q, status="kept") for q in result.placements))
    closed = replace(plan, existing=pins, closed_dates=plan.closed_dates | {day})
    assert find_violations(closed, kept) == []


def test_catches_duplicates_and_unknown_series(planned) -> None:
    plan, result = planned
    first = result.placements[0]
    doubled = replace(result, placements=(*result.placements, first))
    assert any("placed more than once" in v for v in find_violations(plan, doubled))
    stranger = replace(first, series_key="nobody", slot_key="nobody#0")
    assert any("unknown series" in v for v in find_violations(plan, swap(result, first, stranger)))


def test_catches_a_meeting_during_someones_busy_time(planned) -> None:
    plan, result = planned
    p = timed(result, "skip:l1000:t1")
    busy = BusyTime((1000,), p.start, p.end)  # type: ignore[arg-type]
    found = find_violations(replace(plan, busy=(busy,)), result)
    assert any("person 1000 double-booked" in v and "busy time 0" in v for v in found)


# --- the validator's own structures: one sort for everyone's double bookings, cached local times


AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_minutes = st.integers(min_value=0, max_value=3 * 24 * 60)  # three days: items cross midnight


@st.composite
def _timed_items(draw: st.DrawFn) -> list[tuple[datetime, datetime, str, frozenset[int]]]:
    """Items of a few people, with equal starts, touching ends and zero lengths among them."""
    base = datetime(2026, 3, 28, 22, tzinfo=UTC)  # the night Amsterdam's clocks go forward
    items = []
    for n in range(draw(st.integers(min_value=0, max_value=12))):
        start = draw(_minutes)
        length = draw(st.sampled_from([0, 30, 60, 90, 24 * 60]))
        people = draw(st.frozensets(st.integers(min_value=1, max_value=4), min_size=1))
        label = draw(st.sampled_from(["a#0", "a#1", "b#0", f"x#{n}"]))
        items.append((base + timedelta(minutes=start), base + timedelta(minutes=start + length),
                      label, people))  # fmt: skip
    return items


@settings(max_examples=300, derandomize=True, deadline=None)
@given(_timed_items())
def test_double_bookings_are_what_the_per_person_check_finds(items) -> None:
    """The one-sort sweep reports exactly the pairs personal_overlaps reports, in its order."""
    per_person: dict[int, list[tuple[datetime, datetime, str]]] = {}
    for start, end, label, people in items:
        for person in people:
            per_person.setdefault(person, []).append((start, end, label))
    assert _double_bookings(items) == personal_overlaps(per_person)


def test_a_start_in_the_repeated_hour_is_ambiguous_every_time_it_is_used(planned) -> None:
    """Local times are cached per instant: two placements at the same ambiguous instant (the
    repeated hour when Amsterdam's clocks go back, 2025-10-26) are both reported, and the
    hour before the change is not."""
    plan, result = planned
    first, second = [p for p in result.placements if p.series_key.startswith("skip:")][:2]
    repeated = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 local, first of two
    assert (
        repeated.astimezone(AMSTERDAM).replace(fold=1).utcoffset()
        != repeated.astimezone(AMSTERDAM).utcoffset()
    )
    hour = timedelta(hours=1)
    both = swap(swap(result, first, replace(first, start=repeated, end=repeated + hour)),
                second, replace(second, start=repeated, end=repeated + hour))  # fmt: skip
    found = find_violations(plan, both)
    assert sum("ambiguous local time" in v for v in found) == 2
    before = repeated - timedelta(hours=2)  # 00:30 local summer time: not ambiguous
    earlier = swap(result, first, replace(first, start=before, end=before + hour))
    assert not any("ambiguous local time" in v for v in find_violations(plan, earlier))


def test_absences_are_checked_for_every_participant_of_a_big_event(planned) -> None:
    """Absences are looked up by day: an attendee away on the day of an event with many
    attendees is reported by name, the others who are away on other days are not."""
    plan, result = planned
    p = max(
        (q for q in result.placements if isinstance(q.start, datetime)),
        key=lambda q: len(next(s for s in plan.series if s.key == q.series_key).attendee_ids),
    )
    spec = next(s for s in plan.series if s.key == p.series_key)
    day = p.start.astimezone(AMSTERDAM).date()  # type: ignore[union-attr]
    last = spec.attendee_ids[-1]
    away = {last: frozenset({day}), spec.host_id: frozenset({day + timedelta(days=1)})}
    found = find_violations(replace(plan, absences=away), result)
    assert [v for v in found if v.startswith(f"{p.slot_key}:") and "absent" in v] == [
        f"{p.slot_key}: person {last} is absent on {day.isoformat()}"
    ]


def test_week_numbers_count_mondays_across_year_ends_and_leap_days() -> None:
    """The spacing rule counts weeks between Mondays; week numbers give the same count for every
    pair of days around the 2027/28 year end and the leap day of 2028."""
    days = [date(2027, 12, 20) + timedelta(days=n) for n in range(0, 90, 3)]
    for d1 in days:
        for d2 in days:
            mondays = d2 - timedelta(days=d2.weekday()) - (d1 - timedelta(days=d1.weekday()))
            assert _week(d2) - _week(d1) == mondays.days // 7

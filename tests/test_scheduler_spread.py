"""Behaviour of the pure spreading engine on whole organisations (no database, no Flask)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays
import pytest

from planner.bench.plan import org_series, service_week_monday, synthetic_org, team_series
from planner.scheduler.spread import (
    BusyTime,
    PlanInput,
    PlanResult,
    SeriesSpec,
    occurrence_count,
    spread_over_year,
)
from planner.scheduler.validate import find_violations
from tests.scheduler_helpers import under_hash_seeds


def checked(plan: PlanInput) -> PlanResult:
    """Plan, and insist the independent validator finds no hard violation."""
    result = spread_over_year(plan)
    assert find_violations(plan, result) == []
    return result


def local_day(plan: PlanInput, start: datetime | date) -> date:
    """The organisation's local date of a placement start."""
    if isinstance(start, datetime):
        return start.astimezone(ZoneInfo(plan.tz)).date()
    return start


def open_days(plan: PlanInput) -> list[date]:
    """Working, non-closed days of the period, computed here rather than trusted."""
    days = []
    day = plan.period_start
    while day < plan.period_end:
        if day.weekday() in plan.working_weekdays and day not in plan.closed_dates:
            days.append(day)
        day += timedelta(days=1)
    return days


def monday(day: date) -> date:
    """Monday of the day's week."""
    return day - timedelta(days=day.weekday())


def week_counts(plan: PlanInput, result: PlanResult) -> tuple[Counter[date], Counter[date]]:
    """(events, open days) per Monday, for weeks that have an open day."""
    working = Counter(monday(d) for d in open_days(plan))
    events = Counter(monday(local_day(plan, p.start)) for p in result.placements)
    return events, working


def max_team_gap(plan: PlanInput, result: PlanResult) -> int:
    """Longest run of plannable weeks without a touchpoint for any frontline team (ends count)."""
    _, working = week_counts(plan, result)
    weeks = sorted(working)
    position = {w: i for i, w in enumerate(weeks)}
    team_of = {s.key: s.team_id for s in plan.series}
    worst = 0
    for team in plan.frontline_team_ids:
        touched = sorted(
            {
                position[monday(local_day(plan, p.start))]
                for p in result.placements
                if team_of[p.series_key] == team
            }
        )
        marks = [-1, *touched, len(weeks)]
        worst = max(worst, *(b - a for a, b in pairwise(marks)))
    return worst


def one_team_org(**changes: object) -> PlanInput:
    """Leader 1, manager 2 and five staff 3..7 in team 1, plus the org-wide cadences."""
    start = service_week_monday(2025) + timedelta(days=7)
    base = PlanInput(
        period_start=start,
        period_end=service_week_monday(2026),
        tz="Europe/Amsterdam",
        frontline_team_ids=frozenset({1}),
        series=tuple(team_series(1, 1, 2, (3, 4, 5, 6, 7)) + org_series()),
    )
    return PlanInput(**{**base.__dict__, **changes})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def mid_org() -> tuple[PlanInput, PlanResult]:
    plan = synthetic_org(8, 5, 6)
    return plan, checked(plan)


def test_a_full_org_gets_a_valid_plan_that_covers_every_week(mid_org) -> None:
    plan, result = mid_org
    assert find_violations(plan, result) == []
    assert result.unplaced == ()
    events, working = week_counts(plan, result)
    assert set(events) == set(working)  # every plannable week has a touchpoint
    assert result.stats.weeks_covered == result.stats.weeks_plannable == len(working)
    assert len(result.placements) == expected_events(plan.series, plan)


def expected_events(series: tuple[SeriesSpec, ...], plan: PlanInput) -> int:
    """How many occurrences the series should get in the period."""
    return sum(
        occurrence_count(s.min_gap_weeks, s.max_gap_weeks, plan.period_start, plan.period_end)
        for s in series
    )


def test_no_frontline_team_waits_longer_than_the_limit(mid_org) -> None:
    plan, result = mid_org
    assert max_team_gap(plan, result) <= plan.team_max_gap_weeks
    assert result.stats.max_team_gap_weeks == max_team_gap(plan, result)


def test_series_are_spaced_within_their_window_and_leaders_spread(mid_org) -> None:
    plan, result = mid_org
    by_series: dict[str, list[date]] = {}
    for p in result.placements:
        by_series.setdefault(p.series_key, []).append(local_day(plan, p.start))
    specs = {s.key: s for s in plan.series}
    for key, days in by_series.items():
        days.sort()
        for a, b in pairwise(days):
            weeks = (monday(b) - monday(a)).days // 7
            assert specs[key].min_gap_weeks <= weeks <= specs[key].max_gap_weeks
    assert all(load.busiest_week <= 2 for load in result.stats.leader_loads)


def test_big_org_load_is_even_across_weeks_per_working_day() -> None:
    plan = synthetic_org(20, 5, 6)
    result = checked(plan)
    events, working = week_counts(plan, result)
    density = {w: events[w] / working[w] for w in working}
    mean = sum(events.values()) / sum(working.values())
    assert sum(events.values()) / len(working) >= 20
    assert max(density.values()) <= 1.10 * mean
    assert result.stats.balance_ratio <= 1.10
    assert result.stats.balance_bound_ratio <= result.stats.balance_ratio


def test_small_org_has_at_most_two_events_between_busiest_and_quietest_week() -> None:
    plan = one_team_org()
    result = checked(plan)
    events, working = week_counts(plan, result)
    counts = [events[w] for w in working]
    assert find_violations(plan, result) == []
    assert min(counts) >= 1
    assert max(counts) - min(counts) <= 2
    assert max_team_gap(plan, result) <= 4


def test_same_input_gives_the_same_plan_byte_for_byte(mid_org) -> None:
    plan, result = mid_org
    assert repr(spread_over_year(plan)) == repr(result)


@pytest.mark.slow  # three interpreters; DB-free, so the PostgreSQL run may skip it
def test_plan_does_not_depend_on_the_process_hash_seed() -> None:
    script = (
        "import hashlib;from planner.bench.plan import synthetic_org;"
        "from planner.scheduler.spread import spread_over_year;"
        "print(hashlib.sha256(repr(spread_over_year(synthetic_org(2, 3, 4))).encode()).hexdigest())"
    )
    assert len(under_hash_seeds(script)) == 1


def _weekly(tz: str, start: date, weeks: int, local: time) -> PlanInput:
    spec = SeriesSpec(
        "weekly", "skip_level", "P4", "Roundtable", 1, (2,), 1, 1, True, 1, 1, 60,
        local, time(local.hour + 1, local.minute), frozenset({0}),
    )  # fmt: skip
    return PlanInput(start, start + timedelta(weeks=weeks), tz, series=(spec,))


def test_amsterdam_ten_oclock_is_eight_utc_before_and_nine_utc_after_the_october_change() -> None:
    plan = _weekly("Europe/Amsterdam", date(2026, 10, 12), 3, time(10))
    result = checked(plan)
    starts = {p.start.date(): p.start for p in result.placements}  # type: ignore[union-attr]
    assert starts == {
        date(2026, 10, 12): datetime(2026, 10, 12, 8, tzinfo=UTC),
        date(2026, 10, 19): datetime(2026, 10, 19, 8, tzinfo=UTC),
        date(2026, 10, 26): datetime(2026, 10, 26, 9, tzinfo=UTC),
    }
    assert all(p.start.tzinfo is UTC and p.end.tzinfo is UTC for p in result.placements)  # type: ignore[union-attr]
    assert find_violations(plan, result) == []


def test_chicago_ten_oclock_follows_the_november_change() -> None:
    plan = _weekly("America/Chicago", date(2026, 10, 26), 2, time(10))
    result = checked(plan)
    assert [p.start for p in result.placements] == [
        datetime(2026, 10, 26, 15, tzinfo=UTC),
        datetime(2026, 11, 2, 16, tzinfo=UTC),
    ]


def test_never_plans_inside_a_skipped_or_repeated_local_hour() -> None:
    # Sunday 2026-03-29 02:00-03:00 does not exist in Amsterdam; the only window is that hour.
    spec = SeriesSpec(
        "night", "k", "P4", "t", 1, (), None, None, False, 1, 1, 30, time(2), time(3),
        frozenset({6}),
    )  # fmt: skip
    plan = PlanInput(
        date(2026, 3, 23),
        date(2026, 3, 30),
        "Europe/Amsterdam",
        frozenset(range(7)),
        series=(spec,),
    )
    result = checked(plan)
    assert result.placements == ()
    assert len(result.unplaced) == 1


def test_a_53_week_gap_between_service_weeks_is_planned_whole() -> None:
    closed = {date(2023, 10, 2) + timedelta(days=d) for d in range(5)}
    plan = PlanInput(
        date(2023, 10, 6),
        date(2024, 10, 7),
        "Europe/Amsterdam",
        closed_dates=frozenset(closed),
        frontline_team_ids=frozenset({1}),
        series=tuple(team_series(1, 1, 2, (3, 4, 5)) + org_series()),
    )
    result = checked(plan)
    assert result.stats.weeks_total == 53
    assert result.stats.weeks_plannable == 52  # the first week holds only the closed Friday
    assert result.stats.weeks_covered == 52
    assert find_violations(plan, result) == []
    assert min(local_day(plan, p.start) for p in result.placements) >= date(2023, 10, 9)
    assert max(local_day(plan, p.start) for p in result.placements) <= date(2024, 10, 4)
    assert max_team_gap(plan, result) <= 4


def test_german_public_holidays_are_never_used() -> None:
    start, end = service_week_monday(2025) + timedelta(days=7), service_week_monday(2026)
    bavaria = holidays.country_holidays("DE", subdiv="BY", years=[2025, 2026])
    closed = frozenset(d for d in bavaria if start <= d < end)
    plan = one_team_org(tz="Europe/Berlin", closed_dates=closed)
    result = checked(plan)
    assert date(2025, 12, 25) in closed and date(2026, 5, 14) in closed
    assert not {local_day(plan, p.start) for p in result.placements} & closed
    assert find_violations(plan, result) == []
    assert result.stats.weeks_covered == result.stats.weeks_plannable


def test_an_org_of_one_team_is_fully_planned() -> None:
    plan = one_team_org()
    result = checked(plan)
    assert result.unplaced == ()
    assert {p.series_key for p in result.placements} == {s.key for s in plan.series}
    assert [p.index for p in result.placements if p.series_key == "skip:l1:t1"] == [0, 1, 2, 3]


def test_an_empty_org_gets_an_empty_plan() -> None:
    plan = PlanInput(date(2025, 10, 13), date(2026, 10, 5), "Europe/Amsterdam")
    result = checked(plan)
    assert result.placements == result.unplaced == result.cancelled_slot_keys == ()
    assert result.stats.events == 0
    assert result.stats.weeks_covered == 0


def test_an_impossible_window_is_reported_per_slot_and_the_rest_is_planned() -> None:
    bad = SeriesSpec("late", "training", "P5", "Evening", 2, (3,), None, 1, False, 10, 16, 60,
                     time(18), time(17))  # fmt: skip
    plan = one_team_org()
    plan = one_team_org(series=(*plan.series, bad))
    result = checked(plan)
    assert [u.slot_key for u in result.unplaced] == [f"late#{i}" for i in range(4)]
    assert all("window 18:00-17:00 is empty" in u.reason for u in result.unplaced)
    assert len(result.placements) == expected_events(plan.series[:-1], plan)


def test_a_leader_absent_all_year_is_named_in_the_reason() -> None:
    base = one_team_org()
    away = {12: frozenset(open_days(base))}
    skip = SeriesSpec("skip:l12:t1", "skip_level", "P4", "Roundtable", 12, (3, 4), 12, 1, True)
    result = checked(one_team_org(series=(*base.series, skip), absences=away))
    reasons = {u.slot_key: u.reason for u in result.unplaced}
    assert set(reasons) == {f"skip:l12:t1#{i}" for i in range(4)}
    assert all("person 12 (leader)" in r and "away" in r for r in reasons.values())


def test_the_leader_weekly_cap_holds_and_overflow_is_explained() -> None:
    series = [
        SeriesSpec(f"skip:l9:t{t}", "skip_level", "P4", "Roundtable", 9, (), 9, t, True, 3, 5)
        for t in range(1, 15)
    ]
    plan = one_team_org(series=tuple(series), leader_weekly_cap=3, frontline_team_ids=frozenset())
    result = checked(plan)
    assert find_violations(plan, result) == []
    assert max(load.busiest_week for load in result.stats.leader_loads) == 3
    assert result.unplaced  # 14 monthly series cannot fit under a cap of 3 a week
    assert all("weekly cap of 3" in u.reason for u in result.unplaced)


def test_nobody_is_double_booked_when_time_is_scarce() -> None:
    series = [
        SeriesSpec(f"one:{i}", "career", "P5", "Chat", 5, (100 + i,), None, None, False, 10, 16,
                   60, time(9), time(10), frozenset({0}))
        for i in range(20)
    ]  # fmt: skip
    plan = one_team_org(series=tuple(series), frontline_team_ids=frozenset())
    result = checked(plan)
    assert find_violations(plan, result) == []
    mondays = Counter(local_day(plan, p.start) for p in result.placements)
    assert set(mondays.values()) == {1}
    assert result.unplaced and all("no free hour" in u.reason for u in result.unplaced)


def test_new_events_stay_out_of_the_frozen_weeks() -> None:
    plan = one_team_org()
    frozen = plan.period_start + timedelta(weeks=6)
    result = checked(one_team_org(frozen_until=frozen))
    assert min(local_day(plan, p.start) for p in result.placements) > frozen


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tz": "Mars/Olympus"}, "unknown time zone"),
        ({"period_end": date(2025, 1, 1)}, "the period is empty"),
        ({"working_weekdays": frozenset({5, 6})}, "none of its weekdays"),
    ],
)
def test_bad_input_is_reported_not_raised(changes: dict, expected: str) -> None:
    result = spread_over_year(one_team_org(**changes))
    messages = list(result.warnings) + [u.reason for u in result.unplaced]
    assert any(expected in m for m in messages)


def test_bad_series_fields_are_reported_per_series() -> None:
    broken = (
        SeriesSpec("gaps", "k", "P4", "t", 1, min_gap_weeks=5, max_gap_weeks=2),
        SeriesSpec("long", "k", "P4", "t", 1, duration_minutes=600),
        SeriesSpec("twice", "k", "P4", "t", 1, duration_minutes=None),
        SeriesSpec("twice", "k", "P4", "t", 1, duration_minutes=None),
    )
    result = checked(one_team_org(series=broken))
    reasons = {u.slot_key: u.reason for u in result.unplaced}
    assert reasons["gaps#0"] == "spacing 5-2 weeks is invalid"
    assert "shorter than 600 minutes" in reasons["long#0"]
    assert any("duplicate" in w for w in result.warnings)
    assert {p.series_key for p in result.placements} == {"twice"}


@pytest.mark.parametrize(
    "changes",
    [
        {"period_start": None},
        {"working_weekdays": "Mon-Fri"},
        {"closed_dates": frozenset({"2025-12-25", date(2025, 12, 26)})},
        {"absences": {3: "all of July"}},
        {"absences": None},
        {"leader_weekly_cap": -1, "team_max_gap_weeks": "four"},
        {"frontline_team_ids": None, "frozen_until": "soon"},
        {"series": [*one_team_org().series, "not a series"], "existing": ("nor a placement",)},
    ],
)
def test_malformed_input_is_reported_never_raised(changes: dict) -> None:
    result = spread_over_year(one_team_org(**changes))
    assert result.warnings


def test_malformed_series_fields_are_reported_per_series() -> None:
    odd = (
        SeriesSpec("a", "k", "P4", "t", 1, attendee_ids=None),  # type: ignore[arg-type]
        SeriesSpec("b", "k", "P4", "t", 1, weekdays=3),  # type: ignore[arg-type]
        SeriesSpec("c", "k", "P4", "t", 1, leader_id=[1]),  # type: ignore[arg-type]
        SeriesSpec("d", "k", "P4", "t", 1, window_start="09:00"),  # type: ignore[arg-type]
    )
    result = checked(one_team_org(series=odd))
    assert result.placements == ()
    assert {u.series_key for u in result.unplaced} == {"a", "b", "c", "d"}


def test_outside_busy_time_blocks_people_but_is_not_planned() -> None:
    only_slot = SeriesSpec(
        "chat", "career", "P5", "Chat", 5, (6,), None, None, False, 1, 1, 60, time(9), time(10),
        frozenset({0}),
    )  # fmt: skip
    monday = date(2026, 1, 5)
    plan = PlanInput(monday, monday + timedelta(weeks=1), "Europe/Amsterdam", series=(only_slot,))
    assert len(checked(plan).placements) == 1
    nine = datetime(2026, 1, 5, 9, tzinfo=ZoneInfo("Europe/Amsterdam"))
    taken = BusyTime((6,), nine - timedelta(minutes=30), nine + timedelta(minutes=30))
    result = checked(PlanInput(**{**plan.__dict__, "busy": (taken,)}))
    assert result.placements == ()
    assert "no free hour" in result.unplaced[0].reason

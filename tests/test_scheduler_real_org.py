"""The engine on a real-shaped organisation (team leads inside their teams, a chief over senior
leaders, part-time staff, people joining mid-year), planned on several days of the year."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from planner.bench.plan_real import BLACKOUT, figures, local_day, moves, published
from planner.bench.real_org import Chart, real_chart, real_plan
from planner.scheduler.spread import PlanInput, PlanResult, SeriesSpec, spread_over_year
from planner.scheduler.validate import find_violations

SIZE = 300


@pytest.fixture(scope="module")
def chart() -> Chart:
    return real_chart(SIZE)


@pytest.fixture(scope="module")
def big_chart() -> Chart:
    return real_chart(922)


@pytest.mark.parametrize("today", [date(2026, 10, 12), date(2026, 12, 1), date(2027, 2, 15)])
def test_a_first_plan_on_any_day_is_sound_and_even(big_chart: Chart, today: date) -> None:
    plan = real_plan(big_chart, today)
    result = spread_over_year(plan)
    found = figures(plan, result)
    assert plan.period_start > today and plan.period_start.weekday() < 5
    assert all(local_day(p.start) >= plan.period_start for p in result.placements)
    assert (found["violations"], found["unplaced"], found["double"]) == (0, 0, 0)
    assert found["over_cap"] == 0 and found["two_leaders"] == 0
    assert found["covered"] == found["plannable"]
    assert found["balance"] <= 1.10 and found["balance"] <= found["bound"] * 1.02


def test_the_chief_is_not_flooded_and_team_leads_attend(chart: Chart) -> None:
    plan = real_plan(chart, date(2026, 12, 1))
    skip = [s for s in plan.series if s.kind == "skip_level"]
    hosts = Counter(s.host_id for s in skip)
    assert hosts[chart.chief] <= 2  # only teams whose lead reports to the chief directly
    assert set(hosts) - {chart.chief} <= set(chart.seniors)
    leads = {p.id for p in chart.people if p.role == "leader" and p.team is not None}
    assert all(any(a in leads for a in s.attendee_ids) for s in skip)


def test_a_timed_event_for_everyone_blocks_each_person(chart: Chart) -> None:
    plan = real_plan(chart, date(2026, 12, 1))
    result = spread_over_year(plan)
    everyone = next(s for s in plan.series if s.key == "hof")
    assert len(everyone.attendee_ids) == len(chart.people) - 1
    ceremonies = [p for p in result.placements if p.series_key == "hof"]
    assert ceremonies
    specs = {s.key: s for s in plan.series}
    for c in ceremonies:
        for p in result.placements:
            spec = specs[p.series_key]
            if p is c or not isinstance(p.start, datetime):
                continue
            assert not (p.start < c.end and c.start < p.end), spec.title  # everyone takes part


def test_the_validator_finds_a_clash_with_an_event_for_everyone() -> None:
    start = date(2026, 11, 2)
    everyone = SeriesSpec("all", "hall_of_fame", "P1", "Hall of fame", 1, (2, 3), None, None,
                          False, 1, 2, 60)  # fmt: skip
    talk = SeriesSpec("talk", "career", "P5", "Career talk", 4, (3,), None, None, False, 1, 2, 60)
    plan = PlanInput(start, start + timedelta(days=5), "Europe/Amsterdam", series=(everyone, talk))
    result = spread_over_year(plan)
    assert find_violations(plan, result) == []
    by = {p.series_key: p for p in result.placements}
    clash = replace(by["talk"], start=by["all"].start, end=by["all"].end)
    broken = PlanResult((by["all"], clash), (), (), (), result.stats)
    assert any("person 3 double-booked" in v for v in find_violations(plan, broken))


def test_a_blackout_week_moves_only_its_events_a_few_days(chart: Chart) -> None:
    today = date(2026, 12, 1)
    plan = real_plan(chart, today)
    base = spread_over_year(plan)
    again = published(plan, base, today + timedelta(days=7))
    week = frozenset(date(2027, 2, 1) + timedelta(days=d) for d in range(5))
    closed = replace(again, closed_dates=again.closed_dates | week,
                     closed_reasons=dict.fromkeys(week, f"blackout “{BLACKOUT}”"))  # fmt: skip
    result = spread_over_year(closed)
    moved = moves(base, result)
    inside = {p.slot_key for p in base.placements if local_day(p.start) in week}
    assert moved and len(moved) == result.stats.moved_forced
    assert {p.slot_key for p, _days in moved} <= inside
    assert all(days <= 7 and BLACKOUT in p.note for p, days in moved)
    assert find_violations(closed, result) == []
    # What cannot move near (its spacing is boxed in) is not sent months away: it says why.
    assert {u.slot_key for u in result.unplaced} | {p.slot_key for p, _d in moved} == inside
    assert all("Fixes:" in u.reason and BLACKOUT in u.reason for u in result.unplaced)


def test_people_joining_mid_year_start_their_own_series_then(chart: Chart) -> None:
    today, later = date(2026, 12, 1), date(2027, 4, 1)
    joiners = real_chart(SIZE, joiners_from=date(2027, 1, 4))
    base = spread_over_year(real_plan(joiners, today))
    grown = replace(real_plan(joiners, today, on=later),
                    existing=published(real_plan(joiners, today), base, later).existing,
                    frozen_until=later + timedelta(days=14), today=later)  # fmt: skip
    result = spread_over_year(grown)
    late = {s.key: s.starts_on for s in grown.series if s.starts_on is not None}
    assert late, "the chart needs someone joining before April"
    placed = [p for p in result.placements if p.series_key in late]
    assert placed and all(local_day(p.start) > grown.frozen_until for p in placed)
    assert find_violations(grown, result) == []
    assert not result.unplaced


def test_a_leader_over_capacity_is_told_with_names_numbers_and_fixes() -> None:
    chart = real_chart(SIZE)
    for person in chart.people:  # one senior leader over every team, a weekly cap of one
        if person.manager in chart.seniors:
            person.manager = chart.seniors[0]
    plan = real_plan(chart, date(2026, 12, 1), cap=1)
    result = spread_over_year(plan)
    said = [w for w in result.warnings if "cannot hold all their meetings" in w]
    assert said, result.warnings
    senior = plan.person_names[chart.seniors[0]]
    text = next(w for w in said if w.startswith(senior))
    for words in ("needed for", "open weeks", "teams per meeting", "weekly cap to",
                  "another host"):  # fmt: skip
        assert words in text
    capped = [u for u in result.unplaced if "weekly cap" in u.reason]
    assert capped and all("Fixes:" in u.reason for u in capped)

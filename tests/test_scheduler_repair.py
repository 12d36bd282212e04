"""The repair step: a slot whose only weeks are taken gets in by moving a movable event."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from planner.scheduler.spread import PlanInput, SeriesSpec, spread_over_year
from planner.scheduler.validate import find_violations

START = date(2026, 1, 5)  # a Monday; four plain weeks follow


def _plan(first: SeriesSpec, second: SeriesSpec) -> PlanInput:
    # Person 8 is away except in weeks 1 and 2, so the second series can only use those; the
    # first series has more people, so the greedy places it first and takes exactly those weeks.
    weeks_1_and_2 = {START + timedelta(days=d) for d in range(7, 21)}
    away = {8: frozenset(START + timedelta(days=d) for d in range(28)) - weeks_1_and_2}
    return PlanInput(
        START,
        START + timedelta(weeks=4),
        "Europe/Amsterdam",
        absences=away,
        leader_weekly_cap=1,
        series=(first, second),
    )


@pytest.mark.parametrize("blocked_by", ["leader cap", "double booking"])
def test_a_blocked_slot_is_placed_by_moving_the_event_in_its_way(blocked_by: str) -> None:
    capped = blocked_by == "leader cap"
    monday_nine = {"window_start": time(9), "window_end": time(10), "weekdays": frozenset({0})}
    # "firstA": a key whose phase shifts its targets by almost nothing (see spread_search).
    first = SeriesSpec(
        "firstA", "skip_level", "P4", "Roundtable", 5, (6, 7), 5, None, capped, 1, 3, 60,
        **monday_nine,
    )  # fmt: skip
    second = SeriesSpec(
        "second", "skip_level", "P4", "Roundtable", 5, (8,), 5, None, capped, 3, 5, 60,
        **monday_nine,
    )  # fmt: skip
    plan = _plan(first, second)
    result = spread_over_year(plan)
    assert result.unplaced == ()
    assert [p.slot_key for p in result.placements].count("second#0") == 1
    assert result.stats.repaired >= 1
    assert find_violations(plan, result) == []

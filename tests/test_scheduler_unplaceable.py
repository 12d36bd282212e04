"""Slots that can never fit cost about as much as slots that fit: the engine gives up on them
without trying every week, every repair and every relocation again (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest

from planner.bench.plan import synthetic_org, with_unplaceable
from planner.scheduler import spread_search
from planner.scheduler.spread import spread_over_year
from planner.scheduler.validate import find_violations


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts the engine's attempts to book one slot in a range of weeks (`insert`)."""
    calls = {"insert": 0}
    real = spread_search.insert

    def counting(*args: Any, **kwargs: Any) -> bool:
        calls["insert"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(spread_search, "insert", counting)
    return calls


def test_unplaceable_slots_are_reported_with_their_reason() -> None:
    plan = with_unplaceable(synthetic_org(4, 5, 6))
    result = spread_over_year(plan)
    reasons = [u.reason for u in result.unplaced]
    capped = [r for r in reasons if "at the weekly cap" in r]
    away = [r for r in reasons if "is away on every allowed day" in r]
    assert capped and away
    assert len(capped) + len(away) == len(reasons)
    # The saturated leader still gets cap x weeks of roundtables, none beyond the cap.
    assert find_violations(plan, result) == []
    per_week: dict[object, int] = {}
    for p in result.placements:
        if p.series_key.startswith("skip:l9000000:"):
            week = p.start.isocalendar()[:2]  # type: ignore[union-attr]
            per_week[week] = per_week.get(week, 0) + 1
    assert per_week and max(per_week.values()) <= plan.leader_weekly_cap


def test_an_unplaceable_slot_costs_about_as_much_as_a_placeable_one(
    attempts: dict[str, int],
) -> None:
    base = synthetic_org(10, 5, 6)
    fits = spread_over_year(base)
    assert fits.unplaced == ()
    per_slot_base = attempts["insert"] / len(fits.placements)
    attempts["insert"] = 0
    hard = with_unplaceable(base)
    result = spread_over_year(hard)
    assert len(result.unplaced) > 100
    slots = len(result.placements) + len(result.unplaced)
    # Before: every unplaceable slot retried every week, with repairs and relocations (~40x).
    assert attempts["insert"] / slots <= 1.25 * per_slot_base

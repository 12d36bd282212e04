"""The real-shaped organisation in the planning benchmark: first plans made on several days of
the plan year, then a blackout week and people joining mid-year (see real_org.py)."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.bench.real_org import TZ, real_chart, real_plan
from planner.scheduler.spread import (
    ExistingPlacement,
    Placement,
    PlanInput,
    PlanResult,
    spread_over_year,
)
from planner.scheduler.validate import find_violations

STARTS = (date(2026, 10, 12), date(2026, 12, 1), date(2027, 2, 15), date(2027, 6, 1))
BLACKOUT = "CRM migration freeze"


def local_day(value: datetime | date) -> date:
    """The organisation's local date of a placement's start."""
    return value.astimezone(ZoneInfo(TZ)).date() if isinstance(value, datetime) else value


def figures(plan: PlanInput, result: PlanResult) -> dict[str, float]:
    """The figures the issue's "done" asks for, from the plan and its result alone."""
    found = find_violations(plan, result)
    leaders: dict[int, set[int]] = defaultdict(set)
    for spec in plan.series:
        if spec.kind == "skip_level" and spec.team_id is not None:
            leaders[spec.team_id].add(spec.host_id)
    s = result.stats
    return {
        "events": s.events,
        "unplaced": len(result.unplaced),
        "double": sum("double-booked" in v for v in found),
        "violations": len(found),
        "over_cap": sum(load.busiest_week > plan.leader_weekly_cap for load in s.leader_loads),
        "two_leaders": sum(len(v) > 1 for v in leaders.values()),
        "covered": s.weeks_covered,
        "plannable": s.weeks_plannable,
        "balance": s.balance_ratio,
        "bound": s.balance_bound_ratio,
    }


def _timed(plan: PlanInput) -> tuple[PlanResult, str]:
    """Plan and say how long it took (CPU time too: wall time suffers on a shared machine)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = spread_over_year(plan)
    took = f"{time.perf_counter() - t0:.2f} s wall/{time.process_time() - c0:.2f} s CPU"
    return result, took


def _line(name: str, f: dict[str, float], took: str) -> str:
    return (
        f"  {name}: {f['events']:.0f} events in {took}; unplaced {f['unplaced']:.0f}, "
        f"double-bookings {f['double']:.0f}, violations {f['violations']:.0f}, leaders over cap "
        f"{f['over_cap']:.0f}, teams with two skip-level leaders {f['two_leaders']:.0f}; weeks "
        f"covered {f['covered']:.0f}/{f['plannable']:.0f}; balance {f['balance']:.4f} "
        f"(bound {f['bound']:.4f})"
    )


def published(plan: PlanInput, result: PlanResult, today: date) -> PlanInput:
    """The plan as the app re-plans it after publishing: placements existing, 14 days frozen."""
    existing = tuple(
        ExistingPlacement(p.slot_key, p.start, p.pinned, p.end) for p in result.placements
    )
    return replace(plan, existing=existing, frozen_until=today + timedelta(days=14), today=today)


def moves(before: PlanResult, after: PlanResult) -> list[tuple[Placement, int]]:
    """Placements whose start changed, with how many days they moved."""
    old = {p.slot_key: p for p in before.placements}
    return [
        (p, abs((local_day(p.start) - local_day(old[p.slot_key].start)).days))
        for p in after.placements
        if p.slot_key in old and old[p.slot_key].start != p.start
    ]


def run(size: int = 922) -> None:
    """Print the figures of the real-shaped organisation."""
    chart = real_chart(size)
    print(f"real-shaped org: {len(chart.people)} people, {len(chart.teams)} teams, a chief over "
          f"{len(chart.seniors)} senior leaders, team leads inside their teams")  # fmt: skip
    for today in STARTS:
        plan = real_plan(chart, today)
        result, took = _timed(plan)
        chief = sum(p.series_key.startswith(f"skip:l{chart.chief}:") for p in result.placements)
        print(_line(f"first plan on {today}", figures(plan, result), took))
        print(f"    the chief hosts {chief} roundtables (only teams whose lead reports to him)")
    today = date(2026, 12, 1)
    plan = real_plan(chart, today)
    base = spread_over_year(plan)
    again = published(plan, base, today + timedelta(days=7))
    monday = date(2027, 2, 1)
    week = frozenset(monday + timedelta(days=d) for d in range(5))
    closed = replace(again, closed_dates=again.closed_dates | week,
                     closed_reasons=dict.fromkeys(week, f"blackout “{BLACKOUT}”"))  # fmt: skip
    result, took = _timed(closed)
    moved = moves(base, result)
    print(_line(f"blackout week {monday}", figures(closed, result), took))
    far = sum(days > 7 for _p, days in moved)
    print(f"    moves {len(moved)} = forced {result.stats.moved_forced}; more than 7 days away "
          f"{far}; furthest {max((d for _p, d in moved), default=0)} days; reasons name the "
          f"blackout: {all(BLACKOUT in p.note for p, _d in moved)}")  # fmt: skip
    joiners = real_chart(size, joiners_from=date(2027, 2, 1))
    first = real_plan(joiners, today)
    base = spread_over_year(first)
    later = date(2027, 6, 1)
    grown = replace(
        real_plan(joiners, today, on=later),
        existing=published(first, base, later).existing,
        frozen_until=later + timedelta(days=14),
        today=later,
    )
    result, took = _timed(grown)
    print(_line(f"joiners added on {later}", figures(grown, result), took))
    print(
        f"    people joined {sum(1 for p in joiners.people if p.joined)}, moves "
        f"{len(moves(base, result))}, new {result.stats.new}"
    )

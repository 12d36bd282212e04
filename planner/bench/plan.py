"""Benchmark of the spreading engine on synthetic organisations: `python -m planner.bench plan`.

Prints figures, never asserts timings. Options: --quick (small orgs, for smoke tests),
--large (adds a 50,000-event org). The org builders are also used by the scheduler tests.
The real-shaped organisation (planned on several days of the year, then a blackout week and
people joining mid-year) is in plan_real.py / real_org.py.
"""

from __future__ import annotations

import argparse
import gc
import os
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays

from planner.scheduler.spread import (
    ExistingPlacement,
    PlanInput,
    PlanResult,
    SeriesSpec,
    spread_over_year,
)
from planner.scheduler.validate import find_violations

COORDINATOR = 1
TZ = "Europe/Amsterdam"


def service_week_monday(year: int) -> date:
    """Monday of Customer Service Week: the first Monday on or after 1 October."""
    first = date(year, 10, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def team_series(leader: int, team: int, manager: int, members: tuple[int, ...]) -> list[SeriesSpec]:
    """The product's cadences for one frontline team."""
    return [
        SeriesSpec(
            f"skip:l{leader}:t{team}", "skip_level", "P4", "Skip-level roundtable", leader,
            members, leader, team, True, 10, 16, 60,
        ),
        SeriesSpec(f"star:t{team}", "recognition", "P1", "Service star", manager, (), None, team,
                   False, 3, 5, None),
        SeriesSpec(f"refresh:t{team}", "training", "P5", "Refresher training", manager, members,
                   None, team, False, 3, 5, 45),
        SeriesSpec(f"score:t{team}", "scorecard", "P3", "Scorecard review", manager, (leader,),
                   None, team, False, 10, 16, 60),
        *(
            SeriesSpec(f"career:p{p}", "career", "P5", "Career conversation", manager, (p,), None,
                       team, False, 10, 16, 30)
            for p in members
        ),
    ]  # fmt: skip


def org_series() -> list[SeriesSpec]:
    """Organisation-wide cadences: monthly "you said, we did" and quarterly hall of fame."""
    return [
        SeriesSpec("ysd", "update", "P4", "You said, we did", COORDINATOR, (), None, None, False,
                   3, 5, None),
        SeriesSpec("hof", "recognition", "P1", "Hall of fame", COORDINATOR, (), None, None, False,
                   10, 16, None),
    ]  # fmt: skip


def synthetic_org(
    leaders: int,
    teams_per_leader: int,
    members: int,
    *,
    mix: str = "full",
    year: int = 2025,
    tz: str = TZ,
    country: str = "NL",
    absence_every: int = 7,
) -> PlanInput:
    """A deterministic organisation: `mix` "full" has every cadence, "skip" only skip-levels."""
    series: list[SeriesSpec] = org_series() if mix == "full" else []
    absences: dict[int, frozenset[date]] = {}
    start = service_week_monday(year) + timedelta(days=7)
    end = service_week_monday(year + 1)
    next_person, team = 100_000, 0
    for leader in range(1000, 1000 + leaders):
        for _ in range(teams_per_leader):
            team += 1
            manager = next_person
            crew = tuple(range(next_person + 1, next_person + 1 + members))
            next_person += members + 1
            if mix == "full":
                series += team_series(leader, team, manager, crew)
            else:
                series.append(team_series(leader, team, manager, crew)[0])
            for person in crew if absence_every else ():
                if person % absence_every == 0:  # a two-week holiday somewhere in the year
                    first = start + timedelta(weeks=(person * 7) % 45 + 2)
                    absences[person] = frozenset(first + timedelta(days=d) for d in range(14))
    closed = {d for y in (year, year + 1) for d in holidays.country_holidays(country, years=y)}
    return PlanInput(
        period_start=start,
        period_end=end,
        tz=tz,
        closed_dates=frozenset(d for d in closed if start <= d < end),
        absences=absences,
        frontline_team_ids=frozenset(range(1, team + 1)) if mix == "full" else frozenset(),
        series=tuple(series),
    )


def with_unplaceable(plan: PlanInput, teams: int = 60) -> PlanInput:
    """Add slots that can never fit: a leader with more skip-level roundtables than weekly cap x
    weeks leaves room for, and a team whose people are away on every day of the period."""
    series, absences = list(plan.series), dict(plan.absences)
    leader, person = 9_000_000, 9_000_001
    for t in range(teams):
        crew = tuple(range(person + 1, person + 4))
        series.append(team_series(leader, 9_000_000 + t, person, crew)[0])
        person += 4
    away = frozenset(
        plan.period_start + timedelta(days=d)
        for d in range((plan.period_end - plan.period_start).days)
    )
    manager, crew = person, tuple(range(person + 1, person + 6))
    absences.update(dict.fromkeys((manager, *crew), away))
    series += team_series(leader + 1, 9_100_000, manager, crew)
    return replace(plan, series=tuple(series), absences=absences)


def as_existing(result: PlanResult) -> tuple[ExistingPlacement, ...]:
    """Feed a plan back in as published placements, as the app would on re-planning."""
    return tuple(ExistingPlacement(p.slot_key, p.start, p.pinned, p.end) for p in result.placements)


def starts_changed(before: PlanResult, after: PlanResult) -> int:
    """How many slots present in both plans changed their start."""
    old = {p.slot_key: p.start for p in before.placements}
    return sum(1 for p in after.placements if p.slot_key in old and old[p.slot_key] != p.start)


def _timed(call: Callable[[], PlanResult]) -> tuple[PlanResult, float]:
    """Run and time a plan; the CPU time goes to _cpu for the report."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    result = call()
    _cpu[0] = time.process_time() - c0
    return result, time.perf_counter() - t0


_cpu = [0.0]  # CPU seconds of the last _timed call: wall time suffers on a shared machine


def _report(name: str, plan: PlanInput, result: PlanResult, seconds: float, target: str) -> None:
    s = result.stats
    teams = len({spec.team_id for spec in plan.series if spec.team_id is not None})
    gap = "n/a (no frontline teams)"
    if plan.frontline_team_ids:
        gap = f"{s.max_team_gap_weeks} weeks (limit {plan.team_max_gap_weeks})"
    busiest_leader = max((load.busiest_week for load in s.leader_loads), default=0)
    print(
        f"{name}: {s.events} events, {len(s.leader_loads)} leaders, {teams} teams, "
        f"{len(plan.series)} series"
    )
    print(f"  time                 {seconds:.2f} s wall, {_cpu[0]:.2f} s CPU (target {target})")
    print(f"  unplaced             {len(result.unplaced)} ({s.repaired} placed by repair)")
    print(f"  hard violations      {len(find_violations(plan, result))} (independent validator)")
    print(f"  weeks covered        {s.weeks_covered}/{s.weeks_plannable} plannable")
    print(f"  max team gap         {gap}")
    print(
        f"  balance              busiest {s.busiest_week_load:.1f} vs mean {s.mean_week_load:.1f}"
        f" events/week = {s.balance_ratio:.4f} (lower bound {s.balance_bound_ratio:.4f})"
    )
    print(f"  leader busiest week  {busiest_leader} events (cap {plan.leader_weekly_cap})")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms wall/{_cpu[0] * 1000:.0f} ms CPU"


def _replans(plan: PlanInput, base: PlanResult) -> None:
    """Re-plan after small changes, eight weeks into the period, and count moves."""
    today = plan.period_start + timedelta(weeks=8)
    published = replace(plan, existing=as_existing(base), frozen_until=today + timedelta(weeks=2))
    leader = max(load.leader_id for load in base.stats.leader_loads) + 1
    first_team = max(plan.frontline_team_ids | {s.team_id or 0 for s in plan.series}) + 1
    added = [
        s
        for t in range(5)
        for s in team_series(leader, first_team + t, 900_000 + 10 * t, (900_001 + 10 * t,))
    ]
    grown = replace(
        published,
        series=published.series + tuple(added),
        frontline_team_ids=published.frontline_team_ids | {first_team + t for t in range(5)},
    )
    result, seconds = _timed(lambda: spread_over_year(grown))
    print(
        f"  re-plan, leader added      {_ms(seconds)} (target 200 ms): kept "
        f"{result.stats.kept}, new {result.stats.new}, moves {starts_changed(base, result)}, "
        f"unforced {result.stats.moved_unforced}, violations {len(find_violations(grown, result))}"
    )
    dropped_team = min(s.team_id for s in plan.series if s.team_id is not None)
    shrunk = replace(published, series=tuple(s for s in plan.series if s.team_id != dropped_team))
    result, seconds = _timed(lambda: spread_over_year(shrunk))
    print(
        f"  re-plan, team removed      {_ms(seconds)}: cancelled "
        f"{len(result.cancelled_slot_keys)}, moves {starts_changed(base, result)}, unforced "
        f"{result.stats.moved_unforced}, violations {len(find_violations(shrunk, result))}"
    )
    monday = date(plan.period_end.year, 2, 1)
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    blackout = frozenset(monday + timedelta(days=d) for d in range(5))
    closed = replace(published, closed_dates=published.closed_dates | blackout)
    zone = ZoneInfo(plan.tz)
    hit = {
        p.slot_key
        for p in base.placements
        if (p.start.astimezone(zone).date() if isinstance(p.start, datetime) else p.start)
        in blackout
    }
    result, seconds = _timed(lambda: spread_over_year(closed))
    lost = sum(1 for u in result.unplaced if u.slot_key in hit)
    print(
        f"  re-plan, blackout week {monday}  {_ms(seconds)}: {len(hit)} events that "
        f"week; moves {starts_changed(base, result)} = forced {result.stats.moved_forced}; "
        f"no room left {lost}; violations {len(find_violations(closed, result))}"
    )


def main(argv: list[str]) -> int:
    """Run the planning benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m planner.bench plan")
    parser.add_argument("--quick", action="store_true", help="small orgs only (a smoke test)")
    parser.add_argument("--large", action="store_true", help="add a 50,000-event org (~10 s)")
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    scenarios = [
        ("skip-levels only", synthetic_org(200 // scale, 5, 6, mix="skip"), "1 s", True),
        ("full mix", synthetic_org(69 // scale, 5, 6), "5 s", True),
        # unplaceable slots should cost about as much as placeable ones
        ("full mix + unplaceable", with_unplaceable(synthetic_org(69 // scale, 5, 6)), "5 s",
         False),
    ]  # fmt: skip
    if args.large and not args.quick:
        scenarios.append(("full mix, large", synthetic_org(172, 5, 6), "none", False))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Spreading engine benchmark (pure Python, stdlib only; load average {load:.1f})")
    for name, plan, target, replans in scenarios:
        result, seconds = _timed(lambda plan=plan: spread_over_year(plan))  # type: ignore[misc]
        _report(name, plan, result, seconds, target)
        if replans:
            _replans(plan, result)
    from planner.bench.plan_real import run as run_real

    run_real(92 if args.quick else 922)
    for name, plan, _, _ in scenarios[:2]:
        tracemalloc.start()
        spread_over_year(plan)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"peak memory (tracemalloc), {name}: {peak / 2**20:.1f} MiB")
    return 0

"""A plain-text summary of a computed plan (CLI and demo)."""

from __future__ import annotations

from planner.scheduler import glance
from planner.scheduler.planning import Plan, any_planned
from planner.scheduler.publishing import own_placements, plan_diff
from planner.scheduler.validate import find_violations


def violations(plan: Plan) -> list[str]:
    """Hard-constraint violations found by the independent validator."""
    return find_violations(plan.plan_input, plan.result)


def summary_lines(plan: Plan) -> list[str]:
    """What the plan holds and how good it is, for people."""
    first, end = plan.period
    if not any_planned(plan):
        return [f"Plan {plan.year}: nothing to plan (no active people or no active cadences)."]
    weeks = glance.weeks_of(first, end, glance.open_days_of(plan), glance.plan_items(plan))
    working = [w for w in weeks if w.open_days]
    gaps = [w for w in working if w.gap]
    stats, diff = plan.result.stats, plan_diff(plan)
    found = violations(plan)
    lines = [
        f"Plan {plan.year}: {first:%d %b %Y} to {end:%d %b %Y} (exclusive), time zone {plan.tz}",
        f"  events: {len(own_placements(plan))}; weeks covered: {len(working) - len(gaps)}"
        f" of {len(working)} working weeks",
        f"  gaps: {', '.join(f'{w.monday:%d %b}' for w in gaps) or 'none'}",
        f"  hard violations: {len(found)}",
        f"  balance: busiest week {stats.busiest_week_load:g} vs mean {stats.mean_week_load:g}"
        f" (ratio {stats.balance_ratio:g}, lower bound {stats.balance_bound_ratio:g})",
        f"  changes: {len(diff.added)} added, {len(diff.moved)} moved, {len(diff.cancelled)}"
        f" cancelled, {diff.kept} kept; moves forced {stats.moved_forced},"
        f" unforced {stats.moved_unforced}",
        f"  unplaced slots: {len(plan.result.unplaced)}",
    ]
    lines += [f"    {u.slot_key}: {u.reason}" for u in plan.result.unplaced[:20]]
    lines += [f"  warning: {w}" for w in plan.warnings[:20]]
    lines += [f"  VIOLATION: {v}" for v in found[:20]]
    return lines

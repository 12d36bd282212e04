"""The plan in words: the same sentences on the preview page and from `planner plan`.

No slot key, cadence id, team id or person id appears here; `verbose` adds the slot keys for
engineers (the CLI's --verbose).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from planner.scheduler import glance
from planner.scheduler.planning import Plan, any_planned
from planner.scheduler.publishing import own_placements, plan_diff
from planner.scheduler.validate import find_violations

DATE = "%a %d %b %Y"
SHOWN = 20  # lines of one kind on the command line


@dataclass
class PlanWords:
    """What a plan holds and how good it is, as sentences for people."""

    summary: list[str] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def _gaps(gaps: list[glance.Week]) -> str:
    """The weeks without a touchpoint, as a parenthesis (empty when there are none)."""
    if not gaps:
        return ""
    return f" (none yet in the weeks of {', '.join(f'{w.monday:%d %b}' for w in gaps)})"


def violations(plan: Plan) -> list[str]:
    """Hard-constraint violations found by the independent validator."""
    return find_violations(plan.plan_input, plan.result)


def plan_words(plan: Plan, *, verbose: bool = False) -> PlanWords:
    """The plan's summary, unplaced events with their reasons, and warnings, in words."""
    first, end = plan.period
    words = PlanWords()
    if not any_planned(plan):
        words.summary.append(
            f"Plan {plan.year}: nothing to plan (no active people or no active cadences)."
        )
        return words
    weeks = glance.weeks_of(first, end, glance.open_days_of(plan), glance.plan_items(plan))
    working = [w for w in weeks if w.open_days]
    gaps = [w for w in working if w.gap]
    stats, diff = plan.result.stats, plan_diff(plan)
    frozen = plan.plan_input.frozen_until
    words.summary += [
        f"Plan {plan.year}\u2013{plan.year + 1}: {first:{DATE}} to "
        f"{end - timedelta(days=1):{DATE}}, time zone {plan.tz}.",
        f"{len(own_placements(plan))} events; {len(working) - len(gaps)} of {len(working)} "
        f"working weeks have a touchpoint{_gaps(gaps)}.",
        (
            f"Events already published up to {frozen:{DATE}} stay where they are unless they "
            "are no longer possible."
            if frozen is not None
            else "Nothing is published yet: the plan starts on the first working day after today."
        ),
        f"Balance over the {stats.weeks_plannable} plannable weeks: the busiest week has "
        f"{stats.busiest_week_load:g} events against a mean of {stats.mean_week_load:g} "
        f"(ratio {stats.balance_ratio:g}; the best this plan allows is "
        f"{stats.balance_bound_ratio:g}).",
        f"Changes to the published plan: {len(diff.added)} added, {len(diff.moved)} moved "
        f"({stats.moved_forced} had to move), {len(diff.cancelled)} cancelled, "
        f"{diff.kept} unchanged.",
        (
            f"{len(plan.result.unplaced)} events could not be placed (reasons and fixes below)."
            if plan.result.unplaced
            else "Every event has a place."
        ),
    ]  # fmt: skip
    grouped: dict[tuple[str, str], list[str]] = {}
    for u in plan.result.unplaced:
        meta = plan.meta.get(u.series_key)
        title = meta.title if meta is not None else "An event"
        grouped.setdefault((title, u.reason), []).append(u.slot_key)
    for (title, reason), keys in grouped.items():
        count = f" ({len(keys)} events)" if len(keys) > 1 else ""
        extra = f" [{', '.join(keys)}]" if verbose else ""
        words.unplaced.append(f"{title}{count}: {reason}{extra}")
    words.warnings = list(plan.warnings)
    words.violations = violations(plan)
    return words


def summary_lines(plan: Plan, *, verbose: bool = False) -> list[str]:
    """The plan's words as command-line lines (the preview page shows the same sentences)."""
    words = plan_words(plan, verbose=verbose)
    lines = list(words.summary[:1]) + [f"  {line}" for line in words.summary[1:]]
    if words.summary and len(words.summary) > 1:
        lines.append(f"  Rule check (independent validator): {len(words.violations)} problems.")
    limit = None if verbose else SHOWN
    for heading, items in (("Not placed", words.unplaced), ("Warning", words.warnings)):
        lines += [f"  {heading}: {item}" for item in items[:limit]]
        if limit is not None and len(items) > limit:
            lines.append(f"  ... and {len(items) - limit} more (see the preview page).")
    lines += [f"  VIOLATION: {v}" for v in words.violations[:SHOWN]]
    return lines

"""The plan in words: the same sentences on the preview page and from `planner plan`.

No slot key, cadence id, team id or person id appears here; `verbose` adds the slot keys for
engineers (the CLI's --verbose).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from planner.i18n import _, ngettext
from planner.i18n.content import shown
from planner.i18n.formatting import format_day, format_number
from planner.scheduler import glance
from planner.scheduler.planning import Plan, any_planned
from planner.scheduler.publishing import PlanDiff, plan_diff
from planner.scheduler.spread_words import Said
from planner.scheduler.validate import find_violations
from planner.scheduler.wording import one_reading, said, said_all

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
    weeks = ", ".join(format_day(w.monday, "daymonth") for w in gaps)
    return " " + _("(none yet in the weeks of %(weeks)s)", weeks=weeks)


def violations(plan: Plan) -> list[Said]:
    """Hard-constraint violations found by the independent validator (checked when a stored
    preview was made, else now; Saids: codes with parameters, English as str; `said()` words
    them for the reader)."""
    if plan.violations is not None:
        return list(plan.violations)
    return find_violations(plan.plan_input, plan.result)


def plan_words(
    plan: Plan,
    *,
    verbose: bool = False,
    weeks: list[glance.Week] | None = None,
    diff: PlanDiff | None = None,
) -> PlanWords:
    """The plan's summary, unplaced events with their reasons, and warnings, in words (`weeks`
    and `diff`: the plan's glance weeks and difference when the caller has them already; at
    10,000 people each takes a few tenths of a second to build)."""
    first, end = plan.period
    words = PlanWords()
    if not any_planned(plan):
        words.summary.append(
            _(
                "Plan %(year)s: nothing to plan (no active people or no active cadences).",
                year=plan.year,
            )
        )
        return words
    if weeks is None:
        weeks = glance.weeks_of(first, end, glance.open_days_of(plan), glance.plan_items(plan))
    working = [w for w in weeks if w.open_days]
    gaps = [w for w in working if w.gap]
    stats, diff = plan.result.stats, diff if diff is not None else plan_diff(plan)
    frozen = plan.plan_input.frozen_until
    events = len(diff.added) + len(diff.moved) + diff.kept  # every own placement, once
    words.summary += [
        _("Plan %(year)s–%(next)s: %(first)s to %(last)s, time zone %(tz)s.", year=plan.year,
          next=plan.year + 1, first=format_day(first), last=format_day(end - timedelta(days=1)),
          tz=plan.tz),
        ngettext("%(num)d event", "%(num)d events", events) + "; " + ngettext(
            "%(covered)d of %(num)d working week has a touchpoint",
            "%(covered)d of %(num)d working weeks have a touchpoint",
            len(working), covered=len(working) - len(gaps),
        ) + _gaps(gaps) + ".",
        (
            _("Events already published up to %(day)s stay where they are unless they are no "
              "longer possible.", day=format_day(frozen))
            if frozen is not None
            else _("Nothing is published yet: the plan starts on the first working day after "
                   "today.")
        ),
        _("Balance over the %(weeks)d plannable weeks: the busiest week has %(busiest)s events "
          "against a mean of %(mean)s (ratio %(ratio)s; the best this plan allows is %(bound)s).",
          weeks=stats.weeks_plannable, busiest=format_number(stats.busiest_week_load, 2),
          mean=format_number(stats.mean_week_load, 2), ratio=format_number(stats.balance_ratio, 3),
          bound=format_number(stats.balance_bound_ratio, 3)),
        _("Changes to the published plan: %(added)s added, %(moved)s moved (%(forced)s had to "
          "move), %(cancelled)s cancelled, %(kept)s unchanged.",
          added=format_number(len(diff.added)), moved=format_number(len(diff.moved)),
          forced=format_number(stats.moved_forced),
          cancelled=format_number(len(diff.cancelled)), kept=format_number(diff.kept)),
        (
            ngettext("%(num)d event could not be placed (reasons and fixes below).",
                     "%(num)d events could not be placed (reasons and fixes below).",
                     len(plan.result.unplaced))
            if plan.result.unplaced
            else _("Every event has a place.")
        ),
    ]  # fmt: skip
    with one_reading():  # thousands of sentences: each translation and day looked up once
        words.unplaced = _unplaced(plan, verbose)
        words.warnings = said_all(plan.warnings)
        words.violations = said_all(violations(plan))
    return words


def _unplaced(plan: Plan, verbose: bool) -> list[str]:
    """The events that could not be placed, those of one series with one reason together."""
    grouped: dict[tuple[str, str], list[str]] = {}
    titles: dict[str, str] = {}  # ~1,500 unplaced events of a few hundred series
    for u in plan.result.unplaced:
        title = titles.get(u.series_key)
        if title is None:
            meta = plan.meta.get(u.series_key)
            title = titles[u.series_key] = shown(meta.title) if meta is not None else _("An event")
        grouped.setdefault((title, u.reason), []).append(u.slot_key)
    lines = []
    for (title, reason), keys in grouped.items():
        several = ngettext("%(num)d event", "%(num)d events", len(keys))
        count = f" ({several})" if len(keys) > 1 else ""
        extra = f" [{', '.join(keys)}]" if verbose else ""
        lines.append(f"{title}{count}: {said(reason)}{extra}")
    return lines


def summary_lines(plan: Plan, *, verbose: bool = False) -> list[str]:
    """The plan's words as command-line lines (the preview page shows the same sentences)."""
    words = plan_words(plan, verbose=verbose)
    lines = list(words.summary[:1]) + [f"  {line}" for line in words.summary[1:]]
    if words.summary and len(words.summary) > 1:
        checked = ngettext(
            "Rule check (independent validator): %(num)d problem.",
            "Rule check (independent validator): %(num)d problems.",
            len(words.violations),
        )
        lines.append(f"  {checked}")
    limit = None if verbose else SHOWN
    for heading, items in ((_("Not placed"), words.unplaced), (_("Warning"), words.warnings)):
        lines += [f"  {heading}: {item}" for item in items[:limit]]
        if limit is not None and len(items) > limit:
            more = _("... and %(num)d more (see the preview page).", num=len(items) - limit)
            lines.append(f"  {more}")
    violation = _("VIOLATION")
    lines += [f"  {violation}: {v}" for v in words.violations[:SHOWN]]
    return lines

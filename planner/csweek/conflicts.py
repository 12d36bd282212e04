"""Warnings (never blocks) about a week plan: double-booked hosts, activities outside the week,
activities or days that fall on a public holiday or a closed day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations

from sqlalchemy.orm import Session

from planner.i18n import _
from planner.i18n.formatting import format_day, language
from planner.models import Activity, ServiceWeek
from planner.org import calendar, workdays


@dataclass(frozen=True)
class PlanWarning:
    """One warning; activity_id is None for a warning about the whole week."""

    message: str
    activity_id: int | None = None


def _overlap(a: Activity, b: Activity) -> bool:
    """Whether two timed activities on the same day overlap (touching ends do not)."""
    if a.day != b.day or a.all_day or b.all_day:
        return False
    assert a.start_time and a.end_time and b.start_time and b.end_time
    return a.start_time < b.end_time and b.start_time < a.end_time


def plan_warnings(session: Session, plan: ServiceWeek) -> list[PlanWarning]:
    """Every warning for the plan, week-level ones first."""
    org = calendar.get_organisation(session)
    active = [a for a in plan.activities if a.status != "cancelled"]
    days = [a.day for a in active] + [plan.first_day, plan.last_day]
    first, last = min(days), max(days)
    closed = calendar.closed_dates(session, first, last)
    names = workdays.public_holidays(
        org.country, org.subdivision, range(first.year, last.year + 1), language()
    )
    warnings: list[PlanWarning] = []
    day = plan.first_day
    while day <= plan.last_day:
        if day in closed:
            what = names.get(day, "a closed day")
            warnings.append(
                PlanWarning(
                    _(
                        "%(format)s is %(what)s in your organisation's calendar.",
                        format=format_day(day, "longnoyear"),
                        what=what,
                    )
                )
            )
        day += timedelta(days=1)
    for activity in active:
        if not plan.first_day <= activity.day <= plan.last_day:
            warnings.append(
                PlanWarning(
                    _(
                        "“%(title)s” is on %(format)s, outside the week.",
                        title=activity.title,
                        format=format_day(activity.day, "noyear"),
                    ),
                    activity.id,
                )
            )
        if activity.day in closed:
            what = names.get(activity.day, "a closed day")
            warnings.append(
                PlanWarning(
                    _(
                        "“%(title)s” falls on %(what)s (%(format)s).",
                        title=activity.title,
                        what=what,
                        format=format_day(activity.day, "noyear"),
                    ),
                    activity.id,
                )
            )
    for a, b in combinations(active, 2):
        if a.host_id is not None and a.host_id == b.host_id and _overlap(a, b):
            host = a.host.name if a.host else "The host"
            for one, other in ((a, b), (b, a)):
                warnings.append(
                    PlanWarning(
                        _(
                            "%(host)s also hosts “%(title)s” at the same time.",
                            host=host,
                            title=other.title,
                        ),
                        one.id,
                    )
                )
    return warnings

"""Warnings (never blocks) about a week plan: double-booked hosts, activities outside the week,
activities or days that fall on a public holiday or a closed day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations

from sqlalchemy.orm import Session

from planner.i18n.formatting import language
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
                PlanWarning(f"{day:%A %d %B} is {what} in your organisation's calendar.")
            )
        day += timedelta(days=1)
    for activity in active:
        if not plan.first_day <= activity.day <= plan.last_day:
            warnings.append(
                PlanWarning(
                    f"“{activity.title}” is on {activity.day:%a %d %b}, outside the week.",
                    activity.id,
                )
            )
        if activity.day in closed:
            what = names.get(activity.day, "a closed day")
            warnings.append(
                PlanWarning(
                    f"“{activity.title}” falls on {what} ({activity.day:%a %d %b}).", activity.id
                )
            )
    for a, b in combinations(active, 2):
        if a.host_id is not None and a.host_id == b.host_id and _overlap(a, b):
            host = a.host.name if a.host else "The host"
            for one, other in ((a, b), (b, a)):
                warnings.append(
                    PlanWarning(f"{host} also hosts “{other.title}” at the same time.", one.id)
                )
    return warnings

"""Demo step: a planned Customer Service Week (the running one, else the next) with activities
on every day, hosted by the demo organisation's leaders. Idempotent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.csweek import activities, library, operations
from planner.csweek.dates import service_week_dates
from planner.demo import DEMO_COORDINATOR
from planner.models import Person, ServiceWeek, Team

THEME = "Every contact counts"
# Activities for chosen teams only (the rest invite everyone), and the statuses shown.
TEAM_ONLY = {"week-refresher-quiz": 2, "week-shift-breakfast": 1}
CONFIRMED = {
    "week-kickoff-purpose",
    "week-trading-places",
    "week-leaders-serve-lunch",
    "week-awards",
}


def demo_year(today: date) -> int:
    """The week to plan: this year's while it is upcoming or running, else next year's."""
    return today.year if today <= service_week_dates(today.year)[1] else today.year + 1


def load(session: Session, today: date) -> list[str]:
    """Plan the demo week once; does nothing without people or when the plan exists."""
    year = demo_year(today)
    if session.scalar(select(ServiceWeek.id).where(ServiceWeek.year == year)) is not None:
        return []
    people = list(session.scalars(select(Person).where(Person.active).order_by(Person.id)))
    if not people:
        return []
    coordinator = next(
        (p for p in people if p.email == DEMO_COORDINATOR),
        next((p for p in people if p.role in ("coordinator", "admin")), people[0]),
    )
    leaders = [p for p in people if p.role == "leader"] or [coordinator]
    teams = list(session.scalars(select(Team).where(Team.frontline).order_by(Team.id)))
    now = datetime.combine(today, time(9, 0), tzinfo=UTC)
    library.ensure_library(session)
    plan = operations.create_plan(
        session, year=year, created_by_id=coordinator.id, now=now, theme=THEME
    )
    entries = {e.key: e for e in library.library_entries(session, "week") if e.key}
    for index, (key, entry) in enumerate(sorted(entries.items())):
        host = leaders[index % len(leaders)]
        values = activities.values_from_entry(plan, entry, host_id=host.id)
        status = "confirmed" if key in CONFIRMED else "planned"
        values = replace(values, status=status, location="Main canteen and online")
        if key in TEAM_ONLY and teams:
            chosen = tuple(t.id for t in teams[-TEAM_ONLY[key] :])
            values = replace(values, for_everyone=False, team_ids=chosen)
        activities.add_activity(session, plan, values, now=now, library_entry_id=entry.id)
    session.flush()
    return [
        f"csweek: planned Customer Service Week {year} ({plan.first_day:%d %b}–"
        f"{plan.last_day:%d %b}) with {len(plan.activities)} activities"
    ]

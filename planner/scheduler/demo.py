"""Demo step of the year plan: seed the cadences and publish the plan of the running year."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.scheduler import planning, publishing
from planner.scheduler.cadences import seed_cadences


def load(session: Session, today: date) -> list[str]:
    """Seed cadences and publish the running year's plan; a second run changes nothing."""
    added = seed_cadences(session)
    year = planning.running_plan_year(session, today)
    first, _end = planning.plan_period(session, year)
    # Planned as of the day before the period, as a coordinator would have done: no frozen
    # weeks, so the demo year has a touchpoint in every week. Later runs only repair.
    plan = planning.compute_plan(
        session, year, min(today, first - timedelta(days=1)), frozen_days=0
    )
    done = publishing.apply_plan(session, plan, utcnow())
    return [
        f"Year plan {year}: {added} cadences added; {done.created} events added, "
        f"{done.moved} moved, {done.cancelled} cancelled, {done.kept} unchanged."
    ]

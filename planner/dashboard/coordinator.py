"""The coordinators' home: the year at a glance in counts, and what needs a decision."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from planner.models import Activity, Event, Feed, Person, PlanOutcome, ServiceWeek

LEADING = ("leader",)
SOON_DAYS = 60


@dataclass
class Decisions:
    """What a coordinator should look at."""

    without_feed: int = 0
    without_feed_names: list[str] = field(default_factory=list)
    week: ServiceWeek | None = None
    milestones: list[Event] = field(default_factory=list)
    activities_without_host: int = 0
    unplaced: int | None = None  # at the last publish of the running year; None: not published
    # Hook for the job queue (planner/jobs/, not built yet): failed jobs go here.
    failed_jobs: int | None = None


def leaders_without_feed(session: Session) -> tuple[int, list[str]]:
    """Active leaders with no active personal calendar feed: how many, and the first names."""
    has_feed = exists().where(
        Feed.person_id == Person.id, Feed.scope == "person", Feed.active.is_(True)
    )
    query = select(Person.name).where(Person.active.is_(True), Person.role.in_(LEADING), ~has_feed)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    names = list(session.scalars(query.order_by(Person.name).limit(5)))
    return count, names


def next_service_week(session: Session, today: date) -> ServiceWeek | None:
    """The coming (or running) Customer Service Week that has a plan."""
    return session.scalar(
        select(ServiceWeek)
        .where(ServiceWeek.last_day >= today)
        .order_by(ServiceWeek.first_day)
        .limit(1)
    )


def decisions(session: Session, today: date, year: int) -> Decisions:
    """The coordinator's to-decide list, from a few counting queries."""
    found = Decisions()
    outcome = session.get(PlanOutcome, year)
    found.unplaced = outcome.unplaced if outcome is not None else None
    found.without_feed, found.without_feed_names = leaders_without_feed(session)
    found.week = next_service_week(session, today)
    found.milestones = list(
        session.scalars(
            select(Event)
            .where(
                Event.kind == "milestone",
                Event.status != "cancelled",
                Event.start_date >= today,
                Event.start_date < today + timedelta(days=SOON_DAYS),
            )
            .order_by(Event.start_date)
            .limit(5)
        )
    )
    if found.week is not None:
        found.activities_without_host = (
            session.scalar(
                select(func.count(Activity.id)).where(
                    Activity.week_id == found.week.id,
                    Activity.host_id.is_(None),
                    Activity.status != "cancelled",
                )
            )
            or 0
        )
    return found

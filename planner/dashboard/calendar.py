"""Shared pieces of the home pages: a person's next two weeks, their teams, the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from planner.feeds import queries
from planner.models import Event, Person, Team

Agenda = list[tuple[date, list[tuple[Event, datetime | date]]]]


def two_weeks(session: Session, person: Person, today: date, zone: ZoneInfo) -> Agenda:
    """What the person's calendar holds this week and next (the feed's own audience rule)."""
    monday = today - timedelta(days=today.weekday())
    end_day = monday + timedelta(days=14)
    start = datetime.combine(today, time(), zone).astimezone(UTC)
    end = datetime.combine(end_day, time(), zone).astimezone(UTC)
    now = datetime.now(UTC)
    audience = queries.person_audience(person)
    stmt = queries.feed_events(session, audience, now, zone).where(
        # The events the feed can hold, read from indexes (as My calendar does), not a scan of
        # every event; the feed's filter still decides.
        Event.id.in_(queries.person_candidates(audience)),
        Event.status != "cancelled",
        or_(
            and_(Event.all_day.is_(False), Event.end_at > start, Event.start_at < end),
            and_(Event.all_day.is_(True), Event.end_date > today, Event.start_date < end_day),
        ),
    )
    rows: list[tuple[tuple[datetime, str], Event, datetime | date]] = []
    for event in session.scalars(stmt):
        when: datetime | date
        if event.all_day:
            assert event.start_date is not None
            when = max(event.start_date, today)
        else:
            assert event.start_at is not None
            when = event.start_at.astimezone(zone)
        rows.append(
            (queries.sort_key(event.start_at, event.start_date, event.uid, zone), event, when)
        )
    rows.sort(key=lambda r: r[0])
    weeks: dict[date, list[tuple[Event, datetime | date]]] = {monday: [], monday + timedelta(7): []}
    for _key, event, when in rows:
        day = when.date() if isinstance(when, datetime) else when
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append((event, when))
    return sorted(weeks.items())


def led_team_ids(session: Session, leader: Person) -> list[int]:
    """Teams a leader answers for: their reports' and skip-level reports' teams, overrides, and
    their own team when they lead it."""
    manager = aliased(Person)
    direct = select(Person.team_id).where(Person.manager_id == leader.id, Person.active.is_(True))
    skip = (
        select(Person.team_id)
        .join(manager, Person.manager_id == manager.id)
        .where(manager.manager_id == leader.id, Person.active.is_(True))
    )
    override = select(Team.id).where(Team.skip_level_override_id == leader.id)
    ids = {row for row in session.scalars(direct.union(skip, override)) if row is not None}
    if leader.team_id is not None and leader.role == "leader":
        ids.add(leader.team_id)
    frontline = session.scalars(
        select(Team.id).where(Team.id.in_(sorted(ids)), Team.frontline.is_(True))
    )
    return sorted(frontline)

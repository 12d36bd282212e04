"""Reads for the API: people, teams, scorecard values, events, the board, the plan's status.

Plain functions over the session returning response models; the feedback board is read
through the board's own query (planner.feedback.board.load_board), so anonymity holds as there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from planner.api import schemas
from planner.feedback.board import BoardFilters, load_board
from planner.models import Event, MetricValue, Person, Team
from planner.org.calendar import get_organisation
from planner.scheduler import glance, operations, planning


def _count(session: Session, query: Select) -> int:
    """The number of rows a query yields."""
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def people_page(
    session: Session, team: str | None, page: int, limit: int
) -> tuple[list[schemas.PersonOut], int]:
    """People by name (then e-mail), optionally of one team."""
    manager = aliased(Person)
    query = (
        select(Person, Team.name, manager.email)
        .outerjoin(Team, Person.team_id == Team.id)
        .outerjoin(manager, Person.manager_id == manager.id)
        .order_by(Person.name, Person.email, Person.id)
    )
    if team is not None:
        query = query.where(func.lower(Team.name) == team.strip().lower())
    total = _count(session, query)
    rows = session.execute(query.offset((page - 1) * limit).limit(limit)).all()
    return [
        schemas.PersonOut(
            id=p.id,
            name=p.name,
            email=p.email,
            role=p.role,
            team=team_name,
            manager_email=manager_email,
            active=p.active,
        )
        for p, team_name, manager_email in rows
    ], total


def teams(session: Session) -> list[schemas.TeamOut]:
    """Every team with its number of active members."""
    members = (
        select(Person.team_id, func.count().label("n"))
        .where(Person.active.is_(True))
        .group_by(Person.team_id)
        .subquery()
    )
    rows = session.execute(
        select(Team, members.c.n)
        .outerjoin(members, members.c.team_id == Team.id)
        .order_by(Team.name)
    ).all()
    return [
        schemas.TeamOut(id=t.id, name=t.name, frontline=t.frontline, members=n or 0)
        for t, n in rows
    ]


def metrics_page(
    session: Session, since: str | None, until: str | None, page: int, limit: int
) -> tuple[list[schemas.MetricOut], int]:
    """Stored scorecard values by month, team and metric, within [since, until] months."""
    query = (
        select(MetricValue, Team.name)
        .join(Team, MetricValue.team_id == Team.id)
        .order_by(MetricValue.month, Team.name, MetricValue.metric, MetricValue.id)
    )
    if since is not None:
        query = query.where(MetricValue.month >= _month(since))
    if until is not None:
        query = query.where(MetricValue.month <= _month(until))
    total = _count(session, query)
    rows = session.execute(query.offset((page - 1) * limit).limit(limit)).all()
    return [
        schemas.MetricOut(team=name, month=f"{m.month:%Y-%m}", metric=m.metric, value=m.value)
        for m, name in rows
    ], total


def _month(text: str) -> date:
    """'2026-09' -> 2026-09-01, clamped to real months (the pattern is checked already)."""
    year, month = int(text[:4]), int(text[5:7])
    return date(max(year, 1), min(max(month, 1), 12), 1)


def _clamp(day: date) -> date:
    """A date kept within years 1900-2200 (no event lies outside; no overflow at the edges)."""
    return min(max(day, date(1900, 1, 1)), date(2200, 12, 31))


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant a local day starts."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)


def events_page(
    session: Session, query_in: schemas.EventsQuery
) -> tuple[list[schemas.EventOut], int]:
    """Events starting within [since, until] (the organisation's days), by id (stable paging)."""
    zone = ZoneInfo(get_organisation(session).time_zone or "UTC")
    host = aliased(Person)
    query = (
        select(Event, host.email, Team.name)
        .outerjoin(host, Event.host_id == host.id)
        .outerjoin(Team, Event.team_id == Team.id)
        .order_by(Event.id)
    )
    if query_in.kind is not None:
        query = query.where(Event.kind == query_in.kind)
    if query_in.since is not None:
        since = _clamp(query_in.since)
        query = query.where(
            or_(Event.start_date >= since, Event.start_at >= _local_midnight(since, zone))
        )
    if query_in.until is not None:
        end = _clamp(query_in.until) + timedelta(days=1)
        query = query.where(
            or_(Event.start_date < end, Event.start_at < _local_midnight(end, zone))
        )
    total = _count(session, query)
    page, limit = query_in.page, query_in.limit
    rows = session.execute(query.offset((page - 1) * limit).limit(limit)).all()
    return [
        schemas.EventOut(
            uid=e.uid,
            kind=e.kind,
            practice=e.practice,
            title=e.title,
            status=e.status,
            all_day=e.all_day,
            start=e.start_at,
            end=e.end_at,
            start_date=e.start_date,
            end_date=e.end_date,
            host_email=host_email,
            team=team_name,
            sequence=e.sequence,
            last_modified=e.last_modified,
        )
        for e, host_email, team_name in rows
    ], total


def feedback_page(
    session: Session, query_in: schemas.FeedbackQuery, today: date
) -> tuple[list[schemas.FeedbackOut], int]:
    """The board as the board shows it (same query, same team labels), newest first."""
    filters = BoardFilters(status=query_in.status or "", category=query_in.category or "")
    rows = [
        row
        for row in load_board(session, filters, today=today, viewer_id=None).rows
        if (query_in.since is None or row.item.raised_on >= query_in.since)
        and (query_in.until is None or row.item.raised_on <= query_in.until)
    ]
    start = (query_in.page - 1) * query_in.limit
    return [
        schemas.FeedbackOut(
            id=row.item.public_id,
            title=row.item.title,
            category=row.item.category,
            team=row.team_label,
            raised_on=row.item.raised_on,
            status=row.item.status,
            due_date=row.item.due_date,
            votes=row.votes,
            response=row.item.response,
        )
        for row in rows[start : start + query_in.limit]
    ], len(rows)


def plan_status(session: Session, year: int | None) -> schemas.PlanStatus:
    """The published plan of a year (default: the running one) at a glance."""
    if year is None:
        year = planning.running_plan_year(session, operations.local_today(session))
    shown = glance.published_year(session, year)
    working = [w for w in shown.weeks if w.open_days]
    by_practice: dict[str, int] = {}
    for week in shown.weeks:
        for practice, count in week.counts:
            by_practice[practice] = by_practice.get(practice, 0) + count
    return schemas.PlanStatus(
        year=shown.year,
        first_day=shown.first,
        last_day=shown.last,
        events=shown.total,
        by_practice=by_practice,
        working_weeks=len(working),
        weeks_covered=sum(1 for w in working if not w.gap),
        gap_weeks=[w.monday for w in working if w.gap],
    )

"""Which events a feed holds: one query per feed, with ``now`` injected (DESIGN.md rule 8).

The same query serves the .ics feed, the "My calendar" page and the static export, so what a
person sees in the app is what their calendar client gets. Rules:
- window: 90 days back to 15 months ahead of ``now`` (FEEDS.md item 18);
- cancellations stay 7 days after ``cancelled_at`` as STATUS:CANCELLED, then drop out (item 8);
- team and organisation feeds never carry items about one individual (outreach, career talks).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta
from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    false,
    func,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session

from planner.models import (
    Event,
    EventPiece,
    Feed,
    Organisation,
    Person,
    event_attendee,
    event_team,
)

DAYS_BACK = 90
MONTHS_AHEAD = 15
CANCELLED_GRACE = timedelta(days=7)
# Items about one person: only in the feeds of the people involved.
PRIVATE_KINDS = ("outreach", "career_conversation")
ORG_KINDS = ("activity", "milestone")


@dataclass(frozen=True)
class Audience:
    """Who a feed is for, in plain values (from a Feed row, or a person for the agenda)."""

    scope: str  # person | team | org
    person_id: int | None = None
    role: str = ""
    team_id: int | None = None  # the person's team, or the team of a team feed
    practices: tuple[str, ...] = ()


def audience_of(feed: Feed, person: Person | None) -> Audience:
    """The audience of a feed row (``person`` is the owner of a personal feed)."""
    practices = tuple(feed.practice_list)
    if feed.scope == "person" and person is not None:
        return Audience("person", person.id, person.role, person.team_id, practices)
    if feed.scope == "team":
        return Audience("team", team_id=feed.team_id, practices=practices)
    return Audience("org", practices=practices)


def person_audience(person: Person) -> Audience:
    """A person's whole agenda (their personal feed, not narrowed)."""
    return Audience("person", person.id, person.role, person.team_id)


def window(now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime, date, date]:
    """The feed window around ``now`` as instants (UTC) and as local dates."""
    today = now.astimezone(zone).date()
    first_day, last_day = (
        today - timedelta(days=DAYS_BACK),
        today + relativedelta(months=MONTHS_AHEAD),
    )
    start = datetime.combine(first_day, time(), zone).astimezone(UTC)
    end = datetime.combine(last_day, time(), zone).astimezone(UTC)
    return start, end, first_day, last_day


def _in_team(team_id: int) -> ColumnElement[bool]:
    """Events of a team: its own or addressed to it."""
    addressed = exists().where(event_team.c.event_id == Event.id, event_team.c.team_id == team_id)
    return or_(Event.team_id == team_id, addressed)


def _who(audience: Audience) -> ColumnElement[bool]:
    """The audience part of the filter (who the events are for)."""
    not_private = Event.kind.not_in(PRIVATE_KINDS)
    if audience.scope == "org":
        return and_(or_(Event.kind.in_(ORG_KINDS), Event.for_everyone.is_(True)), not_private)
    if audience.scope == "team":
        if audience.team_id is None:
            return false()
        return and_(or_(_in_team(audience.team_id), Event.for_everyone.is_(True)), not_private)
    attends = exists().where(
        event_attendee.c.event_id == Event.id, event_attendee.c.person_id == audience.person_id
    )
    mine = or_(Event.host_id == audience.person_id, attends)
    # Everyone sees the organisation-wide items (the week's kickoff, activities for all).
    shared = and_(Event.for_everyone.is_(True), not_private)
    if audience.role == "staff" and audience.team_id is not None:
        shared = or_(shared, and_(_in_team(audience.team_id), not_private))
    return or_(mine, shared)


def feed_filter(audience: Audience, now: datetime, zone: ZoneInfo) -> ColumnElement[bool]:
    """The WHERE clause of a feed: audience, practices, window and cancellation grace."""
    start, end, first_day, last_day = window(now, zone)
    in_window = or_(
        and_(Event.all_day.is_(False), Event.end_at > start, Event.start_at < end),
        and_(Event.all_day.is_(True), Event.end_date > first_day, Event.start_date < last_day),
    )
    grace = or_(
        Event.status != "cancelled",
        func.coalesce(Event.cancelled_at, Event.last_modified) >= now - CANCELLED_GRACE,
    )
    practices = Event.practice.in_(audience.practices) if audience.practices else true()
    return and_(_who(audience), in_window, grace, practices)


def key_rows(
    session: Session,
    audience: Audience,
    now: datetime,
    zone: ZoneInfo,
    language: str | None = None,
) -> list[tuple[int, str | None, bool, datetime | None, date | None, str]]:
    """Light rows of a feed (id, ics_key, piece missing, start_at, start_date, uid), unsorted;
    with `language`, of that language's EventPiece rows (missing also when the event changed)."""
    if language is None:
        stmt = select(
            Event.id,
            Event.ics_key,
            Event.ics_piece.is_(None),
            Event.start_at,
            Event.start_date,
            Event.uid,
        ).where(feed_filter(audience, now, zone))
    else:
        stmt = (
            select(
                Event.id,
                EventPiece.ics_key,
                or_(EventPiece.ics_key.is_(None), EventPiece.sequence != Event.sequence),
                Event.start_at,
                Event.start_date,
                Event.uid,
            )
            .outerjoin(
                EventPiece,
                and_(EventPiece.event_id == Event.id, EventPiece.language == language),
            )
            .where(feed_filter(audience, now, zone))
        )
    return [tuple(row) for row in session.execute(stmt)]  # type: ignore[misc]


def sort_key(start_at: datetime | None, start_date: date | None, uid: str, zone: ZoneInfo) -> tuple:
    """Feed order: (start as an instant, uid); an all-day item starts at local midnight."""
    if start_at is None:
        assert start_date is not None
        start_at = datetime.combine(start_date, time(), zone).astimezone(UTC)
    return (start_at.astimezone(UTC), uid)


def feed_events(session: Session, audience: Audience, now: datetime, zone: ZoneInfo) -> Select:
    """The full Event query of a feed (for the agenda page and piece refresh)."""
    return select(Event).where(feed_filter(audience, now, zone))


def organisation_zone(session: Session) -> tuple[str, ZoneInfo]:
    """The organisation's IANA zone name and zone (UTC when nothing is set up yet)."""
    org = session.get(Organisation, 1)
    name = (org.time_zone if org else "") or "UTC"
    try:
        return name, ZoneInfo(name)
    except (KeyError, ValueError):
        return "UTC", ZoneInfo("UTC")


def person_candidates(audience: Audience) -> Select:
    """Ids of the events a personal feed can hold, each part read from an index (host,
    attendee, everyone, the staff member's team), so My calendar does not scan the event
    table; feed_filter() still decides."""
    pid = audience.person_id
    parts = [
        select(Event.id).where(Event.host_id == pid),
        select(event_attendee.c.event_id).where(event_attendee.c.person_id == pid),
        select(Event.id).where(Event.for_everyone.is_(True)),
    ]
    if audience.role == "staff" and audience.team_id is not None:
        parts.append(select(Event.id).where(Event.team_id == audience.team_id))
        parts.append(select(event_team.c.event_id).where(event_team.c.team_id == audience.team_id))
    return union(*parts)  # type: ignore[return-value]


def upcoming_by_week(
    session: Session, person: Person, now: datetime
) -> list[tuple[date, list[tuple[Event, datetime | date, datetime | date]]]]:
    """The person's upcoming items (the feed's query) grouped by the local week they start in."""
    _name, zone = organisation_zone(session)
    audience = person_audience(person)
    query = feed_events(session, audience, now, zone).where(
        Event.id.in_(person_candidates(audience))
    )
    events = list(session.scalars(query))
    rows = []
    for event in events:
        if event.all_day:
            assert event.start_date is not None and event.end_date is not None
            if event.end_date <= now.astimezone(zone).date():
                continue
            start: datetime | date = event.start_date
            end: datetime | date = event.end_date - timedelta(days=1)  # shown inclusive
        else:
            assert event.start_at is not None and event.end_at is not None
            if event.end_at <= now:
                continue
            start, end = event.start_at.astimezone(zone), event.end_at.astimezone(zone)
        order = sort_key(event.start_at, event.start_date, event.uid, zone)
        rows.append((order, event, start, end))
    rows.sort(key=lambda r: r[0])
    weeks: dict[date, list[tuple[Event, datetime | date, datetime | date]]] = {}
    for _key, event, start, end in rows:
        day = start.date() if isinstance(start, datetime) else start
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append((event, start, end))
    return list(weeks.items())

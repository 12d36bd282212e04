"""Scheduler operations outside the engine run: one planned event by hand, blackouts and
holiday overrides, and the published events of a year."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.events.operations import AllDay, Timed, cancel_event, update_event
from planner.i18n import _
from planner.models import AuditEntry, Blackout, Event, HolidayOverride, Person
from planner.org.calendar import get_organisation

LEADING_ROLES = ("admin", "coordinator", "leader")


def year_filter(year: int, first: date | None = None, end: date | None = None) -> list[Any]:
    """The WHERE of year_events() (shared by the plain-row reads of the year page)."""
    where: list[Any] = [Event.slot_key.like(f"{year}:%"), Event.status != "cancelled"]
    if first is not None and end is not None:
        lo, hi = first - timedelta(days=1), end + timedelta(days=1)
        where.append(
            or_(
                # All-day events have no start_at (ck_event_times): saying so lets both halves
                # of the OR read ix_event_when (start_at, start_date) instead of every event.
                and_(Event.start_at.is_(None), Event.start_date >= lo, Event.start_date < hi),
                and_(
                    Event.start_at >= datetime.combine(lo, time(0), UTC),
                    Event.start_at < datetime.combine(hi, time(0), UTC),
                ),
            )
        )
    return where


# The order year_events() lists events in (ties of the pages' sort keep it).
YEAR_ORDER = (Event.start_date, Event.start_at, Event.id)


def year_events(
    session: Session, year: int, first: date | None = None, end: date | None = None
) -> list[Event]:
    """The year's published (not cancelled) planned events; with `first`/`end`, only those
    around those days (a day's margin either side for time zones; callers cut exactly)."""
    query = select(Event).where(*year_filter(year, first, end))
    return list(session.scalars(query.order_by(*YEAR_ORDER)))


def _manages(leader: Person, person: Person | None) -> bool:
    """Whether the leader is somewhere up this person's reporting chain (cycle-safe)."""
    seen: set[int] = set()
    current = person.manager if person is not None else None
    while current is not None and current.id not in seen:
        if current.id == leader.id:
            return True
        seen.add(current.id)
        current = current.manager
    return False


def sees(
    viewer: tuple[str, int, int | None],
    kind: str,
    host_id: int | None,
    attendee_ids: Collection[int],
    team_id: int | None,
    for_everyone: bool,
    manages: Callable[[int | None], bool],
) -> bool:
    """PURE: may_see()'s rule on plain values. `viewer` is (role, id, team id); `manages(id)`
    says whether the viewer is up that person's reporting chain (False for None)."""
    role, viewer_id, viewer_team = viewer
    if role in ("admin", "coordinator"):
        return True
    if host_id == viewer_id or viewer_id in attendee_ids:
        return True
    if kind == "career_conversation":
        return role in LEADING_ROLES and any(manages(p) for p in (host_id, *attendee_ids))
    if role in LEADING_ROLES:
        return True
    return for_everyone or (team_id is not None and team_id == viewer_team)


def may_see(event: Event, person: Person) -> bool:
    """Coordinators and admins see every planned event; leaders too, except career
    conversations, which only their people and those people's managers (up the chain) see;
    staff see their own, their team's and everyone's events."""
    if person.role in ("admin", "coordinator"):
        return True

    def person_of(pid: int | None) -> Person | None:
        if pid is not None and pid == event.host_id:
            return event.host
        return next((p for p in event.attendees if p.id == pid), None)

    return sees(
        (person.role, person.id, person.team_id),
        event.kind,
        event.host_id,
        [p.id for p in event.attendees],
        event.team_id,
        event.for_everyone,
        lambda pid: _manages(person, person_of(pid)),
    )


def managed_by(session: Session, leader_id: int) -> set[int]:
    """Everyone the leader is somewhere up the reporting chain of (their reports, their
    reports' reports, ...), in one recursive query; UNION makes it stop on a reporting loop
    (a leader inside a loop manages themself, as _manages() says)."""
    below = select(Person.id).where(Person.manager_id == leader_id).cte("below", recursive=True)
    below = below.union(select(Person.id).join(below, Person.manager_id == below.c.id))
    return set(session.scalars(select(below.c.id)))


def planned_event(session: Session, event_id: int, person: Person) -> Event:
    """A planned event this person may see, else NotFound (never reveal that it exists)."""
    event = session.get(Event, event_id)
    if event is None or event.source_kind != "cadence" or not may_see(event, person):
        raise NotFound(_("No such event."))
    return event


def move_event(
    session: Session,
    event: Event,
    *,
    day: date,
    start: time | None,
    actor_id: int,
    now: datetime,
    pin_anyway: bool = False,
) -> list[str]:
    """Move a planned event by hand (same length, local time); it is pinned from now on.

    The plan's rules are checked first (see moving.py): a move that breaks one raises
    MoveRefused with the reasons, unless `pin_anyway`; outside the plan period never.
    Returns the rules the move breaks that the coordinator pinned it anyway against."""
    from planner.scheduler.moving import MoveRefused, move_problems, period_problem

    if event.status == "cancelled":
        raise InvalidInput(_("This event is cancelled; it cannot be moved."))
    outside = period_problem(session, event, day)
    if outside is not None:
        raise MoveRefused([outside], can_pin_anyway=False)
    if event.all_day:
        assert event.start_date is not None and event.end_date is not None
        when: Timed | AllDay = AllDay(day, day + (event.end_date - event.start_date))
    else:
        if start is None:
            raise InvalidInput(_("Give a start time."))
        assert event.start_at is not None and event.end_at is not None
        zone = ZoneInfo(get_organisation(session).time_zone)
        begin = datetime.combine(day, start, zone)
        if begin.astimezone(ZoneInfo("UTC")).astimezone(zone).time() != start:
            raise InvalidInput(_("That time does not exist on that day (the clocks change)."))
        when = Timed(begin, begin + (event.end_at - event.start_at))
    span = (when.start, when.end) if isinstance(when, Timed) else None
    problems = move_problems(session, event, day, span)
    if problems and not pin_anyway:
        raise MoveRefused(problems, can_pin_anyway=True)
    update_event(session, event, now=now, when=when, pin=True)
    session.add(AuditEntry(actor_id=actor_id, action="scheduler.move", subject=f"event {event.id}",
                           detail=f"moved to {day.isoformat()} {start or ''}".strip()
                            + (" (pinned anyway)" if pin_anyway else "")))  # fmt: skip
    session.flush()
    return problems


def cancel_planned_event(session: Session, event: Event, *, actor_id: int, now: datetime) -> None:
    """Cancel one planned event by hand; it stays cancelled (pinned) when re-planning."""
    cancel_event(session, event, now=now)
    event.pinned = True
    session.add(
        AuditEntry(actor_id=actor_id, action="scheduler.cancel", subject=f"event {event.id}")
    )
    session.flush()


def blackouts(session: Session) -> list[Blackout]:
    """Every blackout period, latest first."""
    return list(session.scalars(select(Blackout).order_by(Blackout.first_day.desc(), Blackout.id)))


def add_blackout(session: Session, first_day: date, last_day: date, reason: str) -> Blackout:
    """Close a period for planning (nothing is planned in it; re-plan to move what is there)."""
    if last_day < first_day:
        raise InvalidInput(_("The last day cannot be before the first day."))
    if (last_day - first_day).days > 366:
        raise InvalidInput(_("A blackout lasts at most a year."))
    if len(reason.strip()) > 200:
        raise InvalidInput(_("Keep the reason under 200 characters."))
    blackout = Blackout(first_day=first_day, last_day=last_day, reason=reason.strip())
    session.add(blackout)
    session.flush()
    return blackout


def remove_blackout(session: Session, blackout_id: int) -> None:
    """Open a blackout period again."""
    blackout = session.get(Blackout, blackout_id)
    if blackout is None:
        raise NotFound(_("No such blackout."))
    session.delete(blackout)
    session.flush()


def overrides(session: Session) -> list[HolidayOverride]:
    """Every holiday override, latest first."""
    return list(session.scalars(select(HolidayOverride).order_by(HolidayOverride.day.desc())))


def set_override(session: Session, day: date, closed: bool, name: str) -> HolidayOverride:
    """Close a day (an extra holiday) or open a public holiday for planning; one per day."""
    if len(name.strip()) > 120:
        raise InvalidInput(_("Keep the name under 120 characters."))
    override = session.scalar(select(HolidayOverride).where(HolidayOverride.day == day))
    if override is None:
        override = HolidayOverride(day=day, closed=closed, name=name.strip())
        session.add(override)
    else:
        override.closed, override.name = closed, name.strip()
    session.flush()
    return override


def remove_override(session: Session, override_id: int) -> None:
    """Drop an override: the day follows the public-holiday calendar again."""
    override = session.get(HolidayOverride, override_id)
    if override is None:
        raise NotFound(_("No such override."))
    session.delete(override)
    session.flush()


def week_of(day: date) -> date:
    """The Monday of a day's week."""
    return day - timedelta(days=day.weekday())


def local_today(session: Session) -> date:
    """Today's date in the organisation's time zone."""
    return datetime.now(ZoneInfo(get_organisation(session).time_zone or "UTC")).date()


def open_days(session: Session, first: date, end: date) -> set[date]:
    """The organisation's open working days in [first, end)."""
    from planner.org.calendar import closed_dates

    weekdays = get_organisation(session).working_weekdays
    closed = closed_dates(session, first, end - timedelta(days=1))
    days, day = set(), first
    while day < end:
        if day.weekday() in weekdays and day not in closed:
            days.add(day)
        day += timedelta(days=1)
    return days


def anything_to_plan(session: Session) -> bool:
    """Whether there are active people and active cadences at all."""
    from planner.models import Cadence

    has_people = session.scalar(select(Person.id).where(Person.active.is_(True)).limit(1))
    has_cadence = session.scalar(select(Cadence.id).where(Cadence.active.is_(True)).limit(1))
    return has_people is not None and has_cadence is not None

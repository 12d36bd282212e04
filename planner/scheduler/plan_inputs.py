"""DB -> engine inputs of a plan year: its period and first day, absences, closed days and why,
and the busy time other areas' events take (see planning.py for the series themselves)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from planner.csweek.operations import week_bounds
from planner.i18n.formatting import language
from planner.models import Absence, Blackout, Event, HolidayOverride, Person, PlanYear
from planner.org.calendar import get_organisation
from planner.org.leaving import employed_absences
from planner.org.workdays import public_holidays
from planner.scheduler.spread import ExistingPlacement, SeriesSpec
from planner.scheduler.spread_words import say

try:  # the engine's BusyTime (newer engines); older ones get pinned one-off series instead
    from planner.scheduler.spread import BusyTime
except ImportError:  # pragma: no cover - depends on the engine version
    BusyTime = None  # type: ignore[assignment,misc]

BUSY_PREFIX = "busy:"
_EVERY_DAY = frozenset(range(7))


def plan_period(session: Session, year: int) -> tuple[date, date]:
    """The day after Customer Service Week `year` and the first day of the next one (exclusive)."""
    return week_bounds(session, year)[1] + timedelta(days=1), week_bounds(session, year + 1)[0]


def running_plan_year(session: Session, today: date) -> int:
    """The plan year `today` falls in (the one that started after the latest week)."""
    return today.year if today > week_bounds(session, today.year)[1] else today.year - 1


def absences_of(
    session: Session, people: set[int], first: date, last: date
) -> dict[int, frozenset[date]]:
    """Each planned person's absent dates inside [first, last], in two queries: absences, and
    the days before their start date or from their end date on (planner/org/leaving.py)."""
    found: dict[int, set[date]] = defaultdict(set)
    for pid, start, end in session.execute(
        select(Person.id, Person.start_date, Person.end_date).where(
            or_(Person.start_date > first, Person.end_date <= last)
        )
    ):
        if pid in people:
            found[pid].update(employed_absences(start, end, first, last))
    for a in session.scalars(
        select(Absence).where(Absence.last_day >= first, Absence.first_day <= last)
    ):
        if a.person_id not in people:
            continue
        day = max(a.first_day, first)
        while day <= min(a.last_day, last):
            found[a.person_id].add(day)
            day += timedelta(days=1)
    return {p: frozenset(days) for p, days in sorted(found.items())}


def busy_times(
    session: Session,
    year: int,
    people: set[int],
    team_members: dict[int, list[int]],
    span: tuple[datetime, datetime],
) -> tuple[list[SeriesSpec], list[ExistingPlacement], list[Any]]:
    """Timed, opaque events of other areas (or other years) that involve a planned person (as
    host, attendee, member of its team or because it is for everyone): as the engine's
    BusyTime where it has it, else as pinned one-off series."""
    start, end = span
    specs: list[SeriesSpec] = []
    pinned: list[ExistingPlacement] = []
    busy: list[Any] = []
    rows = session.scalars(
        select(Event)
        .where(
            Event.status != "cancelled",
            Event.all_day.is_(False),
            Event.transparent.is_(False),
            Event.start_at < end,
            Event.end_at > start,
            or_(Event.slot_key.is_(None), ~Event.slot_key.like(f"{year}:%")),
        )
        .options(selectinload(Event.attendees), selectinload(Event.audience_teams))
        .order_by(Event.id)
    )
    for ev in rows:
        if ev.for_everyone:
            involved = sorted(people)
        else:
            teams = {ev.team_id} | {t.id for t in ev.audience_teams}
            involved = sorted(
                ({ev.host_id} if ev.host_id in people else set())
                | {p.id for p in ev.attendees if p.id in people}
                | {
                    p
                    for t in teams
                    if t is not None
                    for p in team_members.get(t, ())
                    if p in people
                }
            )
        assert ev.start_at is not None and ev.end_at is not None  # timed rows (CHECK)
        if not involved:
            continue
        if BusyTime is not None:
            busy.append(BusyTime(tuple(involved), ev.start_at, ev.end_at))
            continue
        minutes = int((ev.end_at - ev.start_at).total_seconds() // 60)
        if not 1 <= minutes < 24 * 60:
            continue
        key = f"{BUSY_PREFIX}e{ev.id}"
        specs.append(
            SeriesSpec(
                key=key, kind=ev.kind, practice=ev.practice, title="busy", host_id=involved[0],
                attendee_ids=tuple(involved[1:]), min_gap_weeks=52, max_gap_weeks=52,
                duration_minutes=minutes, window_start=time(0), window_end=time(23, 59),
                weekdays=_EVERY_DAY,
            )
        )  # fmt: skip
        pinned.append(ExistingPlacement(f"{key}#0", ev.start_at, pinned=True, end=ev.end_at))
    return specs, pinned, busy


def first_plannable_day(session: Session, after: date, end: date) -> date:
    """The first open working day after `after` (or `end` when there is none before it)."""
    from planner.scheduler.operations import open_days

    days = open_days(session, after + timedelta(days=1), end)
    return min(days) if days else end


def plan_start(session: Session, year: int, today: date, published: bool) -> date:
    """Where the plan period starts: a published plan keeps the start it was published with;
    a first plan starts on the next working day (or on the year's first day, if later)."""
    first, end = plan_period(session, year)
    if published:
        stored = session.get(PlanYear, year)
        if stored is not None and first <= stored.first_day < end:
            return stored.first_day
        return first
    return first_plannable_day(session, max(today, first - timedelta(days=1)), end)


def team_members(session: Session) -> dict[int, list[int]]:
    """Active people by team id."""
    found: dict[int, list[int]] = defaultdict(list)
    for pid, team_id in session.execute(
        select(Person.id, Person.team_id).where(Person.active.is_(True)).order_by(Person.id)
    ):
        if team_id is not None:
            found[team_id].append(pid)
    return found


def closed_reasons(session: Session, first: date, last: date) -> dict[date, str]:
    """Why each closed day between first and last is closed: a blackout's reason, a closing
    override's name, or the public holiday's name."""
    org = get_organisation(session)
    years = range(first.year, last.year + 1)
    holidays = public_holidays(org.country, org.subdivision, years, language())
    found = {d: name for d, name in holidays.items() if first <= d <= last}
    for o in session.scalars(select(HolidayOverride).where(HolidayOverride.closed.is_(True))):
        if first <= o.day <= last:
            found[o.day] = o.name or say("closed-by-coordinator")
    for b in session.scalars(
        select(Blackout).where(Blackout.last_day >= first, Blackout.first_day <= last)
    ):
        day = max(b.first_day, first)
        while day <= min(b.last_day, last):
            found[day] = (
                say("closed-blackout", name=b.reason) if b.reason else say("closed-a-blackout")
            )
            day += timedelta(days=1)
    return found

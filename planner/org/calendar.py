"""The organisation's working calendar, read from the database: settings, overrides, blackouts,
absences. The arithmetic itself is pure (planner.org.workdays)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Absence, Blackout, HolidayOverride, Organisation
from planner.org import workdays


def get_organisation(session: Session) -> Organisation:
    """The organisation's settings, created with defaults on first use."""
    org = session.get(Organisation, 1)
    if org is None:
        org = Organisation(id=1, name="My organisation", time_zone="UTC")
        session.add(org)
        session.flush()
    return org


def closed_dates(session: Session, first: date, last: date) -> frozenset[date]:
    """Public holidays (with overrides) and blackout dates between first and last, inclusive."""
    org = get_organisation(session)
    overrides = {o.day: o.closed for o in session.scalars(select(HolidayOverride))}
    blackouts = [
        (b.first_day, b.last_day)
        for b in session.scalars(
            select(Blackout).where(Blackout.last_day >= first, Blackout.first_day <= last)
        )
    ]
    return workdays.closed_dates(
        first,
        last,
        country=org.country,
        subdivision=org.subdivision,
        overrides=overrides,
        blackouts=blackouts,
    )


def absent_dates(session: Session, person_id: int, first: date, last: date) -> frozenset[date]:
    """The dates between first and last (inclusive) on which a person is away."""
    from datetime import timedelta

    days: set[date] = set()
    for absence in session.scalars(
        select(Absence).where(
            Absence.person_id == person_id, Absence.last_day >= first, Absence.first_day <= last
        )
    ):
        day = max(absence.first_day, first)
        while day <= min(absence.last_day, last):
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def add_working_days(
    session: Session, start: date, count: int, *, person_id: int | None = None
) -> date:
    """`count` working days after `start`, skipping weekends, holidays, blackouts and (when a
    person is given) that person's absences."""
    horizon = date(start.year + 1, 12, 31)
    closed = closed_dates(session, start, horizon)
    if person_id is not None:
        closed = closed | absent_dates(session, person_id, start, horizon)
    return workdays.add_working_days(
        start, count, get_organisation(session).working_weekdays, closed
    )

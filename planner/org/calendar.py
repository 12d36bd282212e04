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


class WorkingCalendar:
    """The working calendar read once for one operation (an import, a batch): closed dates per
    year and each person's absences per year are read on first use and then reused.

    Make one per operation and drop it after: it does not see holidays, overrides, blackouts or
    absences saved after it read them (never keep one in a global)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._weekdays = get_organisation(session).working_weekdays
        # (person or None, year) -> the dates from 1 January of that year to the end of the
        # next that are closed (for a person: or they are away).
        self._closed: dict[tuple[int | None, int], frozenset[date]] = {}

    def _closed_from(self, year: int, person_id: int | None) -> frozenset[date]:
        key = (person_id, year)
        if key not in self._closed:
            first, horizon = date(year, 1, 1), date(year + 1, 12, 31)
            if person_id is None:
                self._closed[key] = closed_dates(self._session, first, horizon)
            else:
                self._closed[key] = self._closed_from(year, None) | absent_dates(
                    self._session, person_id, first, horizon
                )
        return self._closed[key]

    def add_working_days(self, start: date, count: int, *, person_id: int | None = None) -> date:
        """As `add_working_days` (the function), from what this calendar has read."""
        # Dates before `start` in the set are never looked at: the walk goes forward from it.
        closed = self._closed_from(start.year, person_id)
        return workdays.add_working_days(start, count, self._weekdays, closed)


def add_working_days(
    session: Session, start: date, count: int, *, person_id: int | None = None
) -> date:
    """`count` working days after `start`, skipping weekends, holidays, blackouts and (when a
    person is given) that person's absences, until the end of the year after start's (later
    dates count as open but for the weekend)."""
    return WorkingCalendar(session).add_working_days(start, count, person_id=person_id)

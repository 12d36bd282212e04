"""PURE cycle-of-success measures: plain dataclasses in, numbers out (None: not enough data).

No Flask, no database; planner/recognition/cycle_data.py loads the plain values. A person is
with the organisation on day d when start_date <= d < end_date (a missing start date means
"since before the app knew", a missing end date "still here"). Periods are inclusive.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

from planner.org.workdays import add_working_days

DAYS_PER_YEAR = 365.25
ACK_WORKING_DAYS = 5


@dataclass(frozen=True)
class Stint:
    """One person's time with the organisation."""

    person_id: int
    start: date | None
    end: date | None  # first day no longer with us
    team_id: int | None = None
    frontline: bool = False  # role staff in a frontline team


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last


def months_before(day: date, count: int) -> date:
    """The same day `count` months earlier, clamped to the month's end (29 Feb -> 28 Feb)."""
    index = day.year * 12 + day.month - 1 - count
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def year_ending(day: date) -> Period:
    """The 12 months that end on `day`: from the day after the same date a year earlier."""
    return Period(months_before(day, 12) + timedelta(days=1), day)


def quarter_of(day: date) -> Period:
    """The calendar quarter `day` falls in."""
    first_month = (day.month - 1) // 3 * 3 + 1
    last_month = first_month + 2
    return Period(
        date(day.year, first_month, 1),
        date(day.year, last_month, monthrange(day.year, last_month)[1]),
    )


def last_quarters(today: date, count: int = 4) -> list[Period]:
    """The last `count` quarters, oldest first, the running one cut off at `today`."""
    quarters: list[Period] = []
    day = today
    for _ in range(count):
        quarter = quarter_of(day)
        quarters.append(Period(quarter.first, min(quarter.last, today)))
        day = quarter.first - timedelta(days=1)
    return quarters[::-1]


def present(stint: Stint, day: date) -> bool:
    """Whether the person is with the organisation on `day`."""
    return (stint.start is None or stint.start <= day) and (stint.end is None or day < stint.end)


def headcount(stints: Iterable[Stint], day: date) -> int:
    """How many people are with the organisation on `day`."""
    return sum(1 for s in stints if present(s, day))


def average_headcount(stints: Sequence[Stint], period: Period) -> float:
    """The mean of the headcount on the period's first and on its last day."""
    return (headcount(stints, period.first) + headcount(stints, period.last)) / 2


def leavers(stints: Iterable[Stint], period: Period) -> int:
    """People who left in the period (their end date, the first day gone, falls in it)."""
    return sum(1 for s in stints if s.end is not None and s.end in period)


def turnover(stints: Sequence[Stint], period: Period) -> float | None:
    """Percent: leavers in the period / average headcount (None when nobody was counted)."""
    average = average_headcount(stints, period)
    if average == 0:
        return None
    return round(100 * leavers(stints, period) / average, 1)


def median_tenure(stints: Iterable[Stint], day: date) -> float | None:
    """Median years with the organisation of the people here on `day` whose start is known."""
    years = [(day - s.start).days / DAYS_PER_YEAR for s in stints if present(s, day) and s.start]
    return round(median(years), 1) if years else None


def share(part: int, whole: int) -> float | None:
    """Percent, one decimal; None when there is nothing to divide by."""
    return round(100 * part / whole, 1) if whole else None


def covered(stints: Iterable[Stint], period: Period, reached: set[int]) -> float | None:
    """Percent of the frontline staff here at the period's end who are in `reached`."""
    people = {s.person_id for s in stints if s.frontline and present(s, period.last)}
    return share(len(people & reached), len(people))


def promoted_share(stints: Sequence[Stint], period: Period, promoted: set[int]) -> float | None:
    """Percent of the average headcount promoted (distinct people) in the period."""
    average = average_headcount(stints, period)
    if average == 0:
        return None
    return round(100 * len(promoted) / average, 1)


def median_days(pairs: Iterable[tuple[date, date | None]], period: Period) -> float | None:
    """Median days from a start to its completion, for completions within the period."""
    days = [(done - start).days for start, done in pairs if done is not None and done in period]
    return round(median(days), 1) if days else None


@dataclass(frozen=True)
class WorkCalendar:
    """The organisation's working weekdays (Monday=0) and closed dates."""

    weekdays: frozenset[int]
    closed: frozenset[date]


def acknowledged_in_time(
    items: Iterable[tuple[date, date | None]], period: Period, calendar: WorkCalendar, today: date
) -> float | None:
    """Percent of obstacles raised in the period and acknowledged within 5 working days.

    An unacknowledged item whose five working days have not passed by `today` is left out: it
    cannot have failed yet."""
    if not calendar.weekdays:
        return None
    decided = in_time = 0
    for raised, acknowledged in items:
        if raised not in period:
            continue
        deadline = add_working_days(raised, ACK_WORKING_DAYS, calendar.weekdays, calendar.closed)
        if acknowledged is not None and acknowledged <= deadline:
            in_time += 1
        elif acknowledged is None and deadline >= today:
            continue
        decided += 1
    return share(in_time, decided)


def mean(values: Iterable[float]) -> float | None:
    """The mean, one decimal; None for no values."""
    found = list(values)
    return round(sum(found) / len(found), 1) if found else None

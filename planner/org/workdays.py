"""PURE working-day arithmetic: public holidays, overrides, blackouts and weekends.

No Flask, no database: callers pass the organisation's settings as plain values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

import holidays


def holiday_language(country: str, language: str | None) -> str:
    """The `holidays` language code for a UI language (en, nl, lt): its own if the country's
    calendar has names in it, else English."""
    wanted = "en_US" if not language or language == "en" else language
    try:
        supported = holidays.country_holidays(country).supported_languages
    except NotImplementedError:
        return "en_US"
    return wanted if wanted in supported else "en_US"


def public_holidays(
    country: str, subdivision: str, years: Iterable[int], language: str | None = None
) -> dict[date, str]:
    """Public holidays by date for a country (ISO 3166-1 alpha-2) and optional subdivision,
    named in `language` (en, nl, lt) where the country's calendar has it, else in English."""
    if not country:
        return {}
    found = holidays.country_holidays(
        country,
        subdiv=subdivision or None,
        years=sorted(set(years)),
        language=holiday_language(country, language),
    )
    return dict(sorted(found.items()))


def closed_dates(
    first: date,
    last: date,
    *,
    country: str,
    subdivision: str,
    overrides: Mapping[date, bool] | None = None,
    blackouts: Iterable[tuple[date, date]] = (),
) -> frozenset[date]:
    """Dates between first and last (inclusive) on which nothing is planned.

    Public holidays, then the coordinator's overrides (True closes a date, False reopens a
    holiday), then blackout periods (inclusive ranges). Weekends are not included here: they are
    the organisation's working weekdays, checked separately.
    """
    days = {
        d
        for d in public_holidays(country, subdivision, range(first.year, last.year + 1))
        if first <= d <= last
    }
    for day, closed in (overrides or {}).items():
        if first <= day <= last:
            (days.add if closed else days.discard)(day)
    for start, end in blackouts:
        day = max(start, first)
        while day <= min(end, last):
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def is_working_day(day: date, working_weekdays: frozenset[int], closed: frozenset[date]) -> bool:
    """Whether people work on this date."""
    return day.weekday() in working_weekdays and day not in closed


def add_working_days(
    start: date, count: int, working_weekdays: frozenset[int], closed: frozenset[date]
) -> date:
    """The date `count` working days after `start` (count 0: start itself if it is a working day,
    else the next one)."""
    if not working_weekdays:
        raise ValueError("an organisation needs at least one working weekday")
    day = start
    while not is_working_day(day, working_weekdays, closed):
        day += timedelta(days=1)
    remaining = count
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day, working_weekdays, closed):
            remaining -= 1
    return day


def working_days_between(
    first: date, last: date, working_weekdays: frozenset[int], closed: frozenset[date]
) -> int:
    """How many working days lie between two dates, both included."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day, working_weekdays, closed)
        day += timedelta(days=1)
    return count

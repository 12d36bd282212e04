"""The week's date rules and local-time conversion (pure, no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from planner.csweek.dates import (
    kickoff_day,
    local_to_utc,
    retrospective_day,
    same_weekday_in,
    service_week_dates,
    utc_to_local,
    week_days,
)

# Published Customer Service Week dates, and the ones stated for this product.
PUBLISHED = {
    2023: (date(2023, 10, 2), date(2023, 10, 6)),
    2024: (date(2024, 10, 7), date(2024, 10, 11)),
    2025: (date(2025, 10, 6), date(2025, 10, 10)),
    2026: (date(2026, 10, 5), date(2026, 10, 9)),
    2027: (date(2027, 10, 4), date(2027, 10, 8)),
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_published_dates(year: int) -> None:
    assert service_week_dates(year) == PUBLISHED[year]


@pytest.mark.parametrize("year", range(2018, 2036))
def test_week_is_monday_to_friday_of_first_full_october_monday_week(year: int) -> None:
    monday, friday = service_week_dates(year)
    assert monday.weekday() == 0 and friday.weekday() == 4
    assert (friday - monday).days == 4
    assert monday.month == 10 and 1 <= monday.day <= 7
    # No earlier Monday in October exists.
    assert all(date(year, 10, d).weekday() != 0 for d in range(1, monday.day))


def test_october_first_on_a_monday_is_the_first_day() -> None:
    assert service_week_dates(2018)[0] == date(2018, 10, 1)  # 1 Oct 2018 was a Monday
    assert service_week_dates(2029)[0] == date(2029, 10, 1)


def test_week_days_and_same_weekday() -> None:
    monday = date(2026, 10, 5)
    assert [d.weekday() for d in week_days(monday)] == [0, 1, 2, 3, 4]
    wednesday = date(2026, 10, 7)
    moved = same_weekday_in(wednesday, monday, date(2027, 10, 4))
    assert moved == date(2027, 10, 6) and moved.weekday() == 2


def test_kickoff_eight_weeks_before_and_retro_two_weeks_after() -> None:
    monday, friday = service_week_dates(2026)
    assert kickoff_day(monday) == date(2026, 8, 10)
    assert retrospective_day(friday) == date(2026, 10, 23)


def test_amsterdam_before_and_after_the_october_change() -> None:
    # Summer time (UTC+2) until Sunday 25 October 2026, winter time (UTC+1) after.
    before = local_to_utc(date(2026, 10, 23), time(9, 0), "Europe/Amsterdam")
    after = local_to_utc(date(2026, 10, 26), time(9, 0), "Europe/Amsterdam")
    assert before == datetime(2026, 10, 23, 7, 0, tzinfo=UTC)
    assert after == datetime(2026, 10, 26, 8, 0, tzinfo=UTC)
    for instant in (before, after):
        assert utc_to_local(instant, "Europe/Amsterdam").time() == time(9, 0)


def test_new_york_before_and_after_the_november_change() -> None:
    # US clocks go back on Sunday 1 November 2026.
    before = local_to_utc(date(2026, 10, 30), time(9, 0), "America/New_York")
    after = local_to_utc(date(2026, 11, 2), time(9, 0), "America/New_York")
    assert before == datetime(2026, 10, 30, 13, 0, tzinfo=UTC)
    assert after == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    assert utc_to_local(after, "America/New_York").strftime("%H:%M") == "09:00"


def test_repeated_hour_reads_as_first_occurrence() -> None:
    # 02:30 happens twice in Amsterdam on 25 October 2026; the first is still summer time.
    instant = local_to_utc(date(2026, 10, 25), time(2, 30), "Europe/Amsterdam")
    assert instant == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_naive_instant_is_refused() -> None:
    with pytest.raises(ValueError):
        utc_to_local(datetime(2026, 10, 5, 9, 0), "UTC")

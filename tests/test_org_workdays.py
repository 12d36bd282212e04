"""Working-day arithmetic: weekends, public holidays, overrides, blackouts, leap years."""

from __future__ import annotations

from datetime import date

import pytest

from planner.org.chart import creates_cycle
from planner.org.workdays import add_working_days, closed_dates, working_days_between

WEEK = frozenset(range(5))


def test_dutch_kings_day_and_christmas_are_closed() -> None:
    closed = closed_dates(date(2026, 1, 1), date(2026, 12, 31), country="NL", subdivision="")
    assert date(2026, 4, 27) in closed  # King's Day
    assert date(2026, 12, 25) in closed and date(2026, 12, 26) in closed


def test_overrides_and_blackouts() -> None:
    closed = closed_dates(
        date(2026, 1, 1), date(2026, 12, 31), country="NL", subdivision="",
        overrides={date(2026, 4, 27): False, date(2026, 6, 1): True},
        blackouts=[(date(2026, 2, 9), date(2026, 2, 13))],
    )  # fmt: skip
    assert date(2026, 4, 27) not in closed and date(2026, 6, 1) in closed
    assert {date(2026, 2, d) for d in range(9, 14)} <= closed


def test_german_subdivision_holidays_differ() -> None:
    bavaria = closed_dates(date(2026, 1, 1), date(2026, 12, 31), country="DE", subdivision="BY")
    berlin = closed_dates(date(2026, 1, 1), date(2026, 12, 31), country="DE", subdivision="BE")
    assert date(2026, 1, 6) in bavaria and date(2026, 1, 6) not in berlin  # Epiphany


def test_add_working_days_skips_weekend_and_holiday() -> None:
    closed = closed_dates(date(2026, 12, 1), date(2027, 1, 31), country="NL", subdivision="")
    # Thu 24 Dec + 2 working days: Fri 25 and the weekend are out; Mon 28 is day 1, Tue 29 day 2.
    assert add_working_days(date(2026, 12, 24), 2, WEEK, closed) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 26), 0, WEEK, closed) == date(2026, 12, 28)


def test_leap_day_counts() -> None:
    assert working_days_between(date(2028, 2, 28), date(2028, 3, 1), WEEK, frozenset()) == 3
    with pytest.raises(ValueError):
        add_working_days(date(2028, 2, 29), 1, frozenset(), frozenset())


def test_manager_cycles() -> None:
    managers = {1: None, 2: 1, 3: 2}
    assert creates_cycle(managers, 1, 3)  # 1 would report to 3, who reports (via 2) to 1
    assert creates_cycle(managers, 2, 2)
    assert not creates_cycle(managers, 3, 1)
    assert not creates_cycle(managers, 1, None)

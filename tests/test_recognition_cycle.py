"""The cycle-of-success measures as pure functions, against hand-computed values."""

from __future__ import annotations

from datetime import date

import pytest

from planner.errors import InvalidInput
from planner.org.leaving import employed_absences
from planner.recognition import cycle
from planner.recognition.cycle import Period, Stint, WorkCalendar
from planner.recognition.cycle_reading import (
    FAILURE,
    MEDIOCRITY,
    SUCCESS,
    Bounds,
    check_bounds,
    classify,
    default_bounds,
    read_cycle,
)

YEAR_2026 = Period(date(2026, 1, 1), date(2026, 12, 31))


def test_turnover_with_people_joining_and_leaving_in_the_period() -> None:
    people = [
        Stint(1, date(2020, 1, 1), None),  # here all year
        Stint(2, date(2020, 1, 1), None),
        Stint(3, date(2020, 1, 1), date(2026, 3, 1)),  # left in March
        Stint(4, date(2020, 1, 1), date(2026, 12, 31)),  # left on the last day: counted
        Stint(5, date(2026, 6, 1), None),  # joined mid-year
        Stint(6, date(2026, 6, 1), date(2026, 9, 1)),  # joined and left
        Stint(7, date(2019, 1, 1), date(2025, 12, 31)),  # left before the period
    ]
    # Headcount 1 Jan: 1,2,3,4 = 4; 31 Dec: 1,2,5 = 3 (4 left on that day). Average 3.5.
    assert cycle.headcount(people, date(2026, 1, 1)) == 4
    assert cycle.headcount(people, date(2026, 12, 31)) == 3
    assert cycle.leavers(people, YEAR_2026) == 3
    assert cycle.turnover(people, YEAR_2026) == round(100 * 3 / 3.5, 1) == 85.7


def test_an_empty_team_or_nobody_counted_is_not_enough_data_not_zero() -> None:
    assert cycle.turnover([], YEAR_2026) is None
    assert cycle.median_tenure([], date(2026, 6, 1)) is None
    gone = [Stint(1, date(2020, 1, 1), date(2021, 1, 1))]
    assert cycle.turnover(gone, YEAR_2026) is None
    assert cycle.covered([], YEAR_2026, {1}) is None
    assert cycle.promoted_share([], YEAR_2026, set()) is None
    assert cycle.median_days([], YEAR_2026) is None
    assert cycle.mean([]) is None


def test_no_leavers_is_zero_percent_when_people_were_counted() -> None:
    assert cycle.turnover([Stint(1, None, None)], YEAR_2026) == 0.0


def test_median_tenure_leaves_out_unknown_start_and_people_not_here() -> None:
    day = date(2026, 7, 1)
    people = [
        Stint(1, date(2025, 7, 1), None),  # 365 days
        Stint(2, date(2023, 7, 1), None),  # 1096 days (2024 is a leap year)
        Stint(3, date(2016, 7, 1), None),  # 3652 days
        Stint(4, None, None),  # start unknown: left out
        Stint(5, date(2010, 1, 1), date(2026, 7, 1)),  # gone on the day itself
        Stint(6, date(2026, 8, 1), None),  # not started yet
    ]
    assert cycle.median_tenure(people, day) == round(1096 / 365.25, 1) == 3.0
    # An even number: the mean of the two middle values.
    assert cycle.median_tenure(people[:2], day) == round((365 + 1096) / 2 / 365.25, 1)


def test_leap_day_periods_and_quarters() -> None:
    assert cycle.months_before(date(2028, 2, 29), 12) == date(2027, 2, 28)
    assert cycle.year_ending(date(2028, 2, 29)) == Period(date(2027, 3, 1), date(2028, 2, 29))
    assert cycle.year_ending(date(2026, 12, 31)) == YEAR_2026
    assert cycle.quarter_of(date(2028, 2, 29)) == Period(date(2028, 1, 1), date(2028, 3, 31))
    assert cycle.last_quarters(date(2026, 2, 10)) == [
        Period(date(2025, 4, 1), date(2025, 6, 30)),
        Period(date(2025, 7, 1), date(2025, 9, 30)),
        Period(date(2025, 10, 1), date(2025, 12, 31)),
        Period(date(2026, 1, 1), date(2026, 2, 10)),  # the running quarter, up to today
    ]


def test_recognition_coverage_counts_frontline_staff_here_at_the_end() -> None:
    q3 = Period(date(2026, 7, 1), date(2026, 9, 30))
    people = [
        Stint(1, None, None, 1, frontline=True),
        Stint(2, None, None, 1, frontline=True),
        Stint(3, None, None, 1, frontline=True),
        Stint(4, None, date(2026, 8, 1), 1, frontline=True),  # left: not counted
        Stint(5, None, None, 2, frontline=False),  # a leader: not counted
    ]
    assert cycle.covered(people, q3, {1, 4, 5}) == round(100 / 3, 1) == 33.3


def test_promoted_share_is_of_the_average_headcount() -> None:
    people = [Stint(i, None, None) for i in range(1, 9)]  # 8 all year
    assert cycle.promoted_share(people, YEAR_2026, {1, 2}) == 25.0


def test_median_days_from_praise_to_outreach_in_the_period() -> None:
    q = Period(date(2026, 7, 1), date(2026, 9, 30))
    pairs = [
        (date(2026, 6, 28), date(2026, 7, 2)),  # 4 days, done in the quarter
        (date(2026, 7, 1), date(2026, 7, 11)),  # 10
        (date(2026, 7, 1), date(2026, 7, 3)),  # 2
        (date(2026, 9, 20), date(2026, 10, 2)),  # done after the quarter: left out
        (date(2026, 9, 20), None),  # not done
    ]
    assert cycle.median_days(pairs, q) == 4


def test_acknowledged_within_five_working_days_skips_weekends_and_holidays() -> None:
    weekdays = frozenset(range(5))
    calendar = WorkCalendar(weekdays, frozenset({date(2026, 10, 9)}))  # a Friday closed
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    # Raised Monday 5 Oct: 5 working days later, skipping Fri 9 and the weekend, is Tue 13.
    items = [
        (date(2026, 10, 5), date(2026, 10, 13)),  # in time (the last allowed day)
        (date(2026, 10, 5), date(2026, 10, 14)),  # late
        (date(2026, 10, 5), None),  # never: late, the deadline has passed
        (date(2026, 10, 28), None),  # deadline not passed by 30 Oct: not decided yet
        (date(2026, 9, 30), date(2026, 10, 1)),  # raised before the period
    ]
    today = date(2026, 10, 30)
    assert cycle.acknowledged_in_time(items, october, calendar, today) == round(100 / 3, 1)
    assert cycle.acknowledged_in_time([], october, calendar, today) is None
    assert cycle.acknowledged_in_time(items[3:4], october, calendar, today) is None


def test_employment_dates_bound_the_plan() -> None:
    days = employed_absences(date(2026, 3, 3), date(2026, 3, 6), date(2026, 3, 1), date(2026, 3, 8))
    assert sorted(d.day for d in days) == [1, 2, 6, 7, 8]
    assert employed_absences(None, None, date(2026, 3, 1), date(2026, 3, 8)) == frozenset()


def test_classify_each_side_of_the_thresholds() -> None:
    turnover = Bounds(failure=30, success=10)  # lower is better
    assert classify("turnover", 38, turnover) == FAILURE
    assert classify("turnover", 30, turnover) == MEDIOCRITY
    assert classify("turnover", 10, turnover) == SUCCESS
    training = Bounds(failure=50, success=90)
    assert classify("training", 49.9, training) == FAILURE
    assert classify("training", 50, training) == MEDIOCRITY
    assert classify("training", 90, training) == SUCCESS


def test_the_reading_names_the_cycle_most_indicators_point_to() -> None:
    bounds = default_bounds()
    values = {"turnover": 38.0, "training": 20.0, "nps": 60.0, "csat": None}
    reading = read_cycle(values, bounds)
    assert reading.cycle == FAILURE
    assert reading.signs == {"turnover": FAILURE, "training": FAILURE, "nps": SUCCESS}
    assert reading.sentence(values) == (
        "Staff turnover 38 % and Training coverage 20 %: signs of the cycle of failure."
    )
    # A tie reads as the worse cycle.
    tie = read_cycle({"turnover": 5.0, "training": 60.0}, bounds)
    assert tie.cycle == MEDIOCRITY
    assert read_cycle({"turnover": 5.0, "tenure": 4.0}, bounds).cycle == SUCCESS


def test_nothing_to_measure_reads_not_enough_data() -> None:
    reading = read_cycle({"turnover": None}, default_bounds())
    assert reading.cycle is None
    assert reading.sentence({}) == "Not enough data yet to read the cycle."


@pytest.mark.parametrize(
    ("key", "bounds", "problem"),
    [
        ("turnover", Bounds(10, 30), "success threshold must be below"),
        ("training", Bounds(90, 50), "success threshold must be above"),
        ("training", Bounds(50, 50), "success threshold must be above"),
        ("training", Bounds(50, 101), "between 0 and 100"),
        ("nps", Bounds(-101, 50), "between -100 and 100"),
        ("csat", Bounds(float("nan"), 90), "between 0 and 100"),
    ],
)
def test_bad_thresholds_are_refused_with_a_reason(key: str, bounds: Bounds, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        check_bounds(key, bounds)

"""The engine's calendar remembers conversions; what it remembers must be what it would compute."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from planner.scheduler.spread_calendar import Calendar
from planner.scheduler.spread_types import PlanInput
from planner.scheduler.validate import _Days

AMSTERDAM, NEW_YORK = ZoneInfo("Europe/Amsterdam"), ZoneInfo("America/New_York")


def calendar(first: date, last: date, zone: ZoneInfo = AMSTERDAM) -> Calendar:
    return Calendar(PlanInput(period_start=first, period_end=last, tz=str(zone)), zone)


def minutes(hours: int, mins: int = 0) -> int:
    return hours * 60 + mins


def test_spans_on_clock_change_days_stay_none_when_asked_again() -> None:
    """Spring forward (2026-03-29: 02:00-03:00 skipped) and fall back (2026-10-25: 02:00-03:00
    twice) in Amsterdam: intervals touching the odd hour have no span, the first time and from
    memory; others convert with the day's own offsets."""
    cal = calendar(date(2026, 3, 1), date(2026, 11, 1))
    spring, autumn = date(2026, 3, 29).toordinal(), date(2026, 10, 25).toordinal()
    for _ in range(2):
        assert cal.utc_span(spring, minutes(2, 30), minutes(3, 30)) is None
        assert cal.utc_span(spring, minutes(1), minutes(2)) is None  # 02:00 itself is skipped
        assert cal.utc_span(spring, minutes(0, 30), minutes(1, 30)) == (
            datetime(2026, 3, 28, 23, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        )
        assert cal.utc_span(spring, minutes(9), minutes(10)) == (
            datetime(2026, 3, 29, 7, tzinfo=UTC),
            datetime(2026, 3, 29, 8, tzinfo=UTC),
        )
        assert cal.utc_span(autumn, minutes(1, 30), minutes(2, 30)) is None
        assert cal.utc_span(autumn, minutes(9), minutes(9, 45)) == (
            datetime(2026, 10, 25, 8, tzinfo=UTC),
            datetime(2026, 10, 25, 8, 45, tzinfo=UTC),
        )


def test_a_leap_day_converts_like_any_other() -> None:
    cal = calendar(date(2027, 10, 11), date(2028, 10, 2), NEW_YORK)
    leap = date(2028, 2, 29).toordinal()
    span = cal.utc_span(leap, minutes(9), minutes(10))
    assert span == (datetime(2028, 2, 29, 14, tzinfo=UTC), datetime(2028, 2, 29, 15, tzinfo=UTC))
    assert cal.utc_span(leap, minutes(9), minutes(10)) is span
    assert cal.local_of(span[0]) == (leap, minutes(9))
    assert cal.local_of(span[0]) == (leap, minutes(9))


def test_instants_an_hour_apart_that_compare_equal_are_not_mixed_up() -> None:
    """01:30 in New York on 2026-11-01 happens twice (fold 0 and 1); the two compare equal
    within their zone, but are an hour apart in Amsterdam, and both the engine's calendar and
    the validator tell them apart whichever is asked first."""
    early = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    late = early.replace(fold=1)
    assert early == late and late - early == timedelta(0)  # Python's intra-zone rule
    day = date(2026, 11, 1).toordinal()
    for first, second in ((early, late), (late, early)):
        cal = calendar(date(2026, 10, 1), date(2026, 12, 1))
        days = _Days(PlanInput(date(2026, 10, 1), date(2026, 12, 1), "Europe/Amsterdam"), AMSTERDAM)
        for instant in (first, second, first):
            expected = instant.astimezone(AMSTERDAM)
            assert cal.local_of(instant) == (day, expected.hour * 60 + expected.minute)
            assert days.local(instant)[1] == expected.time()
    assert early.astimezone(AMSTERDAM).hour == 6 and late.astimezone(AMSTERDAM).hour == 7

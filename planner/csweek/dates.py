"""PURE date rules of Customer Service Week: no Flask, no database.

The week runs Monday to Friday of the week that starts on the first Monday on or after
1 October. Activities are entered in the organisation's local wall-clock time and stored as UTC
instants; the conversion lives here so it can be tested across daylight-saving changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

# Planning starts eight weeks ahead; the retrospective is two weeks after the week ends.
KICKOFF_WEEKS_BEFORE = 8
RETRO_WEEKS_AFTER = 2


def service_week_dates(year: int) -> tuple[date, date]:
    """The default (Monday, Friday) of Customer Service Week in `year`."""
    first_october = date(year, 10, 1)
    monday = first_october + timedelta(days=(7 - first_october.weekday()) % 7)
    return monday, monday + timedelta(days=4)


def week_days(monday: date) -> list[date]:
    """The five days of a week that starts on `monday`."""
    return [monday + timedelta(days=offset) for offset in range(5)]


def same_weekday_in(day: date, old_monday: date, new_monday: date) -> date:
    """The day that keeps its offset from the week's Monday when the week moves."""
    return new_monday + (day - old_monday)


def kickoff_day(monday: date) -> date:
    """The planning kickoff: eight weeks before the week starts."""
    return monday - timedelta(weeks=KICKOFF_WEEKS_BEFORE)


def retrospective_day(friday: date) -> date:
    """The retrospective: two weeks after the week's Friday."""
    return friday + timedelta(weeks=RETRO_WEEKS_AFTER)


def local_to_utc(day: date, at: time, time_zone: str) -> datetime:
    """The UTC instant of a wall-clock time on a day in an IANA time zone.

    An ambiguous time (the repeated hour when clocks go back) is read as the first occurrence;
    a time that does not exist (skipped when clocks go forward) is moved forward by the gap, as
    zoneinfo does.
    """
    zone = ZoneInfo(time_zone)
    local = datetime.combine(day, at).replace(tzinfo=zone, fold=0)
    # Round-trip through UTC so a skipped wall time lands on the real instant after the gap.
    return local.astimezone(UTC)


def utc_to_local(instant: datetime, time_zone: str) -> datetime:
    """An aware instant shown in an IANA time zone."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime")
    return instant.astimezone(ZoneInfo(time_zone))

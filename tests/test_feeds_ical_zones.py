"""Every zone of zone.tab and zone1970.tab renders a VTIMEZONE that agrees with zoneinfo (18c).

The zone lists are read here from tzdata itself, not from planner.feeds. Agreement is checked
by tests.feedcheck's own reading of the blocks (dateutil expands the RRULEs): at noon UTC on
every day of the feed window, and hour by hour through every day in which either the VTIMEZONE
or zoneinfo changes offset, so each transition is covered at the hour without comparing all
35,000 hours of each of ~420 zones one by one (a few seconds in all).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from importlib import resources
from zoneinfo import ZoneInfo

import pytest

from planner.feeds.ical import FeedEvent, assemble_calendar, make_uid, render_vevent
from planner.feeds.vtimezone import feed_years, render_vtimezone
from tests.feedcheck import ZoneRules, check_feed, parse_component, vtimezone_mismatch

TODAY = date.today()  # the window the app renders now; tzdata's future rules are what matter
DATED = ["Africa/Casablanca", "Africa/El_Aaiun", "Asia/Gaza", "Asia/Hebron"]


def _names(table: str) -> set[str]:
    """Zone names in a tzdata table (third column), comments skipped."""
    text = (resources.files("tzdata") / "zoneinfo" / table).read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return {row[2] for row in rows if len(row) > 2}


ZONES = sorted(_names("zone.tab") | _names("zone1970.tab"))


def test_the_zone_lists_are_the_full_ones() -> None:
    assert len(ZONES) > 400 and set(DATED) <= set(ZONES)


def test_every_zone_renders_and_agrees_with_zoneinfo_over_the_feed_window() -> None:
    years = feed_years(TODAY)
    failures, dated = [], []
    for tzid in ZONES:
        text = render_vtimezone(tzid, years)
        rules = ZoneRules.from_vtimezone(parse_component(text))
        mismatch = vtimezone_mismatch(tzid, rules, years)
        if mismatch:
            failures.append(mismatch)
        if text.count("BEGIN:") > 3:  # VTIMEZONE + more than one STANDARD/DAYLIGHT pair
            dated.append(tzid)
    assert failures == []
    assert set(DATED) <= set(dated)


def _hourly_meetings(tzid: str, years: range) -> list[FeedEvent]:
    """A meeting at 09:00 and one at 23:00 local on the 1st and 15th of every month."""
    zone, events = ZoneInfo(tzid), []
    for year in years:
        for month in range(1, 13):
            for day, hour in ((1, 9), (15, 23)):
                start = datetime(year, month, day, hour, tzinfo=zone)
                events.append(
                    FeedEvent(
                        uid=make_uid(len(events) + 1, "planner.example.org"),
                        sequence=0,
                        last_modified=datetime(2026, 1, 1, tzinfo=UTC),
                        title="Skip-level",
                        start=start,
                        end=start + timedelta(minutes=30),
                        url="https://planner.example.org/events/1",
                        categories=("P4",),
                    )
                )
    return events


@pytest.mark.parametrize("tzid", DATED)
def test_feeds_in_zones_whose_rules_change_pass_the_checker(tzid: str) -> None:
    years = feed_years(TODAY)
    events = _hourly_meetings(tzid, years)
    data = assemble_calendar(
        [render_vevent(e, tzid) for e in events],
        name="Org",
        description="Service Week Planner",
        tzid=tzid,
        version="0.1.0",
        vtimezone=render_vtimezone(tzid, years),
    )
    assert check_feed(data, app_rules=False) == []
    assert b"RRULE" not in data and b"RDATE" not in data


def test_a_wrong_dated_block_is_caught() -> None:
    # Guards the tests above: Casablanca's return to +01 moved a week later.
    years = feed_years(TODAY)
    text = render_vtimezone("Africa/Casablanca", years)
    onsets = [line for line in text.split("\r\n") if line.startswith("DTSTART:20")]
    onset = datetime.strptime(onsets[1], "DTSTART:%Y%m%dT%H%M%S")
    moved = text.replace(onsets[1], f"DTSTART:{onset + timedelta(days=7):%Y%m%dT%H%M%S}")
    rules = ZoneRules.from_vtimezone(parse_component(moved))
    assert moved != text
    assert vtimezone_mismatch("Africa/Casablanca", rules, years) is not None

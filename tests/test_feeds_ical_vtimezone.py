"""VTIMEZONE blocks against zoneinfo, hour by hour, as Outlook and Thunderbird would read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.feeds.vtimezone import canonical_tzid, feed_years, render_vtimezone
from tests.feedcheck import ZoneRules, check_feed, parse_component

FIVE_ZONES = ["Europe/Amsterdam", "Europe/Vilnius", "America/Chicago", "Australia/Sydney"]
FIVE_ZONES += ["Asia/Kolkata"]
HOUR = timedelta(hours=1)


def zoneinfo_changes(tzid: str, years: range) -> list[datetime]:
    """UTC instants where zoneinfo's offset changes, found by scanning hour by hour."""
    zone, changes = ZoneInfo(tzid), []
    t = datetime(years.start, 1, 1, tzinfo=UTC)
    while t.year < years.stop:
        if (t + HOUR).astimezone(zone).utcoffset() != t.astimezone(zone).utcoffset():
            changes.append(t + HOUR)
        t += HOUR
    return changes


@pytest.mark.parametrize("tzid", FIVE_ZONES)
def test_outlook_shape(tzid: str) -> None:
    vtz = parse_component(render_vtimezone(tzid, range(2025, 2029)))
    assert vtz.name == "VTIMEZONE" and vtz.first("TZID").value == tzid
    kinds = [block.name for block in vtz.children]
    assert kinds == (["STANDARD"] if tzid == "Asia/Kolkata" else ["STANDARD", "DAYLIGHT"])
    for block in vtz.children:
        assert block.all("RDATE") == []
        rules = block.all("RRULE")
        assert len(rules) == (0 if tzid == "Asia/Kolkata" else 1)
        assert all(rule.value.startswith("FREQ=YEARLY;") for rule in rules)


@pytest.mark.parametrize("tzid", FIVE_ZONES)
def test_matches_zoneinfo_hour_by_hour_for_fifteen_years(tzid: str) -> None:
    rules = ZoneRules.from_vtimezone(
        parse_component(render_vtimezone(tzid, feed_years(date(2026, 6, 1))))
    )
    zone = ZoneInfo(tzid)
    t, end, compared = datetime(2025, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC), 0
    while t < end:
        assert rules.offset_at(t) == t.astimezone(zone).utcoffset(), t
        t += HOUR
        compared += 1
    assert compared == 131_472  # every hour of 2025-2039


@pytest.mark.parametrize("tzid", FIVE_ZONES)
def test_icalendars_own_reading_matches_zoneinfo_around_every_change(tzid: str) -> None:
    # icalendar builds a tzinfo from our blocks (dateutil's rrule); slow, so only around the
    # changes (three days either side, hour by hour) and at noon on the 1st of every month.
    text = render_vtimezone(tzid, range(2025, 2029))
    calendar = icalendar.Calendar.from_ical(f"BEGIN:VCALENDAR\r\n{text}END:VCALENDAR\r\n")
    ours = calendar.walk("VTIMEZONE")[0].to_tz(lookup_tzid=False)
    assert not isinstance(ours, ZoneInfo)  # really built from the blocks
    zone, years = ZoneInfo(tzid), range(2025, 2039)
    instants = [
        change + offset * HOUR
        for change in zoneinfo_changes(tzid, years)
        for offset in range(-72, 73)
    ]
    instants += [datetime(y, m, 1, 12, tzinfo=UTC) for y in years for m in range(1, 13)]
    changes = len(zoneinfo_changes(tzid, years))
    assert changes == (0 if tzid == "Asia/Kolkata" else 2 * len(years))
    for instant in instants:
        assert instant.astimezone(ours).utcoffset() == instant.astimezone(zone).utcoffset()


# (STANDARD onset, rule), (DAYLIGHT onset, rule). EU: last Sunday of March / October at 01:00 UTC;
# US: second Sunday of March, first of November at 02:00 local; New South Wales: first Sunday
# of October / April.
LAW = {
    "Europe/Amsterdam": (
        ("19701025T030000", "BYDAY=-1SU;BYMONTH=10"),
        ("19700329T020000", "BYDAY=-1SU;BYMONTH=3"),
    ),
    "Europe/Vilnius": (
        ("19701025T040000", "BYDAY=-1SU;BYMONTH=10"),
        ("19700329T030000", "BYDAY=-1SU;BYMONTH=3"),
    ),
    "America/Chicago": (
        ("19701101T020000", "BYDAY=1SU;BYMONTH=11"),
        ("19700308T020000", "BYDAY=2SU;BYMONTH=3"),
    ),
    "Australia/Sydney": (
        ("19700405T030000", "BYDAY=1SU;BYMONTH=4"),
        ("19701004T020000", "BYDAY=1SU;BYMONTH=10"),
    ),
}


@pytest.mark.parametrize("tzid", sorted(LAW))
def test_rules_are_the_ones_the_law_states(tzid: str) -> None:
    vtz = parse_component(render_vtimezone(tzid, range(2025, 2029)))
    for block, (start, rule) in zip(vtz.children, LAW[tzid], strict=True):
        assert block.first("DTSTART").value == start
        assert block.first("RRULE").value == f"FREQ=YEARLY;{rule}"


def test_hour_by_hour_comparison_catches_a_wrong_rule() -> None:
    # Guards the tests above: Chicago with the first instead of the second Sunday of March.
    text = render_vtimezone("America/Chicago", range(2025, 2029))
    rules = ZoneRules.from_vtimezone(parse_component(text.replace("BYDAY=2SU", "BYDAY=1SU")))
    zone, t, wrong = ZoneInfo("America/Chicago"), datetime(2026, 1, 1, tzinfo=UTC), 0
    while t.year < 2027:
        wrong += rules.offset_at(t) != t.astimezone(zone).utcoffset()
        t += HOUR
    assert wrong == 7 * 24  # 2026-03-01 to 03-08, one week an hour off


def test_kolkata_is_a_single_fixed_standard_block() -> None:
    assert render_vtimezone("Asia/Kolkata", range(2025, 2029)) == (
        "BEGIN:VTIMEZONE\r\nTZID:Asia/Kolkata\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n"
        "TZNAME:IST\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
    )


@pytest.mark.parametrize("tzid", ["Asia/Jerusalem", "Australia/Lord_Howe", "Pacific/Auckland"])
def test_harder_zones_match_zoneinfo_within_the_years_asked(tzid: str) -> None:
    # Israel starts DST on the Friday before the last Sunday of March; Lord Howe moves 30 minutes.
    years = range(2025, 2035)
    rules = ZoneRules.from_vtimezone(parse_component(render_vtimezone(tzid, years)))
    zone = ZoneInfo(tzid)
    t = datetime(years.start, 1, 1, tzinfo=UTC)
    while t.year < years.stop:
        assert rules.offset_at(t) == t.astimezone(zone).utcoffset(), t
        t += HOUR


def test_a_rule_change_inside_the_years_gives_dated_blocks() -> None:
    # Mexico City dropped DST after October 2022: no single yearly rule covers 2021-2023, so
    # each change is a dated block of its own (no RRULE, no RDATE), still right hour by hour.
    text = render_vtimezone("America/Mexico_City", range(2021, 2024))
    vtz = parse_component(text)
    assert "RRULE" not in text and "RDATE" not in text
    assert [b.first("DTSTART").value[:4] for b in vtz.children] == ["1970"] + ["2021"] * 2 + [
        "2022"
    ] * 2
    rules, zone = ZoneRules.from_vtimezone(vtz), ZoneInfo("America/Mexico_City")
    t = datetime(2021, 1, 1, tzinfo=UTC)
    while t.year < 2024:
        assert rules.offset_at(t) == t.astimezone(zone).utcoffset(), t
        t += HOUR
    assert "RRULE" not in render_vtimezone("America/Mexico_City", range(2023, 2027))


def test_utc_needs_no_vtimezone() -> None:
    assert render_vtimezone("Etc/UTC", range(2025, 2029)) == ""
    assert render_vtimezone("UTC", range(2025, 2029)) == ""


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        (
            "Europe/Amsterdam",
            "Europe/Amsterdam",
        ),  # tzdata links it to Brussels; users say Amsterdam
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("US/Central", "America/Chicago"),
        ("UTC", "Etc/UTC"),
        ("Etc/UTC", "Etc/UTC"),
    ],
)
def test_canonical_names(name: str, canonical: str) -> None:
    assert canonical_tzid(name) == canonical
    assert (
        f"TZID:{canonical}\r\n" in render_vtimezone(name, range(2025, 2029))
        or canonical == "Etc/UTC"
    )


@pytest.mark.parametrize("name", ["EST5EDT", "Mars/Olympus", "../../etc/passwd", "", "W. Europe"])
def test_non_zone_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        canonical_tzid(name)


def test_feed_years_cover_ninety_days_back_and_fifteen_months_ahead() -> None:
    for today in (date(2026, 1, 15), date(2026, 12, 31)):
        years = feed_years(today)
        assert (today - timedelta(days=90)).year in years
        assert (today + timedelta(days=470)).year in years


def test_icalendars_own_vtimezone_is_caught_by_feedcheck() -> None:
    # What FEEDS.md item 10 warns about: add_missing_timezones() writes RDATE lists and
    # several STANDARD blocks. feedcheck must say so.
    calendar = icalendar.Calendar()
    event = icalendar.Event()
    start = datetime(2026, 10, 26, 9, tzinfo=ZoneInfo("Europe/Amsterdam"))
    event.add("dtstart", start)
    event.add("dtend", start + HOUR)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    problems = check_feed(calendar.to_ical(), app_rules=False)
    assert any("item 10" in p and ("RDATE" in p or "one STANDARD" in p) for p in problems)

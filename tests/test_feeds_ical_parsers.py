"""Four real parsers read our feeds the same way: icalendar, ical (strict), vobject, ical.js.

Every parser must report the events the plan holds (same UIDs, text, dates) at the instants
zoneinfo gives. vobject and ical.js (Thunderbird) resolve TZID through the file's own VTIMEZONE,
so for them a right instant proves the VTIMEZONE right; icalendar and ical look TZID up in zoneinfo.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
import vobject.icalendar
from ical.calendar_stream import IcsCalendarStream

from planner.feeds.ical import FeedEvent, canonical_tzid, escape_text
from tests.feedcheck import check_feed
from tests.test_feeds_ical import AMS, feed, make_event, sample_events

JS_DIR = Path(__file__).parent / "js"
Row = dict[str, Any]


def _when(value: date | datetime) -> str:
    """A date as YYYY-MM-DD, an instant as UTC ISO ending in Z."""
    if isinstance(value, datetime):
        assert value.tzinfo is not None, "parser returned a floating time"
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def expected_rows(events: list[FeedEvent]) -> list[Row]:
    """What every parser should report, computed from the plan itself with zoneinfo."""

    def clean(text: str) -> str:
        # Line breaks arrive as LF; other control characters are not allowed in TEXT at all.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", "", text)

    return [
        {
            "uid": e.uid,
            "summary": clean(e.title),
            "description": clean(e.description) or None,
            "location": clean(e.location) or None,
            "categories": [c for c in e.categories if c.strip()],
            "status": e.status,
            "transp": "TRANSPARENT" if e.transparent else "OPAQUE",
            "sequence": e.sequence,
            "start": _when(e.start),
            "end": _when(e.end),
        }
        for e in events
    ]


def by_icalendar(data: bytes) -> list[Row]:
    """Events as the icalendar library reads them."""
    rows = []
    for event in icalendar.Calendar.from_ical(data).events:
        cats = event.get("CATEGORIES")
        rows.append(
            {
                "uid": str(event["UID"]),
                "summary": str(event["SUMMARY"]),
                "description": str(event["DESCRIPTION"]) if "DESCRIPTION" in event else None,
                "location": str(event["LOCATION"]) if "LOCATION" in event else None,
                "categories": [str(c) for c in cats.cats] if cats else [],
                "status": str(event["STATUS"]),
                "transp": str(event["TRANSP"]),
                "sequence": int(event["SEQUENCE"]),
                "start": _when(event.start),
                "end": _when(event.end),
            }
        )
    return rows


def by_ical(data: bytes) -> list[Row]:
    """Events as Home Assistant's strict ``ical`` library reads them."""
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return [
        {
            "uid": event.uid,
            "summary": event.summary,
            "description": event.description,
            "location": event.location,
            "categories": list(event.categories),
            "status": str(event.status.value) if event.status else None,
            "transp": str(event.transparency),
            "sequence": event.sequence,
            "start": _when(event.dtstart),
            "end": _when(event.dtend),  # type: ignore[arg-type]
        }
        for event in calendar.events
    ]


@contextmanager
def _fresh_vobject_zones() -> Iterator[None]:
    """vobject keeps the first VTIMEZONE it saw per TZID for the whole process: start empty."""
    saved = vobject.icalendar.__dict__["__tzidMap"]
    vobject.icalendar.__dict__["__tzidMap"] = {}
    try:
        yield
    finally:
        vobject.icalendar.__dict__["__tzidMap"] = saved


def by_vobject(data: bytes) -> list[Row]:
    """Events as vobject reads them (TZID resolved through the file's VTIMEZONE)."""
    with _fresh_vobject_zones():
        calendar = vobject.readOne(data.decode("utf-8"))
    rows = []
    for event in getattr(calendar, "vevent_list", []):

        def value(name: str, event: Any = event) -> Any:
            return event.contents[name][0].value if name in event.contents else None

        rows.append(
            {
                "uid": value("uid"),
                "summary": value("summary"),
                "description": value("description"),
                "location": value("location"),
                "categories": list(value("categories") or []),
                "status": value("status"),
                "transp": value("transp"),
                "sequence": int(value("sequence")),
                "start": _when(value("dtstart")),
                "end": _when(value("dtend")),
            }
        )
    return rows


def run_ical_js(data: bytes, tmp_path: Path) -> dict[str, Any]:
    """Parse with ical.js under Node; skip when Node or tests/js/node_modules is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: cannot run ical.js (Thunderbird's parser)")
    if not (JS_DIR / "node_modules" / "ical.js").is_dir():
        pytest.skip("ical.js missing: run `npm install` in tests/js")
    path = tmp_path / "feed.ics"
    path.write_bytes(data)
    result = subprocess.run(
        [node, str(JS_DIR / "parse.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def by_ical_js(data: bytes, tmp_path: Path) -> list[Row]:
    """Events as ical.js reads them (TZID resolved through the file's VTIMEZONE)."""
    rows = []
    for event in run_ical_js(data, tmp_path)["events"]:
        assert event["alarms"] == 0 and event["attendees"] == 0
        start, end = event["start"], event["end"]
        rows.append(
            {
                "uid": event["uid"],
                "summary": event["summary"],
                "description": event["description"],
                "location": event["location"],
                "categories": event["categories"],
                "status": event["status"],
                "transp": event["transp"],
                "sequence": event["sequence"],
                "start": start.get("date") or start["utc"],
                "end": end.get("date") or end["utc"],
            }
        )
    return rows


PYTHON_PARSERS = {"icalendar": by_icalendar, "ical": by_ical, "vobject": by_vobject}


@pytest.mark.parametrize("parser", sorted(PYTHON_PARSERS))
@pytest.mark.parametrize("tzid", [AMS, "America/Chicago", "Australia/Sydney", "Etc/UTC"])
def test_python_parsers_see_exactly_the_plan(parser: str, tzid: str) -> None:
    events = sample_events()
    assert PYTHON_PARSERS[parser](feed(events, tzid)) == expected_rows(events)


@pytest.mark.parametrize("tzid", [AMS, "America/Chicago", "Australia/Sydney", "Etc/UTC"])
def test_ical_js_sees_exactly_the_plan(tzid: str, tmp_path: Path) -> None:
    events = sample_events()
    assert by_ical_js(feed(events, tzid), tmp_path) == expected_rows(events)


def test_calendar_name_and_refresh_reach_the_parsers(tmp_path: Path) -> None:
    name = "Team Kaunas, support; tier 2 🎉"
    data = feed([], name=name)
    strict = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    assert strict.name == [name]  # RFC 7986 allows one NAME per language
    assert strict.refresh_interval == timedelta(hours=1)
    # icalendar reads NAME and X-WR-CALNAME raw (it writes them unescaped too); RFC 5545 makes an
    # X- property TEXT by default, and vobject and ical unescape it.
    assert str(icalendar.Calendar.from_ical(data)["X-WR-CALNAME"]) == escape_text(name)
    with _fresh_vobject_zones():
        parsed = vobject.readOne(data.decode("utf-8"))
    assert parsed.x_wr_calname.value == name
    calendar = run_ical_js(data, tmp_path)["calendar"]
    # ical.js does not know X-WR-CALNAME, so it shows the raw (escaped) TEXT value.
    assert calendar["x-wr-calname"] == escape_text(name)
    assert calendar["refresh-interval"] == "PT1H"
    assert calendar["method"] is None


def test_long_and_multilingual_text_survives_every_parser(tmp_path: Path) -> None:
    title = ("Ąžuolas, Šiaulių; 中文客服周 🎉\\N " * 400)[:10_000]
    events = [make_event(1, title=title, description="Eilutė\nLine, two; \\ three 🙂")]
    data = feed(events)
    expected = expected_rows(events)
    for parser in PYTHON_PARSERS.values():
        assert parser(data) == expected
    assert by_ical_js(data, tmp_path) == expected


def _weekday_meetings(tzid: str, first: date, days: int) -> list[FeedEvent]:
    """A 09:00-10:00 local meeting on each of ``days`` days from ``first``."""
    zone = ZoneInfo(tzid)
    events = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=zone)
        events.append(make_event(offset + 1, start=start, end=start + timedelta(hours=1)))
    return events


# (zone, first day): each window spans a daylight-saving change (Kolkata has none).
DST_WINDOWS = [
    ("Europe/Amsterdam", date(2026, 10, 19)),  # leaves DST on Sunday 25 October
    ("Europe/Amsterdam", date(2027, 3, 22)),  # enters DST on Sunday 28 March
    ("Europe/Vilnius", date(2026, 10, 19)),
    ("America/Chicago", date(2026, 10, 26)),  # leaves DST on Sunday 1 November
    ("America/Chicago", date(2027, 3, 8)),  # enters DST on Sunday 14 March
    ("Australia/Sydney", date(2026, 4, 1)),  # leaves DST on Sunday 5 April
    ("Australia/Sydney", date(2026, 9, 30)),  # enters DST on Sunday 4 October
    ("Asia/Kolkata", date(2026, 10, 19)),
    ("Europe/Amsterdam", date(2038, 10, 25)),  # past 2038-01-19: leaves DST on 31 October
    ("America/Chicago", date(2040, 10, 29)),  # leaves DST on 4 November 2040
    # Rules that change inside the window: dated VTIMEZONE blocks (FEEDS.md 18c).
    ("Africa/Casablanca", date(2026, 2, 9)),  # to +00 for Ramadan on Sunday 15 February
    ("Africa/Casablanca", date(2026, 3, 16)),  # back to +01 on Sunday 22 March
    ("Africa/El_Aaiun", date(2027, 2, 1)),  # to +00 on Sunday 7 February 2027
    ("Asia/Gaza", date(2025, 4, 7)),  # enters DST late, on Saturday 12 April 2025
    ("Asia/Hebron", date(2026, 10, 19)),  # leaves DST on Saturday 24 October
]


def _local_starts(rows: list[Row], tzid: str) -> list[str]:
    """Each row's start as wall-clock time in ``tzid``."""
    zone = ZoneInfo(tzid)
    return [
        datetime.strptime(row["start"], "%Y-%m-%dT%H:%M:%SZ")
        .replace(tzinfo=UTC)
        .astimezone(zone)
        .strftime("%Y-%m-%d %H:%M")
        for row in rows
    ]


@pytest.mark.parametrize(("tzid", "first"), DST_WINDOWS)
def test_nine_oclock_stays_nine_oclock_across_dst_in_every_parser(
    tzid: str, first: date, tmp_path: Path
) -> None:
    events = _weekday_meetings(tzid, first, 14)
    data = feed(events, tzid, years=range(2025, 2029))
    assert check_feed(data, app_rules=False) == []
    utc_offsets = {e.start.utcoffset() for e in events}  # type: ignore[union-attr]
    assert len(utc_offsets) == (1 if tzid == "Asia/Kolkata" else 2)  # the window spans a change
    wanted = [f"{e.start:%Y-%m-%d} 09:00" for e in events]
    for name, parser in PYTHON_PARSERS.items():
        assert _local_starts(parser(data), tzid) == wanted, name
    assert _local_starts(by_ical_js(data, tmp_path), tzid) == wanted


def test_ical_js_follows_the_files_vtimezone(tmp_path: Path) -> None:
    # Guards the test above: with a VTIMEZONE one hour off, ical.js must move the meeting.
    events = _weekday_meetings(AMS, date(2026, 10, 19), 2)
    data = feed(events).replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0300")
    assert any("item 10" in p for p in check_feed(data, app_rules=False))
    assert _local_starts(by_ical_js(data, tmp_path), AMS) == [
        "2026-10-19 08:00",
        "2026-10-20 08:00",
    ]


def test_vobject_follows_the_files_vtimezone() -> None:
    events = _weekday_meetings(AMS, date(2026, 10, 19), 1)
    data = feed(events).replace(b"TZOFFSETTO:+0200", b"TZOFFSETTO:+0300")
    assert _local_starts(by_vobject(data), AMS) == ["2026-10-19 08:00"]


def test_strict_parser_accepts_the_utc_alias_feed() -> None:
    assert canonical_tzid("UTC") == "Etc/UTC"
    data = feed(sample_events(), "UTC")
    assert b"TZID" not in data
    assert len(IcsCalendarStream.calendar_from_ics(data.decode()).events) == len(sample_events())

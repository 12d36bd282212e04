"""tests.feedcheck itself: it passes clean feeds and names each planted defect.

Every defect is planted into a clean feed by editing its bytes; each edit must change the bytes
(so a stale pattern cannot make a test pass silently) and the clean feed must not already show
the problem the test expects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest

from planner.feeds import wording
from planner.feeds.ical import FeedEvent, render_valarm, render_vtimezone
from tests.feedcheck import MAX_FEED_BYTES, check_feed
from tests.test_feeds_ical import feed, make_event, sample_events

CLEAN = feed(sample_events())
AMS_START = b"DTSTART;TZID=Europe/Amsterdam:20261026T090000"


def sub(old: bytes, new: bytes, count: int = 1) -> Callable[[bytes], bytes]:
    """An edit replacing the first ``count`` occurrences of ``old``."""
    return lambda data: data.replace(old, new, count)


def before_first_end_vevent(lines: bytes) -> Callable[[bytes], bytes]:
    """An edit inserting content lines into the first VEVENT."""
    return sub(b"END:VEVENT\r\n", lines + b"END:VEVENT\r\n")


def refold_inside_a_character(data: bytes) -> bytes:
    """Fold the first emoji of the feed between its second and third byte."""
    emoji = "🎉".encode()
    return data.replace(emoji, emoji[:2] + b"\r\n " + emoji[2:], 1)


def unfold(data: bytes) -> bytes:
    """Undo all folding, leaving long lines."""
    return data.replace(b"\r\n ", b"")


def oversized(_: bytes) -> bytes:
    """A feed of many events with long descriptions."""
    events = [
        make_event(n, description="Agenda: " + "talk, listen, act; " * 60) for n in range(1, 1000)
    ]
    return feed(events)


def unsorted_vtimezones(data: bytes) -> bytes:
    """Add a second VTIMEZONE (Vilnius) before Amsterdam's, out of alphabetical order."""
    vilnius = render_vtimezone("Europe/Vilnius", range(2025, 2029)).encode()
    amsterdam = b"BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam"
    return data.replace(amsterdam, vilnius + amsterdam)


VALARM = b"BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\nDESCRIPTION:x\r\nEND:VALARM\r\n"
VTODO = b"BEGIN:VTODO\r\nUID:t@x\r\nSUMMARY:x\r\nEND:VTODO\r\n"
STAMP = b"DTSTAMP:20260301T120005Z"
ALL_DAY_START, ALL_DAY_END = b"DTSTART;VALUE=DATE:20261005", b"DTEND;VALUE=DATE:20261010"
AMS_END = b"DTEND;TZID=Europe/Amsterdam:20261026T100000"


def edits(*pairs: tuple[bytes, bytes]) -> Callable[[bytes], bytes]:
    """An edit replacing every occurrence of each ``old`` with its ``new``."""

    def edit(data: bytes) -> bytes:
        for old, new in pairs:
            data = data.replace(old, new)
        return data

    return edit


# (edit, text the problem list must contain), by defect name; grouped by FEEDS.md item.
DEFECTS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "bom": (lambda d: b"\xef\xbb\xbf" + d, "item 1: starts with a UTF-8 BOM"),
    "lf line ends": (edits((b"\r\n", b"\n")), "item 1: bare LF"),
    "bare cr": (sub(b"Skip-level 1", b"Skip-level\r1"), "item 1: bare CR"),
    "blank first line": (lambda d: b"\r\n" + d, "item 1: does not start with BEGIN:VCALENDAR"),
    "truncated": (lambda d: d[:-15], "item 1: does not end with END:VCALENDAR"),
    "cp1257 bytes": (sub("Ąžuolas".encode(), "Ąžuolas".encode("cp1257")), "not valid UTF-8"),
    "unclosed vevent": (sub(b"END:VEVENT\r\n", b""), "does not match its BEGIN"),
    "long line": (unfold, "item 2: line"),
    "fold inside a character": (refold_inside_a_character, "folds inside a UTF-8 character"),
    "unescaped comma": (sub(b"SUMMARY:Skip-level 1", b"SUMMARY:Skip-level, 1"), "item 3"),
    "unescaped semicolon in categories": (sub(b"CATEGORIES:P4,", b"CATEGORIES:P4;"), "item 3"),
    "bad backslash escape": (sub(b"SUMMARY:Skip-level 1", b"SUMMARY:C:\\temp"), "bad backslash"),
    "unescaped calendar text": (sub(b"skip-levels\\,", b"skip-levels,"), "item 3"),
    "control character": (sub(b"Skip-level 1", b"Skip-level\x071"), "control character"),
    "method request": (
        sub(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:REQUEST\r\n"),
        "METHOD:REQUEST",
    ),
    "method cancel": (
        sub(b"VERSION:2.0\r\n", b"VERSION:2.0\r\nMETHOD:CANCEL\r\n"),
        "METHOD:CANCEL",
    ),
    "attendee": (before_first_end_vevent(b"ATTENDEE:mailto:j@example.org\r\n"), "ATTENDEE"),
    "rsvp": (sub(b"URL:", b"URL;RSVP=TRUE:"), "item 4: RSVP"),
    "organizer": (before_first_end_vevent(b"ORGANIZER:mailto:b@example.org\r\n"), "ORGANIZER"),
    "other prodid": (sub(b"-//Service Week Planner//planner", b"-//Other//app"), "item 4: PRODID"),
    "version 1.0": (sub(b"VERSION:2.0", b"VERSION:1.0"), "item 4: VERSION"),
    "duplicate uid": (sub(b"UID:evt-2@", b"UID:evt-1@"), "item 5: UID evt-1@planner.example.org"),
    "missing uid": (sub(b"UID:evt-3@planner.example.org\r\n", b""), "item 5:"),
    "recurrence": (before_first_end_vevent(b"RRULE:FREQ=WEEKLY;COUNT=3\r\n"), "item 5:"),
    "recurrence-id": (before_first_end_vevent(b"RECURRENCE-ID:20261026T080000Z\r\n"), "item 5:"),
    "missing sequence": (sub(b"SEQUENCE:0\r\n", b""), "item 6:"),
    "negative sequence": (sub(b"SEQUENCE:0\r\n", b"SEQUENCE:-1\r\n"), "item 6:"),
    "last-modified not utc": (sub(b"MODIFIED:20260301T120005Z", b"MODIFIED:20260301T120005"), "6:"),
    "dtstamp not utc": (sub(STAMP, b"DTSTAMP:20260301T120005"), "item 7: VEVENT"),
    "dtstamp is now": (sub(STAMP, b"DTSTAMP:20260915T081500Z"), "item 7: VEVENT"),
    "bad status": (sub(b"STATUS:CONFIRMED", b"STATUS:DONE"), "item 8:"),
    "cancelled, sequence 0": (
        sub(b"SEQUENCE:2\r\n", b"SEQUENCE:0\r\n"),
        "without raising SEQUENCE",
    ),
    "floating time": (sub(AMS_START, b"DTSTART:20261026T090000"), "item 9: line"),
    "tzid without vtimezone": (
        sub(b"TZID:Europe/Amsterdam\r\n", b"TZID:Europe/Paris\r\n"),
        "no VTIMEZONE",
    ),
    "malformed date-time": (sub(AMS_START, AMS_START[:-2]), "malformed date-time"),
    "rdate in vtimezone": (sub(b"END:STANDARD", b"RDATE:20261025T030000\r\nEND:STANDARD"), "RDATE"),
    "two standard blocks": (edits((b"DAYLIGHT", b"STANDARD")), "one STANDARD"),
    "daylight without rrule": (sub(b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n", b""), "RRULE"),
    "offset one hour off": (sub(b"TZOFFSETTO:+0100", b"TZOFFSETTO:+0000"), "item 10: line"),
    "dst ends on the wrong sunday": (
        sub(b"BYDAY=-1SU;BYMONTH=10", b"BYDAY=1SU;BYMONTH=10"),
        "2026-10-04",
    ),
    "windows zone name": (edits((b"Europe/Amsterdam", b"W. Europe Standard Time")), "canonical"),
    "legacy zone name": (edits((b"Europe/Amsterdam", b"CET")), "not a canonical"),
    "unsorted vtimezones": (unsorted_vtimezones, "not sorted"),
    "all-day dtend = dtstart": (sub(ALL_DAY_END, ALL_DAY_END[:-2] + b"05"), "item 11:"),
    "date without value=date": (sub(ALL_DAY_START, b"DTSTART:20261005"), "without VALUE=DATE"),
    "all-day as midnight utc": (
        edits(
            (ALL_DAY_START, b"DTSTART:20261005T000000Z"), (ALL_DAY_END, b"DTEND:20261010T000000Z")
        ),
        "midnight UTC",
    ),
    "end before start": (sub(AMS_END, AMS_END[:-6] + b"080000"), "not after DTSTART"),
    "mixed types": (sub(ALL_DAY_END, b"DTEND:20261010T000000Z"), "item 12: VEVENT"),
    "duration": (sub(ALL_DAY_END, b"DURATION:P5D"), "item 12:"),
    "missing x-wr-calname": (sub(b"X-WR-CALNAME:Jane Doe\r\n", b""), "item 13: X-WR-CALNAME"),
    "missing x-wr-timezone": (sub(b"X-WR-TIMEZONE:Europe/Amsterdam\r\n", b""), "X-WR-TIMEZONE"),
    "missing value=duration": (sub(b"REFRESH-INTERVAL;VALUE=DURATION", b"REFRESH-INTERVAL"), "14:"),
    "timedelta ttl": (sub(b"TTL:PT1H", b"TTL:1:00:00"), "item 14: X-PUBLISHED-TTL"),
    "vtodo": (sub(b"END:VCALENDAR", VTODO + b"END:VCALENDAR"), "item 15: VTODO"),
    "bad transp": (sub(b"TRANSP:OPAQUE", b"TRANSP:BUSY"), "item 15:"),
    "valarm": (before_first_end_vevent(VALARM), "item 16: VALARM"),
    "no categories": (sub(b"CATEGORIES:P4,Skip-level\r\n", b""), "item 17:"),
    "no url": (sub(b"URL:https://planner.example.org/events/1\r\n", b""), "item 17:"),
    "over 1 mb": (oversized, "item 18:"),
}


def test_clean_feed_passes() -> None:
    assert check_feed(CLEAN, app_rules=False) == []


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_planted_defect_is_named(defect: str) -> None:
    edit, expected = DEFECTS[defect]
    broken = edit(CLEAN)
    assert broken != CLEAN, "the edit did not apply: fix the pattern"
    assert not any(expected in p for p in check_feed(CLEAN, app_rules=False))
    problems = check_feed(broken, app_rules=False)
    assert any(expected in p for p in problems), problems


def test_oversized_feed_really_is_over_the_limit() -> None:
    data = oversized(CLEAN)
    assert len(data) > MAX_FEED_BYTES
    assert [p for p in check_feed(data, app_rules=False) if not p.startswith("item 18")] == []


def test_icalendar_defaults_are_caught() -> None:
    # A feed built "the obvious way" with icalendar: random UID, DTSTAMP now, bare timedelta TTL,
    # an unescaped X-WR-CALNAME and no METHOD/NAME/REFRESH-INTERVAL.
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Service Week Planner//planner 0.1.0//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Jane, Doe")
    calendar.add("x-published-ttl", timedelta(hours=1))
    start = datetime(2026, 10, 26, 9, 0)  # naive: floating
    event = icalendar.Event.new(summary="Skip-level", start=start, end=start + timedelta(hours=1))
    event.add("last-modified", datetime(2026, 3, 1, tzinfo=UTC))
    calendar.add_component(event)
    calendar.add_component(
        icalendar.Event.new(summary="Week", start=date(2026, 10, 5), end=date(2026, 10, 5))
    )
    problems = "\n".join(check_feed(calendar.to_ical(), app_rules=False))
    for expected in (
        "item 3:",  # unescaped comma in X-WR-CALNAME
        "item 7:",  # DTSTAMP is now, not LAST-MODIFIED
        "item 9: line",  # floating time
        "item 11:",  # all-day DTEND = DTSTART
        "item 13: NAME",
        "item 14: REFRESH-INTERVAL",
        "item 14: X-PUBLISHED-TTL",
    ):
        assert expected in problems, expected


def _as_the_app_writes(event: FeedEvent) -> FeedEvent:
    """A sample event with the app's wording: link last in DESCRIPTION, cancelled shown so."""
    cancelled = event.status == "CANCELLED"
    return replace(
        event,
        title=wording.cancelled_title(event.title) if cancelled else event.title,
        description=wording.description_with_link(event.description, event.url),
        transparent=wording.is_transparent(
            kind="activity",
            all_day=event.all_day,
            transparent=event.transparent,
            cancelled=cancelled,
        ),
    )


APP_CLEAN = feed([_as_the_app_writes(e) for e in sample_events()])
CASABLANCA = feed([_as_the_app_writes(make_event(1))], "Africa/Casablanca")
ALARMED = APP_CLEAN.replace(
    b"END:VEVENT\r\n", render_valarm("-PT15M", "Reminder").encode() + b"END:VEVENT\r\n", 1
)
CANCELLED_BLOCK = b"SUMMARY:Cancelled: Cancelled recognition lunch"

# The app's own rules (18a, 18b, 18c and opted-in reminders): (clean feed, edit, problem, alarms).
APP_DEFECTS: dict[str, tuple[bytes, Callable[[bytes], bytes], str, bool]] = {
    "cancelled, still busy": (
        APP_CLEAN,
        lambda d: d.replace(b"TRANSP:TRANSPARENT\r\nURL:https://planner.example.org/events/5",
                            b"TRANSP:OPAQUE\r\nURL:https://planner.example.org/events/5"),
        "item 18a: VEVENT", False,
    ),
    "cancelled, title unchanged": (
        APP_CLEAN, sub(CANCELLED_BLOCK, b"SUMMARY:Cancelled recognition lunch"),
        "title does not say so", False,
    ),
    "no link in description": (
        APP_CLEAN, sub(b"\\n\\nOpen in Service \r\n Week Planner: https://planner.example.org/events/1\r\n",
                       b"\r\n"),
        "item 18b:", False,
    ),
    "all-day item blocks the day": (
        APP_CLEAN,
        sub(b"TRANSP:TRANSPARENT\r\nURL:https://planner.example.org/events/3",
            b"TRANSP:OPAQUE\r\nURL:https://planner.example.org/events/3"),
        "blocks the whole day", False,
    ),
    "dated blocks out of order": (
        CASABLANCA, sub(b"DTSTART:2025", b"DTSTART:1969"), "out of order", False,
    ),
    "dated block does not continue": (
        CASABLANCA, sub(b"TZOFFSETFROM:+0000", b"TZOFFSETFROM:+0200"),
        "does not start where the last ended", False,
    ),
    "alarm not asked for": (ALARMED, lambda d: d, "item 16: VALARM", False),
    "audio alarm": (ALARMED, sub(b"ACTION:DISPLAY", b"ACTION:AUDIO"), "not a DISPLAY", True),
    "absolute trigger": (
        ALARMED, sub(b"TRIGGER:-PT15M", b"TRIGGER;VALUE=DATE-TIME:20261026T080000Z"),
        "relative TRIGGER", True,
    ),
}  # fmt: skip


def test_clean_app_feeds_pass() -> None:
    assert check_feed(APP_CLEAN) == []
    assert check_feed(CASABLANCA) == []
    assert check_feed(ALARMED, alarms=True) == []


@pytest.mark.parametrize("defect", sorted(APP_DEFECTS))
def test_each_planted_app_defect_is_named(defect: str) -> None:
    clean, edit, expected, alarms = APP_DEFECTS[defect]
    broken = edit(clean)
    if defect != "alarm not asked for":
        assert broken != clean, "the edit did not apply: fix the pattern"
        assert not any(expected in p for p in check_feed(clean, alarms=alarms))
    problems = check_feed(broken, alarms=alarms)
    assert any(expected in p for p in problems), problems

"""planner.feeds.ical: what a subscriber's client receives, checked on the bytes themselves."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from planner.feeds.ical import (
    FeedEvent,
    assemble_calendar,
    build_calendar_directly,
    escape_text,
    fold_line,
    make_uid,
    render_vevent,
    render_vtimezone,
)
from tests.feedcheck import check_feed

AMS = "Europe/Amsterdam"
YEARS = range(2025, 2029)
REVISED = datetime(2026, 3, 1, 12, 0, 5, tzinfo=UTC)
DOMAIN = "planner.example.org"
TRICKY = "Skip-level, Jane; Q3\\Q4 \\N not a break\nsecond line 🎉 Ąžuolas Šiaulių 中文客服周"


def make_event(key: int = 1, **changes: object) -> FeedEvent:
    """A timed skip-level meeting, 09:00-10:00 Amsterdam on 2026-10-26; override any field."""
    zone = ZoneInfo(AMS)
    fields: dict[str, object] = {
        "uid": make_uid(key, DOMAIN),
        "sequence": 0,
        "last_modified": REVISED,
        "title": f"Skip-level {key}",
        "start": datetime(2026, 10, 26, 9, 0, tzinfo=zone),
        "end": datetime(2026, 10, 26, 10, 0, tzinfo=zone),
        "description": "Ask what gets in the way of great service.",
        "location": "Room 4.12",
        "url": f"https://{DOMAIN}/events/{key}",
        "categories": ("P4", "Skip-level"),
    }
    fields.update(changes)
    return FeedEvent(**fields)  # type: ignore[arg-type]


def sample_events() -> list[FeedEvent]:
    """A small plan mixing every kind of item a feed carries."""
    return [
        make_event(1),
        make_event(2, title=TRICKY, description=TRICKY + "\r\nthird, line; end\\"),
        make_event(
            3,
            title="Customer Service Week",
            start=date(2026, 10, 5),
            end=date(2026, 10, 10),
            categories=("CS Week",),
            location="",
        ),
        make_event(
            4,
            title="Thank Ona for the praise from a customer",
            start=date(2026, 11, 3),
            end=date(2026, 11, 4),
            transparent=True,
            categories=("P2", "Outreach"),
        ),
        make_event(5, title="Cancelled recognition lunch", status="CANCELLED", sequence=2),
        make_event(
            6,
            title="Metrics review",
            start=datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
            end=datetime(2026, 3, 30, 8, 30, tzinfo=UTC),
            status="TENTATIVE",
            categories=("P3",),
        ),
    ]


def feed(
    events: list[FeedEvent], tzid: str = AMS, years: range = YEARS, name: str = "Jane Doe"
) -> bytes:
    """Render each event, then assemble, as the app does."""
    return assemble_calendar(
        [render_vevent(e, tzid) for e in events],
        name=name,
        description="Service Week Planner: skip-levels, recognitions and follow-ups",
        tzid=tzid,
        version="0.1.0",
        vtimezone=render_vtimezone(tzid, years),
    )


def content_lines(data: bytes) -> list[str]:
    """Unfolded content lines."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def props(data: bytes, name: str) -> list[str]:
    """Every unfolded line of property ``name`` (with its parameters)."""
    return [line for line in content_lines(data) if re.match(rf"{name}[;:]", line)]


@pytest.mark.parametrize(
    "tzid", [AMS, "Europe/Vilnius", "America/Chicago", "Australia/Sydney", "Asia/Kolkata", "UTC"]
)
def test_sample_feed_passes_every_feeds_md_check(tzid: str) -> None:
    assert check_feed(feed(sample_events(), tzid), app_rules=False) == []


def test_two_renders_of_the_same_plan_are_byte_identical() -> None:
    first = feed(sample_events())
    again = feed([replace(e) for e in sample_events()])
    assert first == again


@pytest.mark.parametrize("tzid", [AMS, "America/Chicago", "Asia/Kolkata", "Etc/UTC"])
@pytest.mark.parametrize("count", [0, 1, 6])
def test_stored_pieces_give_the_same_bytes_as_building_with_icalendar(
    tzid: str, count: int
) -> None:
    events = sample_events()[:count]
    direct = build_calendar_directly(
        events,
        name="Jane Doe",
        description="Service Week Planner: skip-levels, recognitions and follow-ups",
        tzid=tzid,
        version="0.1.0",
        years=YEARS,
    )
    assert feed(events, tzid) == direct


def test_calendar_header_is_what_clients_need() -> None:
    data = feed([], name="Team Kaunas, support; tier 2")
    assert data.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    lines = content_lines(data)
    assert "PRODID:-//Service Week Planner//planner 0.1.0//EN" in lines
    assert not [line for line in lines if line.startswith("METHOD")]  # not an iTIP message
    assert "NAME:Team Kaunas\\, support\\; tier 2" in lines
    assert "X-WR-CALNAME:Team Kaunas\\, support\\; tier 2" in lines
    assert "X-WR-TIMEZONE:Europe/Amsterdam" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in lines
    assert "X-PUBLISHED-TTL:PT1H" in lines
    assert lines[-1] == "END:VCALENDAR"


def test_calendar_description_with_newline_is_escaped() -> None:
    data = assemble_calendar(
        [],
        name="n",
        description="Line one\nLine, two",
        tzid=AMS,
        version="1",
        vtimezone=render_vtimezone(AMS, YEARS),
    )
    assert "X-WR-CALDESC:Line one\\nLine\\, two" in content_lines(data)
    assert "DESCRIPTION:Line one\\nLine\\, two" in content_lines(data)
    assert check_feed(data, app_rules=False) == []


def test_dtstamp_is_the_last_revision_in_utc_not_now() -> None:
    revised_in_vilnius = datetime(2026, 3, 1, 14, 0, 5, 123456, tzinfo=ZoneInfo("Europe/Vilnius"))
    piece = render_vevent(make_event(last_modified=revised_in_vilnius), AMS)
    assert "DTSTAMP:20260301T120005Z\r\n" in piece
    assert "LAST-MODIFIED:20260301T120005Z\r\n" in piece


def test_all_day_week_has_exclusive_end() -> None:
    piece = render_vevent(make_event(start=date(2026, 10, 5), end=date(2026, 10, 10)), AMS)
    assert "DTSTART;VALUE=DATE:20261005\r\n" in piece
    assert "DTEND;VALUE=DATE:20261010\r\n" in piece


def test_follow_up_is_transparent_and_meeting_is_opaque() -> None:
    follow_up = make_event(start=date(2026, 11, 3), end=date(2026, 11, 4), transparent=True)
    assert "TRANSP:TRANSPARENT\r\n" in render_vevent(follow_up, AMS)
    assert "TRANSP:OPAQUE\r\n" in render_vevent(make_event(), AMS)


def test_event_carries_uid_sequence_status_categories_and_link() -> None:
    piece = render_vevent(make_event(7, sequence=3, status="CANCELLED"), AMS)
    for line in (
        "UID:evt-7@planner.example.org",
        "SEQUENCE:3",
        "STATUS:CANCELLED",
        "CATEGORIES:P4,Skip-level",
        "URL:https://planner.example.org/events/7",
    ):
        assert line + "\r\n" in piece
    assert "ATTENDEE" not in piece and "VALARM" not in piece and "ORGANIZER" not in piece


def test_timed_event_is_written_in_the_feed_zone_whatever_zone_it_came_in() -> None:
    start = datetime(2026, 10, 26, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam (CET)
    event = make_event(start=start, end=start + timedelta(hours=1))
    assert "DTSTART;TZID=Europe/Amsterdam:20261026T090000\r\n" in render_vevent(event, AMS)
    assert "DTSTART;TZID=America/Chicago:20261026T030000\r\n" in render_vevent(
        event, "America/Chicago"
    )
    assert "DTSTART:20261026T080000Z\r\n" in render_vevent(event, "Etc/UTC")


def test_second_run_of_a_repeated_hour_is_written_in_utc() -> None:
    # Amsterdam leaves DST at 01:00 UTC on 2026-10-25: 02:30 local happens twice.
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    piece = render_vevent(make_event(start=first, end=first + timedelta(minutes=15)), AMS)
    assert "DTSTART;TZID=Europe/Amsterdam:20261025T023000\r\n" in piece
    # Ending at 01:00 UTC means ending at the second 02:00: the whole event goes to UTC.
    piece = render_vevent(make_event(start=first, end=first + timedelta(minutes=30)), AMS)
    assert "DTSTART:20261025T003000Z\r\nDTEND:20261025T010000Z\r\n" in piece
    piece = render_vevent(make_event(start=second, end=second + timedelta(minutes=30)), AMS)
    assert "DTSTART:20261025T013000Z\r\n" in piece
    assert (
        check_feed(
            feed([make_event(start=second, end=second + timedelta(hours=1))]), app_rules=False
        )
        == []
    )


def test_text_is_escaped_and_survives_icalendar_unchanged() -> None:
    event = make_event(
        title=TRICKY, description="a\r\nb\rc\x00\x1b d", location="Kaunas; 2nd floor, room \\4"
    )
    piece = render_vevent(event, AMS)
    summary = props(piece.encode(), "SUMMARY")[0]
    assert summary == (
        "SUMMARY:Skip-level\\, Jane\\; Q3\\\\Q4 \\\\N not a break\\nsecond line"
        " 🎉 Ąžuolas Šiaulių 中文客服周"
    )
    parsed = icalendar.Calendar.from_ical(feed([event])).events[0]
    assert str(parsed["SUMMARY"]) == TRICKY
    assert str(parsed["DESCRIPTION"]) == "a\nb\nc d"
    assert str(parsed["LOCATION"]) == "Kaunas; 2nd floor, room \\4"


def test_escape_text_handles_each_special_character() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf\rg") == "a\\\\b\\;c\\,d\\ne\\nf\\ng"
    assert escape_text("tab\tkept, bell\x07 dropped") == "tab\tkept\\, bell dropped"


def test_categories_with_commas_stay_one_category() -> None:
    piece = render_vevent(make_event(categories=("P1", "Heroes, stars", " ")), AMS)
    assert "CATEGORIES:P1,Heroes\\, stars\r\n" in piece
    parsed = icalendar.Calendar.from_ical(feed([make_event(categories=("Heroes, stars",))]))
    assert [str(c) for c in parsed.events[0]["CATEGORIES"].cats] == ["Heroes, stars"]


def test_empty_optional_fields_are_left_out() -> None:
    piece = render_vevent(make_event(description="", location="", url="", categories=()), AMS)
    for name in ("DESCRIPTION", "LOCATION", "URL", "CATEGORIES"):
        assert f"\r\n{name}" not in piece


def test_url_is_percent_encoded() -> None:
    piece = render_vevent(make_event(url="https://x.example/a b/ž?q=1,2"), AMS)
    assert "URL:https://x.example/a%20b/%C5%BE?q=1,2\r\n" in piece


@pytest.mark.parametrize("size", [10_000])
def test_ten_thousand_character_title_folds_cleanly(size: int) -> None:
    title = ("Ąžuolas 中文 🎉, x; " * size)[:size]
    data = feed([make_event(title=title)])
    assert check_feed(data, app_rules=False) == []
    physical = data.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    for line in physical:
        line.decode("utf-8")  # no fold inside a character
    parsed = icalendar.Calendar.from_ical(data).events[0]
    assert str(parsed["SUMMARY"]) == title


class _Raw(icalendar.vText):
    """A value icalendar writes as given, so only its folding is compared."""

    def to_ical(self) -> bytes:
        return str(self).encode("utf-8")


def test_fold_line_agrees_with_icalendar() -> None:
    values = [s * n for s in ("a", "é", "🎉", "中", "a\\,", "\\\\") for n in (1, 70, 200)]
    values += ["a" * 66 + "\\n" + "b" * 10, "a" * 65 + "\\n" + "b" * 10]
    for value in values:
        component = icalendar.Event()
        component.add("x-test", _Raw(value))
        by_icalendar = component.to_ical().decode().split("\r\n", 1)[1].rsplit("\r\nEND:", 1)[0]
        assert fold_line("X-TEST:" + value) == by_icalendar
        assert all(len(part.encode()) <= 75 for part in by_icalendar.split("\r\n"))


def test_all_day_item_across_the_leap_day() -> None:
    event = make_event(start=date(2028, 2, 28), end=date(2028, 3, 1))
    data = feed([event], years=range(2027, 2030))
    assert check_feed(data, app_rules=False) == []
    assert "DTEND;VALUE=DATE:20280301" in props(data, "DTEND")[0]
    parsed = icalendar.Calendar.from_ical(data).events[0]
    assert parsed.end - parsed.start == timedelta(days=2)


@pytest.mark.parametrize("year", [2037, 2038, 2039, 2045])
def test_events_after_2037_keep_their_local_time(year: int) -> None:
    zone = ZoneInfo(AMS)
    summer = datetime(year, 7, 6, 9, 0, tzinfo=zone)
    winter = datetime(year, 12, 6, 9, 0, tzinfo=zone)
    events = [
        make_event(1, start=summer, end=summer + timedelta(hours=1)),
        make_event(2, start=winter, end=winter + timedelta(hours=1)),
    ]
    data = feed(events, years=range(2026, 2030))
    assert (
        check_feed(data, app_rules=False) == []
    )  # includes the VTIMEZONE-versus-zoneinfo offset check
    assert f"DTSTART;TZID=Europe/Amsterdam:{year}0706T090000" in props(data, "DTSTART")


def test_empty_calendar_is_a_valid_feed() -> None:
    data = feed([])
    assert check_feed(data, app_rules=False) == []
    assert icalendar.Calendar.from_ical(data).events == []


def test_assemble_keeps_the_callers_order() -> None:
    events = sample_events()
    pieces = [render_vevent(e, AMS) for e in reversed(events)]
    data = assemble_calendar(
        pieces,
        name="n",
        description="d",
        tzid=AMS,
        version="1",
        vtimezone=render_vtimezone(AMS, YEARS),
    )
    uids = [line.removeprefix("UID:") for line in props(data, "UID")]
    assert uids == [e.uid for e in reversed(events)]


def test_assemble_rejects_a_damaged_piece_or_missing_zone() -> None:
    piece = render_vevent(make_event(), AMS)
    vtz = render_vtimezone(AMS, YEARS)
    kwargs = {"name": "n", "description": "d", "tzid": AMS, "version": "1"}
    with pytest.raises(ValueError, match="piece 1"):
        assemble_calendar([piece, piece[:-5]], vtimezone=vtz, **kwargs)
    with pytest.raises(ValueError, match="vtimezone"):
        assemble_calendar([piece], vtimezone="", **kwargs)
    with pytest.raises(ValueError, match="vtimezone"):
        assemble_calendar([piece], vtimezone=render_vtimezone("America/Chicago", YEARS), **kwargs)
    with pytest.raises(ValueError, match="name and description"):
        assemble_calendar([piece], vtimezone=vtz, **{**kwargs, "name": " "})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start": date(2026, 10, 5), "end": date(2026, 10, 5)}, "end must be after start"),
        ({"start": date(2026, 10, 6), "end": date(2026, 10, 5)}, "end must be after start"),
        (
            {"end": datetime(2026, 10, 26, 9, 0, tzinfo=ZoneInfo(AMS))},
            "end must be after start",
        ),
        ({"start": datetime(2026, 10, 26, 9), "end": datetime(2026, 10, 26, 10)}, "aware"),
        ({"end": date(2026, 10, 27)}, "both be dates"),
        ({"status": "DECLINED"}, "status"),
        ({"sequence": -1}, "sequence"),
        ({"last_modified": datetime(2026, 3, 1)}, "last_modified"),
        ({"uid": ""}, "uid"),
        ({"uid": "evt 1@x"}, "uid"),
        ({"title": "  "}, "title"),
    ],
)
def test_feed_event_rejects_what_clients_would_misread(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_event(**changes)


def test_sub_second_event_is_rejected_at_render() -> None:
    start = datetime(2026, 10, 26, 9, 0, 0, 100, tzinfo=UTC)
    event = make_event(start=start, end=start + timedelta(microseconds=500))
    with pytest.raises(ValueError, match="whole seconds"):
        render_vevent(event, AMS)


def test_make_uid() -> None:
    assert make_uid(123, DOMAIN) == "evt-123@planner.example.org"
    with pytest.raises(ValueError):
        make_uid(1, "")
    with pytest.raises(ValueError):
        make_uid("a b", DOMAIN)

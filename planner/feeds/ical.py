"""iCalendar feeds: events in, bytes out (DESIGN.md rule 7; FEEDS.md items 1-18). No Flask, no DB.

Render each event once, when it changes, and store the text; serve a feed by joining stored pieces::

    piece = render_vevent(event, tzid)                   # store beside the Event row
    vtz = render_vtimezone(tzid, feed_years(today))      # cached; same for every feed of the org
    body = assemble_calendar(pieces_sorted, name=..., description=..., tzid=tzid,
                             version=planner_version, vtimezone=vtz)

``build_calendar_directly`` builds the same bytes with icalendar at request time: the slow
baseline for ``python -m planner.bench feeds`` and a cross-check in tests.

What a caller must know:
- ``FeedEvent`` validates itself (ValueError): aware datetimes only, ``end > start``, both dates
  or both datetimes; all-day ``end`` is exclusive (a one-day item ends the next day).
- UIDs: ``make_uid(event.id, domain)`` -> ``"evt-123@planner.example.org"``; never reuse one.
- ``last_modified`` becomes DTSTAMP and LAST-MODIFIED, so bump it (and ``sequence``) on every
  visible change and re-render the piece then. Re-render all pieces if the org's zone changes.
- Give every event ``categories`` and ``url``: tests.feedcheck reports their absence (item 17).
- ``assemble_calendar`` writes pieces in the order given: sort them (e.g. by start, then uid)
  so bytes, and so ETags, are stable. Name and description must not be empty (item 13).
- Time zones are written under their canonical name (``canonical_tzid``): zone.tab names such as
  ``Europe/Amsterdam`` and ``Asia/Kolkata``; ``Etc/UTC`` writes timed events in UTC and needs no
  VTIMEZONE. ``render_vtimezone`` raises ValueError when the zone's rule changed inside
  ``years``: pass ``feed_years(today)``.
- A meeting starting or ending in the repeated hour of a DST change (the second 02:30) is
  written in UTC, because TZID local time would mean the first one.
- Text is escaped here, not by icalendar: icalendar turns a literal ``\\N`` into a line break
  and writes NAME / X-WR-* unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCategory, vDuration, vText

from planner.feeds.vtimezone import UTC_TZID, canonical_tzid, feed_years, render_vtimezone

__all__ = [
    "FeedEvent",
    "add_alarm",
    "assemble_calendar",
    "build_calendar_directly",
    "canonical_tzid",
    "escape_text",
    "feed_years",
    "fold_line",
    "make_uid",
    "render_valarm",
    "render_vevent",
    "render_vtimezone",
]

STATUSES = frozenset({"CONFIRMED", "TENTATIVE", "CANCELLED"})
ONE_HOUR = timedelta(hours=1)
# C0 controls other than TAB and LF, DEL, and C1 controls are not allowed in TEXT (RFC 5545 3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_UID_OK = re.compile(r"^[\x21-\x7e]+$")


@dataclass(frozen=True, kw_only=True)
class FeedEvent:
    """One calendar item as a feed shows it; validated on construction."""

    uid: str
    sequence: int
    last_modified: datetime
    title: str
    start: datetime | date
    end: datetime | date
    description: str = ""
    location: str = ""
    url: str = ""
    categories: tuple[str, ...] = ()
    status: str = "CONFIRMED"
    transparent: bool = False

    def __post_init__(self) -> None:
        """Reject what clients would mis-show: naive times, mixed types, empty or reversed spans."""
        if not _UID_OK.match(self.uid):
            raise ValueError(f"uid must be non-empty printable ASCII without spaces: {self.uid!r}")
        if self.sequence < 0:
            raise ValueError("sequence starts at 0 and only grows")
        if _is_naive(self.last_modified):
            raise ValueError("last_modified must be timezone-aware")
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {sorted(STATUSES)}: {self.status!r}")
        start, end = self.start, self.end
        if isinstance(start, datetime) and isinstance(end, datetime):
            if _is_naive(start) or _is_naive(end):
                raise ValueError("timed events need timezone-aware start and end (no floating)")
            later = end > start
        elif isinstance(start, datetime) or isinstance(end, datetime):
            raise ValueError("start and end must both be datetimes or both be dates")
        else:
            later = end > start
        if not later:
            raise ValueError(f"end must be after start (all-day end is exclusive): {self.uid}")
        if not self.title.strip():
            raise ValueError("title must not be empty")

    @property
    def all_day(self) -> bool:
        """True for date-only items (DTSTART;VALUE=DATE)."""
        return not isinstance(self.start, datetime)


def _is_naive(value: datetime) -> bool:
    """True when ``value`` carries no UTC offset."""
    return value.tzinfo is None or value.utcoffset() is None


def make_uid(key: int | str, domain: str) -> str:
    """Stable, globally unique UID for an Event row: ``evt-<key>@<domain>``."""
    uid = f"evt-{key}@{domain}"
    if not _UID_OK.match(uid) or not domain:
        raise ValueError(f"bad uid parts: {key!r}, {domain!r}")
    return uid


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11); line breaks become ``\\n``, controls are dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets, between UTF-8 characters, as icalendar 7.3 does."""
    if len(line) < 75 and line.isascii():
        return line  # the common case, kept cheap for assemble_calendar
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if current and size + width >= 75:
            # Keep a backslash escape on one line: some clients do not unfold before unescaping.
            carry = current.pop() if len(current) > 1 and current[-1] in "\\^" else ""
            parts.append("".join(current))
            current, size = ([carry], len(carry)) if carry else ([], 0)
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _clean_url(url: str) -> str:
    """Percent-encode what may not appear raw in a URI value (spaces, non-ASCII, controls)."""
    return quote(_CONTROL.sub("", url.strip()), safe=":/?#[]@!$&'()*+,;=%~")


class _Text(vText):
    """TEXT escaped by escape_text: icalendar turns a literal ``\\N`` into a line break."""

    def to_ical(self) -> bytes:
        """Serialise with our escaping."""
        return escape_text(str(self)).encode("utf-8")


class _Categories(vCategory):
    """CATEGORIES with each value escaped by escape_text."""

    def to_ical(self) -> bytes:
        """Serialise with our escaping."""
        return ",".join(escape_text(str(c)) for c in self.cats).encode("utf-8")


def _timed(value: datetime, zone: ZoneInfo | None) -> datetime:
    """``value`` as written: local time in ``zone``, or UTC when there is no zone."""
    value = value.replace(microsecond=0)
    return value.astimezone(zone) if zone is not None else value.astimezone(UTC)


def _is_repeated_hour(local: datetime) -> bool:
    """True for the second 02:30 of a DST change: TZID=... 02:30 would mean the first one."""
    return local.fold == 1 and local.replace(fold=0).utcoffset() != local.utcoffset()


def _event_component(event: FeedEvent, tzid: str) -> Event:
    """The icalendar component for one event; properties in a fixed order for stable bytes."""
    component = Event()
    component.add("uid", event.uid)
    stamp = event.last_modified.astimezone(UTC).replace(microsecond=0)
    component.add("dtstamp", stamp)  # not "now": two renders of an unchanged plan are identical
    component.add("sequence", event.sequence)
    component.add("last-modified", stamp)
    start: date | datetime = event.start
    end: date | datetime = event.end
    if isinstance(start, datetime) and isinstance(end, datetime):
        zone = None if tzid == UTC_TZID else ZoneInfo(tzid)
        start, end = _timed(start, zone), _timed(end, zone)
        if _is_repeated_hour(start) or _is_repeated_hour(end):
            start, end = _timed(start, None), _timed(end, None)
        if end <= start:
            raise ValueError(f"end must be after start once whole seconds: {event.uid}")
    component.add("dtstart", start)
    component.add("dtend", end)
    component.add("summary", _Text(event.title))
    if event.description:
        component.add("description", _Text(event.description))
    if event.location:
        component.add("location", _Text(event.location))
    if event.url:
        component.add("url", _clean_url(event.url))
    categories = [c for c in event.categories if c.strip()]
    if categories:
        component.add("categories", _Categories(categories))
    component.add("status", event.status)
    component.add("transp", "TRANSPARENT" if event.transparent else "OPAQUE")
    return component


def render_vevent(event: FeedEvent, tzid: str) -> str:
    """One VEVENT as folded CRLF text, ready to store and later join with assemble_calendar."""
    return _event_component(event, canonical_tzid(tzid)).to_ical().decode("utf-8")


_TRIGGER = re.compile(r"^-?PT\d+[HM]$")


def render_valarm(trigger: str, description: str) -> str:
    """A display reminder (FEEDS.md 16: only when the feed's owner opted in), as CRLF text.

    ``trigger`` is relative to the event's start: ``-PT15M`` (15 minutes before) or ``PT9H``
    (09:00 on the day of an all-day item, in the reader's own time zone).
    """
    if not _TRIGGER.match(trigger):
        raise ValueError(f"not a relative trigger: {trigger!r}")
    lines = ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{escape_text(description)}"]
    lines += [f"TRIGGER:{trigger}", "END:VALARM"]
    return "".join(fold_line(line) + "\r\n" for line in lines)


def add_alarm(piece: str, valarm: str) -> str:
    """A stored VEVENT piece with ``valarm`` inside it, before its END:VEVENT."""
    return piece.removesuffix("END:VEVENT\r\n") + valarm + "END:VEVENT\r\n"


def _header_values(name: str, description: str, tzid: str, version: str) -> list[tuple[str, str]]:
    """(property, raw value) of the calendar's own properties, in the order written."""
    if not name.strip() or not description.strip():
        raise ValueError("calendar name and description must not be empty (FEEDS.md item 13)")
    # icalendar's order (its canonical_order, then alphabetical), so both build paths agree.
    # No METHOD: a subscribed feed is not an iTIP message. METHOD:PUBLISH would make iTIP
    # validators (libical) demand an ORGANIZER on every event, and an ORGANIZER makes Outlook
    # show items as meetings someone invited you to; RFC 5545 3.7.2 also wants a METHOD to be
    # matched by a method= parameter on the Content-Type, which subscription URLs do not send.
    return [
        ("VERSION", "2.0"),
        ("PRODID", f"-//Service Week Planner//planner {version}//EN"),
        ("DESCRIPTION", description),
        ("X-WR-CALDESC", description),
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("REFRESH-INTERVAL", "PT1H"),
        ("X-PUBLISHED-TTL", "PT1H"),
        ("X-WR-TIMEZONE", tzid),
    ]


# Properties whose values are TEXT and need escaping; the rest are written as they are.
_HEADER_TEXT = frozenset({"PRODID", "NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-CALDESC"})
_HEADER_PARAMS = {"REFRESH-INTERVAL": ";VALUE=DURATION"}


def _check_vtimezone(vtimezone: str, tzid: str) -> None:
    """A TZID=... in the events needs its VTIMEZONE in the same file."""
    if tzid == UTC_TZID:
        if vtimezone:
            raise ValueError("Etc/UTC feeds carry no VTIMEZONE")
    elif not vtimezone.startswith("BEGIN:VTIMEZONE\r\n") or f"\r\nTZID:{tzid}\r\n" not in vtimezone:
        raise ValueError(f"vtimezone must be render_vtimezone({tzid!r}, ...)")


def assemble_calendar(
    pieces: Iterable[str], *, name: str, description: str, tzid: str, version: str, vtimezone: str
) -> bytes:
    """Join stored VEVENT pieces (in the order given) into a complete feed: UTF-8, CRLF, no BOM."""
    tzid = canonical_tzid(tzid)
    _check_vtimezone(vtimezone, tzid)
    header = "".join(
        fold_line(
            f"{prop}{_HEADER_PARAMS.get(prop, '')}:"
            + (escape_text(value) if prop in _HEADER_TEXT else value)
        )
        + "\r\n"
        for prop, value in _header_values(name, description, tzid, version)
    )
    body = list(pieces)
    for index, piece in enumerate(body):
        # Cheap guard: one truncated stored piece would break the feed for every subscriber.
        if not (piece.startswith("BEGIN:VEVENT\r\n") and piece.endswith("END:VEVENT\r\n")):
            raise ValueError(f"piece {index} is not a rendered VEVENT")
    text = "".join(["BEGIN:VCALENDAR\r\n", header, vtimezone, *body, "END:VCALENDAR\r\n"])
    return text.encode("utf-8")


def build_calendar_directly(
    events: Sequence[FeedEvent],
    *,
    name: str,
    description: str,
    tzid: str,
    version: str,
    years: range,
) -> bytes:
    """Build the whole feed with icalendar at request time: the slow baseline, same bytes."""
    tzid = canonical_tzid(tzid)
    calendar = Calendar()
    for prop, value in _header_values(name, description, tzid, version):
        if prop in ("REFRESH-INTERVAL", "X-PUBLISHED-TTL"):
            # icalendar leaves out VALUE=DURATION and writes a bare timedelta as "1:00:00".
            duration = vDuration(ONE_HOUR)
            if prop in _HEADER_PARAMS:
                duration.params["VALUE"] = "DURATION"
            calendar.add(prop, duration)
        elif prop in _HEADER_TEXT:
            calendar.add(prop, _Text(value))
        else:
            calendar.add(prop, value)
    vtimezone = render_vtimezone(tzid, years)
    if vtimezone:
        parsed = Calendar.from_ical("BEGIN:VCALENDAR\r\n" + vtimezone + "END:VCALENDAR\r\n")
        calendar.add_component(parsed.walk("VTIMEZONE")[0])
    for event in events:
        calendar.add_component(_event_component(event, tzid))
    return calendar.to_ical()

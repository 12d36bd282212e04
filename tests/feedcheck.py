"""Check an iCalendar feed's bytes against FEEDS.md items 1-18: ``check_feed(data) -> problems``.

Written independently of planner.feeds so that it can catch mistakes there: it parses the bytes
itself, reads zone.tab itself and interprets VTIMEZONE RRULEs with dateutil, then compares with
zoneinfo. Each problem starts with the FEEDS.md item number, e.g. ``"item 9: floating time ..."``.
An empty list means the feed passed. Usage from any test::

    from tests.feedcheck import check_feed
    assert check_feed(response.data) == []

Byte-stability across two renders (item 7) needs two renders: compare them in the caller.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

MAX_FEED_BYTES = 1_000_000  # Google drops feeds past ~1 MB (item 18)
PRODID = re.compile(r"^-//Service Week Planner//planner [^/]+//EN$")
DURATION = re.compile(r"^[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$")
UTC_TIME = re.compile(r"^\d{8}T\d{6}Z$")
LOCAL_TIME = re.compile(r"^\d{8}T\d{6}$")
DATE_VALUE = re.compile(r"^\d{8}$")
NAME = re.compile(r"^[A-Za-z0-9-]+$")
# TEXT properties holding one value: an unescaped "," or ";" in them is a defect (item 3).
SINGLE_TEXT = {"SUMMARY", "DESCRIPTION", "LOCATION", "COMMENT", "NAME", "X-WR-CALNAME"}
SINGLE_TEXT |= {"X-WR-CALDESC", "PRODID", "TZNAME"}
ESCAPE = re.compile(r"\\.?")  # a backslash and what it escapes, scanned left to right
VALID_ESCAPES = frozenset({"\\\\", "\\;", "\\,", "\\n", "\\N"})
CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
ONE_PER_EVENT = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "LAST-MODIFIED", "SUMMARY")


@dataclass
class Prop:
    """One unfolded content line."""

    name: str
    params: dict[str, str]
    value: str
    line: int


@dataclass
class Comp:
    """A component with its properties and subcomponents."""

    name: str
    line: int
    props: list[Prop] = field(default_factory=list)
    children: list[Comp] = field(default_factory=list)

    def all(self, name: str) -> list[Prop]:
        """Every property called ``name``."""
        return [p for p in self.props if p.name == name]

    def first(self, name: str) -> Prop | None:
        """The first property called ``name``, if any."""
        found = self.all(name)
        return found[0] if found else None


def _split_params(text: str) -> tuple[str, dict[str, str], str] | None:
    """Split ``NAME;P=V;P="a:b":value``; None when there is no unquoted colon."""
    quoted = False
    for index, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = text[:index], text[index + 1 :]
            name, *raw_params = re.split(r';(?=(?:[^"]*"[^"]*")*[^"]*$)', head)
            params = {}
            for raw in raw_params:
                key, _, val = raw.partition("=")
                params[key.upper()] = val.strip('"')
            return name.upper(), params, value
    return None


def _physical_checks(data: bytes, problems: list[str]) -> list[bytes] | None:
    """Items 1, 2, 18 on raw bytes; returns the physical lines or None if hopeless."""
    if len(data) > MAX_FEED_BYTES:
        problems.append(f"item 18: feed is {len(data):,} bytes, over Google's 1 MB limit")
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append("item 1: starts with a UTF-8 BOM (Google rejects the feed)")
        data = data[3:]
    if not data.startswith(b"BEGIN:VCALENDAR\r\n"):
        problems.append("item 1: does not start with BEGIN:VCALENDAR + CRLF")
    if not data.endswith(b"END:VCALENDAR\r\n"):
        problems.append("item 1: does not end with END:VCALENDAR + CRLF")
    if re.search(rb"(?<!\r)\n", data):
        problems.append("item 1: bare LF line ending (CRLF required)")
    if re.search(rb"\r(?!\n)", data):
        problems.append("item 1: bare CR inside the data")
    try:
        # Unfold first: a fold inside a character breaks the bytes but is an item-2 problem.
        re.sub(rb"\r?\n[ \t]", b"", data).decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(f"item 1: not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return None
    lines = []
    for number, raw in enumerate(re.split(rb"\r?\n", data.removesuffix(b"\n")), start=1):
        raw = raw.rstrip(b"\r")
        if len(raw) > 75:
            problems.append(f"item 2: line {number} is {len(raw)} octets (max 75)")
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"item 2: line {number} folds inside a UTF-8 character")
        lines.append(raw)
    return lines


def _parse(lines: list[bytes], problems: list[str]) -> Comp | None:
    """Unfold and build the component tree; report structural breakage."""
    logical: list[tuple[int, bytes]] = []
    for number, line in enumerate(lines, start=1):
        if line[:1] in (b" ", b"\t") and logical:
            logical[-1] = (logical[-1][0], logical[-1][1] + line[1:])
        elif line:
            logical.append((number, line))
    stack: list[Comp] = []
    root = None
    for number, raw in logical:
        text = raw.decode("utf-8")  # whole file decoded once already, so this cannot fail
        split = _split_params(text)
        if split is None or not NAME.match(split[0]):
            problems.append(f"item 1: line {number} is not a content line: {text[:40]!r}")
            continue
        name, params, value = split
        if name == "BEGIN":
            comp = Comp(value.upper(), number)
            if stack:
                stack[-1].children.append(comp)
            elif root is None:
                root = comp
            else:
                problems.append(f"item 1: line {number}: content after END:VCALENDAR")
            stack.append(comp)
        elif name == "END":
            if not stack or stack[-1].name != value.upper():
                problems.append(f"item 1: line {number}: END:{value} does not match its BEGIN")
                return root
            stack.pop()
        elif not stack:
            problems.append(f"item 1: line {number}: property outside any component")
        else:
            stack[-1].props.append(Prop(name, params, value, number))
    if stack:
        problems.append(f"item 1: BEGIN:{stack[-1].name} is never closed")
    return root


def parse_component(text: str) -> Comp:
    """Parse one CRLF component (e.g. a VTIMEZONE) with the checker's parser; ValueError if bad."""
    problems: list[str] = []
    component = _parse(text.encode("utf-8").split(b"\r\n")[:-1], problems)
    if problems or component is None:
        raise ValueError("; ".join(problems) or "no component")
    return component


def _text_checks(comp: Comp, problems: list[str]) -> None:
    """Item 3 for every TEXT property, in every component."""
    for prop in comp.props:
        if CONTROL.search(prop.value):
            problems.append(f"item 3: line {prop.line}: control character in {prop.name}")
        if prop.name in SINGLE_TEXT or prop.name == "CATEGORIES":
            if any(escape not in VALID_ESCAPES for escape in ESCAPE.findall(prop.value)):
                problems.append(f"item 3: line {prop.line}: bad backslash escape in {prop.name}")
            unescaped = re.sub(r"\\.", "", prop.value)
            forbidden = ";" if prop.name == "CATEGORIES" else ";,"
            if any(char in unescaped for char in forbidden):
                problems.append(f"item 3: line {prop.line}: unescaped , or ; in {prop.name}")
    for child in comp.children:
        _text_checks(child, problems)


def _calendar_checks(cal: Comp, problems: list[str]) -> None:
    """Items 4, 13, 14 on the VCALENDAR's own properties."""
    values = {p.name: p for p in cal.props}
    if [p.value for p in cal.all("VERSION")] != ["2.0"]:
        problems.append("item 4: VERSION must be 2.0, once")
    prodid = values.get("PRODID")
    if prodid is None or not PRODID.match(prodid.value):
        problems.append("item 4: PRODID must be -//Service Week Planner//planner <version>//EN")
    method = values.get("METHOD")
    if method is not None and method.value.upper() != "PUBLISH":
        problems.append(f"item 4: METHOD:{method.value} turns the feed into invitations")
    for name in ("NAME", "X-WR-CALNAME", "X-WR-CALDESC", "X-WR-TIMEZONE"):
        if name not in values or not values[name].value.strip():
            problems.append(f"item 13: {name} missing or empty")
    refresh = values.get("REFRESH-INTERVAL")
    if refresh is None or refresh.params.get("VALUE") != "DURATION":
        problems.append("item 14: REFRESH-INTERVAL;VALUE=DURATION missing")
    elif not DURATION.match(refresh.value):
        problems.append(f"item 14: REFRESH-INTERVAL {refresh.value!r} is not a duration")
    ttl = values.get("X-PUBLISHED-TTL")
    if ttl is None or not DURATION.match(ttl.value):
        problems.append("item 14: X-PUBLISHED-TTL missing or not a duration (e.g. PT1H)")
    for child in cal.children:
        if child.name not in ("VEVENT", "VTIMEZONE"):
            problems.append(f"item 15: {child.name} component (only VEVENT and VTIMEZONE)")


def _walk(comp: Comp):
    """The component and all its descendants."""
    yield comp
    for child in comp.children:
        yield from _walk(child)


def _alarm_checks(event: Comp, alarms: bool, problems: list[str]) -> None:
    """Item 16: no VALARM unless the feed's owner opted in; then one display alarm, relative."""
    found = [c for c in event.children if c.name == "VALARM"]
    if found and not alarms:
        problems.append(f"item 16: VALARM at line {found[0].line}")
        return
    if len(found) > 1:
        problems.append(f"item 16: {len(found)} VALARMs in the VEVENT at line {event.line}")
    status = event.first("STATUS")
    for alarm in found:
        action, trigger = alarm.first("ACTION"), alarm.first("TRIGGER")
        if action is None or action.value != "DISPLAY" or not alarm.first("DESCRIPTION"):
            problems.append(f"item 16: VALARM at line {alarm.line} is not a DISPLAY alarm")
        if trigger is None or not DURATION.match(trigger.value) or trigger.params.get("VALUE"):
            problems.append(f"item 16: VALARM at line {alarm.line} needs a relative TRIGGER")
        if status is not None and status.value == "CANCELLED":
            problems.append(f"item 16: VALARM at line {alarm.line} rings for a cancelled event")


def _invitation_checks(cal: Comp, problems: list[str]) -> None:
    """Item 4: nothing that makes clients treat the feed as invitations."""
    for comp in _walk(cal):
        for prop in comp.props:
            if prop.name in ("ATTENDEE", "ORGANIZER"):
                problems.append(f"item 4: {prop.name} at line {prop.line}")
            if "RSVP" in prop.params:
                problems.append(f"item 4: RSVP parameter at line {prop.line}")


@cache
def _zone_tab() -> frozenset[str]:
    """zone.tab names: the canonical one-per-region names (plus Etc/UTC)."""
    text = (resources.files("tzdata") / "zoneinfo" / "zone.tab").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    return frozenset(row[2] for row in rows if len(row) > 2) | {"Etc/UTC"}


def _offset(text: str) -> timedelta:
    """Parse ±HHMM[SS]."""
    sign = -1 if text[0] == "-" else 1
    hours, minutes, seconds = int(text[1:3]), int(text[3:5]), int(text[5:7] or 0)
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


@dataclass
class ZoneRules:
    """What a client that trusts a VTIMEZONE computes from it (RRULEs expanded by dateutil)."""

    utc_onsets: list[tuple[datetime, timedelta]]  # (UTC instant, offset from then on), sorted
    local_onsets: list[tuple[datetime, timedelta]]  # (naive local onset, offset from then on)

    @classmethod
    def from_vtimezone(cls, vtz: Comp, until: int = 2100) -> ZoneRules:
        """Expand every block's DTSTART + RRULE up to ``until``; ValueError if malformed."""
        utc_onsets, local_onsets = [], []
        for block in vtz.children:
            props = {name: block.first(name) for name in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO")}
            if any(prop is None for prop in props.values()):
                raise ValueError(f"{block.name} lacks DTSTART/TZOFFSETFROM/TZOFFSETTO")
            start = datetime.strptime(props["DTSTART"].value, "%Y%m%dT%H%M%S")  # type: ignore[union-attr]
            before = _offset(props["TZOFFSETFROM"].value)  # type: ignore[union-attr]
            after = _offset(props["TZOFFSETTO"].value)  # type: ignore[union-attr]
            onsets = [start]
            rule = block.first("RRULE")
            if rule is not None:
                expanded = rrulestr(rule.value, dtstart=start, cache=False)
                onsets = list(expanded.between(start, datetime(until, 12, 31), inc=True))  # type: ignore[union-attr]
            for rdate in block.all("RDATE"):
                onsets += [datetime.strptime(v, "%Y%m%dT%H%M%S") for v in rdate.value.split(",")]
            # RFC 5545: an onset is local time in the offset in force before it (TZOFFSETFROM).
            utc_onsets += [((t - before).replace(tzinfo=UTC), after) for t in onsets]
            local_onsets += [(t, after) for t in onsets]
        if not utc_onsets:
            raise ValueError("no observances")
        return cls(sorted(utc_onsets), sorted(local_onsets))

    def offset_at(self, instant: datetime) -> timedelta:
        """UTC offset at an aware instant: that of the latest onset at or before it."""
        index = bisect_right(self.utc_onsets, (instant, timedelta.max))
        return self.utc_onsets[max(index - 1, 0)][1]

    def offset_of_local(self, local: datetime) -> timedelta:
        """UTC offset for a wall time (the first of a repeated hour, as RFC 5545 says)."""
        index = bisect_right(self.local_onsets, (local, timedelta.max))
        return self.local_onsets[max(index - 1, 0)][1]


def vtimezone_mismatch(tzid: str, rules: ZoneRules, years: range) -> str | None:
    """First instant in ``years`` where the VTIMEZONE and zoneinfo disagree, hour by hour.

    Compared at noon UTC every day, and hour by hour through any day in which either source
    changes offset, so a transition placed on the wrong day or hour is found cheaply.
    """
    zone = ZoneInfo(tzid)
    day, hour = timedelta(days=1), timedelta(hours=1)
    t, end = datetime(years.start, 1, 1, 12, tzinfo=UTC), datetime(years.stop, 1, 1, tzinfo=UTC)
    previous = (rules.offset_at(t - day), (t - day).astimezone(zone).utcoffset())
    while t < end:
        current = (rules.offset_at(t), t.astimezone(zone).utcoffset())
        hours = range(-23, 1) if current != previous else range(0, 1)
        for back in hours:
            instant = t + back * hour
            ours, theirs = rules.offset_at(instant), instant.astimezone(zone).utcoffset()
            if ours != theirs:
                when = f"{instant:%Y-%m-%d %H:%M}Z"
                return f"VTIMEZONE {tzid} gives UTC{ours} at {when}, zoneinfo UTC{theirs}"
        previous = current
        t += day
    return None


def _yearly_shape(vtz: Comp, tzid: str, problems: list[str]) -> None:
    """Item 10, stable rules: one STANDARD and at most one DAYLIGHT, each with a yearly RRULE."""
    kinds = [c.name for c in vtz.children]
    if kinds.count("STANDARD") != 1 or kinds.count("DAYLIGHT") > 1 or len(kinds) > 2:
        problems.append(f"item 10: {tzid} needs one STANDARD and at most one DAYLIGHT")
    for block in vtz.children:
        rule = block.first("RRULE")
        if "DAYLIGHT" in kinds and (rule is None or "FREQ=YEARLY" not in rule.value):
            problems.append(f"item 10: {tzid} {block.name} needs a yearly RRULE")


def _dated_shape(vtz: Comp, tzid: str, problems: list[str]) -> None:
    """Item 18c, rules that change in the window: dated blocks, none repeating, in time order.

    Each block happens once (no RRULE, no RDATE), the DTSTARTs grow, and each block starts
    from the offset the one before it ended in, so no hour is defined twice or not at all.
    """
    previous: Comp | None = None
    for block in vtz.children:
        if block.first("RRULE") is not None:
            problems.append(f"item 18c: {tzid} mixes dated and RRULE blocks")
        start, before = block.first("DTSTART"), block.first("TZOFFSETFROM")
        if previous is not None and start is not None and before is not None:
            last_start, last_after = previous.first("DTSTART"), previous.first("TZOFFSETTO")
            if last_start is not None and start.value <= last_start.value:
                problems.append(f"item 18c: {tzid} dated blocks out of order at {start.value}")
            if last_after is not None and before.value != last_after.value:
                problems.append(
                    f"item 18c: {tzid} {start.value} does not start where the last ended"
                )
        previous = block


def _vtimezone_checks(cal: Comp, problems: list[str]) -> dict[str, ZoneRules | None]:
    """Item 10: shape, canonical sorted names; returns each zone's rules by TZID."""
    zones: dict[str, ZoneRules | None] = {}
    for vtz in (c for c in cal.children if c.name == "VTIMEZONE"):
        tzid_prop = vtz.first("TZID")
        tzid = tzid_prop.value if tzid_prop else ""
        if tzid in zones:
            problems.append(f"item 10: VTIMEZONE {tzid} appears twice")
        try:
            zones[tzid] = ZoneRules.from_vtimezone(vtz)
        except ValueError as exc:
            problems.append(f"item 10: VTIMEZONE {tzid} is malformed: {exc}")
            zones[tzid] = None
        if tzid not in _zone_tab():
            problems.append(f"item 10: TZID {tzid!r} is not a canonical IANA region name")
        if any(b.first("RRULE") is None for b in vtz.children) and len(vtz.children) > 1:
            _dated_shape(vtz, tzid, problems)
        else:
            _yearly_shape(vtz, tzid, problems)
        for block in vtz.children:
            if block.all("RDATE"):
                problems.append(f"item 10: {tzid} {block.name} has RDATE (Outlook shifts an hour)")
            for name in ("DTSTART", "TZOFFSETFROM", "TZOFFSETTO"):
                if block.first(name) is None:
                    problems.append(f"item 10: {tzid} {block.name} lacks {name}")
    if list(zones) != sorted(zones):
        problems.append("item 10: VTIMEZONE blocks are not sorted by TZID")
    return zones


def _loadable(tzid: str) -> bool:
    """True when zoneinfo knows ``tzid``."""
    try:
        ZoneInfo(tzid)
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return False
    return True


def _instant(
    prop: Prop, zones: dict[str, ZoneRules | None], problems: list[str]
) -> datetime | date | None:
    """Item 9: the value as an aware datetime (via zoneinfo), a date, or None when malformed."""
    value, tzid = prop.value, prop.params.get("TZID")
    if prop.params.get("VALUE") == "DATE" or DATE_VALUE.match(value):
        if prop.params.get("VALUE") != "DATE":
            problems.append(f"item 11: line {prop.line}: date without VALUE=DATE")
        if not DATE_VALUE.match(value):
            problems.append(f"item 11: line {prop.line}: VALUE=DATE but {value!r}")
            return None
        return datetime.strptime(value, "%Y%m%d").date()
    if UTC_TIME.match(value):
        if tzid:
            problems.append(f"item 9: line {prop.line}: UTC time with a TZID")
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if not LOCAL_TIME.match(value):
        problems.append(f"item 9: line {prop.line}: malformed date-time {value!r}")
        return None
    if not tzid:
        problems.append(f"item 9: line {prop.line}: floating time {value} (Google reads it as UTC)")
        return None
    if tzid not in zones:
        problems.append(f"item 9: line {prop.line}: TZID {tzid} has no VTIMEZONE in the file")
        return None
    local = datetime.strptime(value, "%Y%m%dT%H%M%S")
    if not _loadable(tzid):
        return None  # reported as item 10 (not a canonical name)
    expected = local.replace(tzinfo=ZoneInfo(tzid))
    rules = zones[tzid]
    # What a client that trusts the file's VTIMEZONE (Outlook, Thunderbird) computes.
    offset = rules.offset_of_local(local) if rules else expected.utcoffset()
    if expected.utcoffset() != offset:
        problems.append(
            f"item 10: line {prop.line}: VTIMEZONE {tzid} gives UTC{offset} at {value},"
            f" zoneinfo gives UTC{expected.utcoffset()}"
        )
    return expected


def _event_checks(
    event: Comp, zones: dict[str, ZoneRules | None], problems: list[str]
) -> str | None:
    """Items 5-12, 15, 17 for one VEVENT; returns its UID."""
    uid_prop = event.first("UID")
    where = f"VEVENT at line {event.line}" + (f" ({uid_prop.value})" if uid_prop else "")
    for name in ONE_PER_EVENT:
        count = len(event.all(name))
        if count != 1:
            item = {"UID": 5, "DTSTAMP": 7, "SEQUENCE": 6, "LAST-MODIFIED": 6, "DTEND": 12}
            problems.append(f"item {item.get(name, 9)}: {where} has {count} {name}")
    for name in ("RRULE", "RDATE", "EXDATE", "RECURRENCE-ID"):
        if event.all(name):
            problems.append(f"item 5: {where} has {name} (one VEVENT and UID per occurrence)")
    if event.all("DURATION"):
        problems.append(f"item 12: {where} uses DURATION (write DTEND)")
    sequence = event.first("SEQUENCE")
    if sequence is not None and not sequence.value.isdigit():
        problems.append(f"item 6: {where} SEQUENCE {sequence.value!r} is not a count")
    for name, item in (("DTSTAMP", 7), ("LAST-MODIFIED", 6)):
        prop = event.first(name)
        if prop is not None and (not UTC_TIME.match(prop.value) or prop.params):
            problems.append(f"item {item}: {where} {name} is not in UTC: {prop.value}")
    stamp, modified = event.first("DTSTAMP"), event.first("LAST-MODIFIED")
    if stamp and modified and stamp.value != modified.value:
        problems.append(f"item 7: {where} DTSTAMP is not the last revision (LAST-MODIFIED)")
    status = event.first("STATUS")
    if status is not None and status.value not in ("CONFIRMED", "TENTATIVE", "CANCELLED"):
        problems.append(f"item 8: {where} STATUS {status.value!r}")
    if status is not None and status.value == "CANCELLED" and sequence and sequence.value == "0":
        problems.append(f"item 8: {where} cancelled without raising SEQUENCE")
    transp = event.first("TRANSP")
    if transp is not None and transp.value not in ("OPAQUE", "TRANSPARENT"):
        problems.append(f"item 15: {where} TRANSP {transp.value!r}")
    if not event.all("CATEGORIES"):
        problems.append(f"item 17: {where} has no CATEGORIES")
    url = event.first("URL")
    if url is None or not re.match(r"^https?://\S+$", url.value):
        problems.append(f"item 17: {where} has no URL back to the app")
    start_prop, end_prop = event.first("DTSTART"), event.first("DTEND")
    if start_prop and end_prop:
        start = _instant(start_prop, zones, problems)
        end = _instant(end_prop, zones, problems)
        if start is not None and end is not None:
            if isinstance(start, datetime) != isinstance(end, datetime):
                problems.append(f"item 12: {where} DTSTART and DTEND of different types")
            elif end <= start:  # type: ignore[operator]
                problems.append(f"item 11: {where} DTEND is not after DTSTART (exclusive end)")
            elif (
                isinstance(start, datetime)
                and start_prop.value.endswith("T000000Z")
                and end_prop.value.endswith("T000000Z")
            ):
                problems.append(f"item 11: {where} all-day item written as midnight UTC")
    return uid_prop.value if uid_prop else None


# How a cancelled title starts, per reader language (planner.feeds.wording adds languages).
CANCELLED_PREFIXES = ("Cancelled: ", "Geannuleerd: ", "Atšaukta: ")  # en, nl, lt
# The one kind of all-day item that blocks the day (a day away from one's work), by category.
WHOLE_DAY_CATEGORIES = frozenset(
    {"Refresher training", "Opfriscursus", "Žinių atnaujinimo mokymai"}
)


def _app_checks(event: Comp, problems: list[str]) -> None:
    """Items 18a and 18b, which the app's wording adds to plain FeedEvents."""
    where = f"VEVENT at line {event.line}"
    status, transp = event.first("STATUS"), event.first("TRANSP")
    summary = event.first("SUMMARY")
    if status is not None and status.value == "CANCELLED":
        if transp is None or transp.value != "TRANSPARENT":
            problems.append(f"item 18a: {where} is cancelled but still blocks time")
        if summary is None or not summary.value.startswith(CANCELLED_PREFIXES):
            problems.append(f"item 18a: {where} is cancelled but its title does not say so")
    start = event.first("DTSTART")
    categories = {c for p in event.all("CATEGORIES") for c in re.split(r"(?<!\\),", p.value)}
    all_day = start is not None and start.params.get("VALUE") == "DATE"
    opaque = transp is not None and transp.value == "OPAQUE"
    if all_day and opaque and not categories & WHOLE_DAY_CATEGORIES:
        problems.append(f"item 18a: {where} is an all-day item that blocks the whole day")
    url, description = event.first("URL"), event.first("DESCRIPTION")
    if url is not None:
        # DESCRIPTION is TEXT: the URL's commas and semicolons arrive escaped.
        escaped = url.value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        if description is None or not description.value.endswith(escaped):
            problems.append(f"item 18b: {where} DESCRIPTION does not end with its link")


def check_feed(data: bytes, *, app_rules: bool = True, alarms: bool = False) -> list[str]:
    """Every FEEDS.md (items 1-18c) problem found in one feed's bytes; [] when it is clean.

    ``app_rules=False`` leaves out 18a/18b (what the app's wording adds), for plain FeedEvents;
    ``alarms=True`` accepts well-formed reminders (the feed's owner opted in).
    """
    problems: list[str] = []
    lines = _physical_checks(data, problems)
    if lines is None:
        return problems
    cal = _parse(lines, problems)
    if cal is None or cal.name != "VCALENDAR":
        return [*problems, "item 1: no VCALENDAR"]
    _text_checks(cal, problems)
    _calendar_checks(cal, problems)
    _invitation_checks(cal, problems)
    zones = _vtimezone_checks(cal, problems)
    seen: dict[str, int] = {}
    events = [c for c in cal.children if c.name == "VEVENT"]
    for tzid, rules in zones.items():
        used = [
            int(p.value[:4])
            for event in events
            for p in event.props
            if p.params.get("TZID") == tzid and p.value[:4].isdigit()
        ]
        if rules is not None and used and _loadable(tzid):
            mismatch = vtimezone_mismatch(tzid, rules, range(min(used), max(used) + 1))
            if mismatch:
                problems.append(f"item 10: {mismatch}")
    for event in events:
        _alarm_checks(event, alarms, problems)
        if app_rules:
            _app_checks(event, problems)
        uid = _event_checks(event, zones, problems)
        if uid is not None:
            if uid in seen:
                problems.append(
                    f"item 5: UID {uid} used by VEVENTs at lines {seen[uid]} and {event.line}"
                )
            seen.setdefault(uid, event.line)
    return problems

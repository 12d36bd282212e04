"""Outlook-shaped VTIMEZONE blocks generated from zoneinfo (FEEDS.md items 9 and 10).

Pure: no Flask, no database. ``render_vtimezone(tzid, years)`` finds the zone's real UTC-offset
transitions in ``years`` and expresses them as one STANDARD and at most one DAYLIGHT block, each
with a yearly RRULE and no RDATE lists (icalendar's ``add_missing_timezones()`` writes RDATE lists
and several STANDARD blocks, which shift Outlook by an hour). A zone whose rule changes inside
``years`` (Africa/Casablanca and Africa/El_Aaiun follow Ramadan; Asia/Gaza and Asia/Hebron moved
their 2025 change) cannot be said that way: it gets *dated* blocks instead, one per change, each
with its own DTSTART and neither RRULE nor RDATE, after an opening block for the offset in force
when ``years`` begins (FEEDS.md 18c). Pass the feed's window (``feed_years(today)``), not history.

``canonical_tzid`` turns a name into the one written in feeds: a zone.tab name (the one-per-region
names that time-zone pickers list, e.g. ``Europe/Amsterdam``, ``Asia/Kolkata``) or ``Etc/UTC``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_TZID = "Etc/UTC"
_UTC_ALIASES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Etc/Universal", "Zulu", "Etc/Zulu"}
)
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A block's DTSTART is the rule's first instance in 1970, as Google and libical write it, so every
# date a feed can hold comes after the onset (clients differ on dates before any onset).
_EPOCH_YEAR = 1970
_VALID_NAME = re.compile(r"^[A-Za-z0-9_+\-/]+$")


def _tz_file(name: str) -> str:
    """Text of a tzdata table, from the tzdata package zoneinfo falls back on, else the system."""
    try:
        return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return Path("/usr/share/zoneinfo", name).read_text(encoding="utf-8")


@cache
def _zone_tab() -> frozenset[str]:
    """Names listed in zone.tab: one per region, including merged ones like Europe/Amsterdam."""
    rows = (line.split("\t") for line in _tz_file("zone.tab").splitlines())
    return frozenset(row[2] for row in rows if len(row) > 2 and not row[0].startswith("#"))


@cache
def _links() -> dict[str, str]:
    """Link name -> target from tzdata.zi (``L target name``)."""
    links = {}
    for line in _tz_file("tzdata.zi").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "L":
            links[parts[2]] = parts[1]
    return links


@lru_cache(maxsize=256)
def canonical_tzid(name: str) -> str:
    """Return the zone.tab (or Etc/UTC) name for an IANA zone name; ValueError if unknown."""
    if not _VALID_NAME.match(name or ""):
        raise ValueError(f"not an IANA time zone name: {name!r}")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown IANA time zone: {name!r}") from exc
    if name in _UTC_ALIASES:
        return UTC_TZID
    if name in _zone_tab():
        return name
    # Renamed or legacy names (Asia/Calcutta, Europe/Kiev, US/Central) are links to the new name.
    target = _links().get(name)
    if target in _zone_tab():
        return target
    raise ValueError(f"{name!r} is not a canonical region zone; pick one like 'Europe/Amsterdam'")


def feed_years(today: date) -> range:
    """Years a feed window (90 days back, 15 months ahead) can touch around ``today``."""
    return range(today.year - 1, today.year + 3)


@dataclass(frozen=True)
class _Transition:
    onset: datetime  # naive local wall time, read in the offset in force before the change
    offset_from: timedelta
    offset_to: timedelta
    name: str
    dst: bool = False  # zoneinfo calls the new offset daylight-saving time


def _year_transitions(zone: ZoneInfo, year: int) -> list[_Transition]:
    """Every UTC-offset change in ``year``, found by 12-hour steps and bisection to the second."""
    found = []
    step = timedelta(hours=12)
    t = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = t.astimezone(zone).utcoffset()
    while t < end:
        after = (t + step).astimezone(zone).utcoffset()
        if after != before:
            low, high = 0, int(step.total_seconds())  # offset(t + low) == before, at high not
            while high - low > 1:
                mid = (low + high) // 2
                if (t + timedelta(seconds=mid)).astimezone(zone).utcoffset() == before:
                    low = mid
                else:
                    high = mid
            assert before is not None and after is not None
            instant = t + timedelta(seconds=high)
            local = instant.astimezone(zone)
            onset = (instant + before).replace(tzinfo=None)
            if onset.year == year:
                found.append(
                    _Transition(onset, before, after, local.tzname() or "", bool(local.dst()))
                )
            before = after
        t += step
    return found


def _rule_candidates(day: date) -> list[str]:
    """RRULE parts (without FREQ) that produce ``day`` in its year, best for Outlook first.

    Parts are in icalendar's canonical order so the text round-trips through it unchanged.
    """
    weekday = _WEEKDAYS[day.weekday()]
    last = calendar.monthrange(day.year, day.month)[1]
    candidates = []
    if day.day + 7 > last:
        candidates.append(f"BYDAY=-1{weekday};BYMONTH={day.month}")
    if day.day <= 28:
        candidates.append(f"BYDAY={(day.day - 1) // 7 + 1}{weekday};BYMONTH={day.month}")
    # "First Friday on or after the 23rd" rules (Israel) need a BYMONTHDAY window.
    for first in range(max(1, day.day - 6), min(day.day, last - 6) + 1):
        days = ",".join(str(d) for d in range(first, first + 7))
        candidates.append(f"BYDAY={weekday};BYMONTHDAY={days};BYMONTH={day.month}")
    candidates.append(f"BYMONTHDAY={day.day};BYMONTH={day.month}")
    return candidates


def _first_instance(rule: str, year: int) -> date:
    """The date in ``year`` that a rule from ``_rule_candidates`` produces."""
    parts = dict(part.split("=") for part in rule.split(";"))
    month = int(parts["BYMONTH"])
    last = calendar.monthrange(year, month)[1]
    days = [
        int(d) for d in parts.get("BYMONTHDAY", ",".join(map(str, range(1, last + 1)))).split(",")
    ]
    days = [d for d in days if d <= last]
    byday = parts.get("BYDAY")
    if byday is None:
        return date(year, month, days[0])
    weekday = _WEEKDAYS.index(byday[-2:])
    matches = [date(year, month, d) for d in days if date(year, month, d).weekday() == weekday]
    nth = byday[:-2]
    return matches[int(nth) - 1 if nth and int(nth) > 0 else -1 if nth else 0]


def _offset(delta: timedelta) -> str:
    """UTC offset as ±HHMM (±HHMMSS when it has seconds)."""
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _block(kind: str, onsets: list[_Transition], tzid: str) -> list[str]:
    """One STANDARD or DAYLIGHT block whose yearly RRULE reproduces every onset given."""
    first = onsets[0]
    if any(
        (t.offset_from, t.offset_to, t.onset.time(), t.onset.month)
        != (first.offset_from, first.offset_to, first.onset.time(), first.onset.month)
        for t in onsets
    ):
        raise ValueError(f"{tzid}: {kind} rule changes within the years asked for")
    common = _rule_candidates(first.onset.date())
    for t in onsets[1:]:
        common = [r for r in common if r in _rule_candidates(t.onset.date())]
    if not common:
        raise ValueError(f"{tzid}: {kind} onsets follow no yearly rule within the years asked for")
    rule = common[0]
    start = datetime.combine(_first_instance(rule, _EPOCH_YEAR), first.onset.time())
    # Alphabetical, as icalendar writes them, so the text round-trips through it unchanged.
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{start:%Y%m%dT%H%M%S}",
        f"RRULE:FREQ=YEARLY;{rule}",
        *([f"TZNAME:{first.name}"] if first.name else []),
        f"TZOFFSETFROM:{_offset(first.offset_from)}",
        f"TZOFFSETTO:{_offset(first.offset_to)}",
        f"END:{kind}",
    ]


def _fixed_block(
    kind: str, onset: datetime, before: timedelta, after: timedelta, name: str
) -> list[str]:
    """A STANDARD or DAYLIGHT block that happens once, at ``onset`` (no RRULE, no RDATE)."""
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{onset:%Y%m%dT%H%M%S}",
        *([f"TZNAME:{name}"] if name else []),
        f"TZOFFSETFROM:{_offset(before)}",
        f"TZOFFSETTO:{_offset(after)}",
        f"END:{kind}",
    ]


def _opening(zone: ZoneInfo, years: range) -> tuple[str, timedelta, str]:
    """(kind, offset, name) in force when ``years`` begin."""
    local = datetime(years.start, 1, 1, tzinfo=UTC).astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None
    return ("DAYLIGHT" if local.dst() else "STANDARD"), offset, local.tzname() or ""


def _dated_blocks(zone: ZoneInfo, years: range, transitions: list[_Transition]) -> list[str]:
    """One dated block per change, after an opening block for the offset in force before them."""
    kind, offset, name = _opening(zone, years)
    start = datetime(_EPOCH_YEAR, 1, 1)
    lines = _fixed_block(kind, start, offset, offset, name)
    for t in transitions:
        kind = "DAYLIGHT" if t.dst else "STANDARD"
        lines += _fixed_block(kind, t.onset, t.offset_from, t.offset_to, t.name)
    return lines


def _yearly_blocks(tzid: str, years: range, transitions: list[_Transition]) -> list[str]:
    """One STANDARD and one DAYLIGHT block with yearly RRULEs; ValueError if the rule changes."""
    daylight = [t for t in transitions if t.offset_to > t.offset_from]
    standard = [t for t in transitions if t.offset_to < t.offset_from]
    if len(daylight) != len(years) or len(standard) != len(years):
        raise ValueError(f"{tzid}: not one daylight-saving change each way every year")
    return _block("STANDARD", standard, tzid) + _block("DAYLIGHT", daylight, tzid)


@lru_cache(maxsize=64)
def render_vtimezone(tzid: str, years: range) -> str:
    """Outlook-shaped VTIMEZONE (CRLF text) for ``tzid`` over ``years``; "" for Etc/UTC."""
    tzid = canonical_tzid(tzid)
    if tzid == UTC_TZID:
        return ""  # timed events are written in UTC ("Z"): nothing to define
    if len(years) == 0:
        raise ValueError("years must not be empty")
    zone = ZoneInfo(tzid)
    transitions = [t for year in years for t in _year_transitions(zone, year)]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    if not transitions:
        _kind, offset, name = _opening(zone, years)
        lines += _fixed_block("STANDARD", datetime(_EPOCH_YEAR, 1, 1), offset, offset, name)
    else:
        try:
            lines += _yearly_blocks(tzid, years, transitions)
        except ValueError:
            lines += _dated_blocks(zone, years, transitions)
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines) + "\r\n"

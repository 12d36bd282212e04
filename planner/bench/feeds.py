"""Feed benchmark: `python -m planner.bench feeds [--events N] [--personal N] [--repeat N]`.

Prints, from one run: assembling an org feed from stored VEVENT pieces, building the same feed
with icalendar at request time, their ratio, a personal feed from pieces, sizes and the cost of
rendering one piece. Figures only; nothing here asserts a timing.

The pure part is ``measure_pure``; an HTTP part (gunicorn + wrk against the real endpoint) belongs
in its own ``measure_http(options) -> list[Row]`` whose rows ``main`` prints after these.
"""

from __future__ import annotations

import argparse
import gzip
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as time_of_day
from importlib import metadata
from zoneinfo import ZoneInfo

from planner.feeds.ical import (
    FeedEvent,
    assemble_calendar,
    build_calendar_directly,
    feed_years,
    make_uid,
    render_vevent,
    render_vtimezone,
)
from planner.feeds.sizing import LIMIT_BYTES, fit

VERSION = "bench"
TODAY = date(2026, 6, 1)  # fixed, so runs are comparable and bytes identical between runs
Row = tuple[str, str, str, str]  # what, measured, target, note

KINDS = [  # (categories, title, all-day?, transparent?)
    (("P4", "Skip-level"), "Skip-level: {leader} with {team}", False, False),
    (("P1", "Recognition"), "Service star of the month: {person}", False, False),
    (("P2", "Outreach"), "Thank {person} for customer praise", True, True),
    (("P4", "Follow-up"), "Follow up: {team} asked for better tooling", True, True),
    (("P3", "Scorecard"), "NPS and CSAT beside internal metrics: {team}", False, False),
    (("P5", "Career"), "Career conversation: {person}", False, False),
]
NAMES = ["Jane Doe", "Ona Kazlauskienė", "Wei Zhang", "Priya Nair", "Tom Müller", "Ana Šimić"]
TEAMS = ["Support Tier 1", "Billing, EU", "Kaunas Contact Centre", "Chicago Nights", "客服 Team"]


@dataclass(frozen=True)
class Options:
    """Command-line options."""

    events: int
    personal: int
    repeat: int
    tzid: str


def sample_plan(count: int, tzid: str, seed: int = 7) -> list[FeedEvent]:
    """A deterministic plan spread over a feed window (90 days back, 15 months ahead)."""
    rng, zone = random.Random(seed), ZoneInfo(tzid)
    first = TODAY - timedelta(days=90)
    events = []
    for key in range(1, count + 1):
        categories, title, all_day, transparent = rng.choice(KINDS)
        day = first + timedelta(days=rng.randrange(90 + 456))
        words = {
            "leader": rng.choice(NAMES),
            "person": rng.choice(NAMES),
            "team": rng.choice(TEAMS),
        }
        if all_day:
            start: date | datetime = day
            end: date | datetime = day + timedelta(days=1)
        else:
            start = datetime(
                day.year, day.month, day.day, rng.choice([9, 10, 14, 15]), 0, tzinfo=zone
            )
            end = start + timedelta(minutes=rng.choice([30, 45, 60]))
        events.append(
            FeedEvent(
                uid=make_uid(key, "planner.example.org"),
                sequence=rng.choice([0, 0, 0, 1, 2]),
                last_modified=datetime(2026, 5, 1, tzinfo=UTC) + timedelta(minutes=key),
                title=title.format(**words),
                description=(
                    "Why: appreciation as a habit, not one week a year.\n"
                    f"Prepared by {words['leader']}; notes and actions are in the planner."
                ),
                location="" if all_day else rng.choice(["", "Room 4.12", "Teams call"]),
                url=f"https://planner.example.org/events/{key}",
                categories=categories,
                status="CANCELLED" if rng.random() < 0.02 else "CONFIRMED",
                start=start,
                end=end,
                transparent=transparent,
            )
        )
    return events


def timed(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time of ``repeat`` runs, in seconds, and the last result."""
    times, result = [], None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _ms(seconds: float) -> str:
    """Seconds as a readable duration."""
    return f"{seconds * 1000:,.2f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def measure_pure(options: Options) -> list[Row]:
    """Time the pure iCalendar layer: stored pieces versus icalendar at request time."""
    tzid, years = options.tzid, feed_years(TODAY)
    plan = sample_plan(options.events, tzid)
    header = {"name": "Org feed", "description": "All events", "tzid": tzid, "version": VERSION}

    render_time, pieces = timed(lambda: [render_vevent(e, tzid) for e in plan], 1)
    assert isinstance(pieces, list)
    vtz_time, vtimezone = timed(lambda: render_vtimezone.__wrapped__(tzid, years), options.repeat)
    assert isinstance(vtimezone, str)

    org_time, org = timed(
        lambda: assemble_calendar(pieces, vtimezone=vtimezone, **header), options.repeat * 5
    )
    direct_time, direct = timed(
        lambda: build_calendar_directly(plan, years=years, **header), max(1, options.repeat // 2)
    )
    personal_pieces = pieces[: options.personal]
    personal_time, personal = timed(
        lambda: assemble_calendar(personal_pieces, vtimezone=vtimezone, **header),
        options.repeat * 20,
    )
    assert isinstance(org, bytes) and isinstance(personal, bytes)
    gzip_time, packed = timed(lambda: gzip.compress(org, compresslevel=6, mtime=0), options.repeat)
    assert isinstance(packed, bytes)
    n, p = len(plan), len(personal_pieces)
    size_note = "over Google's 1 MB limit" if len(org) > LIMIT_BYTES else "< 1 MB"
    fitted_rows = _fitted_rows(plan, pieces, header, vtimezone, options.repeat)
    return [
        (f"org feed, {n:,} events, from stored pieces", _ms(org_time), "<= 1 s", f"{len(org):,} B"),
        (
            f"org feed, {n:,} events, icalendar at request",
            _ms(direct_time),
            "baseline ~3 s",
            "same bytes" if direct == org else "BYTES DIFFER",
        ),
        ("  request-time / stored pieces", f"{direct_time / org_time:,.0f}x", "", ""),
        (
            f"personal feed, {p:,} events, from pieces",
            _ms(personal_time),
            "<= 50 ms",
            f"{len(personal):,} B",
        ),
        (
            "render one VEVENT piece (on change)",
            _ms(render_time / n),
            "",
            f"{n:,} in {_ms(render_time)}",
        ),
        ("render VTIMEZONE (cached per zone)", _ms(vtz_time), "", tzid),
        ("gzip -6 of the org feed", _ms(gzip_time), "", f"{len(packed):,} B"),
        ("org feed size, every event in the window", f"{len(org):,} B", "", size_note),
        *fitted_rows,
    ]


def _fitted_rows(
    plan: list[FeedEvent], pieces: list[str], header: dict[str, str], vtimezone: str, repeat: int
) -> list[Row]:
    """The org feed as the app serves it: window narrowed by planner.feeds.sizing to fit 1 MB."""
    now = datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=UTC)
    zone = ZoneInfo(header["tzid"])
    starts = [
        e.start if isinstance(e.start, datetime) else datetime.combine(e.start, time_of_day(), zone)
        for e in plan
    ]
    order = sorted(range(len(plan)), key=lambda i: (starts[i].astimezone(UTC), plan[i].uid))
    empty = len(assemble_calendar([], vtimezone=vtimezone, **header))

    def fitted() -> bytes:
        sizes = [len(pieces[i].encode("utf-8")) for i in order]
        kept = fit([starts[i] for i in order], sizes, empty, now)
        return assemble_calendar((pieces[order[i]] for i in kept.keep), vtimezone=vtimezone,
                                 **header)  # fmt: skip

    fit_time, body = timed(fitted, repeat)
    assert isinstance(body, bytes)
    kept = fit([starts[i] for i in order], [len(pieces[i].encode()) for i in order], empty, now)
    back = kept.cut_before.date().isoformat() if kept.cut_before else "-"
    ahead = kept.cut_after.date().isoformat() if kept.cut_after else "-"
    return [
        (
            "org feed as served (fitted to < 1 MB)",
            f"{len(body):,} B",
            "< 1,000,000 B",
            f"{len(kept.keep):,} of {len(plan):,} events; cut before {back}, from {ahead}",
        ),
        ("  fit + assemble", _ms(fit_time), "", ""),
    ]


def print_rows(title: str, rows: list[Row]) -> None:
    """Print rows as an aligned table."""
    width = max(len(row[0]) for row in rows)
    print(title)
    print(f"  {'':{width}}  {'measured':>12}  {'target':<14}  note")
    for what, measured, target, note in rows:
        print(f"  {what:{width}}  {measured:>12}  {target:<14}  {note}")


def main(argv: list[str]) -> int:
    """Run the feed benchmark and print one table."""
    parser = argparse.ArgumentParser(prog="python -m planner.bench feeds", description=__doc__)
    parser.add_argument("--events", type=int, default=5000, help="events in the org feed")
    parser.add_argument("--personal", type=int, default=100, help="events in a personal feed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--tz", default="Europe/Amsterdam", help="IANA time zone of the org")
    args = parser.parse_args(argv)
    options = Options(args.events, args.personal, args.repeat, args.tz)
    versions = f"icalendar {metadata.version('icalendar')}, Python {platform.python_version()}"
    rows = measure_pure(options)
    # An HTTP benchmark (gunicorn + wrk) goes here: rows += measure_http(options)
    print_rows(f"Feed benchmark ({versions}, {options.tzid}, median of runs)", rows)
    return 0

"""Re-planning: decide which published placements stay, which must move, which are cancelled.

Pinned placements are booked first and never move (problems become warnings). Then the others,
in date order, stay exactly where they are if they are still valid against everything booked so
far; an invalid one becomes a forced move. Unknown series and indices past the series' count are
cancelled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from planner.scheduler.spread_board import Board, Ev
from planner.scheduler.spread_calendar import weekday_of
from planner.scheduler.spread_series import SeriesInfo
from planner.scheduler.spread_types import ExistingPlacement, PlanInput, parse_slot_key
from planner.scheduler.spread_words import Said, say, weekday

Forced = dict[str, dict[int, tuple[int, Said, int]]]  # series -> index -> (week, why, day)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _locate(board: Board, e: ExistingPlacement, si: SeriesInfo, ev: Ev) -> Said | None:
    """Fill in the event's local day/times and the exact output instants; a problem if it can't."""
    cal, start = board.cal, e.start
    if isinstance(start, datetime):
        if start.utcoffset() is None:
            return say("naive-start")
        if cal.zone is None:
            return say("zone-unknown")
        end = e.end if e.pinned and isinstance(e.end, datetime) else None
        if end is None or end.utcoffset() is None or end <= start:
            length = si.duration or 60
            end = start + timedelta(minutes=length)
        else:
            length = int((end - start).total_seconds() // 60)
        ev.day, ev.start = cal.local_of(start)
        ev.end = ev.start + length
        ev.orig = (start.astimezone(UTC), end.astimezone(UTC))
    elif isinstance(start, date):
        ev.day = start.toordinal()
        end_day = e.end if e.pinned and type(e.end) is date and e.end > start else None
        ev.end_day = end_day.toordinal() if end_day else ev.day + 1
        ev.orig = (start, date.fromordinal(ev.end_day))
    else:
        return say("start-not-date")
    ev.week = (ev.day - cal.base_ord) // 7  # cal.week_of, inlined
    return None


def _problem(board: Board, si: SeriesInfo, ev: Ev) -> Said | None:
    """Why a located placement breaks a hard constraint against what is booked; None if valid."""
    # Runs once per existing placement, nearly always on a valid one: cheap tests first, and the
    # messages are built only on failure (open_set only holds days inside the period).
    cal, day, start = board.cal, ev.day, ev.start
    if (si.duration is None) != (start < 0):
        return say("series-now", kind=say("all-day" if si.duration is None else "timed"))
    if day not in cal.open_set:
        return cal.why_closed(day)
    if (day - 1) % 7 not in si.spec.weekdays:
        return say("not-series-weekday", weekday=weekday(weekday_of(day)))
    if si.absent and day in si.absent:
        person = next((p for p in si.people if day in cal.absent_days(p)), None)
        if person is None:
            return cal.say("starts-later", day=si.spec.starts_on)
        return cal.say(
            "person-away", person=cal.person(person), role=si.role(person), day=cal.day(day)
        )
    end = ev.end
    if start >= 0:
        lo, hi = si.window
        if start < lo or end > hi or end - start != si.duration:
            return say("time-no-longer-fits", start=_hhmm(start), end=_hhmm(end))
        if cal.day_offset(day) is None and cal.utc_span(day, start, end) is None:
            return say("clock-change")
    if si.capped and board.cap_full(si, ev.week):
        return say("would-exceed-cap", person=cal.person(si.leader), cap=board.cap)
    if start >= 0:
        busy = board.busy
        for p in si.people:
            for bs, be, other in busy.get((p, day), ()):
                if bs < end and start < be:
                    if other is None:
                        return say("person-busy", person=cal.person(p))
                    return say("overlaps", title=other.si.spec.title, person=cal.person(p))
    week, gap = ev.week, si.min_gap
    events = si.events
    if not events or events[-1].week <= week - gap:
        return None  # booked in date order, so only the latest event could be too close
    for other in events:
        if -gap < other.week - week < gap:
            return cal.say("within-gap", gap=si.min_gap, day=cal.day(other.day))
    return None


def book_busy(plan: PlanInput, board: Board) -> list[Said]:
    """Block the people's outside busy times, split at local midnights; warnings for bad ones."""
    cal, warnings = board.cal, list[Said]()
    for i, item in enumerate(plan.busy):
        start, end = item.start, item.end
        if not isinstance(start, datetime) or not isinstance(end, datetime):
            warnings.append(say("busy-not-datetimes", index=i))
            continue
        if start.utcoffset() is None or end.utcoffset() is None or end <= start:
            warnings.append(say("busy-not-aware", index=i))
            continue
        if cal.zone is None:
            continue  # nothing timed is planned without a time zone
        first_day, first_minute = cal.local_of(start)
        last_day, last_minute = cal.local_of(end)
        people = [p for p in item.person_ids if isinstance(p, int)]
        for day in range(max(first_day, cal.start_ord - 1), min(last_day, cal.end_ord) + 1):
            lo = first_minute if day == first_day else 0
            hi = last_minute if day == last_day else 24 * 60
            if lo < hi:
                for person in people:
                    board.block(person, day, lo, hi)
    return warnings


def si_title(infos: dict[str, SeriesInfo], key: object) -> str:
    """The title of the series a slot key belongs to, for messages."""
    parsed = parse_slot_key(key) if isinstance(key, str) else None
    si = infos.get(parsed[0]) if parsed else None
    return si.spec.title if si is not None else say("an-event")


def take_existing(
    plan: PlanInput, board: Board, infos: dict[str, SeriesInfo]
) -> tuple[Forced, list[str], list[Said]]:
    """Book still-valid and pinned placements as fixed; return forced moves, cancelled, warnings."""
    forced: Forced = {}
    cancelled: list[str] = []
    warnings: list[Said] = []
    located = []
    parse = parse_slot_key
    for e in plan.existing:
        parsed = parse(e.slot_key) if isinstance(e.slot_key, str) else None
        si = infos.get(parsed[0]) if parsed else None
        if parsed is None or si is None or parsed[1] >= si.count:
            cancelled.append(str(e.slot_key))
            continue
        ev = Ev(si, parsed[1])
        ev.pinned = bool(e.pinned)
        located.append((ev, _locate(board, e, si, ev), e.slot_key))
    # Pinned first, then date order: an earlier valid placement wins over a later one.
    located.sort(key=lambda x: (not x[0].pinned, x[1] is not None, x[0].day, x[0].start, x[2]))
    seen: set[str] = set()
    add = board.add
    frozen, today = board.cal.frozen_ord, plan.today.toordinal() if plan.today else 0
    for ev, trouble, key in located:
        if key in seen:
            warnings.append(say("published-twice", title=si_title(infos, key)))
            continue
        seen.add(key)
        si = ev.si
        problem = trouble or si.error or _problem(board, si, ev)
        if ev.pinned and trouble is None:
            if problem:
                when = board.cal.day(ev.day) if ev.day > 0 else say("its-day")
                warnings.append(
                    board.cal.say("pinned-stays", title=si.spec.title, when=when, problem=problem)
                )
        elif problem is not None and trouble is None and si.error is None and ev.day <= frozen:
            # Published inside the frozen weeks (or in the past): it stays where it is.
            if ev.day >= today:
                warnings.append(
                    board.cal.say(
                        "frozen-stays",
                        title=si.spec.title,
                        day=board.cal.day(ev.day),
                        problem=problem,
                    )
                )
        elif problem is not None:
            forced.setdefault(si.key, {})[ev.index] = (ev.week, problem, ev.day)
            continue
        ev.fixed, ev.status = True, "kept"
        add(ev)
    return forced, sorted(set(cancelled)), warnings

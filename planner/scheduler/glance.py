"""The year at a glance: the weeks of a plan year, what happens in each, and the gaps.

Built from plain items (a preview's placements or the published events), so the preview and
the published year page look the same.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from planner.i18n import _
from planner.models import PRACTICES, Event, Person
from planner.org.calendar import get_organisation
from planner.scheduler.collector import collector_paused
from planner.scheduler.planning import Plan
from planner.scheduler.publishing import own_placements


class Item(NamedTuple):
    """One touchpoint on the glance, in local time (a named tuple: a 10,000-person preview
    builds 60,000 of them, and a frozen dataclass's __init__ cost twice the rest of it)."""

    day: date
    start: datetime | None  # local; None for all-day
    title: str
    practice: str
    host_id: int | None
    event_id: int | None = None
    pinned: bool = False


@dataclass
class Week:
    """One Monday-based week of the period."""

    number: int
    monday: date
    open_days: int
    items: list[Item] = field(default_factory=list)
    # Counts per practice when the items are not loaded (the published year shows counts and
    # loads one week's events when it is opened).
    tally: Counter[str] = field(default_factory=Counter)
    # Wholly before the plan's first day (an organisation that started using the app in
    # December): neither planned nor a gap.
    before_start: bool = False

    @property
    def counts(self) -> list[tuple[str, int]]:
        """(practice, count) in the order of PRACTICES, only those present."""
        found = self.tally if self.tally else Counter(i.practice for i in self.items)
        return [(p, found[p]) for p in PRACTICES if found[p]]

    @property
    def count(self) -> int:
        """How many touchpoints the week has."""
        return sum(self.tally.values()) or len(self.items)  # the tally counts every part

    @property
    def gap(self) -> bool:
        """A week of the plan with a working day and no touchpoint."""
        return self.open_days > 0 and not self.count and not self.before_start


@dataclass(frozen=True)
class Load:
    """A host's events over the period and in their busiest week."""

    host_id: int
    events: int
    busiest_week: int


def weeks_of(
    first: date, end: date, open_days: set[date], items: list[Item], ordered: bool = True
) -> list[Week]:
    """The weeks touching [first, end) with their items (sorted by time; as given with
    `ordered=False`, for a caller that shows counts and sorts the one week it lists)."""
    monday = first - timedelta(days=first.weekday())
    weeks: list[Week] = []
    while monday < end:
        days = sum(
            1
            for d in (monday + timedelta(n) for n in range(7))
            if first <= d < end and d in open_days
        )
        weeks.append(Week(len(weeks) + 1, monday, days))
        monday += timedelta(days=7)
    start_monday = weeks[0].monday if weeks else first
    for item in sorted(items, key=_in_order) if ordered else items:
        index = (item.day - start_monday).days // 7
        if 0 <= index < len(weeks):
            weeks[index].items.append(item)
    return weeks


def _in_order(i: Item) -> tuple[Any, ...]:
    """An item's place in its week: by day, all-day first, then by time and title."""
    return (i.day, i.start is not None, i.start, i.title)


def counts_only(
    weeks: list[Week], open_week: int | None = None, part: int = 1
) -> tuple[list[Week], int | None, int, int]:
    """The weeks as counts per practice, their events left out but for the opened week's,
    WEEK_PAGE at a time: what a page can show of a large plan (the preview of 58,000 events
    listed them all: 13 MB). Returns the weeks, the open week (None if none or out of range),
    its part and the number of parts."""
    shown = [
        Week(w.number, w.monday, w.open_days, [], w.tally or Counter(i.practice for i in w.items),
             w.before_start)
        for w in weeks
    ]  # fmt: skip
    if open_week is None or not 1 <= open_week <= len(weeks):
        return shown, None, 1, 1
    listed = sorted(weeks[open_week - 1].items, key=_in_order)
    parts = max(1, -(-len(listed) // WEEK_PAGE))
    part = min(max(1, part), parts)
    shown[open_week - 1].items = listed[(part - 1) * WEEK_PAGE : part * WEEK_PAGE]
    return shown, open_week, part, parts


def loads(weeks: list[Week]) -> list[Load]:
    """Each host's total and busiest-week load, busiest first."""
    total: Counter[int] = Counter()
    weekly: dict[int, Counter[int]] = defaultdict(Counter)
    for week in weeks:
        for item in week.items:
            if item.host_id is not None:
                total[item.host_id] += 1
                weekly[item.host_id][week.number] += 1
    return sorted(
        (Load(h, n, max(weekly[h].values())) for h, n in total.items()),
        key=lambda load: (-load.busiest_week, -load.events, load.host_id),
    )


def open_days_of(plan: Plan) -> set[date]:
    """The plan's working days (not closed) inside its period."""
    pi = plan.plan_input
    days = set()
    day = pi.period_start
    while day < pi.period_end:
        if day.weekday() in pi.working_weekdays and day not in pi.closed_dates:
            days.add(day)
        day += timedelta(days=1)
    return days


def _local(value: datetime | date, zone: ZoneInfo) -> tuple[date, datetime | None]:
    if isinstance(value, datetime):
        local = value.astimezone(zone)
        return local.date(), local
    return value, None


def _event_local(
    start_at: datetime | None, start_day: date | None, zone: ZoneInfo
) -> tuple[date, datetime | None]:
    """A published event's local day and start (None for all-day), stored as UTC or a day."""
    value = start_at.astimezone(UTC) if start_at is not None else start_day
    assert value is not None
    return _local(value, zone)


@collector_paused()
def plan_items(plan: Plan) -> list[Item]:
    """The preview's touchpoints."""
    zone = ZoneInfo(plan.tz)
    found = []
    local: dict[datetime | date, tuple[date, datetime | None]] = {}  # many events share a start
    for p in own_placements(plan):
        meta = plan.meta[p.series_key]
        when = local.get(p.start)
        if when is None:
            when = local[p.start] = _local(p.start, zone)
        day, start = when
        ev = plan.events.get(p.slot_key)
        found.append(
            Item(day, start, meta.title, meta.practice, meta.host_id,
                 ev.id if ev is not None and ev.status != "cancelled" else None, p.pinned)
        )  # fmt: skip
    return found


def event_items(events: list[Event], tz: str, viewer: Person | None = None) -> list[Item]:
    """The published touchpoints; a career conversation the viewer may not see (only its
    people and their managers may) is listed without names."""
    from planner.scheduler.operations import may_see

    zone = ZoneInfo(tz)
    found = []
    for ev in events:
        day, start = _event_local(ev.start_at, ev.start_date, zone)
        title = ev.title
        if ev.kind == "career_conversation" and viewer is not None and not may_see(ev, viewer):
            title = _("Career conversation (private)")
        found.append(Item(day, start, title, ev.practice, ev.host_id, ev.id, ev.pinned))
    return found


def week_items(
    session: Session, year: int, monday: date, tz: str, viewer: Person | None = None
) -> list[Item]:
    """event_items() of the year's events around one week, read as plain rows: one SELECT of
    the columns the page shows; for a viewer who may not see every career conversation, one
    of those conversations' attendees and one (recursive) of the people the viewer manages.
    A week of a 10,000-person plan holds ~1,500 events: ORM objects with lazy attendee lists
    took half a second."""
    from sqlalchemy import select

    from planner.models import event_attendee
    from planner.scheduler.operations import YEAR_ORDER, managed_by, sees, year_filter

    where = year_filter(year, monday, monday + timedelta(days=7))
    rows = session.execute(
        select(Event.id, Event.title, Event.practice, Event.kind, Event.host_id, Event.pinned,
               Event.start_at, Event.start_date, Event.team_id, Event.for_everyone)
        .where(*where)
        .order_by(*YEAR_ORDER)
    ).all()  # fmt: skip
    private = _("Career conversation (private)")
    hidden: set[int] = set()
    talks = [r for r in rows if r.kind == "career_conversation"]
    if viewer is not None and talks and viewer.role not in ("admin", "coordinator"):
        attendees: dict[int, list[int]] = {}
        pairs = session.execute(
            select(event_attendee.c.event_id, event_attendee.c.person_id)
            .join(Event, Event.id == event_attendee.c.event_id)
            .where(*where, Event.kind == "career_conversation")
        )
        for event_id, person_id in pairs:
            attendees.setdefault(event_id, []).append(person_id)
        below: set[int] | None = None

        def manages(pid: int | None) -> bool:
            nonlocal below
            if pid is None:
                return False
            if below is None:  # only asked when some conversation is not the viewer's own
                below = managed_by(session, viewer.id)
            return pid in below

        who = (viewer.role, viewer.id, viewer.team_id)
        for r in talks:
            people = attendees.get(r.id, [])
            if not sees(who, r.kind, r.host_id, people, r.team_id, r.for_everyone, manages):
                hidden.add(r.id)
    zone = ZoneInfo(tz)
    found = []
    for r in rows:
        day, start = _event_local(r.start_at, r.start_date, zone)
        title = private if r.id in hidden else r.title
        found.append(Item(day, start, title, r.practice, r.host_id, r.id, r.pinned))
    return found


@dataclass(frozen=True)
class PublishedYear:
    """The published plan of one year, week by week (the year page and the coordinators' home):
    counts per week, and the events of the one week that is open (if any)."""

    year: int
    first: date
    last: date
    weeks: list[Week]
    total: int
    # Mondays of the Customer Service Weeks at either end (shown as themselves, not as closed).
    service_mondays: frozenset[date] = frozenset()
    open_week: int | None = None
    # The open week's events are listed WEEK_PAGE at a time: part `open_part` of `open_parts`.
    open_part: int = 1
    open_parts: int = 1


# Events of an opened week listed per part (a week of a 10,000-person plan holds ~1,500).
WEEK_PAGE = 100


def _week_tally(
    session: Session, year: int, mondays: list[date], tz: str
) -> tuple[list[Counter[str]], int]:
    """Published events of the year counted per (week, practice) by the database: one GROUP BY
    over a CASE of the local week bounds, so no event row reaches Python. Returns a Counter per
    week (the weeks starting on `mondays`) and the year's total."""
    from sqlalchemy import case, func, literal, select

    zone = ZoneInfo(tz)
    ends = [*mondays[1:], mondays[-1] + timedelta(days=7)] if mondays else []
    instants = [datetime.combine(m, datetime.min.time(), zone).astimezone(UTC) for m in ends]
    outside = len(mondays)

    def search(column: Any, bounds: list[Any], lo: int, hi: int) -> Any:
        # A binary search as nested CASEs: about log2(52) comparisons per row, not 26.
        if hi - lo == 1:
            return case((column < bounds[lo], lo), else_=outside) if lo == outside - 1 else lo
        mid = (lo + hi) // 2
        return case((column < bounds[mid - 1], search(column, bounds, lo, mid)),
                    else_=search(column, bounds, mid, hi))  # fmt: skip

    def week_of(column: Any, first_bound: Any, bounds: list[Any]) -> Any:
        return case((column < first_bound, outside), else_=search(column, bounds, 0, outside))

    if mondays:
        timed = week_of(Event.start_at, instants[0] - timedelta(days=7), instants)
        dated = week_of(Event.start_date, mondays[0], ends)
        bucket = case((Event.start_at.is_not(None), timed), else_=dated).label("week")
    else:
        bucket = literal(outside).label("week")
    rows = session.execute(
        select(bucket, Event.practice, func.count())
        .where(Event.slot_key.like(f"{year}:%"), Event.status != "cancelled")
        .group_by(bucket, Event.practice)
    )
    tallies: list[Counter[str]] = [Counter() for _ in mondays]
    total = 0
    for week, practice, count in rows:
        total += count
        if 0 <= week < outside:
            tallies[week][practice] += count
    return tallies, total


def published_year(
    session: Session,
    year: int,
    open_week: int | None = None,
    part: int = 1,
    viewer: Person | None = None,
    today: date | None = None,
) -> PublishedYear:
    """The weeks between Customer Service Week `year` and the next, with their counts; the
    events of `open_week` (a week number) are loaded too, WEEK_PAGE of them (`part`). Weeks
    wholly before the plan's first day (`before_start`) have no working day of the plan."""
    from planner.csweek.operations import week_bounds
    from planner.scheduler.operations import local_today, open_days
    from planner.scheduler.plan_inputs import plan_start
    from planner.scheduler.planning import plan_period

    first, end = plan_period(session, year)
    tz = get_organisation(session).time_zone
    weeks = weeks_of(first, end, open_days(session, first, end), [])
    tallies, total = _week_tally(session, year, [w.monday for w in weeks], tz)
    # The start a published plan kept, else where a first plan made today would start.
    start = plan_start(session, year, today or local_today(session), published=total > 0)
    for week, tally in zip(weeks, tallies, strict=True):
        week.tally = tally
        if week.monday + timedelta(days=7) <= start and not tally:
            week.before_start, week.open_days = True, 0
    if open_week is not None and 1 <= open_week <= len(weeks):
        week = weeks[open_week - 1]
        monday = week.monday
        items = week_items(session, year, monday, tz, viewer)
        listed = sorted(
            (i for i in items if monday <= i.day < monday + timedelta(days=7)),
            key=lambda i: (i.day, i.start is not None, i.start, i.title),
        )
        parts = max(1, -(-len(listed) // WEEK_PAGE))
        part = min(max(1, part), parts)
        week.items = listed[(part - 1) * WEEK_PAGE : part * WEEK_PAGE]
    else:
        open_week, part, parts = None, 1, 1
    mondays = frozenset(week_bounds(session, y)[0] for y in (year, year + 1))
    return PublishedYear(
        year, first, end - timedelta(days=1), weeks, total, mondays, open_week, part, parts
    )


def year_range(session: Session, running: int) -> range:
    """The plan years worth navigating: from the first plan (a week plan or a planned event)
    to the year after the running one."""
    from sqlalchemy import func, select

    from planner.models import ServiceWeek

    first_week = session.scalar(select(func.min(ServiceWeek.year)))
    first_slot = session.scalar(select(func.min(Event.slot_key)).where(Event.slot_key.is_not(None)))
    candidates = [running]
    if first_week is not None:
        candidates.append(first_week)
    if first_slot and first_slot[:4].isdigit():
        candidates.append(int(first_slot[:4]))
    return range(min(candidates), running + 2)

"""DB -> engine: build the PlanInput of one plan year from the database, and run the engine.

A plan year Y covers the days from the day after Customer Service Week Y to the day before
Customer Service Week Y+1. Every cadence expands into series with stable keys
("<year>:c<cadence>:l<leader>:t<team>", "...:t<team>", "...:p<person>", "...:all"), so slot keys
"series#index" and thus event UIDs survive re-planning. Timed events of other areas that involve
a planned person enter the engine as BusyTime (or, with an engine without it, as pinned one-off
"busy:e<id>" series that are never shown or applied), so nothing is double-booked against them.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from planner.csweek.operations import week_bounds
from planner.models import Absence, Cadence, Event, Person, Team
from planner.org.calendar import closed_dates, get_organisation
from planner.org.chart import skip_level_pairs
from planner.scheduler.spread import (
    ExistingPlacement,
    PlanInput,
    PlanResult,
    PlanStats,
    SeriesSpec,
    spread_over_year,
)

try:  # the engine's BusyTime (newer engines); older ones get pinned one-off series instead
    from planner.scheduler.spread import BusyTime
except ImportError:  # pragma: no cover - depends on the engine version
    BusyTime = None  # type: ignore[assignment,misc]

BUSY_PREFIX = "busy:"
FROZEN_DAYS = 14
_EVERY_DAY = frozenset(range(7))


@dataclass(frozen=True)
class SeriesMeta:
    """What an event of a series carries besides its time (the engine does not need it)."""

    cadence_id: int
    title: str
    kind: str
    practice: str
    description: str
    host_id: int | None
    attendee_ids: tuple[int, ...]
    team_id: int | None
    for_everyone: bool
    library_key: str | None = None


@dataclass
class Plan:
    """One computed plan of a year: the engine's input and result plus what the DB adds."""

    year: int
    tz: str
    plan_input: PlanInput
    result: PlanResult
    meta: dict[str, SeriesMeta]
    events: dict[str, Event]  # the year's planned events by slot key (cancelled ones too)
    input_hash: str
    warnings: list[str] = field(default_factory=list)

    @property
    def period(self) -> tuple[date, date]:
        """First day and the day after the last day of the period."""
        return self.plan_input.period_start, self.plan_input.period_end


def plan_period(session: Session, year: int) -> tuple[date, date]:
    """The day after Customer Service Week `year` and the first day of the next one (exclusive)."""
    return week_bounds(session, year)[1] + timedelta(days=1), week_bounds(session, year + 1)[0]


def running_plan_year(session: Session, today: date) -> int:
    """The plan year `today` falls in (the one that started after the latest week)."""
    return today.year if today > week_bounds(session, today.year)[1] else today.year - 1


def _team_host(team: Team, members: list[Person]) -> Person | None:
    """Who hosts a team's touchpoints: its leader (a member with a leading role), else the
    manager most of its members report to."""
    for person in members:
        if person.role in ("leader", "coordinator", "admin"):
            return person
    managers = Counter(p.manager for p in members if p.manager is not None and p.manager.active)
    if managers:
        return sorted(managers.items(), key=lambda kv: (-kv[1], kv[0].id))[0][0]
    return None


def _top_leader(session: Session) -> Person | None:
    """The default host of organisation-wide touchpoints: a top-level leader, else a coordinator."""
    for roles in (("leader",), ("admin", "coordinator")):
        found = session.scalar(
            select(Person)
            .where(Person.active.is_(True), Person.role.in_(roles), Person.manager_id.is_(None))
            .order_by(Person.id)
        ) or session.scalar(
            select(Person)
            .where(Person.active.is_(True), Person.role.in_(roles))
            .order_by(Person.id)
        )
        if found is not None:
            return found
    return None


def _spec(
    cadence: Cadence,
    year: int,
    suffix: str,
    host: Person,
    attendees: list[Person],
    team: Team | None,
) -> tuple[SeriesSpec, SeriesMeta]:
    """The engine's series and the event details of one expansion of a cadence."""
    key = f"{year}:c{cadence.id}:{suffix}"
    attendee_ids = tuple(sorted(p.id for p in attendees if p.id != host.id))
    if cadence.expansion == "skip_level" and team is not None:
        title = f"{cadence.title}: {host.name} \u00d7 {team.name}"
    elif cadence.expansion == "person" and attendees:
        title = f"{cadence.title}: {attendees[0].name} with {host.name}"
    elif team is not None:
        title = f"{cadence.title}: {team.name}"
    else:
        title = cadence.title
    spec = SeriesSpec(
        key=key,
        kind=cadence.kind,
        practice=cadence.practice,
        title=title,
        host_id=host.id,
        attendee_ids=attendee_ids if cadence.expansion != "everyone" else (),
        leader_id=host.id if cadence.counts_toward_cap else None,
        team_id=team.id if team is not None else None,
        counts_toward_cap=cadence.counts_toward_cap,
        min_gap_weeks=cadence.min_gap_weeks,
        max_gap_weeks=cadence.max_gap_weeks,
        duration_minutes=cadence.duration_minutes,
        window_start=cadence.window_start,
        window_end=cadence.window_end,
        weekdays=cadence.weekday_set,
    )
    meta = SeriesMeta(
        cadence_id=cadence.id,
        title=title[:200],
        kind=cadence.kind,
        practice=cadence.practice,
        description=cadence.description,
        host_id=host.id,
        attendee_ids=attendee_ids,
        team_id=spec.team_id,
        for_everyone=cadence.expansion == "everyone",
        library_key=cadence.library_key,
    )
    return spec, meta


def expand_cadences(
    session: Session, year: int
) -> tuple[list[SeriesSpec], dict[str, SeriesMeta], list[str]]:
    """Every active cadence expanded over the current organisation chart, plus warnings."""
    cadences = list(
        session.scalars(select(Cadence).where(Cadence.active.is_(True)).order_by(Cadence.id))
    )
    teams = list(
        session.scalars(
            select(Team)
            .where(Team.frontline.is_(True))
            .options(selectinload(Team.members))
            .order_by(Team.id)
        )
    )
    members = {t.id: sorted((p for p in t.members if p.active), key=lambda p: p.id) for t in teams}
    pairs = skip_level_pairs(session) if any(c.expansion == "skip_level" for c in cadences) else []
    specs: list[SeriesSpec] = []
    meta: dict[str, SeriesMeta] = {}
    warnings: list[str] = []

    def add(spec_meta: tuple[SeriesSpec, SeriesMeta]) -> None:
        specs.append(spec_meta[0])
        meta[spec_meta[0].key] = spec_meta[1]

    for c in cadences:
        if c.expansion == "skip_level":
            for leader, team in pairs:
                add(_spec(c, year, f"l{leader.id}:t{team.id}", leader, members[team.id], team))
        elif c.expansion == "team":
            for team in teams:
                if not members[team.id]:
                    continue
                host = _team_host(team, members[team.id])
                if host is None:
                    warnings.append(f"{c.title}: team {team.name} has no leader to host it.")
                    continue
                add(_spec(c, year, f"t{team.id}", host, members[team.id], team))
        elif c.expansion == "person":
            for team in teams:
                for person in members[team.id]:
                    manager = person.manager
                    if manager is None or not manager.active or manager.id == person.id:
                        continue
                    add(_spec(c, year, f"p{person.id}", manager, [person], team))
        else:
            host = session.get(Person, c.host_id) if c.host_id else None
            host = host if host is not None and host.active else _top_leader(session)
            if host is None:
                warnings.append(f"{c.title}: nobody can host it.")
                continue
            add(_spec(c, year, "all", host, [], None))
    return specs, meta, warnings


def _absences(
    session: Session, people: set[int], first: date, last: date
) -> dict[int, frozenset[date]]:
    """Each planned person's absent dates inside [first, last], in one query."""
    found: dict[int, set[date]] = defaultdict(set)
    for a in session.scalars(
        select(Absence).where(Absence.last_day >= first, Absence.first_day <= last)
    ):
        if a.person_id not in people:
            continue
        day = max(a.first_day, first)
        while day <= min(a.last_day, last):
            found[a.person_id].add(day)
            day += timedelta(days=1)
    return {p: frozenset(days) for p, days in sorted(found.items())}


def _busy(
    session: Session, year: int, people: set[int], start: datetime, end: datetime
) -> tuple[list[SeriesSpec], list[ExistingPlacement], list[Any]]:
    """Timed, opaque events of other areas (or other years) that involve a planned person: as
    the engine's BusyTime where it has it, else as pinned one-off series."""
    specs: list[SeriesSpec] = []
    pinned: list[ExistingPlacement] = []
    busy: list[Any] = []
    rows = session.scalars(
        select(Event)
        .where(
            Event.status != "cancelled",
            Event.all_day.is_(False),
            Event.transparent.is_(False),
            Event.start_at < end,
            Event.end_at > start,
            or_(Event.slot_key.is_(None), ~Event.slot_key.like(f"{year}:%")),
        )
        .options(selectinload(Event.attendees))
        .order_by(Event.id)
    )
    for ev in rows:
        involved = sorted(
            ({ev.host_id} if ev.host_id in people else set())
            | {p.id for p in ev.attendees if p.id in people}
        )
        assert ev.start_at is not None and ev.end_at is not None  # timed rows (CHECK)
        if not involved:
            continue
        if BusyTime is not None:
            busy.append(BusyTime(tuple(involved), ev.start_at, ev.end_at))
            continue
        minutes = int((ev.end_at - ev.start_at).total_seconds() // 60)
        if not 1 <= minutes < 24 * 60:
            continue
        key = f"{BUSY_PREFIX}e{ev.id}"
        specs.append(
            SeriesSpec(
                key=key, kind=ev.kind, practice=ev.practice, title="busy", host_id=involved[0],
                attendee_ids=tuple(involved[1:]), min_gap_weeks=52, max_gap_weeks=52,
                duration_minutes=minutes, window_start=time(0), window_end=time(23, 59),
                weekdays=_EVERY_DAY,
            )
        )  # fmt: skip
        pinned.append(ExistingPlacement(f"{key}#0", ev.start_at, pinned=True, end=ev.end_at))
    return specs, pinned, busy


def planned_events(session: Session, year: int) -> dict[str, Event]:
    """The year's planned events (cancelled ones too) by slot key."""
    rows = session.scalars(
        select(Event).where(Event.slot_key.like(f"{year}:%")).options(selectinload(Event.attendees))
    )
    return {ev.slot_key: ev for ev in rows if ev.slot_key}


def _canon(value: Any) -> Any:
    """A JSON-ready, order-independent form of plan inputs (for the preview's hash)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canon(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted((_canon(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canon(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canon(v) for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))}
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def inputs_hash(plan_input: PlanInput, meta: dict[str, SeriesMeta]) -> str:
    """A fingerprint of everything a publish would apply; equal inputs give an equal plan."""
    text = json.dumps([_canon(plan_input), _canon(meta)], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def compute_plan(
    session: Session, year: int, today: date, *, frozen_days: int = FROZEN_DAYS
) -> Plan:
    """Build the year's PlanInput from the database and run the engine (changes nothing).

    New and moved events land after today + frozen_days (published ones there stay put)."""
    org = get_organisation(session)
    first, end = plan_period(session, year)
    specs, meta, warnings = expand_cadences(session, year)
    people = {s.host_id for s in specs} | {p for s in specs for p in s.attendee_ids}
    existing_events = planned_events(session, year)
    existing = [
        ExistingPlacement(
            key,
            ev.start_at if ev.start_at is not None else ev.start_date,  # type: ignore[arg-type]
            pinned=ev.pinned,
            end=ev.end_at if ev.end_at is not None else ev.end_date,
        )
        for key, ev in sorted(existing_events.items())
        if ev.status != "cancelled"
    ]
    zone = ZoneInfo(org.time_zone)
    busy_specs, busy_pinned, busy = _busy(
        session,
        year,
        people,
        datetime.combine(first, time(0), zone),
        datetime.combine(end, time(0), zone),
    )
    plan_input = PlanInput(
        period_start=first,
        period_end=end,
        tz=org.time_zone,
        working_weekdays=org.working_weekdays,
        closed_dates=closed_dates(session, first, end - timedelta(days=1)),
        absences=_absences(session, people, first, end - timedelta(days=1)),
        leader_weekly_cap=org.leader_weekly_cap,
        team_max_gap_weeks=org.team_max_gap_weeks,
        frontline_team_ids=frozenset(s.team_id for s in specs if s.team_id is not None),
        series=tuple(specs + busy_specs),
        existing=tuple(existing + busy_pinned),
        frozen_until=today + timedelta(days=frozen_days),
        **({"busy": tuple(busy)} if busy else {}),
    )
    result = spread_over_year(plan_input) if specs else _empty_result(plan_input)
    warnings += [w for w in result.warnings if BUSY_PREFIX not in w]
    return Plan(
        year=year,
        tz=org.time_zone,
        plan_input=plan_input,
        result=result,
        meta=meta,
        events=existing_events,
        input_hash=inputs_hash(plan_input, meta),
        warnings=warnings,
    )


def _empty_result(plan_input: PlanInput) -> PlanResult:
    """Nothing to plan: every planned event of the year is cancelled."""
    keys = tuple(
        sorted(e.slot_key for e in plan_input.existing if not e.slot_key.startswith(BUSY_PREFIX))
    )
    return PlanResult((), (), keys, (), PlanStats())


def any_planned(plan: Plan) -> bool:
    """Whether the plan has anything of its own (busy placeholders aside)."""
    return bool(plan.meta) or any(ev.status != "cancelled" for ev in plan.events.values())

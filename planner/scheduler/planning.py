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
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.models import (
    Cadence,
    Person,
    Team,
)
from planner.org.calendar import closed_dates, get_organisation
from planner.org.chart import skip_level_pairs
from planner.scheduler import anchored
from planner.scheduler.collector import collector_paused
from planner.scheduler.plan_inputs import (
    BUSY_PREFIX,
    absences_of,
    busy_times,
    closed_reasons,
    plan_period,
    plan_start,
    team_members,
)
from planner.scheduler.plan_inputs import running_plan_year as running_plan_year
from planner.scheduler.planned_rows import PlannedRow, planned_rows
from planner.scheduler.spread import (
    ExistingPlacement,
    PlanInput,
    PlanResult,
    PlanStats,
    SeriesSpec,
    spread_over_year,
)
from planner.scheduler.spread_words import say

FROZEN_DAYS = 14


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
    events: dict[str, PlannedRow]  # the year's planned events by slot key (cancelled too)
    input_hash: str
    warnings: list[str] = field(default_factory=list)
    # What the independent validator found, when it was checked already (a stored preview keeps
    # this instead of the whole input the check needs); None: check plan_input and result.
    violations: list[Any] | None = None

    @property
    def period(self) -> tuple[date, date]:
        """First day and the day after the last day of the period."""
        return self.plan_input.period_start, self.plan_input.period_end


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


@dataclass(frozen=True)
class _CadenceView:
    """A cadence's columns as plain values: read once, not once per expansion (at 10,000
    people a cadence expands into thousands of series, and ORM attribute reads added up)."""

    id: int
    title: str
    kind: str
    practice: str
    description: str
    expansion: str
    counts_toward_cap: bool
    min_gap_weeks: int
    max_gap_weeks: int
    duration_minutes: int | None
    window_start: time
    window_end: time
    weekday_set: frozenset[int]
    library_key: str | None
    host_id: int | None
    teams_per_meeting: int | None

    @classmethod
    def of(cls, c: Cadence) -> _CadenceView:
        """The view of one cadence."""
        return cls(c.id, c.title, c.kind, c.practice, c.description, c.expansion,
                   c.counts_toward_cap, c.min_gap_weeks, c.max_gap_weeks, c.duration_minutes,
                   c.window_start, c.window_end, c.weekday_set, c.library_key, c.host_id,
                   c.teams_per_meeting)  # fmt: skip


def _spec(
    cadence: Cadence | _CadenceView,
    year: int,
    suffix: str,
    host: Person,
    attendees: list[Person] | list[int],
    team: Team | None,
    also: list[Team] | None = None,
    person_name: str | None = None,
) -> tuple[SeriesSpec, SeriesMeta]:
    """The engine's series and the event details of one expansion of a cadence (`also`: the
    further teams of a roundtable that covers several; `attendees` as people or their ids,
    `person_name` then naming the one person of a "person" expansion)."""
    key = f"{year}:c{cadence.id}:{suffix}"
    host_id = host.id
    ids = [p if isinstance(p, int) else p.id for p in attendees]
    attendee_ids = tuple(sorted({p for p in ids if p != host_id}))
    if cadence.expansion == "skip_level" and team is not None:
        names = ", ".join(t.name for t in [team, *(also or [])])
        title = f"{cadence.title}: {host.name} \u00d7 {names}"
    elif cadence.expansion == "person" and attendees:
        first = attendees[0]
        name = person_name if person_name is not None or isinstance(first, int) else first.name
        title = f"{cadence.title}: {name} with {host.name}"
    elif team is not None:
        title = f"{cadence.title}: {team.name}"
    else:
        title = cadence.title
    spec = SeriesSpec(
        key=key,
        kind=cadence.kind,
        practice=cadence.practice,
        title=title,
        host_id=host_id,
        attendee_ids=attendee_ids if cadence.expansion != "everyone" else (),
        leader_id=host_id if cadence.counts_toward_cap else None,
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
    member_ids = {team_id: [p.id for p in crew] for team_id, crew in members.items()}
    active = {p.id: p for crew in members.values() for p in crew}
    pairs = skip_level_pairs(session) if any(c.expansion == "skip_level" for c in cadences) else []
    specs: list[SeriesSpec] = []
    meta: dict[str, SeriesMeta] = {}
    warnings: list[str] = []

    def add(spec_meta: tuple[SeriesSpec, SeriesMeta]) -> None:
        specs.append(spec_meta[0])
        meta[spec_meta[0].key] = spec_meta[1]

    by_leader: dict[int, list[tuple[Person, Team]]] = defaultdict(list)
    for leader, team in pairs:
        by_leader[leader.id].append((leader, team))
    for cadence in cadences:
        c = _CadenceView.of(cadence)
        if c.expansion == "skip_level":
            size = max(1, c.teams_per_meeting or 1)
            for led in by_leader.values():
                for i in range(0, len(led), size):
                    group = [team for _leader, team in led[i : i + size]]
                    leader = led[i][0]
                    suffix = f"l{leader.id}:t" + "+".join(str(t.id) for t in group)
                    crew = [p for t in group for p in member_ids[t.id]]
                    add(_spec(c, year, suffix, leader, crew, group[0], group[1:]))
        elif c.expansion == "team":
            for team in teams:
                if not members[team.id]:
                    continue
                host = _team_host(team, members[team.id])
                if host is None:
                    warnings.append(say("team-no-leader", title=c.title, team=team.name))
                    continue
                add(_spec(c, year, f"t{team.id}", host, member_ids[team.id], team))
        elif c.expansion == "person":
            for team in teams:
                for person in members[team.id]:
                    pid, manager_id = person.id, person.manager_id
                    if manager_id is None or manager_id == pid:
                        continue
                    # An active member's manager is usually an active member too (no query).
                    manager = active.get(manager_id) or person.manager
                    if manager is None or not manager.active:
                        continue
                    add(_spec(c, year, f"p{pid}", manager, [pid], team, person_name=person.name))
        else:
            host = session.get(Person, c.host_id) if c.host_id else None
            host = host if host is not None and host.active else _top_leader(session)
            if host is None:
                warnings.append(say("nobody-hosts", title=c.title))
                continue
            add(_spec(c, year, "all", host, [], None))
    return specs, meta, warnings


def planned_events(session: Session, year: int, *, attendees: bool = True) -> dict[str, PlannedRow]:
    """The year's planned events (cancelled ones too) by slot key, as plain rows (without
    their attendee lists when `attendees` is False: only publishing compares those)."""
    return planned_rows(session, year, attendees=attendees)


_SCALARS = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _fields_of(kind: type) -> tuple[str, ...] | None:
    """A dataclass's field names (fixed by its class: its values alone identify it), else None."""
    if kind not in _FIELDS:
        _FIELDS[kind] = tuple(f.name for f in fields(kind)) if is_dataclass(kind) else None
    return _FIELDS[kind]


def _canon(value: Any) -> Any:
    """A JSON-ready, order-independent form of plan inputs (for the preview's hash): dataclasses
    become lists of their field values, a sequence of dataclasses of one class the columns of
    those values (_sequence), dicts their sorted keys and the values in that order, sets sorted
    lists, aware instants their POSIX time and days their ordinal (equal instants in any zone
    give equal forms)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is datetime:
        return value.timestamp() if value.tzinfo is not None else value.isoformat()
    if kind is date:
        return value.toordinal()
    names = _fields_of(kind)
    if names is not None:
        return [_canon(getattr(value, n)) for n in names]
    if kind is tuple or kind is list:
        return _sequence(value)
    if isinstance(value, (set, frozenset)):
        items = [_canon(v) for v in value]
        try:
            return sorted(items)
        except TypeError:  # mixed kinds
            return sorted(items, key=repr)
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:
            keys = sorted(value, key=repr)
        return [_sequence(keys), _sequence([value[k] for k in keys])]
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _sequence(values: tuple[Any, ...] | list[Any]) -> list[Any]:
    """_canon of a tuple or list. Dataclasses of one class (the inputs' 60,000 published
    placements, 15,000 series and their details) go column by column: one list comprehension
    per field and each distinct instant, day or set converted once, rather than Python code
    per object and value (which took most of a 10,000-person preview's hashing)."""
    if not values:
        return []
    first = type(values[0])
    names = _fields_of(first) if first not in _SCALARS else None
    if names is not None and set(map(type, values)) == {first}:
        return ["columns", *(_column([getattr(v, n) for v in values]) for n in names)]
    return _column(list(values))


class _Converted(dict[Any, Any]):
    """Value -> its _canon, each distinct value converted once."""

    def __missing__(self, value: Any) -> Any:
        found = self[value] = _canon(value)
        return found


def _column(values: list[Any]) -> list[Any]:
    """_canon of each value (JSON's scalars as they are)."""
    if set(map(type, values)) <= _SCALARS:
        return values
    converted = _Converted()
    try:
        return [v if type(v) in _SCALARS else converted[v] for v in values]
    except TypeError:  # an unhashable value (a list, a dict)
        return [_canon(v) for v in values]


def inputs_hash(plan_input: PlanInput, meta: dict[str, SeriesMeta]) -> str:
    """A fingerprint of everything a publish would apply; equal inputs give an equal plan, in
    any process (no set or dict order and no str hash enters it: PYTHONHASHSEED differs
    between the web and the worker)."""
    text = json.dumps(_canon([plan_input, meta]), separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _everyone_attends(
    specs: list[SeriesSpec], meta: dict[str, SeriesMeta], people: set[int]
) -> list[SeriesSpec]:
    """Timed events for everyone take each person's time: the engine sees them all attend."""
    return [
        replace(s, attendee_ids=tuple(sorted(people - {s.host_id})))
        if meta[s.key].for_everyone and s.duration_minutes is not None
        else s
        for s in specs
    ]  # fmt: skip


Reuse = Callable[[str], PlanResult | None]


@collector_paused()
def compute_plan(
    session: Session, year: int, today: date, *, frozen_days: int = FROZEN_DAYS,
    reuse: Reuse | None = None, attendees: bool = True,
) -> Plan:  # fmt: skip
    """Build the year's PlanInput from the database and run the engine (changes nothing).

    A first plan starts on the next working day; once published, new and moved events land
    after today + frozen_days (published ones there stay put). `reuse` may give the engine's
    result for the inputs hash (a stored preview of the very same inputs): then the engine does
    not run again. `attendees=False` (a preview, which is never applied) leaves the published
    events' attendee lists unread. (The garbage collector is paused meanwhile: collector.py.)"""
    org = get_organisation(session)
    _first, end = plan_period(session, year)
    specs, meta, warnings = expand_cadences(session, year)
    crews = team_members(session)
    everyone = {p for crew in crews.values() for p in crew} | set(
        session.scalars(select(Person.id).where(Person.active.is_(True), Person.team_id.is_(None)))
    )
    people = {s.host_id for s in specs} | {p for s in specs for p in s.attendee_ids}
    if any(m.for_everyone for m in meta.values()):
        people |= everyone
    specs = _everyone_attends(specs, meta, people)
    existing_events = planned_events(session, year, attendees=attendees)
    published = any(ev.status != "cancelled" for ev in existing_events.values())
    first = plan_start(session, year, today, published)
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
    closed = closed_dates(session, first, end - timedelta(days=1))
    frozen_until = today + timedelta(days=frozen_days)
    specs, day_after = anchored.pin_day_after(
        specs,
        meta,
        anchored.anchored_cadence_ids(session),
        {k for k, ev in existing_events.items() if ev.status != "cancelled" or ev.pinned},
        anchored.first_open_day(first, end, org.working_weekdays, closed),
        frozen_until,
    )
    existing += day_after
    zone = ZoneInfo(org.time_zone)
    span = (datetime.combine(first, time(0), zone), datetime.combine(end, time(0), zone))
    busy_specs, busy_pinned, busy = busy_times(session, year, people, crews, span)
    last = end - timedelta(days=1)
    names = dict(session.execute(select(Person.id, Person.name)).all())  # no huge IN list
    plan_input = PlanInput(
        period_start=first,
        period_end=end,
        tz=org.time_zone,
        working_weekdays=org.working_weekdays,
        closed_dates=closed,
        absences=absences_of(session, people, first, last),
        leader_weekly_cap=org.leader_weekly_cap,
        team_max_gap_weeks=org.team_max_gap_weeks,
        frontline_team_ids=frozenset(s.team_id for s in specs if s.team_id is not None),
        series=tuple(specs + busy_specs),
        existing=tuple(existing + busy_pinned),
        frozen_until=frozen_until if published else None,
        today=today,
        busy=tuple(busy),
        person_names=names,
        team_names=dict(session.execute(select(Team.id, Team.name)).all()),
        closed_reasons=closed_reasons(session, first, last),
    )  # fmt: skip
    fingerprint = inputs_hash(plan_input, meta)
    result = reuse(fingerprint) if reuse is not None else None
    if result is None:
        result = spread_over_year(plan_input) if specs else _empty_result(plan_input)
    warnings += [w for w in result.warnings if BUSY_PREFIX not in w]
    return Plan(
        year=year,
        tz=org.time_zone,
        plan_input=plan_input,
        result=result,
        meta=meta,
        events=existing_events,
        input_hash=fingerprint,
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

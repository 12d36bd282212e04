"""The org chart: reporting lines, cycles, and skip-level pairs derived from it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from planner.models import Person, Team


def creates_cycle(
    managers: Mapping[int, int | None], person_id: int, manager_id: int | None
) -> bool:
    """PURE: whether making manager_id the manager of person_id closes a reporting loop.

    `managers` maps person id -> current manager id (the proposed change is applied on top).
    """
    seen = {person_id}
    current = manager_id
    while current is not None:
        if current in seen:
            return True
        seen.add(current)
        current = managers.get(current)
    return False


K = TypeVar("K", bound=Hashable)

# Levels from the top of the chart to the deepest person. Real organisations have under 15; a
# deeper chain is a broken import (and would make pages walk hundreds of levels).
MAX_LEVELS = 50


def chain_levels(managers: Mapping[K, K | None], person: K) -> int:
    """PURE: how many levels the person is from the top (1 = no manager); cycle-safe."""
    seen = {person}
    levels, current = 1, managers.get(person)
    while current is not None and current not in seen:
        seen.add(current)
        levels += 1
        current = managers.get(current)
    return levels


def all_levels(managers: Mapping[K, K | None]) -> dict[K, int]:
    """PURE: chain_levels() of everyone, in linear time (each person walked once); people in a
    loop count as the top of their chain."""
    levels: dict[K, int] = {}
    for start in managers:
        path: list[K] = []
        on_path: set[K] = set()
        current: K | None = start
        while current is not None and current not in levels and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = managers.get(current)
        base = levels.get(current, 0) if current is not None and current not in on_path else 0
        for person in reversed(path):
            base += 1
            levels[person] = base
    return levels


def levels_below(managers: Mapping[K, K | None], person: K) -> int:
    """PURE: how many levels of reports hang below the person (0 = none); iterative."""
    reports: dict[K, list[K]] = {}
    for pid, manager in managers.items():
        if manager is not None:
            reports.setdefault(manager, []).append(pid)
    deepest, frontier, seen = 0, [person], {person}
    while frontier:
        frontier = [c for p in frontier for c in reports.get(p, []) if c not in seen]
        seen.update(frontier)
        deepest += bool(frontier)
    return deepest


def too_deep(
    managers: Mapping[int, int | None], person_id: int | None, manager_id: int | None
) -> int:
    """PURE: the chain's depth in levels if manager_id became person_id's manager and that
    exceeds MAX_LEVELS, else 0."""
    if manager_id is None:
        return 0
    above = chain_levels(managers, manager_id)
    below = levels_below(managers, person_id) if person_id is not None else 0
    total = above + 1 + below
    return total if total > MAX_LEVELS else 0


def manager_map(session: Session) -> dict[int, int | None]:
    """Every person's manager id, in one query."""
    return dict(session.execute(select(Person.id, Person.manager_id)).all())


def skip_level_leader(person: Person) -> Person | None:
    """A frontline person's skip-level leader: the team's override, else the manager's manager."""
    if person.team is not None and person.team.skip_level_override is not None:
        return person.team.skip_level_override
    if person.manager is not None and person.manager.manager is not None:
        return person.manager.manager
    return None


def skip_level_pairs(session: Session) -> list[tuple[Person, Team]]:
    """(leader, frontline team) pairs: one derived skip-level leader per frontline team (see
    derive_team_skip_leaders), sorted by leader and team id for determinism."""
    found = skip_leaders_with_reasons(session)
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(
        sorted({s.leader_id for s in found.values()}))))}  # fmt: skip
    teams = {t.id: t for t in session.scalars(select(Team).where(Team.id.in_(sorted(found))))}
    pairs = sorted((s.leader_id, team_id) for team_id, s in found.items())
    return [(people[leader], teams[team]) for leader, team in pairs]


@dataclass(frozen=True)
class SkipLeader:
    """A frontline team's skip-level leader and why it is that person (worded when shown)."""

    leader_id: int
    count: int = 0  # frontline staff whose manager's manager this is; 0: set by a coordinator
    staff: int = 0  # the team's frontline staff, team leads left out
    leads: bool = False  # the team has team leads (they attend, but add no second leader)

    @property
    def why(self) -> str:
        """The reason in the reader's language (a page's, or the terminal's)."""
        from planner.i18n import _, ngettext

        if not self.count:
            return _("set by a coordinator")
        why = ngettext(
            "manager's manager of %(count)d of the team's %(num)d frontline staff",
            "manager's manager of %(count)d of the team's %(num)d frontline staff",
            self.staff,
            count=self.count,
        )
        if self.leads:
            why += " " + _("(team leads attend, but add no second leader)")
        return why


def derive_team_skip_leaders(
    people: Iterable[tuple[int, int | None, int | None, bool]],
    frontline_team_ids: set[int],
    overrides: Mapping[int, int],
) -> dict[int, SkipLeader]:
    """PURE: frontline team id -> its one skip-level leader, from (id, team_id, manager_id,
    active) rows. A coordinator's override wins; else the manager's manager of most of the
    team's frontline staff. Team leads (members who manage other members of the team) attend
    the team's roundtable but do not count: their own manager's manager would otherwise make
    the top leader the second skip-level leader of every team."""
    rows = list(people)
    managers = {pid: manager for pid, _team, manager, _active in rows}
    active = {pid for pid, _team, _manager, is_active in rows if is_active}
    members: dict[int, list[int]] = {}
    for pid, team_id, _manager, is_active in rows:
        if team_id in frontline_team_ids and is_active and team_id is not None:
            members.setdefault(team_id, []).append(pid)
    found: dict[int, SkipLeader] = {}
    for team_id, crew in sorted(members.items()):
        override = overrides.get(team_id)
        if override is not None and override in active:
            found[team_id] = SkipLeader(override)
            continue
        in_team = set(crew)
        leads = {managers.get(p) for p in crew} & in_team
        staff = [p for p in crew if p not in leads] or crew
        votes: Counter[int] = Counter()
        for pid in staff:
            manager = managers.get(pid)
            grand = managers.get(manager) if manager is not None else None
            if grand is not None and grand in active and grand != pid:
                votes[grand] += 1
        if not votes:
            continue
        leader, count = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        found[team_id] = SkipLeader(leader, count, len(staff), bool(leads))
    return found


def derive_skip_leaders(
    people: Iterable[tuple[int, int | None, int | None, bool]],
    frontline_team_ids: set[int],
    overrides: Mapping[int, int],
) -> dict[int, set[int]]:
    """PURE: frontline team id -> {its skip-level leader id} (see derive_team_skip_leaders)."""
    derived = derive_team_skip_leaders(people, frontline_team_ids, overrides)
    return {team: {s.leader_id} for team, s in derived.items()}


def skip_leaders_with_reasons(
    session: Session, team_ids: Collection[int] | None = None
) -> dict[int, SkipLeader]:
    """Frontline team id -> its skip-level leader and why, in two queries; with `team_ids`,
    only those teams', from their members, their managers and those managers' managers (a
    page of the chart need not read 10,000 people)."""
    teams_q = select(Team.id, Team.frontline, Team.skip_level_override_id)
    people: Iterable[tuple[int, int | None, int | None, bool]]
    if team_ids is None:
        teams = session.execute(teams_q).all()
        people = session.execute(
            select(Person.id, Person.team_id, Person.manager_id, Person.active)
        ).all()
    else:
        teams = session.execute(teams_q.where(Team.id.in_(sorted(set(team_ids))))).all()
        people = _chains_of_teams(session, [tid for tid, _f, _o in teams],
                                  [o for _t, _f, o in teams if o is not None])  # fmt: skip
    return derive_team_skip_leaders(
        people,
        {tid for tid, frontline, _o in teams if frontline},
        {tid: override for tid, _f, override in teams if override is not None},
    )


def _chains_of_teams(
    session: Session, team_ids: list[int], also: list[int]
) -> list[tuple[int, int | None, int | None, bool]]:
    """(id, team_id, manager_id, active) of the teams' members, their managers, those managers'
    managers and the people in `also`: all derive_team_skip_leaders() reads of those teams."""
    if not team_ids:
        return []
    manager, grand = aliased(Person), aliased(Person)
    cols = (Person.id, Person.team_id, Person.manager_id, Person.active)
    found: dict[int, tuple[int, int | None, int | None, bool]] = {}
    rows = session.execute(
        select(*cols, manager.id, manager.team_id, manager.manager_id, manager.active,
               grand.id, grand.team_id, grand.manager_id, grand.active)
        .outerjoin(manager, manager.id == Person.manager_id)
        .outerjoin(grand, grand.id == manager.manager_id)
        .where(Person.team_id.in_(team_ids))
    )  # fmt: skip
    for row in rows:
        values: tuple[Any, ...] = tuple(row)
        for k in (0, 4, 8):
            if values[k] is not None:
                found[values[k]] = values[k : k + 4]
    wanted = sorted(set(also) - found.keys())
    if wanted:
        for pid, team, boss, active in session.execute(select(*cols).where(Person.id.in_(wanted))):
            found[pid] = (pid, team, boss, active)
    return list(found.values())


def skip_leaders_by_team(session: Session) -> dict[int, set[int]]:
    """Frontline team id -> {skip-level leader id}, in two queries."""
    return {t: {s.leader_id} for t, s in skip_leaders_with_reasons(session).items()}

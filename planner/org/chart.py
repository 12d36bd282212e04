"""The org chart: reporting lines, cycles, and skip-level pairs derived from it."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

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
    """(leader, frontline team) pairs: every leader with at least one active member of that team
    in their skip-level scope, sorted by leader and team id for determinism."""
    pairs: dict[tuple[int, int], tuple[Person, Team]] = {}
    people = session.scalars(
        select(Person)
        .join(Team, Person.team_id == Team.id)
        .where(Team.frontline.is_(True), Person.active.is_(True))
    )
    for person in people:
        leader = skip_level_leader(person)
        if (
            leader is not None
            and leader.active
            and person.team is not None
            and leader.id != person.id
        ):
            pairs.setdefault((leader.id, person.team.id), (leader, person.team))
    return [pairs[k] for k in sorted(pairs)]


def derive_skip_leaders(
    people: Iterable[tuple[int, int | None, int | None, bool]],
    frontline_team_ids: set[int],
    overrides: Mapping[int, int],
) -> dict[int, set[int]]:
    """PURE: frontline team id -> ids of its skip-level leaders, from (id, team_id, manager_id,
    active) rows: the team's override, else each active member's manager's manager. Same rule
    as skip_level_leader(), without loading objects, for pages over the whole chart."""
    rows = list(people)
    managers = {pid: manager for pid, _team, manager, _active in rows}
    active = {pid for pid, _team, _manager, is_active in rows if is_active}
    found: dict[int, set[int]] = {}
    for pid, team_id, manager_id, is_active in rows:
        if team_id not in frontline_team_ids or not is_active or team_id is None:
            continue
        leader = overrides.get(team_id)
        if leader is None and manager_id is not None:
            leader = managers.get(manager_id)
        if leader is not None and leader in active and leader != pid:
            found.setdefault(team_id, set()).add(leader)
    return found


def skip_leaders_by_team(session: Session) -> dict[int, set[int]]:
    """Frontline team id -> skip-level leader ids, in two queries."""
    teams = session.execute(select(Team.id, Team.frontline, Team.skip_level_override_id)).all()
    people = session.execute(
        select(Person.id, Person.team_id, Person.manager_id, Person.active)
    ).all()
    return derive_skip_leaders(
        people,
        {tid for tid, frontline, _o in teams if frontline},
        {tid: override for tid, _f, override in teams if override is not None},
    )

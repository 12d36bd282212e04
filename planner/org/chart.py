"""The org chart: reporting lines, cycles, and skip-level pairs derived from it."""

from __future__ import annotations

from collections.abc import Mapping

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


def manager_map(session: Session) -> dict[int, int | None]:
    """Every person's manager id, in one query."""
    return dict(session.execute(select(Person.id, Person.manager_id)).tuples().all())


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

"""Read-only views of the org chart for pages: a paginated people list, teams with their
skip-level leaders, and the reporting tree. Bulk queries only, so 10,000 people stay fast."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload

from planner.models import Absence, Person, Team
from planner.org.chart import skip_leaders_with_reasons

PER_PAGE = 50


@dataclass(frozen=True)
class PeoplePage:
    """One page of the people list."""

    people: list[Person]
    total: int
    page: int
    pages: int


def _like(text: str) -> str:
    """A LIKE pattern matching text anywhere, with LIKE's wildcards escaped."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def people_page(
    session: Session, *, q: str = "", team: str = "", role: str = "", page: int = 1
) -> PeoplePage:
    """People matching a search (name or e-mail), a team ("none" for no team) and a role."""
    query = select(Person)
    if q.strip():
        pattern = _like(q.strip())
        query = query.where(
            or_(
                func.lower(Person.name).like(pattern, escape="\\"),
                Person.email.like(pattern, escape="\\"),
            )
        )
    if team == "none":
        query = query.where(Person.team_id.is_(None))
    elif team.isdigit():
        query = query.where(Person.team_id == int(team))
    if role:
        query = query.where(Person.role == role)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    page = min(max(1, page), pages)
    people = session.scalars(
        query.options(joinedload(Person.team), joinedload(Person.manager))
        .order_by(Person.name, Person.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return PeoplePage(list(people), total, page, pages)


def team_choices(session: Session) -> list[tuple[str, str]]:
    """(id, name) of every team, by name, for select boxes."""
    return [(str(i), n) for i, n in session.execute(select(Team.id, Team.name).order_by(Team.name))]


@dataclass(frozen=True)
class TeamSummary:
    """A team on the chart page."""

    team: Team
    members: int
    skip_leaders: list[Person]
    skip_why: str = ""


def teams_overview(session: Session) -> list[TeamSummary]:
    """Every team with its member count and skip-level leaders."""
    counts = Counter(
        dict(
            session.execute(
                select(Person.team_id, func.count())
                .where(Person.active.is_(True))
                .group_by(Person.team_id)
            ).all()
        )
    )
    derived = skip_leaders_with_reasons(session)
    wanted = {s.leader_id for s in derived.values()}
    leaders = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
    summaries = []
    for team in session.scalars(select(Team).order_by(Team.name)):
        found = derived.get(team.id)
        summaries.append(
            TeamSummary(
                team,
                counts.get(team.id, 0),
                [leaders[found.leader_id]] if found else [],
                found.why if found else "",
            )
        )
    return summaries


def team_skip_leaders(session: Session, team_id: int) -> tuple[list[Person], str]:
    """The skip-level leader of one team (none for a team that is not frontline) and why."""
    found = skip_leaders_with_reasons(session).get(team_id)
    if found is None:
        return [], ""
    leader = session.get(Person, found.leader_id)
    return ([leader] if leader is not None else []), found.why


@dataclass
class Node:
    """A manager in the reporting tree, with the managers below and a count of other reports."""

    id: int
    name: str
    role: str
    children: list[Node] = field(default_factory=list)
    other_reports: int = 0


def reporting_tree(session: Session) -> tuple[list[Node], int]:
    """The reporting lines between people who manage someone (roots first), plus how many
    active people have neither a manager nor reports. Leaves are counted, not listed, so the
    page stays small for a large organisation; a person's page lists their reports."""
    rows = session.execute(
        select(Person.id, Person.name, Person.role, Person.manager_id)
        .where(Person.active.is_(True))
        .order_by(Person.name)
    ).all()
    people = {pid: (name, role, manager) for pid, name, role, manager in rows}
    reports: dict[int, list[int]] = {}
    for pid, (_name, _role, manager) in people.items():
        if manager in people:
            reports.setdefault(manager, []).append(pid)

    def build(root: int) -> Node:
        # Iterative (an explicit stack): a chain hundreds of levels deep must not recurse.
        top = Node(root, *people[root][:2])
        stack: list[tuple[Node, frozenset[int]]] = [(top, frozenset({root}))]
        while stack:
            node, seen = stack.pop()
            for child in reports.get(node.id, []):
                if child in reports and child not in seen:
                    sub = Node(child, *people[child][:2])
                    node.children.append(sub)
                    stack.append((sub, seen | {child}))
                else:
                    node.other_reports += 1
        return top

    roots = [
        build(pid)
        for pid, (_n, _r, manager) in people.items()
        if pid in reports and manager not in people
    ]
    loose = sum(1 for pid, (_n, _r, m) in people.items() if pid not in reports and m not in people)
    return roots, loose


def tree_rows(roots: list[Node]) -> list[tuple[str, Node | None]]:
    """The tree as a flat list of ("open", node) and ("close", None) for a template to render
    nested lists without recursion."""
    rows: list[tuple[str, Node | None]] = []
    stack: list[tuple[str, Node | None]] = [("open", n) for n in reversed(roots)]
    while stack:
        kind, node = stack.pop()
        rows.append((kind, node))
        if kind == "open" and node is not None and node.children:
            stack.append(("close", None))
            stack.extend(("open", c) for c in reversed(node.children))
    return rows


def manager_chain(person: Person) -> list[Person]:
    """The person's managers from the top down to their direct manager."""
    chain: list[Person] = []
    current = person.manager
    while current is not None and current not in chain and current is not person:
        chain.append(current)
        current = current.manager
    return list(reversed(chain))


def absences(session: Session, person_id: int) -> list[Absence]:
    """A person's absences, latest first."""
    return list(
        session.scalars(
            select(Absence)
            .where(Absence.person_id == person_id)
            .order_by(Absence.first_day.desc(), Absence.id)
        )
    )

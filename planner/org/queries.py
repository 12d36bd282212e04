"""Read-only views of the org chart for pages: a paginated people list, teams with their
skip-level leaders, and the reporting tree. Bulk queries only, so 10,000 people stay fast."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

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


@dataclass(frozen=True)
class TeamsPage:
    """One page of the chart's teams table."""

    teams: list[TeamSummary]
    total: int
    page: int
    pages: int


def teams_overview(session: Session, page: int | None = None) -> TeamsPage:
    """Teams by name with their member counts and skip-level leaders, PER_PAGE at a time
    (`page` None: all of them). Only the shown teams' people are read."""
    total = session.scalar(select(func.count(Team.id))) or 0
    pages = max(1, math.ceil(total / PER_PAGE))
    query = select(Team).order_by(Team.name, Team.id)
    if page is not None:
        page = min(max(1, page), pages)
        query = query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    shown = list(session.scalars(query))
    ids = [t.id for t in shown]
    counts = Counter(
        dict(
            session.execute(
                select(Person.team_id, func.count())
                .where(Person.active.is_(True), Person.team_id.in_(ids))
                .group_by(Person.team_id)
            ).all()
        )
        if ids
        else {}
    )
    derived = skip_leaders_with_reasons(session, ids)
    wanted = {derived[t.id].leader_id for t in shown if t.id in derived}
    leaders = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
    summaries = []
    for team in shown:
        found = derived.get(team.id)
        summaries.append(
            TeamSummary(
                team,
                counts.get(team.id, 0),
                [leaders[found.leader_id]] if found else [],
                found.why if found else "",
            )
        )
    return TeamsPage(summaries, total, page or 1, pages if page is not None else 1)


def team_skip_leaders(session: Session, team_id: int) -> tuple[list[Person], str]:
    """The skip-level leader of one team (none for a team that is not frontline) and why."""
    found = skip_leaders_with_reasons(session, [team_id]).get(team_id)
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
    page stays small for a large organisation; a person's page lists their reports. Only the
    managers are read (with their active reports counted by the database): at 10,000 people
    that is a tenth of the rows."""
    boss = aliased(Person)
    active_boss = (boss.id == Person.manager_id) & boss.active.is_(True)
    # Active people's reports counted per active manager.
    counts = dict(
        session.execute(
            select(Person.manager_id, func.count())
            .join(boss, active_boss)
            .where(Person.active.is_(True))
            .group_by(Person.manager_id)
        ).all()
    )
    has_reports = select(boss.id).where(boss.manager_id == Person.id, boss.active.is_(True))
    rows = session.execute(
        select(Person.id, Person.name, Person.role, Person.manager_id)
        .where(Person.active.is_(True), has_reports.exists())
        .order_by(Person.name, Person.id)
    ).all()
    managers = {pid: (name, role, manager) for pid, name, role, manager in rows}
    # The managers among each manager's reports, by name (the other reports are only counted).
    below: dict[int, list[int]] = {}
    for pid, (_name, _role, manager) in managers.items():
        if manager in managers:
            below.setdefault(manager, []).append(pid)

    def build(root: int) -> Node:
        # Iterative (an explicit stack): a chain hundreds of levels deep must not recurse.
        top = Node(root, *managers[root][:2])
        stack: list[tuple[Node, frozenset[int]]] = [(top, frozenset({root}))]
        while stack:
            node, seen = stack.pop()
            for child in below.get(node.id, []):
                if child not in seen:
                    sub = Node(child, *managers[child][:2])
                    node.children.append(sub)
                    stack.append((sub, seen | {child}))
            node.other_reports = counts.get(node.id, 0) - len(node.children)
        return top

    # A manager's active manager has an active report (them), so is in `managers`: "not in
    # managers" means no manager or one who left, as for the people without reports below.
    roots = [build(pid) for pid, (_n, _r, manager) in managers.items() if manager not in managers]
    no_boss = or_(
        Person.manager_id.is_(None),
        ~select(boss.id).where(active_boss).exists(),
    )
    loose = session.scalar(
        select(func.count(Person.id)).where(Person.active.is_(True), ~has_reports.exists(), no_boss)
    )
    return roots, loose or 0


# Levels of managers the chart shows; deeper managers are counted on the last level shown (their
# person page lists them), so the page stays small at 10,000 people.
CHART_LEVELS = 4


def _managers_below(node: Node) -> int:
    """How many managers hang below a node, at any depth (iterative)."""
    count, stack = 0, list(node.children)
    while stack:
        current = stack.pop()
        count += 1
        stack.extend(current.children)
    return count


def tree_rows(roots: list[Node], levels: int | None = None) -> list[tuple[str, Node | None, int]]:
    """The tree as a flat list of ("open", node, hidden) and ("close", None, 0) for a template
    to render nested lists without recursion; below `levels` a node's managers are not listed
    but counted (`hidden`)."""
    rows: list[tuple[str, Node | None, int]] = []
    stack: list[tuple[str, Node | None, int]] = [("open", n, 1) for n in reversed(roots)]
    while stack:
        kind, node, depth = stack.pop()
        if kind == "close" or node is None:
            rows.append(("close", None, 0))
            continue
        if node.children and levels is not None and depth >= levels:
            rows.append(("open", node, _managers_below(node)))
            continue
        rows.append(("open", node, 0))
        if node.children:
            stack.append(("close", None, 0))
            stack.extend(("open", c, depth + 1) for c in reversed(node.children))
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

"""Applying a people CSV to the database (all or nothing) and exporting people as CSV.

The parsing and validation are pure (planner.org.people_csv); this module adds the two bulk
lookups the file is checked against and then writes every change in one flush per kind.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from planner.auth.operations import end_all_sessions
from planner.errors import NotAllowed, PlannerError
from planner.models import AuditEntry, Person, Team
from planner.org.operations import check_admin_rule
from planner.org.people_csv import LineError, PersonRow, parse_people, write_people


class ImportRejected(PlannerError):
    """The file has problems; nothing was written. `errors` lists every one, with its line."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(f"The file was not imported: {len(errors)} problem(s) found.")
        self.errors = errors


@dataclass(frozen=True)
class ImportResult:
    """What an import changed."""

    created: int
    updated: int
    unchanged: int
    teams_created: list[str]

    def summary(self) -> str:
        """One sentence for a flash message or the terminal."""
        teams = f" New teams: {', '.join(self.teams_created)}." if self.teams_created else ""
        return (
            f"Imported: {self.created} added, {self.updated} updated, "
            f"{self.unchanged} unchanged.{teams}"
        )


def _stored_managers(session: Session) -> dict[str, str]:
    """Every stored person's e-mail -> manager's e-mail ("" for none), in one query."""
    manager = aliased(Person)
    rows = session.execute(
        select(Person.email, manager.email).outerjoin(manager, Person.manager_id == manager.id)
    ).all()
    return {email: manager_email or "" for email, manager_email in rows}


def _people_by_email(session: Session, emails: list[str]) -> dict[str, Person]:
    """The stored people with these e-mails, in one query (all people for a large file)."""
    query = select(Person)
    if len(emails) <= 500:
        query = query.where(Person.email.in_(emails))
    return {p.email: p for p in session.scalars(query)}


def _admin_rule_errors(
    rows: list[PersonRow], stored: dict[str, Person], actor_role: str
) -> list[LineError]:
    """Rows that would grant or remove the admin role when the actor is not an admin."""
    errors = []
    for row in rows:
        old = stored.get(row.email)
        if problem := check_admin_rule(actor_role, old.role if old else None, row.role):
            errors.append(LineError(row.line, f"{problem} ({row.email})"))
    return errors


def _teams(session: Session, rows: list[PersonRow]) -> tuple[dict[str, Team], list[str]]:
    """Teams by lower-case name, creating missing ones. A new team is frontline when most of
    its people in the file are staff (a coordinator can change that on the team page)."""
    teams = {t.name.lower(): t for t in session.scalars(select(Team))}
    roles_by_team: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    for row in rows:
        if row.team and row.team.lower() not in teams:
            roles_by_team.setdefault(row.team.lower(), Counter())[row.role] += 1
            names.setdefault(row.team.lower(), row.team)
    created = []
    for key, roles in roles_by_team.items():
        team = Team(name=names[key], frontline=roles["staff"] * 2 > sum(roles.values()))
        session.add(team)
        teams[key] = team
        created.append(team.name)
    return teams, sorted(created)


def import_people(session: Session, data: bytes, *, actor: Person | None) -> ImportResult:
    """Create or update people from CSV bytes, matched by e-mail; all or nothing.

    Raises ImportRejected with every problem (and writes nothing) when any row is bad. People
    not in the file are left alone. A role change ends that person's sessions and is audited.
    """
    if actor is not None and actor.role not in {"admin", "coordinator"}:
        raise NotAllowed("Only coordinators and admins can import people.")
    parsed = parse_people(data, _stored_managers(session))
    if not parsed.ok:
        raise ImportRejected(parsed.errors)
    people = _people_by_email(session, [r.email for r in parsed.rows])
    if errors := _admin_rule_errors(parsed.rows, people, actor.role if actor else "admin"):
        raise ImportRejected(errors)
    teams, teams_created = _teams(session, parsed.rows)
    before: dict[str, tuple[object, ...]] = {}
    role_changes: list[tuple[Person, str]] = []
    for row in parsed.rows:
        team = teams[row.team.lower()] if row.team else None
        person = people.get(row.email)
        if person is None:
            person = Person(name=row.name, email=row.email, role=row.role, team=team)
            session.add(person)
            people[row.email] = person
            continue
        before[row.email] = _snapshot(person)
        if person.role != row.role:
            role_changes.append((person, person.role))
        person.name, person.role, person.team = row.name, row.role, team
    session.flush()  # new people get their ids, so managers can be linked
    by_email = {email: p.id for email, p in people.items()}
    missing = {r.manager_email for r in parsed.rows if r.manager_email not in by_email} - {""}
    if missing:
        found = session.execute(select(Person.email, Person.id).where(Person.email.in_(missing)))
        by_email.update(found.all())
    for row in parsed.rows:
        people[row.email].manager_id = by_email[row.manager_email] if row.manager_email else None
    for person, old_role in role_changes:
        session.add(
            AuditEntry(
                actor_id=actor.id if actor else None,
                action="role_change",
                subject=f"person:{person.id}",
                detail=f"{old_role} -> {person.role} (import)",
            )
        )
        end_all_sessions(session, person)
    session.flush()
    updated = sum(1 for email, snap in before.items() if _snapshot(people[email]) != snap)
    created = len(parsed.rows) - len(before)
    return ImportResult(created, updated, len(before) - updated, teams_created)


def _snapshot(person: Person) -> tuple[object, ...]:
    """The imported fields of a person, to count real updates."""
    return (person.name, person.role, person.team_id, person.manager_id)


def export_people(session: Session) -> str:
    """Every person as CSV text (formula cells neutralised), sorted by name then e-mail."""
    manager = aliased(Person)
    rows = session.execute(
        select(Person.name, Person.email, Person.role, Team.name, manager.email)
        .outerjoin(Team, Person.team_id == Team.id)
        .outerjoin(manager, Person.manager_id == manager.id)
        .order_by(Person.name, Person.email)
    ).all()
    return write_people((n, e, r, t or "", m or "") for n, e, r, t, m in rows)

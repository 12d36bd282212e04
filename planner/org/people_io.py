"""Applying a people CSV to the database (all or nothing) and exporting people as CSV.

The parsing and validation are pure (planner.org.people_csv); this module adds the two bulk
lookups the file is checked against and then writes every change in one flush per kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session, aliased

from planner.auth.operations import end_all_sessions
from planner.db import utcnow
from planner.errors import NotAllowed, PlannerError
from planner.i18n import _, ngettext
from planner.models import AuditEntry, Person, Team
from planner.org.leaving import record_leavers
from planner.org.operations import check_admin_rule
from planner.org.people_csv import LineError, PersonRow, parse_people, write_people
from planner.org.settings import local_today

PEOPLE: Table = Person.__table__  # type: ignore[assignment]
MAX_LEVELS = 20
UPDATE_CHUNK = 1000  # rows per executemany UPDATE, so progress moves on a large file
# (done, total, words): the job's ctx.progress or the CLI's CliProgress.
Progress = Callable[[int, int, str], None]


def _no_progress(_done: int, _total: int, _words: str = "") -> None:
    """The progress reporter of callers that show none."""


class ImportRejected(PlannerError):
    """The file has problems; nothing was written. `errors` lists every one, with its line."""

    def __init__(self, errors: list[LineError]) -> None:
        super().__init__(
            ngettext(
                "The file was not imported: %(num)d problem found.",
                "The file was not imported: %(num)d problems found.",
                len(errors),
            )
        )
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
        shown = ", ".join(self.teams_created[:10])
        more = len(self.teams_created) - 10
        if more > 0:
            shown = ngettext("%(shown)s and %(num)d more", "%(shown)s and %(num)d more", more,
                             shown=shown)  # fmt: skip
        said = _(
            "Imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.",
            added=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )
        if self.teams_created:
            said += " " + _("New teams: %(teams)s.", teams=shown)
        return said


def _stored_managers(session: Session) -> dict[str, str]:
    """Every stored person's e-mail -> manager's e-mail ("" for none), in one query."""
    manager = aliased(Person)
    rows = session.execute(
        select(Person.email, manager.email).outerjoin(manager, Person.manager_id == manager.id)
    ).all()
    return {email: manager_email or "" for email, manager_email in rows}


@dataclass(frozen=True)
class _Stored:
    """The imported fields of a stored person, read as plain values (no ORM objects, which
    would make the unit of work sort 10,000 self-referencing rows)."""

    id: int
    name: str
    role: str
    team_id: int | None
    manager_id: int | None
    start_date: date | None
    end_date: date | None


def _stored_people(session: Session, emails: list[str]) -> dict[str, _Stored]:
    """The stored people with these e-mails, in one query (all people for a large file)."""
    query = select(Person.email, Person.id, Person.name, Person.role, Person.team_id,
                   Person.manager_id, Person.start_date, Person.end_date)  # fmt: skip
    if len(emails) <= 500:
        query = query.where(Person.email.in_(emails))
    wanted = set(emails)
    return {
        email: _Stored(pid, name, role, team_id, manager_id, start, end)
        for email, pid, name, role, team_id, manager_id, start, end in session.execute(query)
        if email in wanted
    }


def _admin_rule_errors(
    rows: list[PersonRow], stored: dict[str, _Stored], actor_role: str
) -> list[LineError]:
    """Rows that would grant or remove the admin role when the actor is not an admin."""
    errors = []
    for row in rows:
        old = stored.get(row.email)
        if problem := check_admin_rule(actor_role, old.role if old else None, row.role):
            errors.append(LineError(row.line, f"{problem} ({row.email})"))
    return errors


def _team_ids(session: Session, rows: list[PersonRow]) -> tuple[dict[str, int], list[str]]:
    """Team ids by lower-case name, creating missing teams. A new team is frontline when most
    of its people in the file are staff (a coordinator can change that on the team page)."""
    teams = {name.lower(): tid for tid, name in session.execute(select(Team.id, Team.name))}
    roles_by_team: dict[str, Counter[str]] = {}
    names: dict[str, str] = {}
    for row in rows:
        if row.team and row.team.lower() not in teams:
            roles_by_team.setdefault(row.team.lower(), Counter())[row.role] += 1
            names.setdefault(row.team.lower(), row.team)
    new = {
        key: Team(name=names[key], frontline=roles["staff"] * 2 > sum(roles.values()))
        for key, roles in roles_by_team.items()
    }
    session.add_all(new.values())
    session.flush()
    teams.update({key: team.id for key, team in new.items()})
    return teams, sorted(team.name for team in new.values())


def _levels(rows: list[PersonRow], known: Iterable[str]) -> list[list[PersonRow]]:
    """New people in insert order: first those whose manager is already stored (or who have
    none), then their reports, and so on, so each row is inserted with its manager's id.

    A chain deeper than MAX_LEVELS would cost a statement per level; past that, the remaining
    rows are one last level and their managers are linked by the UPDATE that follows."""
    known_set = set(known)
    pending = {r.email: r for r in rows}
    levels: list[list[PersonRow]] = []
    while pending and len(levels) < MAX_LEVELS:
        level = [r for r in pending.values() if not r.manager_email or r.manager_email in known_set]
        if not level:
            break
        levels.append(level)
        for row in level:
            known_set.add(row.email)
            del pending[row.email]
    if pending:
        levels.append(list(pending.values()))
    return levels


def import_people(
    session: Session,
    data: bytes,
    *,
    actor: Person | None,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Create or update people from CSV bytes, matched by e-mail; all or nothing.

    Raises ImportRejected with every problem (and writes nothing) when any row is bad. People
    not in the file are left alone. A role change ends that person's sessions and is audited.
    With start_date/end_date columns the employment dates are set (an empty cell clears one);
    whoever's end date has come by `today` (default: the organisation's today) is recorded as
    having left (planner/org/leaving.py).
    Writes are bulk statements (one INSERT and a few executemany UPDATEs), not a query per row.
    `progress(done, total, words)` hears how many rows are written.
    """
    report = progress or _no_progress
    if actor is not None and actor.role not in {"admin", "coordinator"}:
        raise NotAllowed("Only coordinators and admins can import people.")
    report(0, 0, _("Checking the file"))
    parsed = parse_people(data, _stored_managers(session))
    if not parsed.ok:
        raise ImportRejected(parsed.errors)
    total = len(parsed.rows)
    report(0, total, _("Writing people"))
    stored = _stored_people(session, [r.email for r in parsed.rows])
    if errors := _admin_rule_errors(parsed.rows, stored, actor.role if actor else "admin"):
        raise ImportRejected(errors)
    team_ids, teams_created = _team_ids(session, parsed.rows)
    now = utcnow()
    new_rows = [r for r in parsed.rows if r.email not in stored]
    ids = {email: s.id for email, s in stored.items()}
    wanted = {r.manager_email for r in parsed.rows} - {r.email for r in new_rows} - ids.keys()
    if wanted - {""}:
        found = session.execute(select(Person.email, Person.id).where(Person.email.in_(wanted)))
        ids.update(dict(found.all()))
    late: set[str] = set()  # inserted before their manager (only in very deep chains)
    written = 0
    for level in _levels(new_rows, ids.keys()):
        late.update(r.email for r in level if r.manager_email and r.manager_email not in ids)
        inserted = session.execute(
            insert(PEOPLE).returning(PEOPLE.c.email, PEOPLE.c.id),
            [
                {"name": r.name, "email": r.email, "role": r.role,
                 "team_id": team_ids[r.team.lower()] if r.team else None,
                 "manager_id": ids.get(r.manager_email), "created_at": now, "updated_at": now,
                 "start_date": r.start_date, "end_date": r.end_date}
                for r in level
            ],
        )  # fmt: skip
        ids.update(dict(inserted.all()))
        written += len(level)
        report(written, total, _("Writing people"))
    changes = []
    role_changes: list[tuple[int, str, str]] = []
    for row in parsed.rows:
        values: dict[str, object] = {
            "name": row.name,
            "role": row.role,
            "team_id": team_ids[row.team.lower()] if row.team else None,
            "manager_id": ids[row.manager_email] if row.manager_email else None,
        }
        if row.dates_given:
            values.update(start_date=row.start_date, end_date=row.end_date)
        old = stored.get(row.email)
        if old is None:
            if row.email in late:
                changes.append({"person_id": ids[row.email], "updated_at": now, **values})
            continue  # inserted with everything, manager included
        before = (old.name, old.role, old.team_id, old.manager_id, old.start_date, old.end_date)
        if before[: len(values)] != tuple(values.values()):
            changes.append({"person_id": old.id, "updated_at": now, **values})
        if old.role != row.role:
            role_changes.append((old.id, old.role, row.role))
    # Core executemany, grouped by PK: the ORM's per-row bookkeeping doubled the time.
    for start in range(0, len(changes), UPDATE_CHUNK):
        session.execute(
            update(PEOPLE)
            .where(PEOPLE.c.id == bindparam("person_id"))
            .values({key: bindparam(key) for key in changes[0] if key != "person_id"}),
            changes[start : start + UPDATE_CHUNK],
        )
        report(min(total, len(new_rows) + start + UPDATE_CHUNK), total, _("Writing people"))
    roles = {person_id: (old, new) for person_id, old, new in role_changes}
    changed = select(Person).where(Person.id.in_(roles)).execution_options(populate_existing=True)
    for person in session.scalars(changed):
        session.add(
            AuditEntry(
                actor_id=actor.id if actor else None,
                action="role_change",
                subject=f"person:{person.id}",
                detail=f"{roles[person.id][0]} -> {roles[person.id][1]} (import)",
            )
        )
        end_all_sessions(session, person)
    session.flush()
    record_leavers(session, today or local_today(session), actor=actor)
    report(total, total, _("Writing people"))
    stored_ids = {person.id for person in stored.values()}
    updated = sum(1 for change in changes if change["person_id"] in stored_ids)
    return ImportResult(len(new_rows), updated, len(stored) - updated, teams_created)


def export_people(session: Session) -> str:
    """Every person as CSV text (formula cells neutralised), sorted by name then e-mail; people
    who left are included, with their end date."""
    manager = aliased(Person)
    rows = session.execute(
        select(Person.name, Person.email, Person.role, Team.name, manager.email,
               Person.start_date, Person.end_date)
        .outerjoin(Team, Person.team_id == Team.id)
        .outerjoin(manager, Person.manager_id == manager.id)
        .order_by(Person.name, Person.email)
    ).all()  # fmt: skip
    return write_people(
        (n, e, r, t or "", m or "", _iso(start), _iso(end)) for n, e, r, t, m, start, end in rows
    )


def _iso(day: date | None) -> str:
    """A date as YYYY-MM-DD, or "" for none."""
    return day.isoformat() if day else ""

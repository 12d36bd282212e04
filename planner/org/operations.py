"""Changing the org chart: people, teams, skip-level overrides, absences, invites.

Every function takes the session first and the acting person as `actor` (None: the command
line, which is trusted like an administrator). They flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.auth.operations import create_invite, end_all_sessions, forget_links
from planner.errors import ChangedMeanwhile, InvalidInput, NotAllowed, NotFound
from planner.i18n import _
from planner.models import ROLES, Absence, AuditEntry, Person, Team
from planner.org.chart import MAX_LEVELS, creates_cycle, manager_map, too_deep
from planner.org.leaving import record_leavers
from planner.org.people_csv import MAX_NAME, MAX_TEAM, normalise_email
from planner.org.settings import local_today

ORGANISER_ROLES = frozenset({"admin", "coordinator"})
MAX_ABSENCE_DAYS = 366


def _require_organiser(actor: Person | None) -> None:
    """Only coordinators and admins (or the command line) change the chart."""
    if actor is not None and actor.role not in ORGANISER_ROLES:
        raise NotAllowed("Only coordinators and admins can change the organisation.")


def check_admin_rule(actor_role: str, old_role: str | None, new_role: str) -> str | None:
    """PURE: why this role change is not allowed, or None. Only an admin grants or removes admin,
    so a coordinator cannot promote themselves or demote the administrators."""
    if actor_role == "admin" or old_role == new_role:
        return None
    if new_role == "admin":
        return "only an administrator can give the admin role"
    if old_role == "admin":
        return "only an administrator can change an administrator's role"
    return None


def check_email_rule(actor: Person | None, person: Person, new_email: str) -> str | None:
    """Why this e-mail change is not allowed, or None. The e-mail is the sign-in identity (and
    where reset links go), so only an admin changes it for an admin or anyone with a password."""
    if new_email == person.email or actor is None or actor.role == "admin":
        return None
    if person.role == "admin" or person.has_login:
        return (
            f"Only an administrator can change the e-mail address of {person.name}: it is "
            "how they sign in."
        )
    return None


def get_person(session: Session, person_id: int) -> Person:
    """A person by id, or NotFound."""
    person = session.get(Person, person_id)
    if person is None:
        raise NotFound(_("No such person."))
    return person


def get_team(session: Session, team_id: int) -> Team:
    """A team by id, or NotFound."""
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(_("No such team."))
    return team


def person_by_email(session: Session, email: str) -> Person | None:
    """The person with this e-mail (case-insensitive), if any."""
    return session.scalar(select(Person).where(Person.email == normalise_email(email)))


@dataclass(frozen=True)
class PersonChange:
    """The editable fields of a person, as plain values (manager by e-mail, "" for none)."""

    name: str
    email: str
    role: str
    team_id: int | None
    manager_email: str
    active: bool = True
    start_date: date | None = None
    end_date: date | None = None  # the first day no longer with us (planner/org/leaving.py)


def _resolve(
    session: Session, change: PersonChange, person_id: int | None
) -> tuple[str, int | None]:
    """Validate a change; returns the normalised e-mail and the manager's id."""
    name, email = change.name.strip(), normalise_email(change.email)
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(
            _("A name of 1 to %(MAX_NAME)s characters is needed.", MAX_NAME=MAX_NAME)
        )
    if change.role not in ROLES:
        raise InvalidInput(_("Unknown role “%(role)s”.", role=change.role))
    other = person_by_email(session, email)
    if other is not None and other.id != person_id:
        raise InvalidInput(
            _("%(email)s already belongs to %(name)s.", email=email, name=other.name)
        )
    if change.start_date and change.end_date and change.end_date <= change.start_date:
        raise InvalidInput(
            _("The end date (the first day no longer with us) must come after the start date.")
        )
    if change.team_id is not None and session.get(Team, change.team_id) is None:
        raise InvalidInput(_("That team does not exist."))
    manager_id = None
    if change.manager_email.strip():
        manager = person_by_email(session, change.manager_email)
        if manager is None:
            raise InvalidInput(
                _("Nobody has the e-mail address %(strip)s.", strip=change.manager_email.strip())
            )
        manager_id = manager.id
        if manager_id == person_id:
            raise InvalidInput(_("A person cannot be their own manager."))
        if person_id is not None and creates_cycle(manager_map(session), person_id, manager_id):
            raise InvalidInput(
                f"{manager.name} cannot be the manager: they report (directly or through "
                "others) to this person, which would make a reporting loop."
            )
        if depth := too_deep(manager_map(session), person_id, manager_id):
            raise InvalidInput(
                f"With {manager.name} as manager the reporting chain would be {depth} levels "
                f"deep; at most {MAX_LEVELS} are allowed."
            )
    return email, manager_id


def create_person(session: Session, change: PersonChange, *, actor: Person | None) -> Person:
    """Add one person to the chart."""
    _require_organiser(actor)
    if problem := check_admin_rule(actor.role if actor else "admin", None, change.role):
        raise NotAllowed(problem[0].upper() + problem[1:] + ".")
    email, manager_id = _resolve(session, change, None)
    person = Person(
        name=change.name.strip(),
        email=email,
        role=change.role,
        team_id=change.team_id,
        manager_id=manager_id,
        active=change.active,
        start_date=change.start_date,
        end_date=change.end_date,
    )
    session.add(person)
    session.flush()
    _audit(session, actor, "person_create", person, change.role)
    record_leavers(session, local_today(session), actor=actor)
    return person


def update_person(
    session: Session,
    person_id: int,
    change: PersonChange,
    *,
    actor: Person | None,
    loaded_at: datetime | None = None,
) -> Person:
    """Edit a person. A role change or deactivation ends their sessions and is audited."""
    _require_organiser(actor)
    person = get_person(session, person_id)
    if loaded_at is not None and person.updated_at and person.updated_at > loaded_at:
        raise ChangedMeanwhile(person.name)
    if (
        actor is not None
        and actor.id == person.id
        and (change.role != person.role or not change.active)
    ):
        raise NotAllowed("You cannot change your own role or deactivate yourself.")
    today = local_today(session)
    if actor is not None and actor.id == person.id and change.end_date and change.end_date <= today:
        raise NotAllowed(_("You cannot record your own leaving."))
    if problem := check_admin_rule(actor.role if actor else "admin", person.role, change.role):
        raise NotAllowed(problem[0].upper() + problem[1:] + ".")
    if actor is not None and actor.role != "admin" and person.role == "admin" and not change.active:
        raise NotAllowed("Only an administrator can deactivate an administrator.")
    email, manager_id = _resolve(session, change, person.id)
    if problem := check_email_rule(actor, person, email):
        raise NotAllowed(problem)
    old_role, was_active = person.role, person.active
    person.name, person.email, person.role = change.name.strip(), email, change.role
    person.team_id, person.manager_id, person.active = change.team_id, manager_id, change.active
    person.start_date, person.end_date = change.start_date, change.end_date
    if old_role != change.role:
        _audit(session, actor, "role_change", person, f"{old_role} -> {change.role}")
    if was_active and not change.active:
        _audit(session, actor, "deactivate", person, "")
    if old_role != change.role or (was_active and not change.active):
        forget_links(person)  # an invite made for the old role must not open the new one
        end_all_sessions(session, person)
    session.flush()
    record_leavers(session, today, actor=actor)
    return person


def _audit(
    session: Session, actor: Person | None, action: str, person: Person, detail: str
) -> None:
    """Record an administrative change to a person."""
    session.add(
        AuditEntry(
            actor_id=actor.id if actor else None,
            action=action,
            subject=f"person:{person.id}",
            detail=detail,
        )
    )


def invite_person(session: Session, person_id: int, *, actor: Person, now: datetime) -> str:
    """A one-time invite token for a person (the view turns it into a link to pass on)."""
    get_person(session, person_id)
    return create_invite(session, person_id, actor=actor, now=now)


def create_team(session: Session, name: str, *, frontline: bool, actor: Person | None) -> Team:
    """Add a team; names are unique, case-insensitively."""
    _require_organiser(actor)
    clean = _team_name(session, name, None)
    team = Team(name=clean, frontline=frontline)
    session.add(team)
    session.flush()
    return team


def _team_name(session: Session, name: str, team_id: int | None) -> str:
    """A valid, unused team name."""
    clean = name.strip()
    if not clean or len(clean) > MAX_TEAM:
        raise InvalidInput(
            _("A team name of 1 to %(MAX_TEAM)s characters is needed.", MAX_TEAM=MAX_TEAM)
        )
    other = session.scalar(select(Team).where(func.lower(Team.name) == clean.lower()))
    if other is not None and other.id != team_id:
        raise InvalidInput(_("There is already a team called %(name)s.", name=other.name))
    return clean


def update_team(
    session: Session,
    team_id: int,
    *,
    name: str,
    frontline: bool,
    skip_level_email: str,
    actor: Person | None,
    head_email: str = "",
) -> Team:
    """Rename a team, mark it frontline or not, set or clear its skip-level override and (for a
    department) its head."""
    _require_organiser(actor)
    team = get_team(session, team_id)
    team.name = _team_name(session, name, team.id)
    team.frontline = frontline
    if skip_level_email.strip():
        leader = person_by_email(session, skip_level_email)
        if leader is None or not leader.active:
            raise InvalidInput(
                _(
                    "No active person has the e-mail address %(skip_level_email)s.",
                    skip_level_email=skip_level_email,
                )
            )
        if leader.team_id == team.id and leader.role == "staff":
            raise InvalidInput(
                _("%(name)s is staff in this team; choose a leader above it.", name=leader.name)
            )
        team.skip_level_override_id = leader.id
    else:
        team.skip_level_override_id = None
    head = None
    if head_email.strip():
        head = person_by_email(session, head_email)
        if head is None:
            raise InvalidInput(
                _("No active person has the e-mail address %(skip_level_email)s.",
                  skip_level_email=head_email)
            )  # fmt: skip
    from planner.feedback.departments import set_head  # feedback builds on org, not the reverse

    set_head(session, team, head)
    return team


def add_absence(
    session: Session, person_id: int, first_day: date, last_day: date, note: str, *,
    actor: Person | None,
) -> Absence:  # fmt: skip
    """Record that a person is away (inclusive dates); the scheduler plans around it."""
    _require_organiser(actor)
    get_person(session, person_id)
    if last_day < first_day:
        raise InvalidInput(_("The last day is before the first day."))
    if last_day - first_day > timedelta(days=MAX_ABSENCE_DAYS):
        raise InvalidInput(_("An absence can be at most a year; add another one for longer."))
    absence = Absence(
        person_id=person_id, first_day=first_day, last_day=last_day, note=note.strip()[:200]
    )
    session.add(absence)
    session.flush()
    return absence


def remove_absence(
    session: Session, person_id: int, absence_id: int, *, actor: Person | None
) -> None:
    """Delete one absence of this person (an id of someone else's absence is NotFound)."""
    _require_organiser(actor)
    absence = session.get(Absence, absence_id)
    if absence is None or absence.person_id != person_id:
        raise NotFound(_("No such absence."))
    session.delete(absence)
    session.flush()

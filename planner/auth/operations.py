"""Sign-in, throttling, session ending, password changes and invites."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from planner.errors import InvalidInput, NotAllowed, PlannerError
from planner.models import AuditEntry, LoginAttempt, Person


class BadCredentials(PlannerError):
    """Unknown e-mail or wrong password: one message for both (SECURITY.md item 6)."""

    def __init__(self) -> None:
        super().__init__("That e-mail address and password do not match an account.")


class Throttled(PlannerError):
    """Too many failed sign-ins for this account or address in the window."""

    def __init__(self, minutes: int) -> None:
        super().__init__(f"Too many failed attempts. Try again in {minutes} minutes.")
        self.minutes = minutes


class InviteInvalid(PlannerError):
    """The invite link is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__(
            "This invite link is not valid any more. Ask your coordinator for a new one."
        )


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-case and without surrounding space."""
    return email.strip().lower()


def hash_token(token: str) -> str:
    """The stored form of a secret token: its SHA-256, so a database leak reveals no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def _recent_failures(session: Session, since: datetime, *, email: str, address: str) -> int:
    """The larger of the failure counts for this account and for this address since a moment."""
    by_email = session.scalar(
        select(func.count()).where(
            LoginAttempt.email == email, LoginAttempt.at >= since, LoginAttempt.success.is_(False)
        )
    )
    by_address = session.scalar(
        select(func.count()).where(
            LoginAttempt.address == address,
            LoginAttempt.at >= since,
            LoginAttempt.success.is_(False),
        )
    )
    return max(by_email or 0, by_address or 0)


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    address: str,
    now: datetime,
    max_failures: int = 10,
    window_minutes: int = 15,
) -> Person:
    """Check a sign-in, recording the attempt in the database so every worker sees the throttle."""
    email = normalise_email(email)
    since = now - timedelta(minutes=window_minutes)
    if _recent_failures(session, since, email=email, address=address) >= max_failures:
        raise Throttled(window_minutes)
    person = session.scalar(select(Person).where(Person.email == email))
    ok = person is not None and verify_password(person.password_hash, password) and person.active
    session.add(LoginAttempt(at=now, email=email[:254], address=address[:64], success=ok))
    session.flush()
    if not ok or person is None:
        raise BadCredentials()
    if person.password_hash and needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    return person


def end_all_sessions(session: Session, person: Person) -> None:
    """Invalidate every session and remember-me cookie of this person (SECURITY.md item 3)."""
    person.session_version += 1
    session.flush()


def change_password(session: Session, person: Person, current: str, new: str) -> None:
    """Change a password after checking the current one; ends every other session."""
    if not verify_password(person.password_hash, current):
        raise InvalidInput("Your current password is not right.")
    check_policy(new, email=person.email, name=person.name)
    person.password_hash = hash_password(new)
    end_all_sessions(session, person)


def set_password(session: Session, person: Person, new: str) -> None:
    """Set a password without the old one (invite acceptance, create-admin)."""
    check_policy(new, email=person.email, name=person.name)
    person.password_hash = hash_password(new)
    end_all_sessions(session, person)


def create_invite(
    session: Session, person_id: int, *, actor: Person, now: datetime, valid_days: int = 14
) -> str:
    """Make a one-time invite token for a person to set a password; returns the raw token."""
    if actor.role not in {"admin", "coordinator"}:
        raise NotAllowed("Only coordinators and admins can invite people.")
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise InvalidInput("That person does not exist or is deactivated.")
    token = "inv_" + secrets.token_urlsafe(32)
    person.invite_token_hash = hash_token(token)
    person.invite_expires_at = now + timedelta(days=valid_days)
    session.add(
        AuditEntry(at=now, actor_id=actor.id, action="invite", subject=f"person:{person.id}")
    )
    session.flush()
    return token


def person_for_invite(session: Session, token: str, *, now: datetime) -> Person:
    """The person an unexpired invite token belongs to."""
    person = session.scalar(select(Person).where(Person.invite_token_hash == hash_token(token)))
    if (
        person is None
        or not person.active
        or person.invite_expires_at is None
        or person.invite_expires_at < now
    ):
        raise InviteInvalid()
    return person


def accept_invite(session: Session, token: str, password: str, *, now: datetime) -> Person:
    """Set the password of an invited person; the token cannot be used again."""
    person = person_for_invite(session, token, now=now)
    set_password(session, person, password)
    person.invite_token_hash = None
    person.invite_expires_at = None
    session.flush()
    return person


def create_admin(session: Session, *, name: str, email: str, password: str) -> Person:
    """Create an administrator, or make an existing person one, with this password."""
    email = normalise_email(email)
    person = session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(name=name.strip() or email, email=email, role="admin")
        session.add(person)
    person.role = "admin"
    person.active = True
    set_password(session, person, password)
    return person


def load_session_person(session: Session, login_id: str) -> Person | None:
    """The person for a login id "<id>:<session_version>", or None when that session has ended."""
    person_id, _, version = login_id.partition(":")
    if not person_id.isdigit() or not version.isdigit():
        return None
    person = session.get(Person, int(person_id))
    if person is None or not person.is_active or person.session_version != int(version):
        return None
    return person

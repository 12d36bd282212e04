"""Sign-in, throttling, session ending, password changes and invites."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.auth import throttle
from planner.auth.passwords import check_policy, hash_password, needs_rehash, verify_password
from planner.auth.throttle import Throttled, ThrottlePolicy
from planner.errors import InvalidInput, NotAllowed, PlannerError
from planner.i18n import _

__all__ = ["BadCredentials", "InviteInvalid", "ThrottlePolicy", "Throttled", "authenticate"]
from planner.models import AuditEntry, Person
from planner.org.people_csv import email_problem


class BadCredentials(PlannerError):
    """Unknown e-mail or wrong password: one message for both (SECURITY.md item 6)."""

    def __init__(self) -> None:
        super().__init__("That e-mail address and password do not match an account.")


class InviteInvalid(PlannerError):
    """The invite link is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__(
            _("This invite link is not valid any more. Ask your coordinator for a new one.")
        )


def normalise_email(email: str) -> str:
    """E-mail addresses are compared lower-case and without surrounding space."""
    return email.strip().lower()


def hash_token(token: str) -> str:
    """The stored form of a secret token: its SHA-256, so a database leak reveals no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    address: str,
    now: datetime,
    secret: str,
    policy: ThrottlePolicy | None = None,
) -> Person:
    """Check a sign-in; failures are recorded (as digests) so every worker sees the throttle.

    Unknown e-mails and people without a password cost one argon2 verification like everyone
    else, so the answer's timing does not tell which addresses have accounts (SECURITY.md 6).
    """
    email = normalise_email(email)
    account = throttle.digest(secret, "account", email)
    where = throttle.digest(secret, "address", address)
    throttle.check(session, account, where, now=now, policy=policy or ThrottlePolicy())
    person = session.scalar(select(Person).where(Person.email == email))
    ok = verify_password(person.password_hash if person else None, password)
    if not ok or person is None or not person.active:
        throttle.record_failure(session, account, where, now=now)
        raise BadCredentials()
    throttle.forget_pair(session, account, where)
    if person.password_hash and needs_rehash(person.password_hash):
        person.password_hash = hash_password(password)
    return person


def end_all_sessions(session: Session, person: Person) -> None:
    """Invalidate every session and remember-me cookie of this person (SECURITY.md item 3)."""
    person.session_version = (person.session_version or 1) + 1
    session.flush()


def change_password(session: Session, person: Person, current: str, new: str) -> None:
    """Change a password after checking the current one; ends every other session."""
    if not verify_password(person.password_hash, current):
        raise InvalidInput(_("Your current password is not right."))
    check_policy(new, email=person.email, name=person.name)
    person.password_hash = hash_password(new)
    forget_links(person)
    end_all_sessions(session, person)


def set_password(session: Session, person: Person, new: str) -> None:
    """Set a password without the old one (invite, reset link, create-admin); ends sessions."""
    check_policy(new, email=person.email, name=person.name)
    person.password_hash = hash_password(new)
    forget_links(person)
    end_all_sessions(session, person)


def forget_links(person: Person) -> None:
    """Invite and reset links stop working once a password is set or the role changes."""
    person.invite_token_hash = person.invite_expires_at = None
    person.reset_token_hash = person.reset_expires_at = None


def create_invite(
    session: Session, person_id: int, *, actor: Person, now: datetime, valid_days: int = 14
) -> str:
    """Make a one-time invite token for a person to set a password; returns the raw token."""
    if actor.role not in {"admin", "coordinator"}:
        raise NotAllowed("Only coordinators and admins can invite people.")
    person = session.get(Person, person_id)
    if person is None or not person.active:
        raise InvalidInput(_("That person does not exist or is deactivated."))
    if person.has_login:
        # An invite would let whoever holds the link replace a working password.
        raise InvalidInput(
            f"{person.name} already has a password. If it is forgotten, they can ask for a new "
            "one with “Forgot your password?” on the sign-in page."
        )
    if person.role == "admin" and actor.role != "admin":
        raise NotAllowed("Only an administrator can invite an administrator.")
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
        or person.has_login
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
    if problem := email_problem(email):
        raise InvalidInput(_("The %(problem)s.", problem=problem))
    person = session.scalar(select(Person).where(Person.email == email))
    if person is None:
        person = Person(name=name.strip()[:200] or email, email=email, role="admin")
        session.add(person)
        session.flush()
    person.role = "admin"
    person.active = True
    set_password(session, person, password)
    return person


def load_session_person(session: Session, login_id: str) -> Person | None:
    """The person for a login id "<id>:<session_version>", or None when that session has ended."""
    person_id, _sep, version = login_id.partition(":")
    if not person_id.isdigit() or not version.isdigit():
        return None
    person = session.get(Person, int(person_id))
    if person is None or not person.is_active or person.session_version != int(version):
        return None
    return person

""" "Forgot your password?": one-time, expiring reset links sent by e-mail.

The request page answers the same whether the address has an account or not; only active
people who already have a password get a link (people without one are invited instead). The
link's token is stored as a hash; using it sets the password, ends every session of that person
and kills the link, as does any other password change.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.auth.operations import hash_token, normalise_email, set_password
from planner.errors import PlannerError
from planner.i18n import _, in_language, ngettext, recipient_language
from planner.mail import Message
from planner.models import Organisation, Person

# A second request within this time sends nothing new, so nobody can flood a mailbox.
RESEND_AFTER = timedelta(minutes=2)


class ResetInvalid(PlannerError):
    """The reset link is unknown, used or expired."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This password-reset link is not valid any more. "
                "Ask for a new one on the sign-in page."
            )
        )


def request_reset(
    session: Session, email: str, *, now: datetime, valid_minutes: int = 60, force: bool = False
) -> tuple[Person, str] | None:
    """A new reset token for this address's account, or None (no account, or sent just now;
    `force`, for the command line, makes one anyway)."""
    person = session.scalar(select(Person).where(Person.email == normalise_email(email)))
    if person is None or not person.active or not person.has_login:
        return None
    valid = timedelta(minutes=valid_minutes)
    recent = person.reset_expires_at is not None and (
        person.reset_expires_at - valid + RESEND_AFTER > now
    )
    if recent and not force:
        return None
    token = "pwr_" + secrets.token_urlsafe(32)
    person.reset_token_hash = hash_token(token)
    person.reset_expires_at = now + valid
    session.flush()
    return person, token


def person_for_reset(session: Session, token: str, *, now: datetime) -> Person:
    """The person an unexpired reset token belongs to."""
    person = session.scalar(select(Person).where(Person.reset_token_hash == hash_token(token)))
    if (
        person is None
        or not person.active
        or person.reset_expires_at is None
        or person.reset_expires_at < now
    ):
        raise ResetInvalid()
    return person


def reset_password(session: Session, token: str, password: str, *, now: datetime) -> Person:
    """Set a new password from a reset link; every session of that person ends."""
    person = person_for_reset(session, token, now=now)
    set_password(session, person, password)
    return person


def reset_message(session: Session, person: Person, link: str, minutes: int) -> Message:
    """The reset e-mail, in the person's language (their own choice, else the organisation's)."""
    org = session.get(Organisation, 1)
    with in_language(recipient_language(person.language, org.locale if org else None)):
        valid = ngettext(
            "the link works once, for %(num)d minute",
            "the link works once, for %(num)d minutes",
            minutes,
        )
        body = "\n\n".join(
            [
                _("Hello %(name)s,", name=person.name),
                _(
                    "someone (hopefully you) asked to reset the password of %(email)s. "
                    "Choose a new one here (%(valid)s):",
                    email=person.email,
                    valid=valid,
                ),
                link,
                _("If you did not ask for this, ignore this e-mail; your password stays as it is."),
            ]
        )
        return Message(person.email, _("Reset your password"), body + "\n")

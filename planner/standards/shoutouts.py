"""Peer shout-outs: a colleague thanks a colleague, by name, for something specific; a wall per
team and for the organisation; one click turns a shout-out into a service-star nomination."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.i18n import _
from planner.models import LexiconEntry, Nomination, Person, ShoutOut, TrainingModule
from planner.recognition import stars

MESSAGE_MIN_WORDS = 4
MESSAGE_MAX = 1000
WALL_SIZE = 100


def give_shout_out(
    session: Session,
    *,
    author: Person,
    recipient_id: int,
    message: str,
    entry_id: int | None = None,
    module_id: int | None = None,
    now: datetime,
    idempotency_key: str | None = None,
) -> ShoutOut:
    """Thank a colleague (not yourself) for something specific; the same form sent twice saves
    once."""
    key = (idempotency_key or "").strip()[:64] or None
    if key is not None:
        existing = session.scalar(select(ShoutOut).where(ShoutOut.idempotency_key == key))
        if existing is not None:
            return existing
    recipient = session.get(Person, recipient_id)
    if recipient is None or not recipient.active:
        raise InvalidInput(_("Choose an active colleague."))
    if recipient.id == author.id:
        raise InvalidInput(_("Thank a colleague, not yourself."))
    message = message.strip()
    if len(message.split()) < MESSAGE_MIN_WORDS:
        raise InvalidInput(
            "Say what they did, specifically (a few words at least): that is what makes a "
            "thank-you land."
        )
    if len(message) > MESSAGE_MAX:
        raise InvalidInput(_("Keep it under %(MESSAGE_MAX)s characters.", MESSAGE_MAX=MESSAGE_MAX))
    if entry_id is not None:
        entry = session.get(LexiconEntry, entry_id)
        if entry is None or entry.status != "approved":
            raise InvalidInput(_("Choose a phrase from the lexicon."))
    if module_id is not None:
        module = session.get(TrainingModule, module_id)
        if module is None or not module.published:
            raise InvalidInput(_("Choose a standard from the list."))
    shout = ShoutOut(
        author_id=author.id,
        recipient_id=recipient.id,
        team_id=recipient.team_id,
        message=message,
        entry_id=entry_id,
        module_id=module_id,
        created_at=now,
        idempotency_key=key,
    )
    session.add(shout)
    try:
        session.flush()
    except IntegrityError:
        # A concurrent copy of the same form won the race for the key.
        session.rollback()
        winner = session.scalar(select(ShoutOut).where(ShoutOut.idempotency_key == key))
        if winner is None:
            raise
        return winner
    return shout


def wall(session: Session, team_id: int | None = None) -> list[ShoutOut]:
    """The newest shout-outs, of one team or of the whole organisation."""
    query = select(ShoutOut)
    if team_id is not None:
        query = query.where(ShoutOut.team_id == team_id)
    return list(session.scalars(query.order_by(ShoutOut.id.desc()).limit(WALL_SIZE)))


def get_shout_out(session: Session, shout_id: int) -> ShoutOut:
    """One shout-out, or NotFound."""
    shout = session.get(ShoutOut, shout_id)
    if shout is None:
        raise NotFound(_("No such shout-out."))
    return shout


def nominate_from(session: Session, shout_id: int, nominator: Person, now: datetime) -> Nomination:
    """One click: the shout-out becomes a service-star nomination of its recipient."""
    shout = get_shout_out(session, shout_id)
    if shout.nomination_id is not None:
        raise InvalidInput(_("This shout-out is already a service-star nomination."))
    nomination = stars.nominate(
        session,
        nominator=nominator,
        nominee_id=shout.recipient_id,
        reason=f"Shout-out from {shout.author.name}: {shout.message}"[: stars.REASON_MAX],
        now=now,
    )
    shout.nomination_id = nomination.id
    session.flush()
    return nomination


def recognised_people(session: Session, start: datetime, end: datetime) -> set[int]:
    """People thanked by a colleague in [start, end): for recognition coverage measures."""
    return set(
        session.scalars(
            select(ShoutOut.recipient_id).where(
                ShoutOut.created_at >= start, ShoutOut.created_at < end
            )
        )
    )

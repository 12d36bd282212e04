"""The service career ladder (P5): levels, where each person stands, and promotions celebrated
with the team as a calendar event."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotFound
from planner.events.operations import AllDay, create_event
from planner.i18n import _
from planner.models import CareerLevel, Person, PersonLevel, Promotion

TEXT_MAX = 4000


def ladder(session: Session) -> list[CareerLevel]:
    """The levels, first step first."""
    return list(session.scalars(select(CareerLevel).order_by(CareerLevel.rank)))


def save_level(
    session: Session,
    *,
    level_id: int | None,
    name: str,
    rank: int,
    meaning: str,
    requirements: str,
) -> CareerLevel:
    """Create (level_id None) or change a level; names and ranks are unique."""
    name = name.strip()
    if not name or len(name) > 120:
        raise InvalidInput(_("Give the level a name of at most 120 characters."))
    if not 1 <= rank <= 99:
        raise InvalidInput(_("The order is a number from 1 (first step) to 99."))
    if len(meaning) > TEXT_MAX or len(requirements) > TEXT_MAX:
        raise InvalidInput(_("Keep each text under %(TEXT_MAX)s characters.", TEXT_MAX=TEXT_MAX))
    level = CareerLevel() if level_id is None else session.get(CareerLevel, level_id)
    if level is None:
        raise NotFound(_("No such level."))
    for other in ladder(session):
        if other.id != level.id and other.name.casefold() == name.casefold():
            raise InvalidInput(_("There is already a level called %(name)s.", name=other.name))
        if other.id != level.id and other.rank == rank:
            raise InvalidInput(
                _(
                    "%(name)s already has order %(rank)s; choose another number.",
                    name=other.name,
                    rank=rank,
                )
            )
    level.name, level.rank = name, rank
    level.meaning, level.requirements = meaning.strip(), requirements.strip()
    session.add(level)
    session.flush()
    return level


def level_of(session: Session, person_id: int) -> PersonLevel | None:
    """Where a person stands now, if placed on the ladder."""
    return session.get(PersonLevel, person_id)


def levels_by_person(session: Session) -> dict[int, PersonLevel]:
    """Every placed person's level, by person id."""
    return {pl.person_id: pl for pl in session.scalars(select(PersonLevel))}


def place(session: Session, person_id: int, level_id: int, since: date) -> PersonLevel:
    """Put a person on a level without a celebration (initial placement, corrections)."""
    person, level = session.get(Person, person_id), session.get(CareerLevel, level_id)
    if person is None or level is None:
        raise InvalidInput(_("Choose a person and a level."))
    current = level_of(session, person_id)
    if current is None:
        current = PersonLevel(person_id=person_id, level_id=level_id, since=since)
        session.add(current)
    else:
        current.level_id, current.since = level_id, since
    session.flush()
    return current


def promote(
    session: Session,
    *,
    person_id: int,
    level_id: int,
    promoted_on: date,
    note: str,
    recorded_by: Person,
    now: datetime,
) -> Promotion:
    """Record a step up the ladder and celebrate it: an all-day 'promotion' event for the team."""
    person, level = session.get(Person, person_id), session.get(CareerLevel, level_id)
    if person is None or not person.active or level is None:
        raise InvalidInput(_("Choose an active person and a level."))
    current = level_of(session, person_id)
    if current is not None and current.level.rank >= level.rank:
        raise InvalidInput(
            _(
                "%(name)s is already at %(name2)s; a promotion goes to a higher level.",
                name=person.name,
                name2=current.level.name,
            )
        )
    if len(note) > TEXT_MAX:
        raise InvalidInput(_("Keep the note under %(TEXT_MAX)s characters.", TEXT_MAX=TEXT_MAX))
    promotion = Promotion(
        person_id=person.id,
        level_id=level.id,
        promoted_on=promoted_on,
        note=note.strip(),
        recorded_by_id=recorded_by.id,
        created_at=now,
    )
    session.add(promotion)
    session.flush()
    place(session, person.id, level.id, promoted_on)
    if person.team_id is not None:
        event = create_event(
            session,
            kind="promotion",
            practice="P5",
            title=f"Promotion: {person.name} is now {level.name}",
            description="\n".join(
                filter(None, [f"Congratulate {person.name} on becoming {level.name}.", note])
            ),
            when=AllDay(promoted_on, promoted_on + timedelta(days=1)),
            now=now,
            team_id=person.team_id,
            audience_team_ids=[person.team_id],
            transparent=True,
            source_kind="promotion",
            source_id=promotion.id,
            link_path="/recognition/careers",
        )
        promotion.event_id = event.id
        session.flush()
    return promotion


def recent_promotions(session: Session, limit: int = 20) -> list[Promotion]:
    """The latest promotions, newest first."""
    return list(
        session.scalars(
            select(Promotion)
            .order_by(Promotion.promoted_on.desc(), Promotion.id.desc())
            .limit(limit)
        )
    )

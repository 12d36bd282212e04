"""Finding people for the picker: who each picker may offer (its pool), the search over name,
team and e-mail, and turning what a form sent back into one person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from planner.access import LEADERS, SIGNED_IN
from planner.models import Person, Team
from planner.people.folding import fold, fold_text

# Enough to tell namesakes apart while typing; a longer list means "type more".
LIMIT = 20


@dataclass(frozen=True)
class Pool:
    """The people one kind of picker offers, and which roles may search it."""

    roles: frozenset[str]
    leaders_only: bool = False
    without_actor: bool = False

    def where(self, actor_id: int | None) -> list[Any]:
        """The SQL conditions of this pool."""
        found: list[Any] = [Person.active.is_(True)]
        if self.leaders_only:
            found.append(Person.role.in_(LEADERS))
        if self.without_actor and actor_id is not None:
            found.append(Person.id != actor_id)
        return found


POOLS: dict[str, Pool] = {
    # Everyone who works here now (hosts, praised staff, career steps).
    "people": Pool(frozenset(SIGNED_IN)),
    # Everyone but the person choosing (nominations, shout-outs).
    "colleagues": Pool(frozenset(SIGNED_IN), without_actor=True),
    # Who can own a feedback item.
    "leaders": Pool(frozenset(LEADERS), leaders_only=True),
}


@dataclass(frozen=True)
class Match:
    """One person as the picker lists them: enough to tell two Jan Jansens apart."""

    id: int
    name: str
    team: str | None
    email: str

    @property
    def label(self) -> str:
        """What the search box shows once this person is chosen."""
        return " · ".join(part for part in (self.name, self.team, self.email) if part)

    def as_json(self) -> dict[str, Any]:
        """The endpoint's shape of one result."""
        return {"id": self.id, "name": self.name, "team": self.team, "email": self.email,
                "label": self.label}  # fmt: skip


def _people(pool: Pool, actor_id: int | None) -> Select[int, str, str, str]:
    return (
        select(Person.id, Person.name, Team.name, Person.email)
        .outerjoin(Team, Team.id == Person.team_id)
        .where(*pool.where(actor_id))
    )


def search_people(
    session: Session, text: str, pool: Pool, *, actor_id: int | None = None, limit: int = LIMIT
) -> tuple[list[Match], bool]:
    """People of the pool whose name, team or e-mail hold every word of `text` (case and
    accents ignored), by name; and whether there were more than `limit`."""
    words = fold_text(text).split()[:6]
    if not words:
        return [], False
    query = _people(pool, actor_id)
    for word in words:
        # E-mails are stored lower-case (and ASCII in practice): no fold needed, which halves
        # the folding work per row on SQLite.
        query = query.where(
            or_(
                fold(Person.name).contains(word, autoescape=True),
                Person.email.contains(word, autoescape=True),
                fold(Team.name).contains(word, autoescape=True),
            )
        )
    rows = session.execute(query.order_by(Person.name, Person.id).limit(limit + 1)).all()
    found = [Match(*row) for row in rows[:limit]]
    return found, len(rows) > limit


def person_match(
    session: Session, person_id: int, pool: Pool, *, actor_id: int | None = None
) -> Match | None:
    """The pool's person with this id, or None (unknown, left, or not offered here)."""
    row = session.execute(_people(pool, actor_id).where(Person.id == person_id)).first()
    return Match(*row) if row is not None else None


def exact_email(
    session: Session, text: str, pool: Pool, *, actor_id: int | None = None
) -> Match | None:
    """The pool's person whose e-mail is exactly `text` (e-mails are stored lower-case)."""
    email = text.strip().lower()
    if "@" not in email:
        return None
    query = _people(pool, actor_id).where(and_(Person.email == email))
    row = session.execute(query).first()
    return Match(*row) if row is not None else None

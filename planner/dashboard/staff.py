"""A staff member's home: this week, their items and votes (changes since they last looked),
praise they received. Read-only, except remembering when they last looked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from planner.dashboard.calendar import Agenda, two_weeks
from planner.models import FeedbackChange, FeedbackItem, FeedbackVote, HomeVisit, Person, Praise
from planner.models.feedback import STATUSES


@dataclass(frozen=True)
class Followed:
    """An item the person raised or voted for; `change` says what moved since their last look."""

    item: FeedbackItem
    mine: bool  # raised by them (named); else they voted for it
    change: str  # "" when nothing changed since they last looked


def last_seen(session: Session, person_id: int) -> datetime | None:
    """When the person last opened their home page."""
    visit = session.get(HomeVisit, person_id)
    return visit.seen_at if visit is not None else None


def mark_seen(session: Session, person_id: int, now: datetime) -> None:
    """Remember that the person looked now; flushes."""
    visit = session.get(HomeVisit, person_id)
    if visit is None:
        session.add(HomeVisit(person_id=person_id, seen_at=now))
    else:
        visit.seen_at = now
    session.flush()


def followed_items(session: Session, person: Person, since: datetime | None) -> list[Followed]:
    """Items the person raised (not anonymously: those have no trace of them) or voted for."""
    voted = select(FeedbackVote.item_id).where(FeedbackVote.person_id == person.id)
    items = list(
        session.scalars(
            select(FeedbackItem)
            .where(or_(FeedbackItem.author_id == person.id, FeedbackItem.id.in_(voted)))
            .order_by(FeedbackItem.raised_on.desc(), FeedbackItem.id)
            .limit(30)
        )
    )
    changes: dict[int, FeedbackChange] = {}
    if since is not None and items:
        rows = session.scalars(
            select(FeedbackChange)
            .where(
                FeedbackChange.item_id.in_([i.id for i in items]),
                FeedbackChange.at > since,
                FeedbackChange.from_status != FeedbackChange.to_status,
            )
            .order_by(FeedbackChange.item_id, FeedbackChange.number)
        )
        for change in rows:
            changes.setdefault(change.item_id, change)
    found = []
    for item in items:
        first = changes.get(item.id)
        text = ""
        if first is not None:
            text = f"{STATUSES.get(first.from_status, first.from_status)} → {item.status_label}"
        found.append(Followed(item, item.author_id == person.id, text))
    found.sort(key=lambda f: (not f.change, f.item.is_closed))
    return found


def praise_received(session: Session, person: Person, limit: int = 5) -> list[Praise]:
    """The person's latest customer praise."""
    return list(
        session.scalars(
            select(Praise)
            .where(Praise.person_id == person.id)
            .order_by(Praise.received_on.desc(), Praise.id.desc())
            .limit(limit)
        )
    )


@dataclass
class StaffHome:
    """Everything on a staff member's home page."""

    agenda: Agenda
    followed: list[Followed]
    praise: list[Praise]
    since: datetime | None


def staff_home(session: Session, person: Person, today: date, zone: ZoneInfo) -> StaffHome:
    """A staff member's home page (the caller marks it seen afterwards)."""
    since = last_seen(session, person.id)
    return StaffHome(
        agenda=two_weeks(session, person, today, zone),
        followed=followed_items(session, person, since),
        praise=praise_received(session, person),
        since=since,
    )

"""Raising feedback and moving it through its life: new → acknowledged → planned → in progress →
done | declined. Every change is checked against the version the person saw (optimistic locking)
and recorded in the item's append-only history in the same transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from planner.errors import ChangedMeanwhile, InvalidInput, NotAllowed, NotFound
from planner.events.operations import cancel_event
from planner.feedback import followups, publishing
from planner.feedback.history import record_change
from planner.i18n import N_, _
from planner.models import (
    Event,
    FeedbackChange,
    FeedbackItem,
    FeedbackVote,
    PendingFeedback,
    Person,
    Team,
)
from planner.models.feedback import CATEGORIES, CLOSED, CUSTOMER_IMPACTS, DETAILS_MAX, TITLE_MAX

LEADER_ROLES = frozenset({"admin", "coordinator", "leader"})

# status -> statuses it may move to (planning again from planned/in progress changes owner/due).
TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"acknowledged", "declined"}),
    "acknowledged": frozenset({"planned", "declined"}),
    "planned": frozenset({"planned", "in_progress", "done", "declined"}),
    "in_progress": frozenset({"planned", "done", "declined"}),
    "done": frozenset(),
    "declined": frozenset(),
}

# Stored in English; shown in the reader's language (planner/i18n/content.py SYSTEM_TEXTS).
RAISED_AT_MEETING = N_("Raised at a skip-level meeting")


class DuplicateSubmission(InvalidInput):
    """The same form was sent twice; the first one already created the item (None: it is an
    anonymous raise still waiting in the pending pool)."""

    def __init__(self, item_id: int | None) -> None:
        super().__init__("This feedback was already sent.")
        self.item_id = item_id


@dataclass(frozen=True)
class Raised:
    """A newly raised item, or (anonymous) None and the receipt token to show ONCE: anonymous
    raises wait in the pending pool until a batch is published (publishing.py)."""

    item: FeedbackItem | None
    receipt: str | None


def _clean(text: str, limit: int, what: str, *, required: bool) -> str:
    """Trimmed text within its limit, or InvalidInput saying what is wrong."""
    value = (text or "").strip()
    if required and not value:
        raise InvalidInput(_("%(what)s is required.", what=what))
    if len(value) > limit:
        raise InvalidInput(
            _("%(what)s is too long (at most %(limit)s characters).", what=what, limit=limit)
        )
    return value


def _new_id(session: Session) -> int:
    """A random, unused six-digit public number: ids carry no creation order."""
    while True:
        candidate = 100000 + secrets.randbelow(900000)
        if session.get(FeedbackItem, candidate) is None:
            return candidate


def raise_item(
    session: Session,
    *,
    author: Person,
    title: str,
    details: str,
    category: str,
    team_id: int | None,
    anonymous: bool,
    idempotency_key: str,
    now: datetime,
    today: date,
    from_meeting: bool = False,
    meeting_event_id: int | None = None,
    customer_impact: str = "",
) -> Raised:
    """Raise an obstacle; anonymous ones go to the pending pool: no author, the day only."""
    title = _clean(title, TITLE_MAX, _("A title"), required=True)
    details = _clean(details, DETAILS_MAX, _("The details"), required=False)
    if category not in CATEGORIES:
        raise InvalidInput(_("Choose a category."))
    impact = (customer_impact or "").strip()
    if impact and impact not in CUSTOMER_IMPACTS:
        raise InvalidInput(_("Choose a customer impact from the list."))
    key = (idempotency_key or "").strip()
    if not 16 <= len(key) <= 64:
        raise InvalidInput(_("The form is incomplete. Reload the page and try again."))
    existing = session.scalar(select(FeedbackItem.id).where(FeedbackItem.idempotency_key == key))
    if existing is not None:
        raise DuplicateSubmission(existing)
    if session.scalar(select(PendingFeedback.key).where(PendingFeedback.idempotency_key == key)):
        raise DuplicateSubmission(None)
    if team_id is not None and session.get(Team, team_id) is None:
        raise InvalidInput(_("Choose a team."))
    if from_meeting:
        if author.role not in LEADER_ROLES:
            raise NotAllowed("Only leaders record skip-level meetings.")
        anonymous = False
        if meeting_event_id is not None:
            meeting = session.get(Event, meeting_event_id)
            if meeting is None or meeting.kind != "skip_level":
                raise InvalidInput(_("That is not a skip-level meeting."))
    if anonymous:
        return _hold(session, title, details, category, team_id, key, today, impact)
    item = FeedbackItem(
        id=_new_id(session),
        title=title,
        details=details,
        category=category,
        team_id=team_id,
        anonymous=False,
        author_id=None if from_meeting else author.id,
        from_meeting=from_meeting,
        meeting_event_id=meeting_event_id if from_meeting else None,
        raised_on=today,
        raised_at=now,
        idempotency_key=key,
        status="new",
        customer_impact=impact,
    )
    session.add(item)
    try:
        session.flush()
    except IntegrityError as exc:
        # A concurrent duplicate won the race for the idempotency key.
        session.rollback()
        won = session.scalar(select(FeedbackItem.id).where(FeedbackItem.idempotency_key == key))
        if won is None:
            raise
        raise DuplicateSubmission(won) from exc
    record_change(
        session,
        item,
        from_status="",
        to_status="new",
        actor_id=author.id,
        now=now,
        on_day=today,
        note=RAISED_AT_MEETING if from_meeting else "",
    )
    session.flush()
    return Raised(item, None)


def _hold(
    session: Session,
    title: str,
    details: str,
    category: str,
    team_id: int | None,
    key: str,
    today: date,
    impact: str = "",
) -> Raised:
    """An anonymous raise goes to the pending pool; a concurrent duplicate is told so."""
    try:
        held = publishing.hold_anonymous(
            session,
            title=title,
            details=details,
            category=category,
            team_id=team_id,
            idempotency_key=key,
            today=today,
            customer_impact=impact,
        )
    except IntegrityError as exc:
        session.rollback()
        raise DuplicateSubmission(None) from exc
    return Raised(None, held.receipt)


def get_item(session: Session, item_id: int) -> FeedbackItem:
    """An item by id; every signed-in person may see every item (the board is public to staff)."""
    item = session.get(FeedbackItem, item_id)
    if item is None:
        raise NotFound(_("No such feedback item."))
    return item


def check_version(item: FeedbackItem, expected_version: int | None) -> None:
    """Refuse to apply a change made on an out-of-date view of the item."""
    if expected_version is not None and item.version != expected_version:
        raise ChangedMeanwhile(f"Feedback {item.public_id}")


def change_status(
    session: Session,
    item: FeedbackItem,
    *,
    actor: Person,
    to_status: str,
    expected_version: int | None,
    now: datetime,
    today: date,
    owner_id: int | None = None,
    due_date: date | None = None,
    response: str = "",
    note: str = "",
) -> FeedbackChange:
    """Move an item to a new status (leaders only), keeping its follow-up events in step."""
    if actor.role not in LEADER_ROLES:
        raise NotAllowed("Only leaders change the status of feedback.")
    check_version(item, expected_version)
    if to_status not in TRANSITIONS.get(item.status, frozenset()):
        raise InvalidInput(
            f"An item that is {item.status_label.lower()} cannot become "
            f"{to_status.replace('_', ' ')}."
        )
    note = _clean(note, 1000, _("The note"), required=False)
    from_status = item.status
    if to_status == "planned":
        owner = session.get(Person, owner_id) if owner_id is not None else None
        if owner is None or owner.role not in LEADER_ROLES or not owner.active:
            raise InvalidInput(_("A planned item needs an owner who is a leader."))
        if due_date is None:
            raise InvalidInput(_("A planned item needs a due date."))
        if due_date < today:
            raise InvalidInput(_("The due date cannot be in the past."))
        item.owner_id, item.due_date = owner.id, due_date
    if to_status in CLOSED:
        what = _("What we did") if to_status == "done" else _("Why not")
        item.response = _clean(response, 5000, f"“{what}”", required=True)
        item.closed_on = today
    if from_status == "new":
        item.acknowledged_on, item.acknowledged_by_id = today, actor.id
    item.status = to_status
    change = record_change(
        session,
        item,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor.id,
        now=now,
        on_day=today,
        note=note,
    )
    session.flush()  # raises StaleDataError if another transaction got in first
    if to_status in CLOSED:
        for event in followups.events_of(session, item):
            cancel_event(session, event, now=now)
    elif item.owner_id is not None and item.due_date is not None:
        followups.sync_owner_follow_up(session, item, now=now)
    session.flush()
    return change


def toggle_vote(session: Session, item: FeedbackItem, person: Person) -> bool:
    """Add or remove this person's "me too"; returns whether they now vote for it."""
    vote = session.get(FeedbackVote, (item.id, person.id))
    if vote is not None:
        session.delete(vote)
        session.flush()
        return False
    if item.is_closed:
        raise InvalidInput(_("This item is closed; votes are no longer counted."))
    session.add(FeedbackVote(item_id=item.id, person_id=person.id))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()  # a double click: the first vote stands
    return True

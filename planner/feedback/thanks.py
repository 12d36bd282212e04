"""Thanking a supporting department for a fixed obstacle ("you fixed it, we noticed").

One click on a done item routed to a department creates one calendar event of kind
`department_thanks` (DESIGN.md rule 8: an Event row, so it appears in the department's and the
head's feeds). Its UID is derived from the item, so a second click, or a retried POST, finds the
first event instead of making another (SECURITY.md 22).

Feeds are cached by calendar providers across accounts, so, like follow-ups, the event of an
anonymous item carries only its number, never its text.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotAllowed
from planner.events.operations import AllDay, create_event
from planner.feedback.departments import LEADER_ROLES, department_head
from planner.i18n import _
from planner.models import Event, FeedbackItem, Person

KIND = "department_thanks"
SOURCE_KIND = "feedback_thanks"
THANKS_UID = "feedback-{id}-thanks"


def thanks_event(session: Session, item: FeedbackItem) -> Event | None:
    """The thank-you already sent for this item, if any."""
    return session.scalar(select(Event).where(Event.uid == THANKS_UID.format(id=item.id)))


def thanked_items(session: Session, item_ids: list[int]) -> set[int]:
    """The items among item_ids whose department was thanked."""
    if not item_ids:
        return set()
    return {
        source_id
        for source_id in session.scalars(
            select(Event.source_id).where(
                Event.source_kind == SOURCE_KIND,
                Event.source_id.in_(item_ids),
                Event.status != "cancelled",
            )
        )
        if source_id is not None
    }


def can_thank(person: Person, item: FeedbackItem) -> bool:
    """Leaders may thank the department of an item it got done."""
    return person.role in LEADER_ROLES and item.status == "done" and item.department is not None


def _description(item: FeedbackItem) -> str:
    """What the department did, in the calendar (an anonymous item: its number only)."""
    if item.anonymous:
        return _("Feedback %(id)s is done. Thank you!", id=item.public_id)
    return _(
        'Feedback %(id)s "%(title)s" is done. What was done: %(response)s',
        id=item.public_id,
        title=item.title,
        response=item.response,
    )


def thank_department(
    session: Session, item: FeedbackItem, *, actor: Person, now: datetime, today: date
) -> tuple[Event, bool]:
    """Thank the item's department once; returns the event and whether it was made just now."""
    if actor.role not in LEADER_ROLES:
        raise NotAllowed("Only leaders thank departments.")
    department = item.department
    if department is None:
        raise InvalidInput(_("This item was not routed to a department."))
    if item.status != "done":
        raise InvalidInput(_("A department is thanked once the item is done."))
    existing = thanks_event(session, item)
    if existing is not None:
        return existing, False
    head = department_head(session, department)
    event = create_event(
        session,
        kind=KIND,
        practice="support",
        title=_("Thank you, %(department)s: you fixed it, we noticed", department=department.name),
        description=_description(item),
        link_path=f"/feedback/{item.id}",
        when=AllDay(today, today + timedelta(days=1)),
        now=now,
        host_id=actor.id,
        team_id=department.id,
        audience_team_ids=[department.id],
        attendee_ids=[head.id] if head is not None and head.id != actor.id else [],
        transparent=True,
        source_kind=SOURCE_KIND,
        source_id=item.id,
        uid=THANKS_UID.format(id=item.id),
    )
    return event, True


def thanks_for_department(
    session: Session, department_id: int, first: date, end: date
) -> list[Event]:
    """The thank-yous a department received between two days (end exclusive)."""
    return list(
        session.scalars(
            select(Event)
            .where(
                Event.kind == KIND,
                Event.team_id == department_id,
                Event.status != "cancelled",
                Event.start_date >= first,
                Event.start_date < end,
            )
            .order_by(Event.start_date, Event.id)
        )
    )


def thanks_in_month(session: Session, first: date, end: date) -> list[Event]:
    """Every thank-you to a department between two days (end exclusive), for "you said, we did"."""
    return list(
        session.scalars(
            select(Event)
            .where(
                Event.kind == KIND,
                Event.status != "cancelled",
                Event.start_date >= first,
                Event.start_date < end,
            )
            .order_by(Event.start_date, Event.id)
        )
    )

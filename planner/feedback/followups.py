"""Feedback follow-ups in the calendar (FEEDS.md 15, 17): all-day, transparent events for the
item's owner, and for the team's skip-level leader when nobody acknowledged it in time (a
coordinator instead when the item is anonymous and its team is too small to be named).

Feeds are cached by Google across accounts, so an event's title and description never carry an
anonymous item's text: anonymous items appear as "Follow up feedback #<number>".
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.events.operations import AllDay, create_event, events_from, update_event
from planner.feedback.anonymity import TeamGrouping, team_grouping
from planner.feedback.history import record_change
from planner.i18n import in_language
from planner.models import Event, FeedbackItem, Person, Team
from planner.org.calendar import add_working_days
from planner.org.chart import skip_level_leader

SOURCE_KIND = "feedback"
ACK_WORKING_DAYS = 5
OWNER_UID = "feedback-{id}-owner"
ESCALATION_UID = "feedback-{id}-escalation"


def event_title(item: FeedbackItem) -> str:
    """A calendar title that never reveals anonymous text."""
    if item.anonymous:
        return f"Follow up feedback {item.public_id}"
    return f"Follow up: {item.title}"[:200]


def event_description(item: FeedbackItem, *, escalated: bool = False) -> str:
    """A plain-text description: status and where to act, never the item's details. Stored in
    English; each reader gets it in their language (planner/i18n/content.py SYSTEM_TEXTS)."""
    why = (
        "Not acknowledged within 5 working days: please make sure someone responds."
        if escalated
        else f"Due {item.due_date.isoformat() if item.due_date else ''}."
    )
    with in_language("en"):
        status = str(item.status_label).lower()
    return f"Feedback {item.public_id} is {status}. {why}"


def events_of(session: Session, item: FeedbackItem) -> list[Event]:
    """The follow-up events of an item (owner's and escalation), cancelled ones included."""
    return events_from(session, SOURCE_KIND, item.id)


def sync_owner_follow_up(session: Session, item: FeedbackItem, *, now: datetime) -> Event:
    """Create or move the owner's follow-up on the due date (same UID, SEQUENCE+1 on a move)."""
    assert item.owner_id is not None and item.due_date is not None
    when = AllDay(item.due_date, item.due_date + timedelta(days=1))
    uid = OWNER_UID.format(id=item.id)
    event = session.scalar(select(Event).where(Event.uid == uid))
    if event is None:
        return create_event(
            session,
            kind="follow_up",
            practice="P4",
            title=event_title(item),
            description=event_description(item),
            link_path=f"/feedback/{item.id}",
            when=when,
            now=now,
            host_id=item.owner_id,
            transparent=True,
            source_kind=SOURCE_KIND,
            source_id=item.id,
            uid=uid,
        )
    update_event(
        session,
        event,
        now=now,
        when=when,
        host_id=item.owner_id,
        title=event_title(item),
        description=event_description(item),
        status="confirmed",
    )
    return event


def team_skip_level_leader(session: Session, team: Team | None) -> Person | None:
    """The team's override, else the skip-level leader most of its active members share."""
    if team is None:
        return None
    if team.skip_level_override is not None and team.skip_level_override.active:
        return team.skip_level_override
    votes: Counter[int] = Counter()
    people: dict[int, Person] = {}
    for member in team.members:
        leader = skip_level_leader(member) if member.active else None
        if leader is not None and leader.active:
            votes[leader.id] += 1
            people[leader.id] = leader
    if not votes:
        return None
    best = min(votes, key=lambda pid: (-votes[pid], pid))
    return people[best]


def a_coordinator(session: Session) -> Person | None:
    """The coordinator (else admin) who takes escalations that must not name a team."""
    return session.scalar(
        select(Person)
        .where(Person.active.is_(True), Person.role.in_(("coordinator", "admin")))
        .order_by(Person.role.desc(), Person.id)
        .limit(1)
    )


def escalation_leader(
    session: Session, item: FeedbackItem, grouping: TeamGrouping
) -> Person | None:
    """Who gets the escalation: for an item routed to a department, the head's own leader (the
    head already owns it), else a coordinator; otherwise the team's skip-level leader, or a
    coordinator when naming the leader would reveal a small team behind an anonymous item
    (SECURITY.md 17)."""
    if item.department is not None:
        from planner.feedback.departments import department_head  # (it imports this module)

        head = department_head(session, item.department)
        above = head.manager if head is not None else None
        if above is not None and above.active and above.role in ("leader", "coordinator", "admin"):
            return above
        return a_coordinator(session)
    if grouping.hides(item):
        return a_coordinator(session)
    return team_skip_level_leader(session, item.team)


def escalate_unacknowledged(session: Session, today: date, now: datetime) -> list[FeedbackItem]:
    """Give the skip-level leader a follow-up for each item still new 5 working days after it was
    raised; each item is escalated once. Returns the items escalated now."""
    escalated: list[FeedbackItem] = []
    waiting = session.scalars(
        select(FeedbackItem)
        .where(FeedbackItem.status == "new", FeedbackItem.escalated_on.is_(None))
        .order_by(FeedbackItem.raised_on, FeedbackItem.id)
    )
    grouping = team_grouping(session)
    for item in waiting:
        if add_working_days(session, item.raised_on, ACK_WORKING_DAYS) >= today:
            continue
        leader = escalation_leader(session, item, grouping)
        if leader is None:
            continue
        create_event(
            session,
            kind="follow_up",
            practice="P4",
            title=event_title(item),
            description=event_description(item, escalated=True),
            link_path=f"/feedback/{item.id}",
            when=AllDay(today, today + timedelta(days=1)),
            now=now,
            host_id=leader.id,
            transparent=True,
            source_kind=SOURCE_KIND,
            source_id=item.id,
            uid=ESCALATION_UID.format(id=item.id),
        )
        item.escalated_on = today
        record_change(
            session,
            item,
            from_status="new",
            to_status="new",
            actor_id=None,
            now=now,
            on_day=today,
            note=f"Not acknowledged in {ACK_WORKING_DAYS} working days: sent to {leader.name}.",
        )
        escalated.append(item)
    session.flush()
    return escalated

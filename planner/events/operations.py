"""Create, change and cancel events, keeping UID, SEQUENCE and LAST-MODIFIED right (FEEDS.md 5-8).

Every area (week activities, the year plan, feedback follow-ups, outreach) goes through these
functions, so the rules live in one place: the UID never changes; SEQUENCE grows by one on every
visible change and never decreases; LAST-MODIFIED (also the feed's DTSTAMP) moves only then; a
cancellation keeps the event (STATUS:CANCELLED) so feeds can show it during the grace period.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput
from planner.i18n import _
from planner.models import Event, Person, Team

# Fields whose change a calendar client must see (they appear in the VEVENT).
VISIBLE_FIELDS = frozenset(
    {
        "title", "description", "location", "link_path", "practice", "kind", "status",
        "all_day", "start_at", "end_at", "start_date", "end_date", "transparent",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Timed:
    """A timed slot: aware instants (stored in UTC)."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class AllDay:
    """An all-day slot: first day and the day AFTER the last (exclusive, like iCalendar)."""

    first_day: date
    end_day: date


When = Timed | AllDay


def new_uid(prefix: str = "evt") -> str:
    """A fresh, never reused UID key (the feed appends @<UID_DOMAIN>)."""
    return f"{prefix}-{uuid.uuid4().hex}"


def slot_uid(slot_key: str) -> str:
    """The UID key of a planned slot: its identity (series + index), independent of its date."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in slot_key)
    return f"slot-{safe}"


def _time_values(when: When) -> dict[str, Any]:
    """Column values for a slot, validated (end after start, aware instants)."""
    if isinstance(when, Timed):
        if when.start.tzinfo is None or when.end.tzinfo is None:
            raise InvalidInput(_("Times need a time zone."))
        if when.end <= when.start:
            raise InvalidInput(_("The end must be after the start."))
        return {
            "all_day": False,
            "start_at": when.start.astimezone(UTC),
            "end_at": when.end.astimezone(UTC),
            "start_date": None,
            "end_date": None,
        }
    if when.end_day <= when.first_day:
        raise InvalidInput(_("An all-day item ends on or after the day it starts."))
    return {
        "all_day": True,
        "start_at": None,
        "end_at": None,
        "start_date": when.first_day,
        "end_date": when.end_day,
    }


def create_event(
    session: Session,
    *,
    kind: str,
    title: str,
    when: When,
    now: datetime,
    practice: str = "support",
    description: str = "",
    location: str = "",
    link_path: str = "",
    host_id: int | None = None,
    team_id: int | None = None,
    for_everyone: bool = False,
    attendee_ids: Iterable[int] = (),
    audience_team_ids: Iterable[int] = (),
    transparent: bool = False,
    status: str = "confirmed",
    source_kind: str = "",
    source_id: int | None = None,
    slot_key: str | None = None,
    uid: str | None = None,
) -> Event:
    """Create a calendar item at SEQUENCE 0; its UID is fixed from now on."""
    event = Event(
        uid=uid or (slot_uid(slot_key) if slot_key else new_uid(kind.replace("_", "-"))),
        sequence=0,
        last_modified=now,
        created_at=now,
        kind=kind,
        practice=practice,
        title=title.strip(),
        description=description,
        location=location,
        link_path=link_path,
        host_id=host_id,
        team_id=team_id,
        for_everyone=for_everyone,
        transparent=transparent,
        status=status,
        source_kind=source_kind,
        source_id=source_id,
        slot_key=slot_key,
        **_time_values(when),
    )
    _set_people(session, event, attendee_ids, audience_team_ids)
    session.add(event)
    session.flush()
    return event


def _set_people(
    session: Session, event: Event, attendee_ids: Iterable[int], audience_team_ids: Iterable[int]
) -> None:
    """Replace the attendee and audience-team lists (ids sorted, so order never changes output)."""
    ids = sorted(set(attendee_ids))
    event.attendees = list(session.scalars(select(Person).where(Person.id.in_(ids)))) if ids else []
    team_ids = sorted(set(audience_team_ids))
    event.audience_teams = (
        list(session.scalars(select(Team).where(Team.id.in_(team_ids)))) if team_ids else []
    )


def update_event(
    session: Session,
    event: Event,
    *,
    now: datetime,
    when: When | None = None,
    attendee_ids: Iterable[int] | None = None,
    audience_team_ids: Iterable[int] | None = None,
    pin: bool = False,
    **changes: Any,
) -> bool:
    """Apply changes; a visible change raises SEQUENCE by one and moves LAST-MODIFIED.

    Returns whether anything visible changed. `pin=True` marks a hand edit the planner must keep.
    """
    values = dict(changes)
    if when is not None:
        values.update(_time_values(when))
    unknown = (
        set(values)
        - VISIBLE_FIELDS
        - {"host_id", "team_id", "for_everyone", "pinned", "source_kind", "source_id"}
    )
    if unknown:
        raise TypeError(f"not event fields: {sorted(unknown)}")
    visible = False
    for name, value in values.items():
        if isinstance(value, str) and name == "title":
            value = value.strip()
        if getattr(event, name) != value:
            setattr(event, name, value)
            visible = visible or name in VISIBLE_FIELDS
    if attendee_ids is not None or audience_team_ids is not None:
        _set_people(
            session,
            event,
            attendee_ids if attendee_ids is not None else [p.id for p in event.attendees],
            audience_team_ids
            if audience_team_ids is not None
            else [t.id for t in event.audience_teams],
        )
    if pin:
        event.pinned = True
    if visible:
        event.sequence += 1
        event.last_modified = max(now, event.last_modified)
        event.ics_piece = None  # re-rendered by the feeds layer
        if event.status != "cancelled":
            event.cancelled_at = None
    session.flush()
    return visible


def cancel_event(session: Session, event: Event, *, now: datetime) -> bool:
    """Cancel an event: it stays (STATUS:CANCELLED, SEQUENCE+1) for the feeds' grace period."""
    if event.status == "cancelled":
        return False
    update_event(session, event, now=now, status="cancelled")
    event.cancelled_at = now
    session.flush()
    return True


def events_from(session: Session, source_kind: str, source_id: int) -> list[Event]:
    """The events that stem from one source item (e.g. a feedback item's follow-ups)."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.source_kind == source_kind, Event.source_id == source_id)
            .order_by(Event.id)
        )
    )

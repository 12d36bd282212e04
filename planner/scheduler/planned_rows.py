"""The year's planned events as plain rows (one SELECT of columns, one of attendee pairs), not
ORM objects: at 10,000 people there are ~80,000 of them and building Event objects with their
attendee lists was most of a preview's time. Both SELECTs run on the session's connection (Core,
not the ORM's result machinery), and the ~360,000 attendee pairs are read only when asked for:
a preview never needs them, a publish compares them with the plan's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.models import Event, event_attendee


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One planned event as the plan needs it (the names are Event's, so templates read both)."""

    id: int
    slot_key: str
    sequence: int
    last_modified: datetime
    created_at: datetime
    title: str
    kind: str
    practice: str
    link_path: str
    status: str
    pinned: bool
    all_day: bool
    start_at: datetime | None
    end_at: datetime | None
    start_date: date | None
    end_date: date | None
    host_id: int | None
    team_id: int | None
    for_everyone: bool
    attendee_ids: tuple[int, ...] | None  # sorted; None when not read


COLUMNS = (
    Event.id, Event.slot_key, Event.sequence, Event.last_modified, Event.created_at, Event.title,
    Event.kind, Event.practice, Event.link_path, Event.status, Event.pinned, Event.all_day,
    Event.start_at, Event.end_at, Event.start_date, Event.end_date, Event.host_id, Event.team_id,
    Event.for_everyone,
)  # fmt: skip


def planned_rows(session: Session, year: int, *, attendees: bool = True) -> dict[str, PlannedRow]:
    """The year's planned events (cancelled ones too) by slot key; `attendees=False` leaves
    their attendee lists unread (None)."""
    of_year = Event.slot_key.like(f"{year}:%")
    conn = session.connection()
    people: dict[int, tuple[int, ...]] = {}
    if attendees:
        pairs = conn.execute(
            select(event_attendee.c.event_id, event_attendee.c.person_id)
            .join(Event, Event.id == event_attendee.c.event_id)
            .where(of_year)
            .order_by(event_attendee.c.event_id, event_attendee.c.person_id)
        )
        for event_id, group in groupby(pairs, itemgetter(0)):
            people[event_id] = tuple(pair[1] for pair in group)
    found: dict[str, PlannedRow] = {}
    for row in conn.execute(select(*COLUMNS).where(of_year)):
        values: tuple[Any, ...] = tuple(row)
        ids = people.get(values[0], ()) if attendees else None
        found[values[1]] = PlannedRow(*values, ids)  # type: ignore[call-arg]
    return found

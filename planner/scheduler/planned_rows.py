"""The year's planned events as plain rows (one SELECT of columns, one of attendee pairs), not
ORM objects: at 10,000 people there are ~80,000 of them and building Event objects with their
attendee lists was most of a preview's time. Both SELECTs run on the session's connection (Core,
not the ORM's result machinery), and the ~360,000 attendee pairs are read only when asked for:
a preview never needs them, a publish compares them with the plan's.

The instants and days are read raw and each distinct raw value is converted once (`_Converted`):
the rows hold a few thousand distinct instants, and the UTC column type converting every value
(parse, attach the zone) was half of the reading. A row is a named tuple: building 80,000
frozen dataclasses (one object.__setattr__ per field) cost as much again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Date, Dialect, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from planner.db import UTCDateTime
from planner.models import Event, event_attendee


class PlannedRow(NamedTuple):
    """One planned event as the plan needs it (the names are Event's, so templates read both)."""

    id: int
    slot_key: str
    sequence: int
    last_modified: datetime
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
    Event.id, Event.slot_key, Event.sequence, Event.last_modified, Event.title,
    Event.kind, Event.practice, Event.link_path, Event.status, Event.pinned, Event.all_day,
    Event.start_at, Event.end_at, Event.start_date, Event.end_date, Event.host_id, Event.team_id,
    Event.for_everyone,
)  # fmt: skip
# The columns read raw and converted once per distinct value (see _Converted).
CONVERTED = frozenset(
    i for i, column in enumerate(COLUMNS) if isinstance(column.type, (UTCDateTime, Date))
)


class _Converted(dict[Any, Any]):
    """Raw value -> the column type's own conversion of it on this dialect (so the values are
    exactly those a plain SELECT gives: aware UTC instants on every backend), each computed once."""

    def __init__(self, convert: Callable[[Any], Any] | None) -> None:
        super().__init__({None: None})
        self.convert = convert

    def __missing__(self, raw: Any) -> Any:
        value = self[raw] = self.convert(raw) if self.convert is not None else raw
        return value


def _converters(dialect: Dialect) -> dict[int, _Converted]:
    """Column position -> its converter, for the CONVERTED columns."""
    return {
        i: _Converted(COLUMNS[i].type.dialect_impl(dialect).result_processor(dialect, None))
        for i in CONVERTED
    }


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
    raw = [type_coerce(c, NullType()) if i in CONVERTED else c for i, c in enumerate(COLUMNS)]
    rows = conn.execute(select(*raw).where(of_year)).all()
    if not rows:
        return {}
    columns: list[Any] = list(zip(*rows, strict=True))
    for i, converted in _converters(conn.dialect).items():
        columns[i] = [converted[value] for value in columns[i]]
    ids = [people.get(i, ()) for i in columns[0]] if attendees else [None] * len(rows)
    return {values[1]: PlannedRow._make(values) for values in zip(*columns, ids, strict=True)}

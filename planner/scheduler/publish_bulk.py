"""Publishing new slots in bulk: one multi-row INSERT ... RETURNING for the events, one UPDATE
for the links that need the new ids, one INSERT for the attendees (instead of a flush per event).

The rows are what `events.operations.create_event` would write (SEQUENCE 0, the slot's UID,
validated times); nothing is loaded back into the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from planner.events.operations import AllDay, Timed, _time_values, slot_uid
from planner.models import Event, event_attendee
from planner.scheduler.planning import Plan, SeriesMeta
from planner.scheduler.spread import Placement

CHUNK = 2000  # rows per statement (stays below every backend's parameter limit)


def _row(meta: SeriesMeta, p: Placement, when: Timed | AllDay, now: datetime) -> dict[str, Any]:
    """The column values of one new planned event."""
    return {
        "uid": slot_uid(p.slot_key), "sequence": 0, "last_modified": now, "created_at": now,
        "kind": meta.kind, "practice": meta.practice, "title": meta.title.strip(),
        "description": meta.description, "location": "", "link_path": "",
        "host_id": meta.host_id, "team_id": meta.team_id, "for_everyone": meta.for_everyone,
        "transparent": isinstance(when, AllDay), "status": "confirmed", "pinned": False,
        "source_kind": "cadence", "source_id": meta.cadence_id, "slot_key": p.slot_key,
        **_time_values(when),
    }  # fmt: skip


def insert_new_events(
    session: Session,
    plan: Plan,
    fresh: Sequence[Placement],
    now: datetime,
    when_of: Callable[[Placement], Timed | AllDay],
    link_for: Callable[[SeriesMeta, Timed | AllDay, int], str],
    tick: Callable[[int], None],
) -> int:
    """Insert the events of placements that never had one; returns how many."""
    session.flush()  # anything pending goes first, so ids and constraints see it
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        whens = [when_of(p) for p in chunk]
        metas = [plan.meta[p.series_key] for p in chunk]
        rows = [_row(m, p, w, now) for m, p, w in zip(metas, chunk, whens, strict=True)]
        ids = list(
            session.scalars(insert(Event).returning(Event.id, sort_by_parameter_order=True), rows)
        )
        links = [
            {"id": i, "link_path": link_for(m, w, i)}
            for i, m, w in zip(ids, metas, whens, strict=True)
        ]
        session.execute(update(Event), links)
        people = [
            {"event_id": i, "person_id": pid}
            for i, m in zip(ids, metas, strict=True)
            for pid in sorted(set(m.attendee_ids))
        ]
        if people:
            session.execute(insert(event_attendee), people)
        tick(len(chunk))
    return len(fresh)

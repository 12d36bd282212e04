"""Publishing in bulk: new slots get their ids reserved up front and are written once (link
included) with their attendees, per chunk one INSERT per table (`insert_rows`); moved, revived,
refreshed and cancelled events as executemany UPDATEs by primary key (no flush per event).

The rows are what `events.operations.create_event` / `update_event` / `cancel_event` would write
(SEQUENCE 0 and the slot's UID for new ones; SEQUENCE+1 and a later LAST-MODIFIED only on a
visible change); nothing is loaded into the session.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any
from typing import cast as typed

from sqlalchemy import Table, bindparam, cast, delete, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from planner.events.operations import VISIBLE_FIELDS, AllDay, Timed, _time_values, slot_uid
from planner.models import Event, event_attendee
from planner.scheduler.planned_rows import PlannedRow
from planner.scheduler.planning import Plan, SeriesMeta
from planner.scheduler.spread import Placement

CHUNK = 2000  # rows per statement (stays below every backend's parameter limit)


def _row(
    meta: SeriesMeta, p: Placement, when: Timed | AllDay, now: datetime, event_id: int, link: str
) -> dict[str, Any]:
    """The column values of one new planned event."""
    return {
        "id": event_id, "uid": slot_uid(p.slot_key), "sequence": 0, "last_modified": now,
        "created_at": now,
        "kind": meta.kind, "practice": meta.practice, "title": meta.title.strip(),
        "description": meta.description, "location": "", "link_path": link,
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
    """Insert the events of placements that never had one, with their attendees; returns how
    many. Their ids are reserved first, so each row is written once, link included."""
    session.flush()  # anything pending goes first, so ids and constraints see it
    ids = reserve_event_ids(session, len(fresh))
    for start in range(0, len(fresh), CHUNK):
        rows: list[dict[str, Any]] = []
        people: list[dict[str, Any]] = []
        chunk = zip(ids[start : start + CHUNK], fresh[start : start + CHUNK], strict=True)
        for event_id, p in chunk:
            meta, when = plan.meta[p.series_key], when_of(p)
            rows.append(_row(meta, p, when, now, event_id, link_for(meta, when, event_id)))
            crew = sorted(set(meta.attendee_ids))
            people += [{"event_id": event_id, "person_id": i} for i in crew]
        insert_rows(session, _table(), rows)
        insert_rows(session, event_attendee, people)
        tick(len(rows))
    return len(fresh)


def reserve_event_ids(session: Session, count: int) -> list[int]:
    """`count` ids no event has or will get, ascending: on PostgreSQL from the id sequence (as a
    plain INSERT would take them); on SQLite the ones after the highest (what SQLite picks
    itself; the transaction holds the write lock, BEGIN IMMEDIATE, so nobody takes them)."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        reserved = session.scalars(
            text(
                "SELECT nextval(pg_get_serial_sequence('event', 'id'))"
                " FROM generate_series(1, :count)"
            ),
            {"count": count},
        )
        return sorted(reserved)
    highest = session.scalar(select(func.max(Event.id))) or 0
    return list(range(highest + 1, highest + 1 + count))


def insert_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys) into a table, as fast as the backend allows.

    PostgreSQL: one INSERT ... SELECT FROM unnest(one array per column) per call; psycopg 3's
    executemany sends one statement per row (pipelined; SQLAlchemy has no multi-row VALUES for
    it without RETURNING), which the server runs one by one: 12 s of server CPU at 10,000
    people against 5.6 s. SQLite: the driver's executemany of plain tuples, the columns' bind
    processing applied as SQLAlchemy would (its per-row parameter handling cost more than
    SQLite's own work). Elsewhere a Core executemany."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    if dialect.name == "postgresql":
        arrays = [
            cast(bindparam(f"a_{n}", [r[n] for r in rows], ARRAY(kind)), ARRAY(kind))
            for n in names
            if (kind := table.c[n].type) is not None
        ]
        source = select(func.unnest(*arrays).table_valued(*names).render_derived())
        session.execute(insert(table).from_select(names, source))
        return
    missing = [c for c in table.c if c.name not in rows[0]]
    if dialect.paramstyle != "qmark" or any(
        c.default is not None and not c.default.is_scalar for c in missing
    ):
        session.execute(insert(table), rows)
        return
    defaults = {c.name: c.default.arg for c in missing if c.default is not None}  # type: ignore[attr-defined]
    names += list(defaults)
    processors = [
        (i, f)
        for i, n in enumerate(names)
        if (f := table.c[n].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    quote = dialect.identifier_preparer
    sql = (
        f"INSERT INTO {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)})"
        f" VALUES ({', '.join('?' * len(names))})"
    )
    values = itemgetter(*names)
    params = [values({**r, **defaults}) if defaults else values(r) for r in rows]
    if len(names) == 1:
        params = [(v,) for v in params]
    if processors:
        params = [_processed(row, processors) for row in params]
    connection.exec_driver_sql(sql, params)


def _processed(
    row: tuple[Any, ...], processors: Sequence[tuple[int, Callable[[Any], Any]]]
) -> tuple:
    """A row's values with the bind processors of some columns applied."""
    out = list(row)
    for i, process in processors:
        out[i] = process(out[i])
    return tuple(out)


def _table() -> Table:
    """The events table (Core statements: executemany without the ORM's per-row work)."""
    return typed(Table, Event.__table__)


def changed_values(row: PlannedRow, values: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """The UPDATE of one published event that `events.operations.update_event` would make, or
    None when nothing differs: a visible change raises SEQUENCE by one, moves LAST-MODIFIED and
    drops the rendered feed piece; anything else leaves the event as it is (feeds byte-stable)."""
    if "title" in values:
        values = {**values, "title": values["title"].strip()}
    out = {k: v for k, v in values.items() if getattr(row, k) != v}
    if not out:
        return None
    if VISIBLE_FIELDS & out.keys():
        out["sequence"] = row.sequence + 1
        out["last_modified"] = max(now, row.last_modified)
        out["ics_piece"] = None  # re-rendered by the feeds layer
        if out.get("status", row.status) != "cancelled":
            out["cancelled_at"] = None
    out["id"] = row.id
    return out


def update_events(session: Session, changes: Sequence[dict[str, Any]]) -> None:
    """Apply many UPDATEs by primary key, rows with the same columns in one executemany."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for change in changes:
        groups.setdefault(frozenset(change), []).append(change)
    table = _table()
    for keys, rows in groups.items():
        columns = sorted(keys - {"id"})
        # Core executemany: the ORM's bulk UPDATE runs row by row on SQLite (rowcount checks).
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        params = [{"row_id": r["id"], **{f"v_{c}": r[c] for c in columns}} for r in rows]
        for start in range(0, len(params), CHUNK):
            session.execute(statement, params[start : start + CHUNK])


def replace_attendees(session: Session, people: dict[int, tuple[int, ...]]) -> None:
    """Set the attendee lists of many events (event id -> person ids)."""
    ids = sorted(people)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        session.execute(delete(event_attendee).where(event_attendee.c.event_id.in_(chunk)))
        rows = [{"event_id": i, "person_id": pid} for i in chunk for pid in sorted(set(people[i]))]
        insert_rows(session, event_attendee, rows)

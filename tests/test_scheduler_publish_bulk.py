"""Bulk publishing writes what publishing event by event through the ORM wrote: the same events,
UIDs, SEQUENCEs, LAST-MODIFIED, times, titles, links and attendees (issue 11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.events.operations import AllDay, Timed, cancel_event, create_event, update_event
from planner.models import Blackout, Cadence, Event, Person, event_attendee
from planner.scheduler import publishing
from planner.scheduler.cadences import seed_cadences
from planner.scheduler.planned_rows import PlannedRow, planned_rows
from planner.scheduler.planning import Plan, compute_plan
from planner.scheduler.publish_bulk import insert_rows, reserve_event_ids
from planner.scheduler.publishing import _details, _when, _when_of, link_for, own_placements
from tests import factories
from tests.scheduler_helpers import small_org

YEAR = 2026
TODAY = date(2026, 11, 2)
FIRST = datetime(2026, 11, 2, 12, tzinfo=UTC)
LATER = datetime(2026, 11, 9, 12, tzinfo=UTC)


def snapshot(session: Session) -> dict[str, tuple[Any, ...]]:
    """Every planned event as the feeds see it."""
    session.expire_all()
    rows = session.scalars(
        select(Event).where(Event.slot_key.is_not(None)).options(selectinload(Event.attendees))
    )
    return {
        ev.slot_key: (
            ev.uid,
            ev.sequence,
            ev.last_modified,
            ev.status,
            ev.cancelled_at,
            ev.title,
            ev.link_path.removesuffix(f"/{ev.id}"),  # new ids differ between the runs
            ev.all_day,
            ev.start_at,
            ev.end_at,
            ev.start_date,
            ev.end_date,
            ev.host_id,
            ev.team_id,
            ev.pinned,
            ev.ics_piece is None,
            sorted(p.id for p in ev.attendees),
        )
        for ev in rows
        if ev.slot_key
    }


def reference_apply(session: Session, plan: Plan, now: datetime) -> None:
    """Publishing as it was before the bulk writes: update_event / cancel_event per event."""
    diff = publishing.plan_diff(plan)
    events = {ev.id: ev for ev in session.scalars(select(Event).where(Event.slot_key.is_not(None)))}
    publishing.insert_new_events(
        session, plan, [p for p in diff.added if p.slot_key not in plan.events], now, _when,
        link_for, lambda _n: None,
    )  # fmt: skip
    for p in diff.added:
        row = plan.events.get(p.slot_key)
        if row is not None:
            meta, when = plan.meta[p.series_key], _when(p)
            update_event(
                session, events[row.id], now=now, when=when, status="confirmed", pinned=False,
                attendee_ids=meta.attendee_ids, link_path=link_for(meta, when, row.id),
                **_details(meta),
            )  # fmt: skip
    for move in diff.moved:
        meta, when = plan.meta[move.placement.series_key], _when(move.placement)
        update_event(session, events[move.event.id], now=now, when=when,
                     link_path=link_for(meta, when, move.event.id))  # fmt: skip
    added = {p.slot_key for p in diff.added}
    for p in own_placements(plan):
        row = plan.events.get(p.slot_key)
        if row is None or p.slot_key in added:
            continue
        ev, meta = events[row.id], plan.meta[p.series_key]
        changes = {k: v for k, v in _details(meta).items() if getattr(ev, k) != v}
        link = link_for(meta, _when_of(ev), ev.id)  # type: ignore[arg-type]
        if ev.link_path != link:
            changes["link_path"] = link
        if changes or sorted(x.id for x in ev.attendees) != list(meta.attendee_ids):
            update_event(session, ev, now=now, attendee_ids=meta.attendee_ids, **changes)
    for row, _why in diff.cancelled:
        cancel_event(session, events[row.id], now=now)
    session.flush()


def test_bulk_publishing_writes_what_publishing_event_by_event_wrote(session: Session) -> None:
    org = small_org(session, teams=3, staff_per_team=3)
    seed_cadences(session)
    session.commit()
    publishing.apply_plan(session, compute_plan(session, YEAR, TODAY), FIRST)
    session.commit()
    # A week later: a blackout week, a newcomer, a renamed team, a lead who left.
    monday = TODAY + timedelta(days=63 - TODAY.weekday())
    session.add(Blackout(first_day=monday, last_day=monday + timedelta(days=4), reason="Freeze"))
    factories.person(session, team=org.teams[0], manager=org.leads[0], name="New Starter")
    org.teams[1].name = "Front renamed"
    leaver = session.get(Person, org.leads[2].id)
    assert leaver is not None
    leaver.active = False
    session.commit()
    plan = compute_plan(session, YEAR, TODAY + timedelta(days=7))
    diff = publishing.plan_diff(plan)
    assert diff.moved and diff.cancelled  # the blackout moves events, the leaver's are cancelled

    nested = session.begin_nested()
    done = publishing.apply_plan(session, plan, LATER)
    bulk = snapshot(session)
    nested.rollback()
    nested = session.begin_nested()
    reference_apply(session, plan, LATER)
    expected = snapshot(session)
    nested.rollback()

    assert done.moved == len(diff.moved) and done.cancelled == len(diff.cancelled)
    assert bulk.keys() == expected.keys()
    before = {k: row.sequence for k, row in plan.events.items()}
    twice = {m.event.slot_key for m in diff.moved}  # moved, then refreshed: the old path's +2
    for key, row in bulk.items():
        assert row[:1] + row[2:] == expected[key][:1] + expected[key][2:], key
        if row[1] != expected[key][1]:
            # One publish raises SEQUENCE once per event, even if it both moves and renames it.
            assert key in twice and (row[1], expected[key][1]) == (before[key] + 1, before[key] + 2)
    renamed = [v for v in bulk.values() if "Front renamed" in v[5]]
    assert renamed and all(v[1] >= 1 for v in renamed)  # a visible change raised SEQUENCE
    assert any(v[2] == LATER for v in bulk.values()) and any(v[2] == FIRST for v in bulk.values())


def all_columns(session: Session) -> dict[str, tuple[Any, ...]]:
    """Every planned event's stored columns (the id aside, as new ids differ between runs) and
    its attendees, by slot key."""
    session.expire_all()
    table = Event.__table__
    people: dict[int, list[int]] = {}
    for event_id, person_id in session.execute(
        select(event_attendee.c.event_id, event_attendee.c.person_id).order_by(
            event_attendee.c.event_id, event_attendee.c.person_id
        )
    ):
        people.setdefault(event_id, []).append(person_id)
    found = {}
    for row in session.execute(select(table).where(table.c.slot_key.is_not(None))):
        values = row._asdict()
        event_id = values.pop("id")
        values["link_path"] = values["link_path"].removesuffix(f"/{event_id}")
        found[values["slot_key"]] = (*values.items(), people.get(event_id, []))
    return found


def _org_with_all_day_team_events(session: Session) -> None:
    """Three small teams with the default cadences, the team cadence made all-day (so the plan
    has dates and transparent events beside timed ones); committed."""
    small_org(session, teams=3, staff_per_team=3)
    seed_cadences(session)
    session.flush()
    team_cadence = session.scalars(
        select(Cadence).where(Cadence.expansion == "team").order_by(Cadence.id)
    ).first()
    assert team_cadence is not None
    team_cadence.duration_minutes = None
    session.commit()


def test_new_events_are_written_as_create_event_writes_them(session: Session) -> None:
    """A first publish (ids reserved up front, one INSERT per table and chunk) stores exactly
    what create_event per placement and then its link would."""
    _org_with_all_day_team_events(session)
    plan = compute_plan(session, YEAR, TODAY)
    fresh = own_placements(plan)
    all_day = [not isinstance(p.start, datetime) for p in fresh]
    assert any(all_day) and not all(all_day)

    nested = session.begin_nested()
    done = publishing.apply_plan(session, plan, FIRST)
    bulk = all_columns(session)
    nested.rollback()
    nested = session.begin_nested()
    for p in fresh:
        meta, when = plan.meta[p.series_key], _when(p)
        ev = create_event(
            session, when=when, now=FIRST, description=meta.description,
            attendee_ids=meta.attendee_ids, transparent=isinstance(when, AllDay),
            source_kind="cadence",
            source_id=meta.cadence_id, slot_key=p.slot_key, **_details(meta),
        )  # fmt: skip
        session.flush()
        ev.link_path = link_for(meta, when, ev.id)
    session.flush()
    expected = all_columns(session)
    nested.rollback()

    assert done.created == len(fresh) == len(bulk)
    assert bulk == expected


def test_reserved_ids_are_taken_by_nobody_else(session: Session) -> None:
    """Ids reserved for new events follow every existing one, and an event created afterwards
    gets an id after them (PostgreSQL: the sequence moved on; SQLite: the highest id)."""
    org = small_org(session, teams=1, staff_per_team=1)
    when = Timed(FIRST, FIRST + timedelta(hours=1))
    before = create_event(session, kind="activity", title="Before", when=when, now=FIRST,
                          host_id=org.leads[0].id)  # fmt: skip
    session.flush()
    ids = reserve_event_ids(session, 3)
    assert len(set(ids)) == 3 and ids == sorted(ids) and ids[0] > before.id
    insert_rows(session, Event.__table__, [  # type: ignore[arg-type]
        {"id": i, "uid": f"reserved-{i}", "sequence": 0, "last_modified": FIRST,
         "created_at": FIRST, "kind": "activity", "title": "Reserved", "all_day": False,
         "start_at": when.start, "end_at": when.end}
        for i in ids
    ])  # fmt: skip
    after = create_event(session, kind="activity", title="After", when=when, now=FIRST)
    session.flush()
    assert after.id > ids[-1]
    stored = session.get(Event, ids[0])
    assert stored is not None and stored.start_at == when.start and stored.link_path == ""
    assert stored.practice == "support" and stored.pinned is False  # the columns' defaults


def test_planned_rows_hold_what_the_orm_reads(session: Session) -> None:
    """The rows read raw and converted once per distinct value hold exactly the ORM's values:
    aware UTC instants (on SQLite too), days, and the attendees when asked for."""
    _org_with_all_day_team_events(session)
    publishing.apply_plan(session, compute_plan(session, YEAR, TODAY), FIRST)
    session.commit()
    session.expire_all()

    rows = planned_rows(session, YEAR)
    events = session.scalars(select(Event).where(Event.slot_key.like(f"{YEAR}:%"))).all()
    assert rows.keys() == {ev.slot_key for ev in events} and any(ev.all_day for ev in events)
    for ev in events:
        row = rows[ev.slot_key]
        for name in PlannedRow._fields[:-1]:
            assert getattr(row, name) == getattr(ev, name), name
        for name in ("last_modified", "start_at", "end_at"):
            value = getattr(row, name)
            assert value is None or value.utcoffset() == timedelta(0)
        assert row.attendee_ids == tuple(sorted(p.id for p in ev.attendees))
    unread = planned_rows(session, YEAR, attendees=False).values()
    assert all(r.attendee_ids is None for r in unread)

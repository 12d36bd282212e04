"""Bulk publishing writes what publishing event by event through the ORM wrote: the same events,
UIDs, SEQUENCEs, LAST-MODIFIED, times, titles, links and attendees (issue 11)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from planner.events.operations import cancel_event, update_event
from planner.models import Blackout, Event, Person
from planner.scheduler import publishing
from planner.scheduler.cadences import seed_cadences
from planner.scheduler.planning import Plan, compute_plan
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

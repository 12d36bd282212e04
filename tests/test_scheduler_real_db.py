"""A new customer with a real-shaped organisation starts in December (the database path):
default cadences, a first plan from the next working day, publish, personal feeds without a
double booking, then a blackout week that moves only its events a few days."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.bench.real_org import real_chart
from planner.db import utcnow
from planner.feeds.queries import feed_events, person_audience
from planner.models import Blackout, Event, Person, PlanYear, Team
from planner.scheduler.cadences import seed_cadences
from planner.scheduler.planning import compute_plan
from planner.scheduler.publishing import apply_plan
from planner.scheduler.validate import find_violations, personal_overlaps
from tests import factories

ZONE = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 12, 1)
BLACKOUT = "CRM migration freeze"


def load_chart(session: Session, size: int) -> dict[str, Any]:
    """Put a real-shaped chart into the database; returns the chief and senior leaders."""
    factories.organisation(session, time_zone="Europe/Amsterdam", country="NL")
    chart = real_chart(size)
    teams = {
        tid: Team(name=name, frontline=frontline) for tid, (name, frontline) in chart.teams.items()
    }
    session.add_all(teams.values())
    rows: dict[int, Person] = {}
    for m in chart.people:
        rows[m.id] = Person(name=m.name, email=f"p{m.id}@example.test", role=m.role,
                            team=teams.get(m.team) if m.team else None)  # fmt: skip
    session.add_all(rows.values())
    session.flush()
    for m in chart.people:
        rows[m.id].manager_id = rows[m.manager].id if m.manager else None
    session.flush()
    return {"chief": rows[chart.chief], "seniors": [rows[s] for s in chart.seniors]}


def feed_clashes(session: Session, now: datetime) -> list[tuple[int, str, str]]:
    """Overlapping timed, opaque events in each person's personal feed."""
    busy: dict[int, list[tuple[datetime, datetime, str]]] = defaultdict(list)
    for person in session.scalars(select(Person).where(Person.active.is_(True))):
        for ev in session.scalars(feed_events(session, person_audience(person), now, ZONE)):
            if ev.status != "cancelled" and not ev.all_day and not ev.transparent:
                assert ev.start_at is not None and ev.end_at is not None
                busy[person.id].append((ev.start_at, ev.end_at, ev.title))
    return personal_overlaps(busy)


def local_day(ev: Event) -> date:
    if ev.start_at is not None:
        return ev.start_at.astimezone(ZONE).date()
    assert ev.start_date is not None
    return ev.start_date


def test_a_december_start_on_a_real_shaped_org(session: Session) -> None:
    people = load_chart(session, 120)
    seed_cadences(session)
    plan = compute_plan(session, 2026, TODAY)
    assert plan.period[0] == date(2026, 12, 2) and plan.plan_input.frozen_until is None
    assert find_violations(plan.plan_input, plan.result) == []
    assert plan.result.unplaced == ()
    stats = plan.result.stats
    assert stats.weeks_covered == stats.weeks_plannable
    assert stats.balance_ratio <= 1.10 and stats.balance_ratio <= stats.balance_bound_ratio * 1.02
    skip = [m for m in plan.meta.values() if m.kind == "skip_level"]
    hosts_by_team: dict[int | None, set[int | None]] = defaultdict(set)
    for m in skip:
        hosts_by_team[m.team_id].add(m.host_id)
    assert all(len(h) == 1 for h in hosts_by_team.values())
    assert sum(m.host_id == people["chief"].id for m in skip) <= 1
    led = select(Person.id).where(Person.role == "leader", Person.team_id.is_not(None))
    leads = set(session.scalars(led))
    assert all(set(m.attendee_ids) & leads for m in skip)  # team leads attend
    for text in plan.warnings + [u.reason for u in plan.result.unplaced]:
        assert "#" not in text and ":c" not in text
    apply_plan(session, plan, utcnow())
    assert session.get(PlanYear, 2026).first_day == date(2026, 12, 2)  # type: ignore[union-attr]
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert feed_clashes(session, now) == []

    # A week later a blackout week is added; the re-plan keeps the start and moves only its events.
    before = {ev.slot_key: local_day(ev) for ev in session.scalars(select(Event))
              if ev.slot_key and ev.status != "cancelled"}  # fmt: skip
    session.add(Blackout(first_day=date(2027, 2, 1), last_day=date(2027, 2, 5), reason=BLACKOUT))
    session.flush()
    again = compute_plan(session, 2026, TODAY + timedelta(days=7))
    assert again.period[0] == date(2026, 12, 2)
    assert find_violations(again.plan_input, again.result) == []
    changed = [p for p in again.result.placements if p.status != "kept"]
    inside = {k for k, d in before.items() if date(2027, 2, 1) <= d <= date(2027, 2, 5)}
    assert changed and {p.slot_key for p in changed} <= inside
    assert all(p.status == "moved" and BLACKOUT in p.note for p in changed)
    for p in changed:
        day = p.start.astimezone(ZONE).date() if isinstance(p.start, datetime) else p.start
        assert abs((day - before[p.slot_key]).days) <= 7
    for u in again.result.unplaced:
        assert u.slot_key in inside and "Fixes:" in u.reason
    apply_plan(session, again, utcnow())
    assert feed_clashes(session, now) == []

"""Where a plan starts, who an event takes, roundtables for several teams, and the CLI loop."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.events.operations import Timed, create_event
from planner.models import Cadence, PlanYear
from planner.scheduler.planning import compute_plan, plan_period
from planner.scheduler.publishing import apply_plan
from planner.scheduler.validate import find_violations
from tests.scheduler_helpers import cadence, planned, small_org

ZONE = ZoneInfo("Europe/Amsterdam")


def test_a_first_plan_fills_from_the_next_working_day_and_keeps_that_start(
    session: Session,
) -> None:
    small_org(session)
    cadence(session, min_gap_weeks=1, max_gap_weeks=2)
    today = date(2027, 1, 29)  # a Friday in the 2026 plan year
    plan = compute_plan(session, 2026, today)
    assert plan.period[0] == date(2027, 2, 1) and plan.plan_input.frozen_until is None
    days = sorted(p.start.astimezone(ZONE).date() for p in plan.result.placements)  # type: ignore[union-attr]
    assert days[0] < date(2027, 2, 8)  # nothing is held back by a freeze in a first plan
    apply_plan(session, plan, utcnow())
    assert session.get(PlanYear, 2026).first_day == date(2027, 2, 1)  # type: ignore[union-attr]
    later = compute_plan(session, 2026, date(2027, 3, 1))
    assert later.period[0] == date(2027, 2, 1)  # the published start stays
    assert later.plan_input.frozen_until == date(2027, 3, 15)
    assert {p.status for p in later.result.placements} == {"kept"}
    assert plan_period(session, 2026)[0] == date(2026, 10, 10)


def test_timed_events_for_everyone_or_a_team_block_their_people(session: Session) -> None:
    org = small_org(session)
    cadence(session, min_gap_weeks=1, max_gap_weeks=2, window_start=time(9), window_end=time(11))
    monday = date(2027, 1, 11)
    now = utcnow()
    for day in range(5):  # the whole company is at a kickoff every morning of that week
        start = datetime.combine(monday + timedelta(days=day), time(9), ZONE)
        create_event(session, kind="activity", title="Kickoff", now=now, for_everyone=True,
                     when=Timed(start, start + timedelta(hours=2)))  # fmt: skip
    start = datetime.combine(date(2027, 1, 19), time(9), ZONE)
    create_event(session, kind="activity", title="Team day", now=now, team_id=org.teams[0].id,
                 when=Timed(start, start + timedelta(hours=2)))  # fmt: skip
    plan = compute_plan(session, 2026, date(2026, 12, 1))
    assert find_violations(plan.plan_input, plan.result) == []
    for p in plan.result.placements:
        local = p.start.astimezone(ZONE)  # type: ignore[union-attr]
        assert not monday <= local.date() < monday + timedelta(days=5), p.slot_key
        if local.date() == date(2027, 1, 19):
            assert plan.meta[p.series_key].team_id != org.teams[0].id


def test_a_timed_cadence_for_everyone_takes_everyone(session: Session) -> None:
    org = small_org(session)
    cadence(session, title="Hall of fame", expansion="everyone", min_gap_weeks=12,
            max_gap_weeks=14, window_start=time(14), window_end=time(15))  # fmt: skip
    cadence(session, title="Team hour", min_gap_weeks=1, max_gap_weeks=2, window_start=time(14),
            window_end=time(15))  # fmt: skip
    plan = compute_plan(session, 2026, date(2026, 12, 1))
    everyone = next(s for s in plan.plan_input.series if s.key.endswith(":all"))
    assert set(everyone.attendee_ids) >= {p.id for p in org.staff}
    assert plan.meta[everyone.key].attendee_ids == ()  # the event itself is for everyone
    assert find_violations(plan.plan_input, plan.result) == []


def test_one_roundtable_may_cover_several_teams(session: Session) -> None:
    org = small_org(session, teams=3)
    cadence(session, title="Roundtable", kind="skip_level", practice="P4",
            expansion="skip_level", min_gap_weeks=10, max_gap_weeks=16, counts_toward_cap=True,
            teams_per_meeting=2)  # fmt: skip
    plan = compute_plan(session, 2027, date(2027, 9, 1))
    titles = sorted(m.title for m in plan.meta.values())
    assert titles == [
        f"Roundtable: Hana Head \u00d7 {org.teams[0].name}, {org.teams[1].name}",
        f"Roundtable: Hana Head \u00d7 {org.teams[2].name}",
    ]
    both = next(m for m in plan.meta.values() if "," in m.title)
    assert set(both.attendee_ids) == {
        p.id for p in [*org.staff, *org.leads] if p.team_id in (org.teams[0].id, org.teams[1].id)
    }


def test_the_cli_runs_the_whole_loop_in_words(runner: Any, db: Session) -> None:
    small_org(db)
    db.commit()
    listed = runner.invoke(args=["cadences", "list"])
    assert "No cadences yet: run `planner cadences seed`." in listed.output
    seeded = runner.invoke(args=["cadences", "seed"])
    assert seeded.exit_code == 0 and "cadences added" in seeded.output
    assert "0 cadences added" in runner.invoke(args=["cadences", "seed"]).output
    listed = runner.invoke(args=["cadences", "list"]).output
    assert "on   Skip-level roundtable: every 10-16 weeks" in listed and "[id" not in listed
    assert "[id " in runner.invoke(args=["cadences", "list", "--verbose"]).output
    plain = runner.invoke(args=["plan", "--year", "2026", "--today", "2026-12-01"])
    assert plain.exit_code == 0, plain.output
    assert "Nothing is published yet: the plan starts on the first working day" in plain.output
    assert "Balance over the" in plain.output and "the best this plan allows is" in plain.output
    assert "2026:c" not in plain.output and "#" not in plain.output
    done = runner.invoke(args=["plan", "--year", "2026", "--today", "2026-12-01", "--publish"])
    assert "Published:" in done.output
    assert planned(db, 2026) and db.scalars(select(Cadence)).first() is not None
    db.commit()
    again = runner.invoke(args=["plan", "--year", "2026", "--today", "2026-12-08", "--verbose"])
    assert "Events already published up to Tue 22 Dec 2026 stay where they are" in again.output

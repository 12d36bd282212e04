"""The demo step: a planned week with activities on every day, hosted by leaders; idempotent."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.csweek import demo
from planner.demo import DEMO_COORDINATOR
from planner.models import Activity, Event, ServiceWeek
from tests import factories


def test_demo_without_people_does_nothing(session: Session) -> None:
    assert demo.load(session, date(2026, 11, 23)) == []
    assert session.scalar(select(func.count(ServiceWeek.id))) == 0


def test_demo_plans_next_week_once(session: Session) -> None:
    factories.organisation(session)
    coordinator = factories.person(session, role="coordinator", email=DEMO_COORDINATOR)
    leaders = [factories.person(session, role="leader") for _ in range(3)]
    factories.team(session, "Night Shift")
    factories.team(session, "Chat Team")
    lines = demo.load(session, date(2026, 11, 23))
    assert lines and "2027" in lines[0]
    plan = session.scalar(select(ServiceWeek))
    assert plan is not None and (plan.year, plan.first_day) == (2027, date(2027, 10, 4))
    assert plan.created_by_id == coordinator.id and plan.theme
    assert {a.day for a in plan.activities} == {date(2027, 10, d) for d in range(4, 9)}
    assert {a.host_id for a in plan.activities} <= {p.id for p in leaders}
    assert any(not a.for_everyone for a in plan.activities)
    counts = (
        session.scalar(select(func.count(Activity.id))),
        session.scalar(select(func.count(Event.id))),
    )
    assert demo.load(session, date(2026, 11, 23)) == []
    assert counts == (
        session.scalar(select(func.count(Activity.id))),
        session.scalar(select(func.count(Event.id))),
    )


def test_demo_year_is_the_running_or_next_week() -> None:
    assert demo.demo_year(date(2026, 11, 23)) == 2027
    assert demo.demo_year(date(2026, 10, 7)) == 2026  # the week is running
    assert demo.demo_year(date(2026, 10, 10)) == 2027
    assert demo.demo_year(date(2026, 3, 1)) == 2026


def test_service_week_command(runner: Any) -> None:
    result = runner.invoke(args=["service-week", "2025"])
    assert result.exit_code == 0, result.output
    assert "Mon 06 Oct – Fri 10 Oct 2025 (not planned yet)" in result.output
    result = runner.invoke(args=["service-week", "2026", "--create"])
    assert "Mon 05 Oct – Fri 09 Oct 2026 (planned, 0 activities)" in result.output
    result = runner.invoke(args=["service-week", "2026", "--create"])
    assert result.exit_code != 0 and "already a plan for 2026" in result.output

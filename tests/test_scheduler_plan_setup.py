"""Cadences, closures, the CLI and the demo step of the year plan."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD, load_demo
from planner.models import Blackout, Cadence, Event, HolidayOverride
from planner.scheduler.cadences import seed_cadences
from planner.scheduler.planning import compute_plan
from planner.scheduler.validate import find_violations
from tests.scheduler_helpers import cadence, planned, preview_and_publish, small_org

GOOD = {
    "title": "Coffee with the team", "kind": "training", "practice": "support",
    "expansion": "team", "min_gap_weeks": "4", "max_gap_weeks": "6", "duration_minutes": "45",
    "window_start": "09:00", "window_end": "12:00", "weekdays": ["1", "2"], "active": "y",
}  # fmt: skip


def test_seeding_from_the_library_is_idempotent(session: Any) -> None:
    added = seed_cadences(session)
    assert added > 7
    active = {c.title for c in session.scalars(select(Cadence).where(Cadence.active.is_(True)))}
    assert "Skip-level roundtable" in active and "Career conversation" in active
    assert seed_cadences(session) == 0


def test_a_coordinator_creates_and_edits_a_cadence(client: Any, db: Any, login_as: Any) -> None:
    login_as("coordinator")
    assert client.get("/scheduler/cadences/new").status_code == 200
    response = client.post("/scheduler/cadences/new", data=GOOD)
    assert response.status_code == 302
    row = db.scalar(select(Cadence))
    db.commit()
    assert (row.min_gap_weeks, row.max_gap_weeks, row.weekdays) == (4, 6, "12")
    page = client.get("/scheduler/cadences").get_data(as_text=True)
    assert "Coffee with the team" in page and "4–6 weeks" in page
    edit = client.post(f"/scheduler/cadences/{row.id}", data=GOOD | {"duration_minutes": ""})
    assert edit.status_code == 302
    db.expire_all()
    assert db.get(Cadence, row.id).duration_minutes is None  # all-day now
    db.commit()
    assert client.get("/scheduler/cadences/999").status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min_gap_weeks": "8", "max_gap_weeks": "4"}, "cannot be shorter than the shortest"),
        ({"max_gap_weeks": "60"}, "Between 1 and 52 weeks."),
        ({"min_gap_weeks": "0"}, "Between 1 and 52 weeks."),
        ({"duration_minutes": "10"}, "Between 15 and 480 minutes."),
        ({"duration_minutes": "600"}, "Between 15 and 480 minutes."),
        ({"window_start": "18:00", "window_end": "17:00"}, "must end after it starts"),
        ({"duration_minutes": "240"}, "does not fit in the 180-minute window"),
        ({"weekdays": []}, "Choose at least one weekday."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_cadence_form_rejects_bad_values(
    client: Any, db: Any, login_as: Any, change: dict[str, Any], message: str
) -> None:
    login_as("coordinator")
    response = client.post("/scheduler/cadences/new", data=GOOD | change)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Cadence.id))) == 0


def test_blackouts_and_holiday_days_are_added_and_removed(
    client: Any, db: Any, login_as: Any
) -> None:
    login_as("coordinator")
    bad = client.post("/scheduler/closures/blackouts",
                      data={"first_day": "2027-02-12", "last_day": "2027-02-08"})  # fmt: skip
    assert bad.status_code == 400 and "cannot be before" in bad.get_data(as_text=True)
    week = {"first_day": "2027-02-08", "last_day": "2027-02-12", "reason": "Audit"}
    client.post("/scheduler/closures/blackouts", data=week)
    client.post("/scheduler/closures/days",
                data={"day": "2027-12-25", "closed": "0", "name": "We work"})  # fmt: skip
    page = client.get("/scheduler/closures").get_data(as_text=True)
    assert "8 Feb 2027 – 12 Feb 2027: Audit" in page and "open despite the public holiday" in page
    blackout, override = db.scalar(select(Blackout)), db.scalar(select(HolidayOverride))
    db.commit()
    assert client.post(f"/scheduler/closures/blackouts/{blackout.id}/remove").status_code == 302
    assert client.post(f"/scheduler/closures/days/{override.id}/remove").status_code == 302
    assert client.post("/scheduler/closures/days/999/remove").status_code == 404
    assert db.scalar(select(func.count(Blackout.id))) == 0


def test_cli_plans_prints_a_summary_and_publishes(runner: Any, db: Any) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    dry = runner.invoke(args=["plan", "--year", "2027", "--today", "2026-11-23"])
    assert dry.exit_code == 0, dry.output
    assert "Rule check (independent validator): 0 problems." in dry.output
    assert "working weeks have a touchpoint" in dry.output and "#" not in dry.output
    assert planned(db, 2027) == []
    done = runner.invoke(args=["plan", "--year", "2027", "--publish", "--today", "2026-11-23"])
    assert done.exit_code == 0 and "Published:" in done.output
    assert len(planned(db, 2027)) > 20


def test_cli_exits_non_zero_on_hard_violations(runner: Any, db: Any, monkeypatch: Any) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    monkeypatch.setattr("planner.scheduler.summary.find_violations", lambda *_a: ["broken"])
    result = runner.invoke(args=["plan", "--year", "2027", "--publish"])
    assert result.exit_code == 1 and "VIOLATION: broken" in result.output
    assert planned(db, 2027) == []


@pytest.mark.slow
def test_demo_year_new_user_flow(client: Any, db: Any) -> None:
    """The demo: every week has a touchpoint; a February blackout moves only that week's events;
    an event moved by hand stays; the demo step run twice changes nothing."""
    client.set_cookie("planner_language", "en")  # the demo organisation speaks Dutch
    lines = load_demo(db, date(2026, 11, 23))
    db.commit()
    assert any(line.startswith("Year plan 2026") for line in lines)
    plan = compute_plan(db, 2026, date(2026, 11, 23))
    assert find_violations(plan.plan_input, plan.result) == []
    count = db.scalar(select(func.count(Event.id)).where(Event.slot_key.like("2026:%")))
    load_demo(db, date(2026, 11, 23))
    assert db.scalar(select(func.count(Event.id)).where(Event.slot_key.like("2026:%"))) == count
    db.commit()
    client.post("/sign-in", data={"email": DEMO_COORDINATOR, "password": DEMO_PASSWORD})
    glance = client.get("/scheduler/").get_data(as_text=True)
    assert "Year plan 2026" in glance and "Gap: no touchpoint" not in glance
    before = {e.uid: (e.start_at, e.start_date) for e in planned(db, 2026)}
    client.post("/scheduler/closures/blackouts",
                data={"first_day": "2027-02-15", "last_day": "2027-02-19"})  # fmt: skip
    preview_and_publish(client, 2026)
    after = {e.uid: (e.start_at, e.start_date) for e in planned(db, 2026)}
    changed = {uid for uid in before if before[uid] != after.get(uid)}
    assert changed
    for e in planned(db, 2026):
        if e.uid in changed:
            assert e.sequence >= 1
    in_week = {
        uid for uid, (at, day) in before.items()
        if date(2027, 2, 15) <= (day or at.date()) <= date(2027, 2, 19)
    }  # fmt: skip
    assert changed == in_week
    event = planned(db, 2026)[-1]
    client.post(f"/scheduler/events/{event.id}/move", data={"day": "2027-06-09", "start": "11:00"})
    moved = {e.uid: e.start_at for e in planned(db, 2026)}[event.uid]
    preview_and_publish(client, 2026)
    assert {e.uid: e.start_at for e in planned(db, 2026)}[event.uid] == moved

"""Year plan pages through the client: preview, publish, the year at a glance, one event."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from planner.models import Cadence, Event
from planner.scheduler import glance
from planner.scheduler.cadences import seed_cadences
from planner.scheduler.planning import compute_plan
from planner.scheduler.validate import find_violations
from tests import factories
from tests.scheduler_helpers import (
    cadence,
    fresh,
    generate_preview,
    hidden,
    planned,
    preview_and_publish,
    small_org,
)

YEAR = 2027  # wholly in the future: no frozen weeks


def test_preview_changes_nothing_then_publish_fills_every_week(
    client: Any, db: Any, login_as: Any
) -> None:
    small_org(db)
    seed_cadences(db)
    db.commit()
    login_as("coordinator")
    generate_preview(client, YEAR)
    page = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    assert "Nothing has changed yet" in page and "Publish this plan" in page
    assert "Load per host" in page and "Lead 1" in page
    assert planned(db, YEAR) == []

    preview_and_publish(client, YEAR)
    db.commit()
    events = planned(db, YEAR)
    assert len(events) > 50
    glance = client.get(f"/scheduler/?year={YEAR}").get_data(as_text=True)
    assert "Gap: no touchpoint" not in glance
    # The glance shows counts per week; a week's events load when it is opened (its link).
    roundtable = "Skip-level roundtable: Hana Head \u00d7 Front 1"
    assert roundtable not in glance
    weeks = re.findall(rf'href="/scheduler/\?year={YEAR}&amp;week=(\d+)#week-\d+"', glance)
    assert len(weeks) > 40
    opened = [client.get(f"/scheduler/?year={YEAR}&week={n}").get_data(as_text=True) for n in weeks]
    assert any(roundtable in page and "<details open>" in page for page in opened)
    assert find_violations(*_plan_and_result(db)) == []
    # Links go somewhere useful: scorecards, the month's update, the meeting page, else the
    # event's own page.
    by_kind = {e.kind: e.link_path for e in events}
    assert by_kind["scorecard_review"].startswith("/recognition/scorecards/team/")
    assert by_kind["feedback_update"].startswith("/feedback/updates/20")
    skips = [e for e in events if e.kind == "skip_level"]
    assert skips and all(e.link_path == f"/meetings/{e.id}" for e in skips)
    skip = next(e for e in events if e.kind == "skip_level")
    assert client.get(skip.link_path).status_code == 200

    # Publishing the same plan again changes nothing at all.
    before = {e.uid: (e.sequence, e.start_at, e.start_date) for e in events}
    preview_and_publish(client, YEAR)
    db.commit()
    assert {e.uid: (e.sequence, e.start_at, e.start_date) for e in planned(db, YEAR)} == before


def _plan_and_result(db: Any) -> tuple[Any, Any]:
    plan = compute_plan(db, YEAR, date(2026, 11, 23))
    return plan.plan_input, plan.result


def test_publish_refuses_a_plan_that_changed_since_the_preview(
    client: Any, db: Any, login_as: Any
) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    login_as("coordinator")
    generate_preview(client, YEAR)
    html = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    cadence(db, title="Another one", kind="training", practice="support")
    db.commit()
    response = client.post(
        "/scheduler/publish",
        data={"year": hidden(html, "year"), "inputs": hidden(html, "inputs")},
        follow_redirects=True,
    )
    assert "The plan changed meanwhile, review the new preview." in response.get_data(as_text=True)
    assert planned(db, YEAR) == []


def test_a_blackout_moves_only_the_events_inside_it(client: Any, db: Any, login_as: Any) -> None:
    small_org(db)
    cadence(db)
    cadence(db, title="Skip", kind="skip_level", practice="P4", expansion="skip_level",
            min_gap_weeks=10, max_gap_weeks=16, counts_toward_cap=True)  # fmt: skip
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    db.commit()
    zone = ZoneInfo("Europe/Amsterdam")
    before = {e.uid: _local_day(e, zone) for e in planned(db, YEAR)}
    # The first week of February 2028 that holds an event.
    first = min(day for day in before.values() if day >= date(2028, 2, 1))
    monday = first - timedelta(days=first.weekday())
    inside = {uid for uid, day in before.items() if monday <= day < monday + timedelta(days=7)}
    response = client.post(
        "/scheduler/closures/blackouts",
        data={
            "first_day": monday.isoformat(),
            "last_day": (monday + timedelta(days=6)).isoformat(),
            "reason": "Migration week",
        },
    )
    assert response.status_code == 302
    generate_preview(client, YEAR)
    preview = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    assert f"Moved ({len(inside)})" in preview and "Cancelled (" not in preview
    assert "is closed: blackout \u201cMigration week\u201d" in preview
    preview_and_publish(client, YEAR)
    db.commit()
    after = {e.uid: _local_day(e, zone) for e in planned(db, YEAR)}
    changed = {uid for uid in before if after.get(uid) != before[uid]}
    assert changed == inside
    assert all(not monday <= after[uid] < monday + timedelta(days=7) for uid in inside)


def _local_day(event: Event, zone: ZoneInfo) -> date:
    if event.start_at is not None:
        return event.start_at.astimezone(zone).date()
    assert event.start_date is not None
    return event.start_date


def test_an_event_moved_by_hand_is_pinned_and_stays(client: Any, db: Any, login_as: Any) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    db.commit()
    event = planned(db, YEAR)[3]
    uid, sequence = event.uid, event.sequence
    response = client.post(
        f"/scheduler/events/{event.id}/move", data={"day": "2028-01-12", "start": "13:30"}
    )
    assert response.status_code == 302
    db.commit()
    moved = fresh(db, Event, event.id)
    assert moved.pinned and moved.uid == uid and moved.sequence == sequence + 1
    expected = datetime(2028, 1, 12, 13, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert moved.start_at == expected.astimezone(UTC)
    # A blackout over that day: re-planning still leaves the pinned event where it was put.
    client.post("/scheduler/closures/blackouts", data={"first_day": "2028-01-10",
                                                       "last_day": "2028-01-14"})  # fmt: skip
    page = preview_and_publish(client, YEAR)
    assert "stays although" in page  # the preview warns about the pinned event
    db.commit()
    assert fresh(db, Event, event.id).start_at == expected.astimezone(UTC)


def test_cancel_by_hand_stays_cancelled(client: Any, db: Any, login_as: Any) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    db.commit()
    event = planned(db, YEAR)[0]
    assert client.post(f"/scheduler/events/{event.id}/cancel").status_code == 302
    preview_and_publish(client, YEAR)
    db.commit()
    assert fresh(db, Event, event.id).status == "cancelled"


def test_move_form_rejects_bad_input_and_saves_nothing(client: Any, db: Any, login_as: Any) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    db.commit()
    event = planned(db, YEAR)[0]
    start = event.start_at
    bad = client.post(f"/scheduler/events/{event.id}/move", data={"day": "not a day"})
    assert bad.status_code == 400
    no_time = client.post(f"/scheduler/events/{event.id}/move", data={"day": "2028-01-12"})
    assert no_time.status_code == 400 and "Give a start time" in no_time.get_data(as_text=True)
    db.commit()
    assert fresh(db, Event, event.id).start_at == start and not fresh(db, Event, event.id).pinned


def test_leaders_read_the_year_staff_see_only_their_own_events(
    client: Any, db: Any, login_as: Any
) -> None:
    org = small_org(db)
    cadence(db, title="Career talk", kind="career_conversation", practice="P5",
            expansion="person", min_gap_weeks=10, max_gap_weeks=16)  # fmt: skip
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    client.post("/sign-out")
    db.commit()
    events = planned(db, YEAR)
    mine = next(e for e in events if org.staff[0] in e.attendees)
    other = next(e for e in events if org.staff[0] not in e.attendees)
    staff = org.staff[0]
    staff.password_hash = factories._password_hash()  # the shared test password
    db.commit()
    login_as(person=staff)
    assert client.get(f"/scheduler/events/{mine.id}").status_code == 200
    assert client.get(f"/scheduler/events/{other.id}").status_code == 404
    assert client.get("/scheduler/").status_code == 403
    assert client.post(f"/scheduler/events/{mine.id}/cancel").status_code == 403


def test_the_year_page_names_career_conversations_only_to_their_managers(
    client: Any, db: Any, login_as: Any
) -> None:
    org = small_org(db)
    cadence(db, title="Career talk", kind="career_conversation", practice="P5",
            expansion="person", min_gap_weeks=10, max_gap_weeks=16)  # fmt: skip
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    client.post("/sign-out")
    db.commit()
    talk = next(e for e in planned(db, YEAR) if org.staff[0] in e.attendees)
    day = talk.start_at.astimezone(ZoneInfo("Europe/Amsterdam")).date()
    weeks = glance.published_year(db, YEAR).weeks
    week = next(n for n, w in enumerate(weeks, 1) if w.monday <= day < w.monday + timedelta(7))
    name = org.staff[0].name
    other_lead, own_lead = org.leads[1], org.leads[0]  # staff[0] is in team 1
    for person, sees in ((other_lead, False), (own_lead, True), (org.head, True)):
        person.password_hash = factories._password_hash()
        db.commit()
        login_as(person=person)
        page = client.get(f"/scheduler/?year={YEAR}&week={week}").get_data(as_text=True)
        assert (name in page) is sees, person.name
        assert sees or "Career conversation (private)" in page
        client.post("/sign-out")


def test_empty_organisation_pages_and_cli(client: Any, db: Any, login_as: Any, runner: Any) -> None:
    login_as("coordinator")
    year_page = client.get("/scheduler/?year=2027").get_data(as_text=True)
    assert "There is nothing to plan yet" in year_page
    generate_preview(client, 2027)
    preview = client.get("/scheduler/preview?year=2027").get_data(as_text=True)
    assert "There is nothing to plan" in preview
    result = runner.invoke(args=["plan", "--year", "2027"])
    assert result.exit_code == 0 and "There were no cadences: the" in result.output
    assert "default cadences were added" in result.output
    assert db.scalars(select(Cadence).where(Cadence.active.is_(True))).all() != []


def test_preview_names_the_slots_that_cannot_be_placed(client: Any, db: Any, login_as: Any) -> None:
    small_org(db)
    cadence(db, title="Backwards", window_start=time(18), window_end=time(17))
    cadence(db, title="Fine")
    db.commit()
    login_as("coordinator")
    generate_preview(client, YEAR)
    page = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    assert "events could not be placed" in page
    assert "Backwards: Front 1 (13 events): window 18:00-17:00 is empty" in page
    assert "Backwards: Front 2 (13 events): window" in page
    assert "(slot" not in page and "#0" not in page
    preview_and_publish(client, YEAR)
    assert {e.title.split(":")[0] for e in planned(db, YEAR)} == {"Fine"}


def test_leaders_read_the_year_without_planning_controls(
    client: Any, db: Any, login_as: Any
) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    login_as("leader")
    page = client.get(f"/scheduler/?year={YEAR}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Year plan 2027" in html and "Generate a plan" not in html
    assert "Gap: no touchpoint this week" in html  # nothing published yet: every week is a gap
    assert client.get(f"/scheduler/preview?year={YEAR}").status_code == 403
    assert client.get("/scheduler/?year=99999").status_code == 404


def test_coordinators_home_is_the_year_at_a_glance(
    app: Any, client: Any, db: Any, login_as: Any
) -> None:
    client.set_cookie("planner_language", "en")  # the demo organisation speaks Dutch
    from datetime import date

    from planner.demo import load_demo
    from planner.scheduler.operations import local_today
    from planner.scheduler.planning import running_plan_year

    load_demo(db, date(2026, 11, 23))
    db.commit()
    year = running_plan_year(db, local_today(db))
    db.rollback()  # end the read transaction before the app writes (SQLite)
    login_as("coordinator")
    page = client.get("/home").get_data(as_text=True)
    assert "Year at a glance" in page and "working weeks have a touchpoint" in page
    assert page.count('<th scope="row">') >= 51  # one row per week
    assert f"year={year}" in page
    staff_client = app.test_client()
    staff_client.set_cookie("planner_language", "en")
    staff = factories.person(db, role="staff", password=factories.PASSWORD)
    db.commit()
    staff_client.post("/sign-in", data={"email": staff.email, "password": factories.PASSWORD})
    page = staff_client.get("/home").get_data(as_text=True)
    assert "Hello, " + staff.name in page and "Year at a glance" not in page

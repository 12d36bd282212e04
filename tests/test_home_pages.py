"""Home pages, skip-level meeting pages, the day after Customer Service Week and the leaders'
commitments, as people see them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.csweek.operations import create_plan
from planner.dashboard import commitments
from planner.demo import DEMO_PASSWORD, load_demo
from planner.errors import InvalidInput
from planner.events.operations import Timed, create_event
from planner.feedback import lifecycle
from planner.models import Event, FeedbackItem
from planner.scheduler import operations, publishing
from planner.scheduler.cadences import seed_cadences
from tests import factories
from tests.scheduler_helpers import small_org
from tests.test_recognition_praise import build_chart

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def _raise(session: Session, author: Any, team_id: int, **kw: Any) -> FeedbackItem:
    """A named item raised today."""
    return lifecycle.raise_item(
        session, author=author, title=kw.pop("title", "Slow tool"), details="", category="tools",
        team_id=team_id, anonymous=False, idempotency_key=factories_key(), now=NOW,
        today=kw.pop("today", operations.local_today(session)), **kw,
    ).item  # fmt: skip


_keys = iter(range(10**6))


def factories_key() -> str:
    """A fresh idempotency key."""
    return f"test-key-{next(_keys):08d}-padding"


def _meeting(session: Session, chart: Any, start: datetime) -> Event:
    """A skip-level meeting of the chart's director with its team."""
    event = create_event(
        session, kind="skip_level", practice="P4", title="Skip-level roundtable",
        when=Timed(start, start + timedelta(hours=1)), now=NOW, host_id=chart.director.id,
        team_id=chart.team.id, attendee_ids=[chart.staff.id],
    )  # fmt: skip
    event.link_path = f"/meetings/{event.id}"
    return event


def test_a_leaders_home_shows_what_waits_with_its_clock(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, password=True)
    raised = _raise(db, chart.staff, chart.team.id, title="Refund tool times out")
    db.commit()
    login_as(person=chart.manager)
    page = client.get("/home").get_data(as_text=True)
    assert "Refund tool times out" in page and "to acknowledge" in page
    assert "day 1 of 5" in page
    assert f"/feedback/{raised.id}" in page


def test_staff_see_their_week_their_items_and_a_raise_button(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, password=True)
    _raise(db, chart.staff, chart.team.id, title="Headsets crackle")
    db.commit()
    login_as(person=chart.staff)
    page = client.get("/home").get_data(as_text=True)
    assert "Raise an obstacle" in page and "Headsets crackle" in page and "you raised it" in page
    assert "This week and next for you and your team" in page


def test_meeting_pages_show_invited_people_and_keep_notes_private(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, password=True)
    outsider = factories.person(
        db, role="staff", team=factories.team(db), password=factories.PASSWORD
    )
    meeting = _meeting(db, chart, NOW + timedelta(days=3))
    db.commit()
    login_as(person=chart.director)
    assert client.post(f"/meetings/{meeting.id}/notes", data={"notes": "Secret"}).status_code == 302
    client.post("/sign-out")
    login_as(person=chart.staff)
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert chart.staff.name in page and "Recognition first" in page
    assert "Secret" not in page and "private notes" not in page.lower()
    assert client.post(f"/meetings/{meeting.id}/notes", data={"notes": "x"}).status_code == 403
    client.post("/sign-out")
    login_as(person=outsider)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404


def test_log_from_a_meeting_offers_the_leaders_own_recent_meetings_first(
    client: Any, db: Session, login_as: Any
) -> None:
    chart = build_chart(db, password=True)
    now = datetime.now(UTC)
    old = _meeting(db, chart, now - timedelta(days=90))
    recent = _meeting(db, chart, now - timedelta(days=10))
    coming = _meeting(db, chart, now + timedelta(days=10))
    other = create_event(
        db, kind="skip_level", title="Someone else's", when=Timed(now, now + timedelta(hours=1)),
        now=NOW, host_id=chart.manager.id,
    )  # fmt: skip
    db.commit()
    login_as(person=chart.director)
    page = client.get(f"/feedback/meeting?meeting={recent.id}").get_data(as_text=True)
    options = page.split('id="meeting"')[1].split("</select>")[0]
    assert options.index(f'value="{recent.id}"') < options.index(f'value="{coming.id}"')
    assert f'value="{old.id}"' not in options and f'value="{other.id}"' not in options
    assert f'<option selected value="{recent.id}"' in options or (
        f'value="{recent.id}" selected' in options
    )


def test_the_agenda_template_is_the_coordinators_to_edit(
    client: Any, db: Session, login_as: Any
) -> None:
    login_as("coordinator")
    response = client.post("/meetings/agenda", data={"text": "1. Praise\n2. Obstacles"})
    assert response.status_code == 302
    assert "Obstacles" in client.get("/meetings/agenda").get_data(as_text=True)


def test_the_day_after_the_week_is_a_touchpoint_for_every_frontline_team(db: Session) -> None:
    org = small_org(db)
    seed_cadences(db)
    publishing.publish_plan(db, 2027, date(2027, 1, 4), NOW, None)
    day_after = db.scalars(select(Event).where(Event.kind == "day_after")).all()
    assert sorted(e.team_id for e in day_after) == sorted(t.id for t in org.teams)
    # Customer Service Week 2027 is 4-8 October: the first working day after is Monday 11th.
    assert {(e.all_day, e.start_date) for e in day_after} == {(True, date(2027, 10, 11))}
    _again, done = publishing.publish_plan(db, 2027, date(2027, 1, 4), NOW, None)
    assert done.created == done.moved == done.cancelled == 0


def test_leaders_commit_during_the_week_and_staff_see_it_on_the_board(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    chart = build_chart(db, password=True)
    create_plan(db, year=2026, created_by_id=None, now=NOW)
    with pytest.raises(InvalidInput):
        commitments.record_commitment(
            db, chart.manager, "x", idempotency_key=factories_key(), today=date(2026, 11, 2),
            now=NOW,
        )  # fmt: skip
    made = commitments.record_commitment(
        db, chart.manager, "  Fix the refund tool  before Christmas ",
        idempotency_key=factories_key(), today=date(2026, 10, 7), now=NOW,
    )  # fmt: skip
    db.commit()
    item = made.item
    assert item.owner_id == chart.manager.id and item.status == "acknowledged"
    assert item.title == "Our commitment after the week: Fix the refund tool before Christmas"
    login_as(person=chart.staff)
    board = client.get("/feedback/").get_data(as_text=True)
    assert "Our commitment after the week: Fix the refund tool before Christmas" in board


def test_the_coordinators_home_is_small_at_demo_size(client: Any, db: Session) -> None:
    client.set_cookie("planner_language", "en")  # the demo organisation speaks Dutch
    load_demo(db)
    db.commit()
    client.post("/sign-in", data={"email": "coordinator@demo.example", "password": DEMO_PASSWORD})
    page = client.get("/home")
    assert page.status_code == 200
    assert len(page.data) < 200_000
    html = page.get_data(as_text=True)
    assert "/scheduler/events/" not in html  # counts per week, not one link per event
    assert "leader" in html and "Needs a decision" in html
    assert "at the last publish" in html  # unplaced slots of the published plan


def test_the_year_page_marks_this_week_the_service_week_and_stops_at_sensible_years(
    client: Any, db: Session, login_as: Any
) -> None:
    small_org(db)
    seed_cadences(db)
    today = operations.local_today(db)
    running = today.year if today >= date(today.year, 10, 10) else today.year - 1
    publishing.publish_plan(db, running, today, datetime.now(UTC), None)
    db.commit()
    login_as("coordinator")
    page = client.get("/scheduler/").get_data(as_text=True)
    assert 'aria-current="date"' in page and "this week" in page
    assert "<strong>Customer Service Week</strong>" in page
    assert "P4</span></dt><dd>Skip-levels" in page  # the legend
    assert f"?year={running + 1}" in page and f"?year={running - 1}" not in page
    last = client.get(f"/scheduler/?year={running + 1}").get_data(as_text=True)
    assert f"?year={running + 2}" not in last and f"?year={running}" in last

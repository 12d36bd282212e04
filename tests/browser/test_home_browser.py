"""Home pages and skip-level meetings in a real browser: a leader marks an outreach task done, a
staff member sees what changed on an item they voted for, a meeting's obstacle carries over."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from planner.db import database, utcnow
from planner.events.operations import Timed, create_event, update_event
from planner.feedback import lifecycle
from planner.models import FeedbackItem, FeedbackVote, OutreachTask
from planner.recognition import clock, praise
from tests import factories
from tests.browser.helpers import sign_in
from tests.test_recognition_praise import build_chart

pytestmark = pytest.mark.browser
AMS = ZoneInfo("Europe/Amsterdam")


def test_a_leader_marks_an_outreach_task_done_from_home(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        chart = build_chart(db, password=True)
        today = clock.today(db)
        praise.log_praise(
            db, person_id=chart.staff.id, received_on=today, channel="call",
            quote="She fixed my order in five minutes.", logged_by_id=None, today=today,
            now=utcnow(),
        )  # fmt: skip
        db.commit()
        director, staff_name = chart.director.email, chart.staff.name
    sign_in(page, live_server.url, director)
    task = page.get_by_role("region", name="Say thank you")
    assert task.get_by_text("She fixed my order in five minutes.").is_visible()
    assert task.get_by_text("Suggested gesture: Phone call").is_visible()
    assert task.get_by_label("What did you do?").input_value() == "Phone call"
    task.get_by_role("button", name="Mark done").click()
    assert page.get_by_text(f"Done: you thanked {staff_name}.").is_visible()
    assert page.get_by_text("No open outreach tasks").is_visible()
    with database(live_server.app).sessions() as db:
        done = db.scalar(select(OutreachTask))
        assert done is not None and done.done_note == "Phone call"


def test_a_staff_member_sees_a_status_change_of_an_item_they_voted_for(
    live_server: Any, page: Any
) -> None:
    with database(live_server.app).sessions() as db:
        chart = build_chart(db, password=True)
        colleague = factories.person(db, role="staff", team=chart.team, manager=chart.manager)
        raised = lifecycle.raise_item(
            db, author=colleague, title="The refund tool times out", details="", category="tools",
            team_id=chart.team.id, anonymous=False, idempotency_key="k" * 20, now=utcnow(),
            today=clock.today(db),
        )  # fmt: skip
        db.add(FeedbackVote(item_id=raised.item.id, person_id=chart.staff.id))
        db.commit()
        item_id, staff_email = raised.item.id, chart.staff.email
    sign_in(page, live_server.url, staff_email)
    items = page.get_by_role("region", name="Your items and votes")
    assert items.get_by_text("The refund tool times out").is_visible()
    assert items.get_by_text("you voted").is_visible()
    assert not items.get_by_text("Changed since you last looked").count()
    assert page.get_by_role("link", name="Raise an obstacle").is_visible()

    with database(live_server.app).sessions() as db:
        found = db.get(FeedbackItem, item_id)
        assert found is not None
        lifecycle.change_status(
            db, found, actor=db.merge(chart.manager), to_status="acknowledged",
            expected_version=None, now=utcnow(), today=clock.today(db),
        )  # fmt: skip
        db.commit()
    page.reload()
    change = items.get_by_text("Changed since you last looked: New → Acknowledged")
    assert change.is_visible()
    page.reload()  # seen now: no longer marked as new
    assert not items.get_by_text("Changed since you last looked").count()


def _meeting(db: Any, chart: Any, start: datetime) -> Any:
    """A skip-level meeting of the director with the chart's team, linked to its page."""
    event = create_event(
        db, kind="skip_level", practice="P4", title=f"Skip-level roundtable: {chart.team.name}",
        when=Timed(start, start + timedelta(hours=1)), now=utcnow(), host_id=chart.director.id,
        team_id=chart.team.id, attendee_ids=[chart.staff.id, chart.manager.id],
    )  # fmt: skip
    event.link_path = f"/meetings/{event.id}"
    return event


def test_an_obstacle_from_one_meeting_carries_over_to_the_next(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        chart = build_chart(db, password=True)
        tomorrow = clock.today(db) + timedelta(days=1)
        first = _meeting(db, chart, datetime.combine(tomorrow, time(10), AMS).astimezone(UTC))
        later = datetime.combine(tomorrow + timedelta(days=21), time(10), AMS).astimezone(UTC)
        second = _meeting(db, chart, later)
        db.commit()
        first_id, second_id, director = first.id, second.id, chart.director.email
    sign_in(page, live_server.url, director)
    # Tomorrow's meeting is in "Your calendar" on the home page and opens its meeting page.
    page.get_by_role("region", name="Your calendar").get_by_role(
        "link", name="Skip-level roundtable"
    ).first.click()
    page.wait_for_url(f"**/meetings/{first_id}")
    assert page.get_by_role("heading", name="Agenda").is_visible()
    assert page.get_by_text("Recognition first").is_visible()
    assert page.get_by_role("heading", name="Your private notes").is_visible()
    page.get_by_role("link", name="Log an obstacle from this meeting").click()
    page.get_by_label("Title").fill("Nobody can approve refunds over 50 euros")
    page.get_by_label("Category").select_option("policy")
    assert page.get_by_label("Skip-level meeting").input_value() == str(first_id)
    page.get_by_role("button", name="Log it for the group").click()
    page.wait_for_url(f"**/meetings/{first_id}")
    logged = page.get_by_role("region", name="Obstacles logged in this meeting (1)")
    assert logged.get_by_text("Nobody can approve refunds over 50 euros").is_visible()
    page.get_by_role("textbox", name="Private notes").fill("Ask Finance about the limit.")
    page.get_by_role("button", name="Save notes").click()
    assert (
        page.get_by_role("textbox", name="Private notes").input_value()
        == "Ask Finance about the limit."
    )

    # The first meeting's day passes (it even moved a day earlier): the next meeting carries it.
    with database(live_server.app).sessions() as db:
        moved = db.merge(first)
        start = datetime.combine(tomorrow - timedelta(days=2), time(15), AMS).astimezone(UTC)
        update_event(db, moved, now=utcnow(), when=Timed(start, start + timedelta(hours=1)))
        db.commit()
    page.goto(f"{live_server.url}/meetings/{second_id}")
    carried = page.get_by_role("region", name="Open items from earlier meetings (1)")
    assert carried.get_by_text("Nobody can approve refunds over 50 euros").is_visible()
    assert not page.get_by_text("Ask Finance").count()  # notes belong to their meeting

"""The story as a new user lives it: raise anonymously, a leader acts, the author follows the
receipt, the board and its measures change."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from planner.models import Event, FeedbackItem
from tests.test_feedback_support import (
    build_org,
    client_for,
    look,
    only_item,
    raise_via_form,
    receipt_path,
)


def test_anonymous_obstacle_from_raise_to_done(app: Any, db: Any) -> None:
    org = build_org(db)
    staff, leader = client_for(app, org.staff), client_for(app, org.leader)

    board = staff.get("/feedback/").get_data(as_text=True)
    assert "Raise an obstacle" in board and "(0 of 0)" in board

    raised = raise_via_form(staff, org.big.id, anonymous="y")
    assert raised.status_code == 200
    html = raised.get_data(as_text=True)
    assert "shown only this once" in html
    receipt = receipt_path(html)
    item = only_item(app)
    assert item.anonymous and item.author_id is None and item.raised_at is None
    assert item.status == "new"

    # The receipt works without signing in and shows the status.
    anonymous_visitor = app.test_client()
    page = anonymous_visitor.get(receipt).get_data(as_text=True)
    assert "Refund tool times out" in page and "New" in page

    # A leader acknowledges, plans with a due date (the follow-up appears), then closes it.
    due = date.today() + timedelta(days=10)
    r = leader.post(
        f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"}
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    r = leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "planned", "version": "2", "owner": str(org.leader.id),
              "due_date": due.isoformat()},
    )  # fmt: skip
    assert r.status_code == 302, r.get_data(as_text=True)
    with look(app) as s:
        follow_up = s.scalars(select(Event).where(Event.source_kind == "feedback")).one()
    assert follow_up.kind == "follow_up" and follow_up.host_id == org.leader.id
    assert follow_up.all_day and follow_up.start_date == due
    assert follow_up.end_date == due + timedelta(days=1) and follow_up.transparent
    assert follow_up.link_path == f"/feedback/{item.id}"
    assert "Refund" not in follow_up.title + follow_up.description  # anonymous text stays out
    assert follow_up.title == f"Follow up feedback #{item.id}"

    r = leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "done", "version": "3", "response": "We doubled the refund server."},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    with look(app) as s:
        assert s.get(Event, follow_up.id).status == "cancelled"

    page = anonymous_visitor.get(receipt).get_data(as_text=True)
    assert "Done" in page and "We doubled the refund server." in page
    assert "What we did" in page

    board = staff.get("/feedback/").get_data(as_text=True)
    assert "(1 of 1)" in board  # acknowledged within 5 working days, closed within 90
    assert "We doubled the refund server." in board
    history = leader.get(f"/feedback/{item.id}").get_data(as_text=True)
    for step in ("Acknowledged", "Planned", "Done", "Lee Leader", "Anonymous"):
        assert step in history


def test_named_item_shows_author_and_redirects(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    r = raise_via_form(staff, org.big.id, title="Headsets crackle")
    assert r.status_code == 302
    page = staff.get(r.headers["Location"]).get_data(as_text=True)
    assert "Headsets crackle" in page and "Sam Staff" in page
    item = only_item(app)
    assert item.author_id == org.staff.id and item.raised_at is not None


def test_double_submit_creates_one_item(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    from tests.test_feedback_support import form_key, publish_now

    data = {"title": "Twice", "category": "tools", "team": str(org.big.id),
            "idempotency_key": form_key(staff), "anonymous": "y"}  # fmt: skip
    first = staff.post("/feedback/new", data=data)
    second = staff.post("/feedback/new", data=data)
    assert first.status_code == 303 and second.status_code == 409
    assert "already sent" in second.get_data(as_text=True)
    publish_now(app)
    third = staff.post("/feedback/new", data=data)
    assert third.status_code == 409, "a published item still refuses its duplicate"
    with look(app) as s:
        assert len(list(s.scalars(select(FeedbackItem)))) == 1


def test_me_too_is_one_per_person(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id)
    item = only_item(app)
    leader = client_for(app, org.leader)
    leader.post(f"/feedback/{item.id}/vote")
    page = leader.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Take back" in page
    leader.post(f"/feedback/{item.id}/vote")  # second press takes it back
    page = leader.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Take back" not in page


def test_leader_logs_a_skip_level_obstacle_for_the_group(app: Any, db: Any) -> None:
    from tests.test_feedback_support import form_key

    org = build_org(db)
    leader = client_for(app, org.leader)
    staff = client_for(app, org.staff)
    assert staff.get("/feedback/meeting").status_code == 403
    data = {
        "title": "Rota too late",
        "category": "workload",
        "team": str(org.big.id),
        "meeting": "0",
        "idempotency_key": form_key(leader, "/feedback/meeting"),
    }
    response = leader.post("/feedback/meeting", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    item = only_item(app)
    assert item.from_meeting and item.author_id is None and not item.anonymous
    page = staff.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "A skip-level meeting (on behalf of the group)" in page


def test_leader_page_and_monthly_update_show_the_record(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id, title="Chat macros missing")
    item = only_item(app)
    leader = client_for(app, org.leader)
    leader.post(f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"})
    leader.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "declined", "version": "2", "response": "Tool retires in May."},
    )
    month = f"{date.today():%Y-%m}"
    update = staff.get(f"/feedback/updates/{month}").get_data(as_text=True)
    assert "Chat macros missing" in update and "Tool retires in May." in update
    assert "Why not" in update
    assert staff.get("/feedback/updates").headers["Location"].endswith(f"/feedback/updates/{month}")
    page = staff.get(f"/feedback/leaders/{org.leader.id}").get_data(as_text=True)
    assert "Lee Leader: acting on feedback" in page and "(1 of 1)" in page
    other = staff.get(f"/feedback/leaders/{org.other_leader.id}").get_data(as_text=True)
    assert "(0 of 0)" in other

"""Departments as owners of feedback (issue 17): routing with anonymity intact, measures per
department, the monthly customer-signal report and its e-mail, the one-click thank-you."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.feedback import signals
from planner.feedback.departments import department_head
from planner.feedback.measures import compute_measures
from planner.feeds.queries import Audience, feed_events, person_audience
from planner.jobs.periodic import run_periodic
from planner.jobs.registry import PERIODIC, load_all
from planner.mail import Message
from planner.models import (
    Event,
    FeedbackItem,
    MetricValue,
    Person,
    Praise,
    SignalReportSent,
    Team,
)
from tests import factories
from tests.test_feedback_support import Org, build_org, client_for, look, only_item, raise_via_form


def _department(db: Session, name: str = "Finance") -> tuple[Team, Any]:
    """A department (not frontline) with a head who can sign in and one member."""
    team = factories.team(db, name, frontline=False)
    head = factories.person(
        db, role="leader", name="Hedda Head", team=team, password=factories.PASSWORD
    )
    factories.person(db, role="staff", name="Finn Finance", team=team, manager=head)
    db.commit()
    return team, head


def _route(client: Any, item_id: int, department_id: int, impact: str = "") -> Any:
    html = client.get(f"/feedback/{item_id}").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="version"', html
    )
    assert version, html[:1500]
    return client.post(
        f"/feedback/{item_id}/route",
        data={"version": version.group(1), "department": str(department_id),
              "customer_impact": impact, "note": ""},
    )  # fmt: skip


def _close(client: Any, item_id: int, owner_id: int, response: str) -> None:
    """Acknowledge, plan (owner, due date) and close an item as done, through the pages."""
    due = (date.today() + timedelta(days=7)).isoformat()
    assert _move(client, item_id, "acknowledged").status_code == 302
    assert _move(client, item_id, "planned", owner=str(owner_id), due_date=due).status_code == 302
    assert _move(client, item_id, "done", response=response).status_code == 302


def _move(client: Any, item_id: int, to_status: str, **fields: str) -> Any:
    html = client.get(f"/feedback/{item_id}").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', html) or re.search(
        r'value="(\d+)"[^>]*name="version"', html
    )
    assert version
    return client.post(
        f"/feedback/{item_id}/status",
        data={"version": version.group(1), "to_status": to_status, **fields},
    )


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[Message]:
    """Every e-mail the routing view and the signal job hand over for sending."""
    outbox: list[Message] = []

    def keep(_config: Any, messages: Any) -> int:
        batch = list(messages)
        outbox.extend(batch)
        return len(batch)

    monkeypatch.setattr("planner.feedback.views_departments.send_all", keep)
    monkeypatch.setattr("planner.feedback.jobs.send_all", keep)
    return outbox


def _author_leaks(text: str, org: Org) -> list[str]:
    return [s for s in (org.staff.name, org.staff.email) if s.lower() in text.lower()]


def test_an_anonymous_item_routed_to_a_department_never_names_its_author(
    app: Flask, db: Session, sent: list[Message]
) -> None:
    org = build_org(db)
    department, head = _department(db)
    staff = client_for(app, org.staff)
    raise_via_form(staff, org.big.id, anonymous="y", customer_impact="wrong_invoice",
                   title="Invoices show the old address")  # fmt: skip
    item = only_item(app)
    assert item.anonymous and item.customer_impact == "wrong_invoice"

    coordinator = client_for(app, org.coordinator)
    page = coordinator.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert '<option selected value="wrong_invoice">' in page  # the form keeps the author's tag
    response = _route(coordinator, item.id, department.id, impact="wrong_invoice")
    assert response.status_code == 302
    routed = only_item(app)
    assert routed.department_id == department.id and routed.owner_id == head.id
    assert routed.anonymous and routed.author_id is None  # nothing about the author changed

    head_client = client_for(app, head)
    pages = [
        f"/feedback/{item.id}", "/feedback/", f"/feedback/departments/{department.id}",
        "/feedback/departments", f"/feedback/departments/{department.id}/signals/"
        f"{date.today():%Y-%m}", "/feedback/export.csv",
    ]  # fmt: skip
    for path in pages:
        html = head_client.get(path).get_data(as_text=True)
        assert _author_leaks(html, org) == [], path
    csv_text = head_client.get("/feedback/export.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].endswith("department,customer impact")
    assert csv_text.splitlines()[1].endswith("Finance,Wrong invoice")
    history = head_client.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Routed to Finance" in history and "Anonymous" in history
    # The head was told by e-mail, and the monthly report goes to them: no author in either.
    assert [m.to for m in sent] == [head.email]
    with app.app_context(), look(app) as session:
        pending, _skipped = signals.reports_to_send(
            session, date.today().replace(day=1), base_url="http://x", default_language="en"
        )
    messages = [p.message for p in pending]
    assert [m.to for m in messages] == [head.email]
    assert "Invoices show the old address" in messages[0].body
    for message in [*sent, *messages]:
        assert _author_leaks(message.subject + message.body, org) == []


def test_a_pooled_small_team_item_stays_pooled_when_routed(app: Flask, db: Session) -> None:
    org = build_org(db)
    department, head = _department(db)
    raise_via_form(client_for(app, org.staff), org.small.id, anonymous="y")
    item = only_item(app)
    assert item.pooled and item.team_id is None
    assert _route(client_for(app, org.coordinator), item.id, department.id).status_code == 302
    routed = only_item(app)
    assert routed.pooled and routed.team_id is None and routed.department_id == department.id
    html = client_for(app, head).get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Other teams (combined)" in html and "Night shift" not in html


def test_routing_to_a_frontline_or_missing_team_is_refused_clearly(app: Flask, db: Session) -> None:
    org = build_org(db)
    department, _head = _department(db)
    raise_via_form(client_for(app, org.staff), org.big.id)
    item = only_item(app)
    coordinator = client_for(app, org.coordinator)
    frontline = _route(coordinator, item.id, org.big.id)
    assert frontline.status_code == 400
    assert "Billing is a frontline team" in frontline.get_data(as_text=True)
    missing = _route(coordinator, item.id, 987654)
    assert missing.status_code == 400
    assert "There is no such department." in missing.get_data(as_text=True)
    bad_impact = _route(coordinator, item.id, department.id, impact="<script>")
    assert bad_impact.status_code == 400
    assert only_item(app).department_id is None  # nothing changed
    # Staff may not route; a leader who does not own the item may not either.
    staff_try = client_for(app, org.staff).post(
        f"/feedback/{item.id}/route", data={"department": str(department.id), "version": "1"}
    )
    assert staff_try.status_code == 403
    assert _route(client_for(app, org.leader), item.id, department.id).status_code == 400
    assert only_item(app).department_id is None


def test_a_department_without_a_head_takes_its_senior_leader_or_refuses(
    app: Flask, db: Session
) -> None:
    org = build_org(db)
    empty = factories.team(db, "Logistics", frontline=False)
    db.commit()
    raise_via_form(client_for(app, org.staff), org.big.id)
    item = only_item(app)
    response = _route(client_for(app, org.coordinator), item.id, empty.id)
    assert response.status_code == 400
    assert "Logistics has no head yet" in response.get_data(as_text=True)
    boss = factories.person(db, role="leader", name="Big Boss", team=empty)
    factories.person(db, role="leader", name="Aaron Under", team=empty, manager=boss)
    db.commit()
    assert department_head(db, db.get(Team, empty.id)).name == "Big Boss"  # type: ignore[union-attr]


def _item(db: Session, n: int, department: Team | None, raised: date, **values: Any) -> None:
    db.add(
        FeedbackItem(
            id=100000 + n, title=f"Item {n}", category="tools", raised_on=raised,
            idempotency_key=f"key-{n:020d}", department_id=department.id if department else None,
            **{"status": "new", **values},
        )
    )  # fmt: skip


def _done_item(
    db: Session, n: int, department: Team, raised: date, closed: date, response: str, **values: Any
) -> None:
    """A closed ("done") item with its response."""
    _item(db, n, department, raised, status="done", closed_on=closed, response=response, **values)


def test_department_measures_match_hand_computed_values(app: Flask, db: Session) -> None:
    build_org(db)
    finance, _head = _department(db)
    empty, _other = _department(db, "Legal")
    # Working days Mon-Fri, no holidays in these weeks (NL): raised Mon 2 Nov.
    _done_item(db, 1, finance, date(2026, 11, 2), date(2026, 11, 10), "Fixed",
               acknowledged_on=date(2026, 11, 4))  # fmt: skip  # 2 days, in time
    _item(
        db, 2, finance, date(2026, 11, 2), status="acknowledged", acknowledged_on=date(2026, 11, 16)
    )  # 14 days: late (deadline Mon 9 Nov)
    _item(db, 3, finance, date(2026, 11, 20))  # not acknowledged, deadline 27 Nov passed
    _item(
        db, 4, None, date(2026, 11, 2), status="acknowledged", acknowledged_on=date(2026, 11, 30)
    )  # another department's figures stay out
    db.commit()
    today = date(2026, 11, 30)
    got = compute_measures(db, today, department_id=finance.id)
    assert (got.items, got.open_items) == (3, 2)
    assert (got.ack_in_time, got.ack_judged) == (1, 3)
    assert got.median_days_to_ack == 8  # median of 2 and 14
    assert got.median_days_to_close == 8  # 2 Nov -> 10 Nov
    nothing = compute_measures(db, today, department_id=empty.id)
    assert (nothing.items, nothing.open_items, nothing.ack_share) == (0, 0, None)
    assert nothing.median_days_to_ack is None


def test_the_board_filters_and_counts_per_department(app: Flask, db: Session) -> None:
    org = build_org(db)
    finance, _head = _department(db)
    _item(db, 1, finance, date.today())
    _item(db, 2, None, date.today())
    db.commit()
    client = client_for(app, org.staff)
    html = client.get(f"/feedback/?department={finance.id}").get_data(as_text=True)
    assert "Item 1" in html and "Item 2" not in html
    board = client.get("/feedback/").get_data(as_text=True)
    row = re.search(r"Finance</a></td>\s*<td>Hedda Head</td>\s*<td>(\d+)</td>", board)
    assert row and row.group(1) == "1"


def test_the_monthly_report_holds_the_months_signals(app: Flask, db: Session) -> None:
    org = build_org(db)
    finance, head = _department(db)
    nov = date(2026, 11, 1)
    _item(db, 1, finance, date(2026, 10, 20), customer_impact="refund_delayed")  # still open
    _done_item(db, 2, finance, date(2026, 11, 3), date(2026, 11, 20), "Fixed",
               customer_impact="refund_delayed")  # fmt: skip  # raised and closed
    _done_item(db, 3, finance, date(2026, 10, 1), date(2026, 10, 30), "Old",
               customer_impact="wrong_invoice")  # fmt: skip  # closed before: not in November
    _item(db, 4, finance, date(2026, 12, 1), customer_impact="wrong_invoice")  # after
    _item(db, 5, finance, date(2026, 11, 5), customer_impact="call_back")
    for day, quote in ((5, "Finance sorted my refund in a day!"), (6, "Sam was lovely."),
                       (7, "Thanks to the FINANCE team")):  # fmt: skip
        db.add(Praise(person_id=org.staff.id, received_on=date(2026, 11, day), channel="email",
                      quote=quote, quote_key=f"q{day}"))  # fmt: skip
    db.add(Praise(person_id=org.staff.id, received_on=date(2026, 10, 9), channel="email",
                  quote="Finance again", quote_key="q-oct"))  # fmt: skip
    db.add(MetricValue(team_id=org.big.id, month=nov, metric="nps", value=40.0))
    db.add(MetricValue(team_id=org.small.id, month=nov, metric="nps", value=60.0))
    db.commit()
    report = signals.build_report(db, db.get(Team, finance.id), nov)  # type: ignore[arg-type]
    assert report.head is not None and report.head.id == head.id
    assert [i.id for i in report.raised] == [100002, 100005]
    assert [i.id for i in report.closed] == [100002]
    assert [i.id for i in report.still_open] == [100001, 100005]
    assert report.impacts == [("Refund delayed", 2), ("Customers call back", 1)]
    assert [p.quote for p in report.praise] == [
        "Finance sorted my refund in a day!", "Thanks to the FINANCE team"]  # fmt: skip
    assert report.external == {"nps": 50.0, "csat": None}

    def report_page(who: Person, team_id: int, month: str) -> Any:
        return client_for(app, who).get(f"/feedback/departments/{team_id}/signals/{month}")

    text = report_page(head, finance.id, "2026-11").get_data(as_text=True)
    assert "Refund delayed" in text and "Finance sorted my refund" in text and "Item 4" not in text
    assert report_page(org.staff, finance.id, "2026-11").status_code == 403
    assert report_page(head, finance.id, "2026-13").status_code == 404
    assert report_page(head, org.big.id, "2026-11").status_code == 404


def test_the_monthly_job_sends_each_report_once(
    app: Flask, db: Session, sent: list[Message]
) -> None:
    build_org(db)
    finance, head = _department(db)
    _department(db, "Legal")  # its own head, its own report
    _item(db, 1, finance, date(2026, 11, 3), customer_impact="delivery_late")
    db.commit()
    load_all()
    entry = PERIODIC["department-signals"]
    assert entry.schedule.month_days == (1,)
    first = datetime(2026, 12, 1, 7, 30, tzinfo=UTC)
    run_periodic(app, entry, first)
    assert len(sent) == 2
    to_head = next(m for m in sent if m.to == head.email)
    assert "Finance" in to_head.subject and "2026-11" in to_head.subject
    assert "Item 1" in to_head.body and "Delivery late" in to_head.body
    # Running the month again (a retry, a second worker) sends nothing more: it was recorded.
    with app.app_context(), look(app) as session:
        pending, skipped = signals.reports_to_send(
            session, date(2026, 11, 1), base_url="http://x", default_language="en"
        )
        assert (pending, skipped) == ([], 2)
        assert session.scalar(select(func.count()).select_from(SignalReportSent)) == 2


def test_close_and_thank_the_department_in_one_click(app: Flask, db: Session) -> None:
    org = build_org(db)
    finance, head = _department(db)
    raise_via_form(client_for(app, org.staff), org.big.id, title="Refunds wait a week")
    item = only_item(app)
    assert _route(client_for(app, org.coordinator), item.id, finance.id).status_code == 302
    head_client = client_for(app, head)
    early = head_client.post(f"/feedback/{item.id}/thank")
    assert early.status_code == 302
    with look(app) as session:
        assert session.scalar(select(func.count()).select_from(Event).where(
            Event.kind == "department_thanks")) == 0  # fmt: skip
    _close(head_client, item.id, head.id, "Refunds now go out daily.")
    page = head_client.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Thank Finance" in page
    coordinator = client_for(app, org.coordinator)
    assert coordinator.post(f"/feedback/{item.id}/thank").status_code == 302
    assert coordinator.post(f"/feedback/{item.id}/thank").status_code == 302  # second click
    with look(app) as session:
        events = list(session.scalars(select(Event).where(Event.kind == "department_thanks")))
        assert len(events) == 1
        event = events[0]
        assert event.team_id == finance.id and event.link_path == f"/feedback/{item.id}"
        assert "Finance" in event.title and event.host_id == org.coordinator.id
        # In the feeds: the department's team feed, its head's and its staff's calendars.
        now, zone = datetime.now(UTC), ZoneInfo("Europe/Amsterdam")
        member = session.scalar(select(Person).where(Person.name == "Finn Finance"))
        assert member is not None
        for audience in (
            Audience("team", team_id=finance.id),
            person_audience(session.get(Person, head.id)),  # type: ignore[arg-type]
            person_audience(member),
        ):
            found = session.scalars(feed_events(session, audience, now, zone))
            assert event.id in {e.id for e in found}, audience
    staff = client_for(app, org.staff)
    assert "Thanked Finance" in staff.get(f"/feedback/{item.id}").get_data(as_text=True)
    assert "Thanked" in staff.get("/feedback/").get_data(as_text=True)
    update = staff.get(f"/feedback/updates/{date.today():%Y-%m}").get_data(as_text=True)
    assert "Departments we thanked" in update and "you fixed it, we noticed" in update
    assert staff.post(f"/feedback/{item.id}/thank").status_code == 403


def test_the_thank_you_of_an_anonymous_item_carries_no_text(app: Flask, db: Session) -> None:
    org = build_org(db)
    finance, head = _department(db)
    raise_via_form(client_for(app, org.staff), org.big.id, anonymous="y",
                   title="Secret canary title")  # fmt: skip
    item = only_item(app)
    _route(client_for(app, org.coordinator), item.id, finance.id)
    head_client = client_for(app, head)
    _close(head_client, item.id, head.id, "Done.")
    assert head_client.post(f"/feedback/{item.id}/thank").status_code == 302
    with look(app) as session:
        event = session.scalar(select(Event).where(Event.kind == "department_thanks"))
        assert event is not None
        assert "canary" not in (event.title + event.description).lower()
        assert item.public_id in event.description


def test_the_head_is_set_on_the_team_page(app: Flask, db: Session) -> None:
    org = build_org(db)
    finance, _head = _department(db)
    coordinator = client_for(app, org.coordinator)
    response = coordinator.post(
        f"/org/teams/{finance.id}/edit",
        data={"name": "Finance", "head_email": org.director.email, "skip_level_email": ""},
    )
    assert response.status_code == 302
    with look(app) as session:
        assert session.get(Team, finance.id).head_id == org.director.id  # type: ignore[union-attr]
    refused = coordinator.post(
        f"/org/teams/{finance.id}/edit",
        data={"name": "Finance", "head_email": org.staff.email, "skip_level_email": ""},
    )
    assert refused.status_code == 422
    assert "active leader" in refused.get_data(as_text=True)
    page = coordinator.get(f"/org/teams/{finance.id}").get_data(as_text=True)
    assert "Dana Director" in page


def test_an_unacknowledged_routed_item_escalates_above_the_head(app: Flask, db: Session) -> None:
    from planner.feedback.followups import escalate_unacknowledged

    org = build_org(db)
    department, head = _department(db)
    chief = factories.person(db, role="leader", name="Chris Chief")
    head.manager = chief
    db.commit()
    raise_via_form(client_for(app, org.staff), org.big.id)
    item = only_item(app)
    assert _route(client_for(app, org.coordinator), item.id, department.id).status_code == 302
    later = item.raised_on + timedelta(days=14)
    escalated = escalate_unacknowledged(db, later, datetime.now(UTC))
    db.commit()
    assert [i.id for i in escalated] == [item.id]
    follow_up = db.scalar(select(Event).where(Event.kind == "follow_up", Event.host_id == chief.id))
    assert follow_up is not None  # the head's own leader, not the raising team's skip-level

"""The pending pool of anonymous raises (SECURITY.md 17a): held, then published in batches at a
random moment; and the receipt flow that leaves no trace in the request log (17b)."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from planner.feedback import publishing
from planner.feedback.anonymity import QuietAnonymousRequests
from planner.models import FeedbackItem, PendingFeedback, PublicationSchedule
from tests.test_feedback_support import build_org, client_for, look, raise_via_form, receipt_path

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 3)
_serial = iter(range(100_000))


def _hold(session: Any, n: int, day: date = TODAY) -> None:
    for i in range(n):
        publishing.hold_anonymous(
            session,
            title=f"Held {day} {i}",
            details="",
            category="tools",
            team_id=None,
            idempotency_key=f"held-{next(_serial):06d}-xxxxxxxxxxxx",
            today=day,
        )


def _items(session: Any) -> list[FeedbackItem]:
    return list(session.scalars(select(FeedbackItem)))


def test_an_anonymous_raise_waits_in_the_pool_with_a_receipt(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    page = raise_via_form(staff, org.big.id, anonymous="y", publish=False)
    html = page.get_data(as_text=True)
    assert "received, to be published" in html and "shown only this once" in html
    receipt = receipt_path(html)
    with look(app) as s:
        assert _items(s) == []  # not on the board yet
        (held,) = s.scalars(select(PendingFeedback))
        assert len(held.key) == 32 and held.received_on == date.today()
    board = staff.get("/feedback/").get_data(as_text=True)
    assert "Refund tool times out" not in board
    pending = app.test_client().get(receipt)
    assert pending.status_code == 200
    assert "received, to be published" in pending.get_data(as_text=True)
    assert pending.headers["Referrer-Policy"] == "no-referrer"
    # Published: the same receipt now shows the item.
    result = app.test_cli_runner().invoke(args=["feedback-publish", "--now"])
    assert "Published 1 anonymous item(s); 0 waiting." in result.output
    shown = app.test_client().get(receipt).get_data(as_text=True)
    assert "Your feedback #" in shown and "Refund tool times out" in shown
    with look(app) as s:
        (item,) = _items(s)
        assert item.anonymous and item.author_id is None and item.raised_on == date.today()
        assert s.scalars(select(PendingFeedback)).all() == []


def test_publication_waits_for_its_random_moment_and_a_batch(session: Any) -> None:
    _hold(session, 2)
    # The first call only draws a moment, 2-8 hours away.
    assert publishing.publish_pending(session, now=NOW, today=TODAY) == 0
    moment = session.get(PublicationSchedule, 1).next_at
    assert NOW + timedelta(hours=2) <= moment <= NOW + timedelta(hours=8)
    assert publishing.publish_pending(session, now=moment - timedelta(seconds=1), today=TODAY) == 0
    # At the moment: only two, both from today: not yet (a new moment is drawn).
    assert publishing.publish_pending(session, now=moment, today=TODAY) == 0
    later = session.get(PublicationSchedule, 1).next_at
    assert later >= moment + timedelta(hours=2)
    _hold(session, 1)
    assert publishing.publish_pending(session, now=later, today=TODAY) == 3
    assert len(_items(session)) == 3 and session.scalars(select(PendingFeedback)).all() == []
    assert session.get(PublicationSchedule, 1).last_published_on == TODAY


def test_a_single_raise_goes_out_once_a_day_has_passed(session: Any) -> None:
    _hold(session, 1, day=TODAY)
    publishing.publish_pending(session, now=NOW, today=TODAY)
    moment = session.get(PublicationSchedule, 1).next_at
    assert publishing.publish_pending(session, now=moment, today=TODAY) == 0
    moment = session.get(PublicationSchedule, 1).next_at
    tomorrow = TODAY + timedelta(days=1)
    assert publishing.publish_pending(session, now=moment, today=tomorrow) == 1


def test_a_missed_moment_is_not_used_late_unless_items_are_stale(session: Any) -> None:
    _hold(session, 3)
    publishing.publish_pending(session, now=NOW, today=TODAY)
    moment = session.get(PublicationSchedule, 1).next_at
    late = moment + timedelta(hours=2)  # could be the raiser's own next request
    assert publishing.publish_pending(session, now=late, today=TODAY) == 0
    moment = session.get(PublicationSchedule, 1).next_at
    stale_day = TODAY + timedelta(days=publishing.STALE_DAYS)
    assert publishing.publish_pending(session, now=moment + timedelta(days=3), today=stale_day) == 3


def test_board_requests_publish_when_due(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    for n in range(3):
        raise_via_form(staff, org.big.id, anonymous="y", publish=False, title=f"Pooled {n}")
    with look(app) as s:
        s.add(PublicationSchedule(id=1, next_at=datetime.now(UTC) - timedelta(minutes=5)))
        s.commit()
    board = staff.get("/feedback/").get_data(as_text=True)
    assert all(f"Pooled {n}" in board for n in range(3))


def test_the_receipt_is_issued_once_on_its_own_quiet_page(app: Any, db: Any) -> None:
    org = build_org(db)
    staff = client_for(app, org.staff)
    form = staff.get("/feedback/new")
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert "app.css?q=1" in form.get_data(as_text=True)
    raised = raise_via_form(staff, org.big.id, anonymous="y", publish=False)
    assert raised.request.path == "/feedback/received"
    assert raised.headers["Referrer-Policy"] == "no-referrer"
    assert raised.headers["Cache-Control"] == "no-store"
    html = raised.get_data(as_text=True)
    assert "css/app.css?q=1" in html and "css/print.css?q=1" in html
    again = staff.get("/feedback/received")
    assert again.status_code == 410 and "rcpt_" not in again.get_data(as_text=True)
    # Other pages' assets are plain (and logged as usual).
    assert "app.css?q=1" not in staff.get("/feedback/").get_data(as_text=True)


def test_request_log_drops_the_whole_anonymous_flow() -> None:
    keep = QuietAnonymousRequests()

    def kept(line: str) -> bool:
        record = logging.LogRecord("werkzeug", logging.INFO, "", 0, "%s", (line,), None)
        return keep.filter(record)

    for quiet in (
        '10.0.0.7 - - [23/Nov/2026 10:00:00] "GET /feedback/new HTTP/1.1" 200 -',
        '10.0.0.7 - - [23/Nov/2026 10:00:01] "POST /feedback/new HTTP/1.1" 303 -',
        '10.0.0.7 - - [23/Nov/2026 10:00:01] "GET /feedback/received HTTP/1.1" 200 -',
        '10.0.0.7 - - [23/Nov/2026 10:00:01] "GET /static/css/app.css?q=1 HTTP/1.1" 200 -',
        '10.0.0.7 - - [23/Nov/2026 10:00:01] "GET /static/css/print.css?q=1 HTTP/1.1" 304 -',
    ):
        assert not kept(quiet), quiet
    assert kept('10.0.0.7 - - [23/Nov/2026 10:05:00] "GET /static/css/app.css HTTP/1.1" 200 -')
    assert kept('10.0.0.7 - - [23/Nov/2026 10:05:00] "GET /feedback/ HTTP/1.1" 200 -')

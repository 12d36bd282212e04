"""Surprises stay surprises: a service star's name reaches calendars only on the day of the
recognition event, also in the star's own calendar, although feed pieces are cached."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from planner.feeds import operations, tokens
from planner.recognition import stars
from tests.conftest import SECRET
from tests.test_recognition_praise import build_chart
from tests.test_recognition_stars import NOW, recognition_event

DAY = date(2026, 12, 3)


def _text(body: bytes) -> str:
    """Feed text with folded lines joined again."""
    return body.decode().replace("\r\n ", "").replace("\\n", "\n")


def test_the_star_is_announced_in_calendars_only_from_the_day(session: Session) -> None:
    chart = build_chart(session)
    event = recognition_event(session, chart.team.id, DAY)
    event.attendees = [chart.staff]
    nomination = stars.nominate(
        session, nominator=chart.manager, nominee_id=chart.staff.id, reason="Kind", now=NOW
    )
    stars.decide(session, nomination.id, chart.manager, approve=True, month=DAY, now=NOW)
    assert f"Service star: {chart.staff.name}" in event.description
    feed = tokens.create_feed(
        session, SECRET, scope="person", person_id=chart.staff.id, now=NOW, actor_id=None
    )
    settings = operations.feed_settings(session, "https://planner.test", "planner.test")

    before = _text(operations.build_feed(session, feed, settings, NOW).body)
    assert "Service star of the month: to be announced" in before
    events = before.split("BEGIN:VEVENT", 1)[1]  # the feed's own name is the person's
    assert chart.staff.name not in events
    assert "Kind" not in before

    the_day = datetime(2026, 12, 3, 6, tzinfo=UTC)  # 07:00 in Amsterdam
    on_the_day = _text(operations.build_feed(session, feed, settings, the_day).body)
    assert f"Service star: {chart.staff.name} — Kind" in on_the_day
    assert "to be announced" not in on_the_day

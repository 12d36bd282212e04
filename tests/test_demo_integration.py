"""The whole demo, every area together, as `planner demo` loads it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.demo import load_demo
from planner.models import Event
from planner.recognition.stars import hall_of_fame, recognition_event, star_line

pytestmark = pytest.mark.slow


def test_star_approved_before_publishing_shows_on_its_recognition_event(session: Any) -> None:
    load_demo(session, date(2026, 11, 23))
    awards = hall_of_fame(session)
    assert awards, "the demo approves a service star"
    for award in awards:
        event = recognition_event(session, award.team_id, award.year, award.month)
        assert event is not None, "the year plan has that team's recognition event that month"
        assert star_line(award) in event.description.splitlines()
    # Loading again changes nothing: no new events, no new revisions.
    before = session.execute(select(func.count(Event.id), func.sum(Event.sequence))).one()
    load_demo(session, date(2026, 11, 23))
    assert session.execute(select(func.count(Event.id), func.sum(Event.sequence))).one() == before

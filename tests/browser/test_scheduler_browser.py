"""A coordinator tries Move and pin onto a blackout day in a real browser: refused, then pinned
only after ticking "pin anyway"."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from planner.db import database, utcnow
from planner.models import Blackout, Event
from planner.scheduler.planning import compute_plan
from planner.scheduler.publishing import apply_plan
from tests import factories
from tests.browser.helpers import sign_in
from tests.scheduler_helpers import cadence, small_org

pytestmark = pytest.mark.browser
ZONE = ZoneInfo("Europe/Amsterdam")


def test_move_and_pin_refuses_a_blackout_day(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        small_org(db)
        coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
        cadence(db)
        apply_plan(db, compute_plan(db, 2027, date(2027, 9, 1)), utcnow())
        event = db.scalars(
            select(Event).where(Event.slot_key.is_not(None)).order_by(Event.id)
        ).first()
        assert event is not None and event.start_at is not None
        busy = {e.start_at.astimezone(ZONE).date() for e in db.scalars(select(Event)) if e.start_at}
        day = date(2028, 3, 1)
        while day in busy:
            day += timedelta(days=7)
        db.add(Blackout(first_day=day, last_day=day, reason="CRM migration freeze"))
        db.commit()
        email, event_id, start = coordinator.email, event.id, event.start_at
    sign_in(page, live_server.url, email)
    page.goto(f"{live_server.url}/scheduler/events/{event_id}")
    page.get_by_label("Day").fill(day.isoformat())
    page.get_by_label("Start (local time)").fill("11:00")
    page.get_by_role("button", name="Move and pin").click()
    assert "is closed: blackout \u201cCRM migration freeze\u201d" in page.content()
    with database(live_server.app).sessions() as db:
        unmoved = db.get(Event, event_id)
        assert unmoved is not None and unmoved.start_at == start and not unmoved.pinned
    page.get_by_label("Pin anyway, despite the warning above").check()
    page.get_by_role("button", name="Move and pin").click()
    page.wait_for_url(f"**/scheduler/events/{event_id}")
    assert "Moved and pinned anyway, although" in page.content()
    with database(live_server.app).sessions() as db:
        moved = db.get(Event, event_id)
        assert moved is not None and moved.pinned
        assert moved.start_at is not None and moved.start_at.astimezone(ZONE).date() == day

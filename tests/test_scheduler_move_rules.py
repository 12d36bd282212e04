"""Move and pin checks the plan's rules first: refused with the reason, or pinned anyway."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from planner.models import Absence, Event
from tests.scheduler_helpers import cadence, fresh, planned, preview_and_publish, small_org

YEAR = 2027
ZONE = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def published(client: Any, db: Any, login_as: Any) -> list[Event]:
    """A small published plan, with a coordinator signed in."""
    small_org(db)
    cadence(db)
    cadence(db, title="Skip", kind="skip_level", practice="P4", expansion="skip_level",
            min_gap_weeks=10, max_gap_weeks=16, counts_toward_cap=True)  # fmt: skip
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, YEAR)
    return planned(db, YEAR)


def _move(client: Any, event: Event, day: date, start: str = "11:00", **extra: str) -> Any:
    return client.post(
        f"/scheduler/events/{event.id}/move",
        data={"day": day.isoformat(), "start": start, **extra},
        follow_redirects=True,
    )


def _quiet_day(events: list[Event], after: date) -> date:
    """A Wednesday after `after` on which no planned event takes place."""
    busy = {e.start_at.astimezone(ZONE).date() for e in events if e.start_at is not None}
    day = after + timedelta(days=(2 - after.weekday()) % 7)
    while day in busy:
        day += timedelta(days=7)
    return day


def test_a_blackout_day_is_refused_with_its_name_then_pinned_anyway(
    client: Any, db: Any, published: list[Event]
) -> None:
    event = published[0]
    start = event.start_at
    day = _quiet_day(published, date(2028, 3, 1))
    client.post("/scheduler/closures/blackouts", data={
        "first_day": day.isoformat(), "last_day": day.isoformat(), "reason": "CRM migration freeze",
    })  # fmt: skip
    refused = _move(client, event, day)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "is closed: blackout \u201cCRM migration freeze\u201d" in page
    assert "Pin anyway" in page and "moved and pinned" not in page
    assert fresh(db, Event, event.id).start_at == start
    insisted = _move(client, event, day, pin_anyway="y")
    page = insisted.get_data(as_text=True)
    assert insisted.status_code == 200 and "Moved and pinned anyway, although" in page
    assert "CRM migration freeze" in page
    moved = fresh(db, Event, event.id)
    assert moved.pinned and moved.start_at.astimezone(ZONE).date() == day


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 3, 2), "is outside the 2027\u20132028 plan"),
        (date(2031, 3, 3), "is outside the 2027\u20132028 plan"),
        # Far-off dates are refused by the form itself (planner/validation.py), before the plan.
        (date(1970, 1, 1), "2000"),
        (date(9999, 12, 31), "2100"),
    ],
)
def test_a_day_outside_the_plan_is_refused_and_cannot_be_forced(
    client: Any, db: Any, published: list[Event], day: date, reason: str
) -> None:
    event = published[0]
    for extra in ({}, {"pin_anyway": "y"}):
        response = _move(client, event, day, **extra)
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and reason in page
        assert "Pin anyway" not in page
    assert not fresh(db, Event, event.id).pinned


def test_a_saturday_an_absence_and_a_clash_are_refused(
    client: Any, db: Any, published: list[Event]
) -> None:
    event = next(e for e in published if e.attendees)
    saturday = date(2028, 3, 4)
    assert "Saturday 4 March 2028 is not a working day" in _move(client, event, saturday).get_data(
        as_text=True
    )
    away_day = _quiet_day(published, date(2028, 4, 1))
    who = event.attendees[0]
    db.add(Absence(person_id=who.id, first_day=away_day, last_day=away_day))
    db.commit()
    page = _move(client, event, away_day).get_data(as_text=True)
    assert f"{who.name} is away on" in page
    other = next(
        e for e in published
        if e.id != event.id and e.start_at is not None
        and {p.id for p in e.attendees} & {p.id for p in event.attendees}
    )  # fmt: skip
    local = other.start_at.astimezone(ZONE)
    page = _move(client, event, local.date(), f"{local:%H:%M}").get_data(as_text=True)
    assert f"\u201c{other.title}\u201d at {local:%H:%M}" in page
    assert "moved and pinned" not in page


def test_a_fine_day_is_moved_without_a_warning(
    client: Any, db: Any, published: list[Event]
) -> None:
    event = published[0]
    day = _quiet_day(published, date(2028, 5, 1))
    page = _move(client, event, day, "10:00").get_data(as_text=True)
    assert "The event is moved and pinned" in page
    assert fresh(db, Event, event.id).start_at.astimezone(ZONE).time() == time(10)

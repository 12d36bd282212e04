"""Reminders per feed (issue 14 item 6): off by default; VALARMs every parser reads the same way."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject
from flask.testing import FlaskClient
from ical.calendar_stream import IcsCalendarStream
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.events.operations import cancel_event
from planner.feeds.ical import add_alarm, render_valarm
from planner.models import Event, Feed
from tests import test_feeds_http as http
from tests.feedcheck import check_feed
from tests.test_feeds_http import Feeds
from tests.test_feeds_ical_parsers import _fresh_vobject_zones, run_ical_js

app_config, feeds = http.app_config, http.feeds  # fixtures
BEFORE, MORNING = timedelta(minutes=-15), timedelta(hours=9)


def _choose(client: FlaskClient, feeds: Feeds, login_as: Any, choice: str) -> None:
    """The leader picks a reminder option for their feed on My calendar."""
    login_as(person=feeds.plan.leader)
    url = f"/feeds/{feeds.leader_feed_id}/reminders"
    assert client.post(url, data={"reminders": choice}).status_code == 302


def by_icalendar(data: bytes) -> dict[str, list[timedelta]]:
    """UID -> alarm triggers, as icalendar reads them."""
    return {
        str(e["UID"]): [a["TRIGGER"].dt for a in e.walk("VALARM")]
        for e in icalendar.Calendar.from_ical(data).events
    }


def by_ical(data: bytes) -> dict[str, list[timedelta]]:
    """UID -> alarm triggers, as the strict ``ical`` library reads them."""
    calendar = IcsCalendarStream.calendar_from_ics(data.decode())
    return {e.uid: [a.trigger for a in e.alarm] for e in calendar.events}  # type: ignore[misc]


def by_vobject(data: bytes) -> dict[str, list[timedelta]]:
    """UID -> alarm triggers, as vobject reads them."""
    with _fresh_vobject_zones():
        calendar = vobject.readOne(data.decode())
    return {
        e.uid.value: [a.trigger.value for a in getattr(e, "valarm_list", [])]
        for e in calendar.vevent_list
    }


def _js_delta(text: str) -> timedelta:
    """An ical.js duration string (-PT15M, PT9H) as a timedelta."""
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").removeprefix("PT")
    amount, unit = int(body[:-1]), body[-1]
    return sign * (timedelta(hours=amount) if unit == "H" else timedelta(minutes=amount))


def by_ical_js(data: bytes, tmp_path: Path) -> dict[str, list[timedelta]]:
    """UID -> alarm triggers, as ical.js (Thunderbird) reads them."""
    return {
        e["uid"]: [_js_delta(t) for t in e["alarm_triggers"]]
        for e in run_ical_js(data, tmp_path)["events"]
    }


def _expected(feeds: Feeds, timed: bool, tasks: bool) -> dict[str, list[timedelta]]:
    """What every parser must report per shown event of the leader's feed."""
    found = {}
    for event in feeds.plan.events.values():
        uid = f"evt-{event.uid}@planner.test"
        alarms: list[timedelta] = []
        if event.status != "cancelled":
            if not event.all_day and timed:
                alarms = [BEFORE]
            if event.all_day and tasks and event.kind in ("outreach", "follow_up"):
                alarms = [MORNING]
        found[uid] = alarms
    return found


def test_no_reminders_by_default(client: FlaskClient, feeds: Feeds) -> None:
    data = client.get(feeds.leader).data
    assert b"VALARM" not in data and check_feed(data) == []


@pytest.mark.parametrize(("choice", "timed", "tasks"), [
    ("timed", True, False), ("tasks", False, True), ("both", True, True),
])  # fmt: skip
def test_chosen_reminders_reach_every_parser(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any, tmp_path: Path,
    choice: str, timed: bool, tasks: bool,
) -> None:  # fmt: skip
    _choose(client, feeds, login_as, choice)
    data = client.get(feeds.leader).data
    assert check_feed(data, alarms=True) == []
    assert any("item 16: VALARM" in p for p in check_feed(data))  # reminders must be opted into
    expected = _expected(feeds, timed, tasks)
    seen = by_icalendar(data)
    wanted = {uid: alarms for uid, alarms in expected.items() if uid in seen}
    assert any(wanted.values())
    assert seen == wanted
    assert by_ical(data) == wanted
    assert by_vobject(data) == wanted
    assert by_ical_js(data, tmp_path) == wanted


def test_reminders_are_per_feed(client: FlaskClient, feeds: Feeds, login_as: Any) -> None:
    _choose(client, feeds, login_as, "both")
    assert b"VALARM" in client.get(feeds.leader).data
    assert b"VALARM" not in client.get(feeds.team_a).data  # the same events, another feed


def test_a_cancelled_event_does_not_ring(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    _choose(client, feeds, login_as, "timed")
    event = db.get(Event, feeds.plan.events["skip"].id)
    assert event is not None
    cancel_event(db, event, now=utcnow())
    db.commit()
    data = client.get(feeds.leader).data
    assert by_icalendar(data)[f"evt-{event.uid}@planner.test"] == []
    assert check_feed(data, alarms=True) == []


def test_switching_reminders_off_again(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    _choose(client, feeds, login_as, "both")
    assert b"VALARM" in client.get(feeds.leader).data
    assert client.post(f"/feeds/{feeds.leader_feed_id}/reminders",
                       data={"reminders": "none"}).status_code == 302  # fmt: skip
    assert b"VALARM" not in client.get(feeds.leader).data


def test_bad_choice_or_someone_elses_feed_changes_nothing(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    login_as(person=feeds.plan.staff_a)
    response = client.post(f"/feeds/{feeds.leader_feed_id}/reminders", data={"reminders": "both"})
    assert response.status_code == 404
    response = client.post(f"/feeds/{feeds.leader_feed_id}/reminders", data={"reminders": "loud"})
    assert response.status_code == 302
    db.rollback()
    feed = db.get(Feed, feeds.leader_feed_id)
    assert feed is not None and feed.reminders == "none"


def test_my_calendar_offers_the_choice(client: FlaskClient, feeds: Feeds, login_as: Any) -> None:
    login_as(person=feeds.plan.leader)
    html = client.get("/feeds/").get_data(as_text=True)
    assert "15 minutes before timed events" in html and "09:00 on the day of all-day tasks" in html
    assert '<option value="none" selected>' in html


def test_valarm_text_and_placement() -> None:
    alarm = render_valarm("-PT15M", "Reminder")
    assert alarm == (
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Reminder\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\n"
    )
    assert add_alarm("BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n", alarm).endswith(
        "UID:x\r\n" + alarm + "END:VEVENT\r\n"
    )
    with pytest.raises(ValueError):
        render_valarm("20261005T090000Z", "Reminder")

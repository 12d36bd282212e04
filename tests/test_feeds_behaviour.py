"""How feed items behave in calendars: free/busy, cancellations, the way back (issue 14)."""

from __future__ import annotations

from datetime import date, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.events.operations import AllDay, cancel_event, create_event
from planner.feeds import wording
from planner.models import Event
from tests import test_feeds_http as http
from tests.feedcheck import check_feed
from tests.test_feeds_http import Feeds
from tests.test_feeds_plan import SECRET_TEXT

app_config, feeds = http.app_config, http.feeds  # fixtures


def block_of(data: bytes, event: Event) -> str:
    """The unfolded VEVENT text of ``event`` in a feed."""
    text = data.decode().replace("\r\n ", "")
    uid = f"\r\nUID:evt-{event.uid}@planner.test\r\n"
    return next(block for block in text.split("BEGIN:VEVENT") if uid in block)


def test_all_day_week_items_do_not_block_the_day_and_meetings_do(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    plan = feeds.plan
    dress_up = create_event(
        db, kind="activity", title="Dress-up and games day", practice="support",
        when=AllDay(utcnow().date() + timedelta(days=4), utcnow().date() + timedelta(days=5)),
        for_everyone=True, now=utcnow(), link_path="/csweek/2026#activity-9",
    )  # fmt: skip
    db.commit()
    data = client.get(feeds.leader).data
    assert check_feed(data) == []
    for name in ("week", "outreach", "follow_up"):
        assert "TRANSP:TRANSPARENT" in block_of(data, plan.events[name]), name
    assert "TRANSP:TRANSPARENT" in block_of(data, dress_up)
    for name in ("skip", "recognition", "training"):
        assert "TRANSP:OPAQUE" in block_of(data, plan.events[name]), name


def test_milestones_kickoff_and_retrospective_are_free_time(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    coordinator_feed = client.get(feeds.org).data
    assert "TRANSP:TRANSPARENT" in block_of(coordinator_feed, feeds.plan.events["week"])


def test_a_day_away_from_ones_own_work_blocks_the_day() -> None:
    assert not wording.is_transparent(
        kind="training", all_day=True, transparent=False, cancelled=False
    )
    assert wording.is_transparent(
        kind="milestone", all_day=True, transparent=False, cancelled=False
    )
    assert not wording.is_transparent(
        kind="skip_level", all_day=False, transparent=False, cancelled=False
    )
    assert wording.is_transparent(
        kind="skip_level", all_day=False, transparent=False, cancelled=True
    )


def test_cancelled_meeting_says_so_and_frees_the_time(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    event = db.get(Event, feeds.plan.events["skip"].id)
    assert event is not None
    before = block_of(client.get(feeds.leader).data, event)
    assert "TRANSP:OPAQUE" in before and "SUMMARY:Skip-level\\; Support A" in before
    cancel_event(db, event, now=utcnow())
    db.commit()
    data = client.get(feeds.leader).data
    assert check_feed(data) == []
    after = block_of(data, event)
    assert "STATUS:CANCELLED" in after and "SEQUENCE:1" in after
    assert "TRANSP:TRANSPARENT" in after
    assert "SUMMARY:Cancelled: Skip-level\\; Support A" in after


def test_cancelled_title_takes_the_readers_language() -> None:
    assert wording.cancelled_title("Lunch", "en") == "Cancelled: Lunch"
    assert wording.cancelled_title("Lunch", "en-GB") == "Cancelled: Lunch"
    assert wording.cancelled_title("Lunch", "xx") == "Cancelled: Lunch"  # falls back to English


def test_cancelled_item_leaves_the_feed_after_the_grace_period(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    event = db.get(Event, feeds.plan.events["skip"].id)
    assert event is not None
    cancel_event(db, event, now=utcnow() - timedelta(days=8))
    db.commit()
    assert f"evt-{event.uid}@" not in client.get(feeds.leader).data.decode()


def test_description_ends_with_the_link_to_the_items_page(
    client: FlaskClient, feeds: Feeds
) -> None:
    data = client.get(feeds.leader).data
    for name, event in feeds.plan.events.items():
        if f"evt-{event.uid}@" not in data.decode():
            continue
        block = block_of(data, event)
        url = next(line for line in block.split("\r\n") if line.startswith("URL:"))[4:]
        description = next(line for line in block.split("\r\n") if line.startswith("DESCRIPTION:"))
        assert description.endswith(f"Open in Service Week Planner: {url}"), name
    assert "/scheduler/skip/1" in block_of(data, feeds.plan.events["skip"])


def test_follow_up_links_to_the_item_and_reveals_nothing_more(
    client: FlaskClient, feeds: Feeds
) -> None:
    data = client.get(feeds.leader).data
    block = block_of(data, feeds.plan.events["follow_up"])
    assert "DESCRIPTION:Open in Service Week Planner: http://planner.test/feedback/1\r\n" in block
    assert SECRET_TEXT not in data.decode().replace("\r\n ", "")


def test_link_line_helpers() -> None:
    assert (
        wording.description_with_link("", "https://x/1")
        == "Open in Service Week Planner: https://x/1"
    )
    assert wording.description_with_link("Agenda\n", "https://x/1").endswith(
        "Agenda\n\nOpen in Service Week Planner: https://x/1"
    )
    assert date.today()  # keeps the import used when the suite is trimmed

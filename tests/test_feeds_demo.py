"""Every feed of the whole demo: the FEEDS.md checker and four real parsers, plus the export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from planner.demo import DEMO_COORDINATOR, load_demo
from planner.feeds.operations import active_feeds
from planner.feeds.tokens import feed_path, rotate_feed
from planner.models import Feed, Person
from tests.conftest import SECRET
from tests.feedcheck import check_feed
from tests.test_feeds_ical import props
from tests.test_feeds_ical_parsers import by_ical, by_ical_js, by_icalendar, by_vobject


@pytest.fixture
def demo(app: Flask, db: Session) -> list[str]:
    """The whole demo, as `planner demo` loads it (whichever areas' steps exist)."""
    with app.app_context():
        lines = load_demo(db, date.today())
    db.commit()
    return lines


def _served(client: FlaskClient, db: Session) -> dict[str, bytes]:
    """path -> bytes of every working feed, fetched through the app."""
    feeds = {feed_path(SECRET, f): b"" for f in active_feeds(db)}
    db.rollback()  # outside a request the test session writes (BEGIN IMMEDIATE): let the app in
    for path in feeds:
        response = client.get(path)
        assert response.status_code == 200, path
        feeds[path] = response.data
    return feeds


def _by_uid(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: r["uid"])


def test_demo_creates_feeds_idempotently_and_names_the_coordinators(
    app: Flask, db: Session, demo: list[str]
) -> None:
    count = db.query(Feed).count()
    assert count >= 1
    assert any(line.startswith("Organisation feed: /calendars/swpf_") for line in demo)
    if db.query(Person).filter_by(email=DEMO_COORDINATOR).count():
        assert any("Demo coordinator's calendar feed: /calendars/swpf_" in line for line in demo)
    with app.app_context():
        load_demo(db, date.today())
    db.commit()
    assert db.query(Feed).count() == count


def test_every_demo_feed_passes_the_checker_and_every_parser(
    client: FlaskClient, db: Session, demo: list[str], tmp_path: Path
) -> None:
    served = _served(client, db)
    assert served, "the demo produced no feed"
    for path, data in served.items():
        assert check_feed(data) == [], path
        uids = sorted(line.split(":", 1)[1] for line in props(data, "UID"))
        expected = _by_uid(by_icalendar(data))
        assert [r["uid"] for r in expected] == uids
        assert _by_uid(by_ical(data)) == expected, path
        assert _by_uid(by_vobject(data)) == expected, path
    # ical.js (Thunderbird) runs under Node: one run per feed, skipped without node_modules.
    for path, data in served.items():
        assert _by_uid(by_ical_js(data, tmp_path)) == _by_uid(by_icalendar(data)), path


def test_demo_feeds_render_byte_identically_twice(
    app: Flask, client: FlaskClient, db: Session, demo: list[str]
) -> None:
    first = _served(client, db)
    for feed in db.query(Feed):
        feed.cache_key = None
    db.commit()
    app.extensions.pop("feeds_memo", None)
    assert _served(client, db) == first


def test_export_writes_what_the_app_serves_and_drops_rotated_tokens(
    client: FlaskClient, runner: FlaskCliRunner, db: Session, demo: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "calendars"
    result = runner.invoke(args=["export-calendars", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "swpf_" not in result.output  # tokens are not printed
    served = _served(client, db)
    files = {"/calendars/" + str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*.ics")}
    assert files == served
    org = db.query(Feed).filter_by(scope="org").first()
    coordinator = db.query(Person).filter(Person.role.in_(("coordinator", "admin"))).first()
    if org is None or coordinator is None:
        pytest.skip("the demo has no coordinator yet")
    old = out / feed_path(SECRET, org).split("/")[2]
    rotate_feed(db, SECRET, coordinator, org.id, now=org.created_at)
    db.commit()
    assert runner.invoke(args=["export-calendars", "--out", str(out)]).exit_code == 0
    assert not old.exists()
    assert (out / feed_path(SECRET, org).removeprefix("/calendars/")).is_file()

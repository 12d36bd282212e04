"""The feed URL as calendar clients meet it: headers, caching, 304s, gzip, no cookies, tokens."""

from __future__ import annotations

import gzip
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from planner.db import utcnow
from planner.events.operations import Timed, cancel_event, update_event
from planner.feeds.tokens import create_feed, feed_path, rotate_feed
from planner.models import Event, Feed, FeedRotation, Person
from tests.conftest import SECRET
from tests.feedcheck import check_feed
from tests.test_feeds_ical import props
from tests.test_feeds_plan import SECRET_TEXT, Plan, build_plan


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Re-validate the cached feed on every request, so a change shows at once in tests."""
    app_config["FEED_RECHECK_SECONDS"] = 0
    return app_config


@dataclass
class Feeds:
    """The sample plan and a URL path per feed."""

    plan: Plan
    leader: str
    staff_a: str
    team_a: str
    org: str
    leader_feed_id: int


@pytest.fixture
def feeds(db: Session) -> Feeds:
    """The sample plan (around the real now) with a leader, staff, team and org feed."""
    now = utcnow()
    plan = build_plan(db, now=now)

    def make(**kw: Any) -> Feed:
        return create_feed(db, SECRET, now=now, actor_id=None, **kw)

    leader = make(scope="person", person_id=plan.leader.id)
    staff = make(scope="person", person_id=plan.staff_a.id)
    team = make(scope="team", team_id=plan.team_a.id)
    org = make(scope="org")
    db.commit()
    path = lambda f: feed_path(SECRET, f)  # noqa: E731
    return Feeds(plan, path(leader), path(staff), path(team), path(org), leader.id)


def test_feed_is_a_valid_calendar_with_the_right_headers(client: FlaskClient, feeds: Feeds) -> None:
    response = client.get(feeds.leader)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Disposition" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["ETag"].startswith('"')  # strong
    assert parsedate_to_datetime(response.headers["Last-Modified"])
    assert check_feed(response.data) == []
    assert response.data.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"X-WR-CALNAME:Lea L\xc3\xa9ader \xc2\xb7 Service Week" in response.data


def test_url_ends_in_a_readable_name(feeds: Feeds) -> None:
    assert feeds.leader.endswith("/leader-lea-leader.ics")
    assert feeds.team_a.endswith("/team-support-a.ics")
    assert feeds.org.endswith("/customer-service-week.ics")
    token = feeds.leader.split("/")[2]
    assert token.startswith("swpf_") and len(token) == 5 + 43  # 256 bits, base64url


def test_no_cookie_is_set_even_for_a_signed_in_browser(
    client: FlaskClient, feeds: Feeds, login_as: Any
) -> None:
    login_as(person=feeds.plan.leader)
    response = client.get(feeds.leader)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    anonymous = client.application.test_client().get(feeds.leader)
    assert "Set-Cookie" not in anonymous.headers
    assert "Set-Cookie" not in client.get("/calendars/swpf_nope/x.ics").headers


def test_etag_and_last_modified_give_304_only_when_they_match(
    client: FlaskClient, feeds: Feeds
) -> None:
    first = client.get(feeds.leader)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get(feeds.leader, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(feeds.leader, headers={"If-None-Match": '"other"'}).status_code == 200
    assert client.get(feeds.leader, headers={"If-Modified-Since": modified}).status_code == 304
    older = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True)
    assert client.get(feeds.leader, headers={"If-Modified-Since": older}).status_code == 200
    # If-None-Match decides when present, even when the date alone would say "not modified".
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert client.get(feeds.leader, headers=both).status_code == 200
    assert client.get(feeds.leader, headers={"If-Modified-Since": "garbage"}).status_code == 200
    not_modified = client.get(feeds.leader, headers={"If-None-Match": etag})
    assert not_modified.data == b"" and not_modified.headers["ETag"] == etag


def test_gzip_when_asked(client: FlaskClient, feeds: Feeds) -> None:
    plain = client.get(feeds.leader)
    zipped = client.get(feeds.leader, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    assert "Accept-Encoding" in zipped.headers["Vary"]
    refused = client.get(feeds.leader, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    revalidated = client.get(
        feeds.leader,
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert revalidated.status_code == 304


def test_two_renders_of_the_same_plan_are_byte_identical(
    app: Flask, client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    first = client.get(feeds.leader).data
    # Drop every stored piece and cached feed: a full re-render must give the same bytes.
    for event in db.query(Event):
        event.ics_piece = None
    for feed in db.query(Feed):
        feed.cache_key = None
    db.commit()
    app.extensions.pop("feeds_memo", None)
    assert client.get(feeds.leader).data == first


def test_moving_an_event_keeps_its_uid_and_raises_sequence(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    before = client.get(feeds.leader)
    event = db.get(Event, feeds.plan.events["skip"].id)
    assert event is not None
    uid = f"UID:evt-{event.uid}@planner.test"
    assert uid in props(before.data, "UID")
    update_event(
        db, event, now=utcnow(), when=Timed(event.start_at + timedelta(hours=2),  # type: ignore[operator]
                                            event.end_at + timedelta(hours=2)),  # type: ignore[operator]
    )  # fmt: skip
    db.commit()
    after = client.get(feeds.leader, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert check_feed(after.data) == []
    block = after.data.decode().split(uid)[1].split("END:VEVENT")[0]
    assert "SEQUENCE:1" in block
    assert props(after.data, "UID").count(uid) == 1


def test_cancelled_event_is_shown_cancelled(client: FlaskClient, db: Session, feeds: Feeds) -> None:
    event = db.get(Event, feeds.plan.events["recognition"].id)
    assert event is not None
    cancel_event(db, event, now=utcnow())
    db.commit()
    data = client.get(feeds.team_a).data.decode()
    block = data.split(f"UID:evt-{event.uid}@planner.test")[1].split("END:VEVENT")[0]
    assert "STATUS:CANCELLED" in block and "SEQUENCE:1" in block


def test_feedback_text_never_appears_in_any_feed(client: FlaskClient, feeds: Feeds) -> None:
    for path in (feeds.leader, feeds.staff_a, feeds.team_a, feeds.org):
        data = client.get(path).data.decode().replace("\r\n ", "")
        assert SECRET_TEXT not in data
        assert "praised them by name" not in data or path == feeds.leader


def test_rotation_kills_the_old_url_at_once_and_is_recorded(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    assert client.get(feeds.leader).status_code == 200
    leader = db.get(Person, feeds.plan.leader.id)
    assert leader is not None
    feed = rotate_feed(db, SECRET, leader, feeds.leader_feed_id, now=utcnow())
    db.commit()
    assert client.get(feeds.leader).status_code == 404
    new = feed_path(SECRET, feed)
    assert new != feeds.leader
    assert client.get(new).status_code == 200
    actions = [r.action for r in db.query(FeedRotation).filter_by(feed_id=feed.id)]
    assert actions == ["created", "rotated"]


def test_deactivated_person_feed_is_404(client: FlaskClient, db: Session, feeds: Feeds) -> None:
    leader = db.get(Person, feeds.plan.leader.id)
    assert leader is not None
    leader.active = False
    db.commit()
    assert client.get(feeds.leader).status_code == 404
    assert client.get(feeds.team_a).status_code == 200


def test_coordinator_disables_a_persons_feeds(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    login_as(person=feeds.plan.coordinator)
    response = client.post(f"/feeds/people/{feeds.plan.leader.id}/disable")
    assert response.status_code == 302
    assert client.get(feeds.leader).status_code == 404
    client.post(f"/feeds/people/{feeds.plan.leader.id}/enable")
    # Enabled again with a new link: the disabled one stays dead.
    assert client.get(feeds.leader).status_code == 404
    actions = [r.action for r in db.query(FeedRotation).filter_by(feed_id=feeds.leader_feed_id)]
    assert actions == ["created", "disabled", "enabled"]


def test_a_token_opens_only_its_own_feed(client: FlaskClient, feeds: Feeds) -> None:
    leader_token = feeds.leader.split("/")[2]
    staff_name = feeds.staff_a.split("/")[3]
    # The name part is cosmetic; the token alone decides which feed is served.
    same = client.get(f"/calendars/{leader_token}/{staff_name}")
    assert same.data == client.get(feeds.leader).data
    assert b"Career talk" in same.data and b"Thank a praised colleague" in same.data
    assert b"Thank a praised colleague" not in client.get(feeds.staff_a).data
    forged = leader_token[:-1] + ("A" if leader_token[-1] != "A" else "B")
    assert client.get(f"/calendars/{forged}/x.ics").status_code == 404
    assert client.get("/calendars/not-a-token/x.ics").status_code == 404


def test_a_feed_url_is_never_a_session(client: FlaskClient, feeds: Feeds) -> None:
    client.get(feeds.leader)
    assert client.get("/feeds/").status_code == 302  # still asked to sign in


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app behind a real werkzeug server (which logs every request line)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def test_serving_a_feed_logs_no_token(
    served: str, feeds: Feeds, caplog: pytest.LogCaptureFixture
) -> None:
    token = feeds.leader.split("/")[2]
    with caplog.at_level(logging.DEBUG):
        with urllib.request.urlopen(served + feeds.leader) as response:
            assert response.status == 200
            assert check_feed(response.read()) == []
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(served + "/calendars/swpf_" + "x" * 43 + "/a.ics")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/calendars/[redacted]" in logged  # the request line was logged ...
    assert token not in logged and "swpf_xxx" not in logged  # ... without the token


def test_kept_lookup_connection_still_sees_rotation_and_deactivation_at_once(
    app: Flask, client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    from planner.feeds.serving import release_lookup_connection

    app.config["FEED_KEEP_LOOKUP_CONNECTION"] = True  # as in production (one per thread)
    try:
        assert client.get(feeds.leader).status_code == 200
        assert client.get(feeds.staff_a).status_code == 200
        leader = db.get(Person, feeds.plan.leader.id)
        assert leader is not None
        rotate_feed(db, SECRET, leader, feeds.leader_feed_id, now=utcnow())
        staff = db.get(Person, feeds.plan.staff_a.id)
        assert staff is not None
        staff.active = False
        db.commit()
        assert client.get(feeds.leader).status_code == 404
        assert client.get(feeds.staff_a).status_code == 404
        assert app.extensions["feeds_lookup"].conn is not None  # it was kept
    finally:
        release_lookup_connection(app)


def test_gunicorn_access_log_holds_no_token(
    database_url: str, feeds: Feeds, tmp_path: Path
) -> None:
    """The production server's access log (planner serve: RedactingLogger) redacts the token."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": database_url,
        "PLANNER_SECRET_KEY": SECRET,
        "PLANNER_BASE_URL": "http://planner.test",
        "PLANNER_UID_DOMAIN": "planner.test",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--access-logfile", str(log), "--logger-class",
         "planner.gunicorn_logging.RedactingLogger", "planner.wsgi:app"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{feeds.leader}") as response:
                    assert check_feed(response.read()) == []
                break
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "/calendars/[redacted]" in text
    assert feeds.leader.split("/")[2] not in text

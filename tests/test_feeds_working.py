"""Is my calendar working? Fetch records, sizes under 1 MB, reminders, safe defaults (issue 14)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.feeds import baseurl, fetches, sizing
from planner.models import Feed, FeedFetch, Organisation
from tests import factories
from tests import test_feeds_http as http
from tests.feedcheck import check_feed
from tests.test_feeds_http import Feeds

feeds = http.feeds  # fixture

GOOGLE = "Google-Calendar-Importer"
OUTLOOK = "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)"
APPLE = "iOS/17.4 (21E219) dataaccessd/1.0"
MAC = "macOS/14.4 (23E214) CalendarAgent/988.5.2"
THUNDERBIRD = "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Write every fetch at once (the one-a-minute limit has its own test); no memo delay."""
    app_config["FEED_FETCH_WRITE_SECONDS"] = 0
    app_config["FEED_RECHECK_SECONDS"] = 0
    return app_config


@pytest.mark.parametrize(
    ("agent", "kind"),
    [
        (GOOGLE, "google"),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "google"),
        (OUTLOOK, "outlook"),
        ("Microsoft Exchange/15.20 (Windows NT 6.3; Win64; x64)", "outlook"),
        (APPLE, "apple"),
        (MAC, "apple"),
        (THUNDERBIRD, "thunderbird"),
        ("curl/8.5.0", "other"),
        ("", "other"),
        (None, "other"),
    ],
)
def test_client_kind_from_the_user_agent(agent: str | None, kind: str) -> None:
    assert fetches.client_kind(agent) == kind


def _rows(db: Session, feed_id: int) -> dict[str, FeedFetch]:
    db.rollback()  # a fresh snapshot: the app wrote in its own transaction
    return {r.client: r for r in db.scalars(select(FeedFetch).where(FeedFetch.feed_id == feed_id))}


def test_fetches_are_recorded_per_client_with_their_304s(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    first = client.get(feeds.leader, headers={"User-Agent": GOOGLE})
    etag = first.headers["ETag"]
    again = client.get(feeds.leader, headers={"User-Agent": GOOGLE, "If-None-Match": etag})
    assert again.status_code == 304
    client.get(feeds.leader, headers={"User-Agent": THUNDERBIRD})
    rows = _rows(db, feeds.leader_feed_id)
    assert sorted(rows) == ["google", "thunderbird"]
    assert (rows["google"].fetches, rows["google"].not_modified) == (2, 1)
    assert (rows["thunderbird"].fetches, rows["thunderbird"].not_modified) == (1, 0)
    # Only what the page needs: no address, no User-Agent text.
    assert {c.name for c in FeedFetch.__table__.columns} == {
        "feed_id", "client", "first_at", "last_at", "fetches", "not_modified"
    }  # fmt: skip


def test_an_unknown_token_records_nothing(client: FlaskClient, db: Session, feeds: Feeds) -> None:
    client.get("/calendars/swpf_" + "A" * 43 + "/x.ics", headers={"User-Agent": GOOGLE})
    assert db.scalars(select(FeedFetch)).all() == []


def test_a_busy_client_is_written_at_most_once_a_minute(
    app: Flask, client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    app.config["FEED_FETCH_WRITE_SECONDS"] = 60
    for _ in range(5):
        client.get(feeds.leader, headers={"User-Agent": GOOGLE})
    # The first fetch wrote; the next four wait in memory for the next write.
    assert _rows(db, feeds.leader_feed_id)["google"].fetches == 1
    app.config["FEED_FETCH_WRITE_SECONDS"] = 0
    client.get(feeds.leader, headers={"User-Agent": GOOGLE})
    assert _rows(db, feeds.leader_feed_id)["google"].fetches == 6


def test_owner_sees_last_refreshed_under_my_calendar(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    client.get(feeds.leader, headers={"User-Agent": GOOGLE})
    row = _rows(db, feeds.leader_feed_id)["google"]
    row.last_at = utcnow() - timedelta(hours=5, minutes=3)
    db.commit()
    login_as(person=feeds.plan.leader)
    html = client.get("/feeds/").get_data(as_text=True)
    assert "Google last refreshed this 5 hours ago" in html
    assert "(1 fetch, 0 with no changes)" in html


def test_coordinator_sees_who_subscribed_and_whose_calendar_stopped(
    client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    html_before = _manage(client, db, feeds, login_as)
    assert re.search(r'data-state="not subscribed">\s*<td>Lea Léader', html_before)
    client.get(feeds.leader, headers={"User-Agent": OUTLOOK})
    html = _manage(client, db, feeds, login_as)
    assert re.search(r'data-state="refreshing">\s*<td>Lea Léader', html)
    row = _rows(db, feeds.leader_feed_id)["outlook"]
    row.last_at = utcnow() - timedelta(days=3)
    db.commit()
    html = _manage(client, db, feeds, login_as)
    assert re.search(r'data-state="stopped">\s*<td>Lea Léader', html)
    assert "Outlook, 3 days ago" in html


def _manage(client: FlaskClient, db: Session, feeds: Feeds, login_as: Any) -> str:
    login_as(person=feeds.plan.coordinator)
    return client.get("/feeds/manage").get_data(as_text=True)


def test_ago() -> None:
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    assert fetches.ago(now - timedelta(seconds=20), now) == "just now"
    assert fetches.ago(now - timedelta(minutes=1), now) == "1 minute ago"
    assert fetches.ago(now - timedelta(hours=5, minutes=59), now) == "5 hours ago"
    assert fetches.ago(now - timedelta(days=2), now) == "2 days ago"


# --- size ---------------------------------------------------------------------------------


def test_fit_keeps_a_small_feed_whole() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    starts = [now + timedelta(days=d) for d in range(-80, 400, 5)]
    kept = sizing.fit(starts, [500] * len(starts), 2_000, now)
    assert kept.keep == list(range(len(starts))) and kept.cut_after is None


def test_fit_narrows_a_large_feed_to_one_stretch_around_now() -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    starts = [now + timedelta(hours=h) for h in range(-90 * 24, 456 * 24, 2)]  # 6,552 items
    sizes = [550] * len(starts)
    kept = sizing.fit(starts, sizes, 3_000, now)
    assert 3_000 + 550 * len(kept.keep) <= sizing.TARGET_BYTES
    assert kept.keep == list(range(kept.keep[0], kept.keep[-1] + 1))  # no gaps
    first, last = starts[kept.keep[0]], starts[kept.keep[-1]]
    assert now - sizing.KEEP_PAST <= first < now < last  # two weeks back kept, the future cut
    assert kept.cut_after is not None and kept.cut_after > last
    assert kept.cut_before is not None and kept.cut_before < first


def test_a_large_feed_is_served_under_1_mb_and_its_page_says_so(
    app: Flask, client: FlaskClient, db: Session, feeds: Feeds, login_as: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    small = client.get(feeds.leader).data
    # Shrink the target instead of creating thousands of events: the same code path.
    monkeypatch.setattr(sizing, "TARGET_BYTES", len(small) - 1)
    db.query(Feed).update({Feed.cache_key: None})
    db.commit()
    app.extensions.pop("feeds_memo", None)
    data = client.get(feeds.leader).data
    assert len(data) < len(small) and check_feed(data) == []
    feed = db.get(Feed, feeds.leader_feed_id)
    db.refresh(feed)
    assert feed is not None and feed.cache_size == len(data)
    assert feed.cache_cut_after is not None or feed.cache_cut_before is not None
    login_as(person=feeds.plan.leader)
    html = client.get("/feeds/").get_data(as_text=True)
    assert f"Size: {len(data) / 1000:,.0f} KB of Google&#39;s 1 MB limit." in html
    assert "holds a shorter stretch of time" in html and "only some practices" in html


def test_feed_size_is_shown_on_the_feeds_pages(
    app: Flask, client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    login_as(person=feeds.plan.leader)
    assert "size known after the first fetch" in client.get("/feeds/").get_data(as_text=True)
    size = len(client.get(feeds.leader).data)
    html = client.get("/feeds/").get_data(as_text=True)
    assert f'data-feed-size="{size}"' in html
    assert "shorter stretch" not in html
    client.get(feeds.org)
    coordinator = app.test_client()
    form = {"email": feeds.plan.coordinator.email, "password": factories.PASSWORD}
    assert coordinator.post("/sign-in", data=form).status_code == 302
    html = coordinator.get("/feeds/manage").get_data(as_text=True)
    assert html.count("KB of Google&#39;s 1 MB limit") == 1  # the org feed, fetched
    assert "size known after the first fetch" in html  # the team feed, not yet


# --- defaults that cannot leak -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:5000", "http://localhost:8000", "http://10.1.2.3", "http://planner.local"],
)
def test_unreachable_base_urls_are_named(url: str) -> None:
    assert baseurl.warning(url) and "PLANNER_BASE_URL" in (baseurl.warning(url) or "")


@pytest.mark.parametrize("url", ["https://planner.example.org", "http://planner.test"])
def test_public_base_urls_pass(url: str) -> None:
    assert baseurl.warning(url) is None


def test_subscribe_panel_warns_with_the_default_base_url(
    app: Flask, client: FlaskClient, db: Session, feeds: Feeds, login_as: Any
) -> None:
    login_as(person=feeds.plan.leader)
    assert "cannot reach" not in client.get("/feeds/").get_data(as_text=True)
    app.config["BASE_URL"] = baseurl.DEFAULT_BASE_URL
    # A leader cannot change the setting: what it means for them, and whom to ask.
    html = client.get("/feeds/").get_data(as_text=True)
    assert "Google Calendar and Outlook cannot open calendar links of this app yet" in html
    assert "ask your coordinator or administrator" in html and "PLANNER_BASE_URL" not in html
    feeds.plan.leader.language = "nl"
    db.commit()
    html = client.get("/feeds/").get_data(as_text=True)
    assert "vraag je coördinator of beheerder" in html
    # The coordinator reads the cause and the fix, in words.
    coordinator = app.test_client()
    form = {"email": feeds.plan.coordinator.email, "password": factories.PASSWORD}
    assert coordinator.post("/sign-in", data=form).status_code == 302
    html = coordinator.get("/feeds/").get_data(as_text=True)
    assert "Google Calendar and Outlook cannot reach http://127.0.0.1:5000" in html
    assert "127.0.0.1 is this computer itself." in html and "PLANNER_BASE_URL" in html


def test_buttons_use_base_url_whatever_port_the_server_listens_on(
    app: Flask, client: FlaskClient, feeds: Feeds, login_as: Any
) -> None:
    app.config["BASE_URL"] = "https://planner.example.org"
    there = "http://127.0.0.1:8000"
    form = {"email": feeds.plan.leader.email, "password": factories.PASSWORD}
    assert client.post("/sign-in", data=form, base_url=there).status_code == 302
    html = client.get("/feeds/", base_url=there).get_data(as_text=True)
    assert 'value="https://planner.example.org/calendars/swpf_' in html
    assert "127.0.0.1:8000" not in html and "cannot reach" not in html


def test_serve_warns_at_start_about_the_default_base_url(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[list[str]] = []
    monkeypatch.setattr("os.execv", lambda _exe, args: started.append(args))
    app.config["BASE_URL"] = baseurl.DEFAULT_BASE_URL
    result = runner.invoke(args=["serve", "--port", "8000"])
    assert result.exit_code == 0, result.output
    assert (
        "Warning: Google Calendar and Outlook cannot reach http://127.0.0.1:5000" in result.output
    )
    assert "not this server's port 8000" in result.output
    assert started and "127.0.0.1:8000" in started[0]
    app.config["BASE_URL"] = "https://planner.example.org"
    assert "Warning" not in runner.invoke(args=["serve"]).output


# --- every zone ---------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Africa/Casablanca", "Asia/Gaza"])
def test_an_organisation_in_a_zone_whose_rules_change_gets_working_feeds_and_export(
    client: FlaskClient, runner: FlaskCliRunner, db: Session, feeds: Feeds, tmp_path: Any,
    zone: str,
) -> None:  # fmt: skip
    org = db.get(Organisation, 1)
    assert org is not None
    org.time_zone = zone
    db.commit()
    response = client.get(feeds.leader)
    assert response.status_code == 200
    assert f"TZID:{zone}".encode() in response.data and check_feed(response.data) == []
    result = runner.invoke(args=["export-calendars", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 calendar feeds" in result.output

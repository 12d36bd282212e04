"""A leader subscribes to their calendar in a real browser: buttons per client, the plain URL."""

from __future__ import annotations

import urllib.request
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from planner.db import database, utcnow
from tests.browser.helpers import sign_in
from tests.feedcheck import check_feed
from tests.test_feeds_ical_parsers import by_icalendar
from tests.test_feeds_plan import build_plan

pytestmark = pytest.mark.browser


def test_subscribe_panel_buttons_and_plain_url(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        plan = build_plan(db, now=utcnow())
        db.commit()
        email, name = plan.leader.email, plan.leader.name
    sign_in(page, live_server.url, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My calendar").click()
    page.wait_for_url("**/feeds/")
    assert page.get_by_text("Skip-level; Support A").is_visible()
    page.get_by_role("button", name="Create my calendar feed").click()
    assert page.get_by_text("Your feed is ready").is_visible()

    url = page.get_by_label("Calendar link", exact=False).input_value()
    assert url.startswith(live_server.url + "/calendars/swpf_") and url.endswith(".ics")
    webcal = "webcal://" + url.split("://", 1)[1]

    def href(client: str) -> str:
        return page.locator(f'a[data-client="{client}"]').get_attribute("href")

    assert href("apple") == webcal
    button = urlsplit(href("google"))
    assert (button.scheme, button.netloc, button.path) == (
        "https",
        "calendar.google.com",
        "/calendar/r",
    )
    assert parse_qs(button.query) == {"cid": [webcal]}
    for client, host in (("outlook", "outlook.office.com"), ("outlook-live", "outlook.live.com")):
        outlook = urlsplit(href(client))
        assert (outlook.netloc, outlook.path) == (host, "/calendar/0/addfromweb")
        assert parse_qs(outlook.query) == {"url": [url], "name": [f"{name} · Service Week"]}
    assert page.get_by_role("link", name="Google Calendar").is_visible()
    assert page.get_by_text("it may take up to a day").is_visible()

    # What a calendar client does: fetch the plain URL, without the browser's cookies.
    google = urllib.request.Request(url, headers={"User-Agent": "Google-Calendar-Importer"})
    with urllib.request.urlopen(google) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        assert response.headers.get("Set-Cookie") is None
        data = response.read()
    assert check_feed(data) == []
    assert "Skip-level; Support A" in {row["summary"] for row in by_icalendar(data)}

    # The browser can open it too (Chromium downloads it; fetch() shows the body).
    body = page.evaluate("u => fetch(u).then(r => r.text())", url)
    assert body.startswith("BEGIN:VCALENDAR")

    # "Is my calendar working?": the Google-like fetch above shows under the feed.
    assert page.get_by_text("No calendar app has fetched it yet").is_visible()
    page.reload()
    assert page.get_by_text("Google last refreshed this just now").is_visible()
    # The default-style BASE_URL (this machine) is explained plainly on the panel: a leader
    # cannot change it, so they read what it means and whom to ask.
    assert page.get_by_text("Google Calendar and Outlook cannot open calendar links").is_visible()

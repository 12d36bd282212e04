"""A coordinator plans Customer Service Week in a real browser (CSRF on): creates the plan, adds
an activity from the library in one click, adjusts it, and reads the week at a glance on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from planner.db import database
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def test_activity_from_the_library(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        factories.organisation(db, time_zone="Europe/Amsterdam", country="NL")
        factories.team(db, "Night Shift")
        person = factories.person(
            db, role="coordinator", name="Cora Coordinator", password=factories.PASSWORD
        )
        db.commit()
        email = person.email
    sign_in(page, live_server.url, email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Service Week").click()
    page.wait_for_url("**/csweek/")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Theme of the year").fill("Every contact counts")
    page.get_by_role("button", name="Create the plan").click()
    page.wait_for_url("**/csweek/2026")
    assert page.get_by_role("heading", name="Customer Service Week 2026").is_visible()

    page.get_by_role("link", name="Add from the library").click()
    page.wait_for_url("**/csweek/library?year=2026")
    page.get_by_role("button", name="Add “Leaders serve lunch, every shift” to 2026").click()
    page.wait_for_url("**/csweek/2026/activities/*")
    title = page.get_by_label("Title", exact=True).input_value()
    assert title == "Leaders serve lunch, every shift"
    assert page.get_by_label("Day", exact=True).input_value() == "2026-10-07"
    assert page.get_by_label("Starts at").input_value() == "12:00"
    page.get_by_label("Place or online link").fill("Canteen, and the night-shift break room")
    page.get_by_label("Only the teams chosen below").check()
    page.get_by_label("Night Shift").check()
    page.get_by_label("Status", exact=True).select_option("confirmed")
    page.get_by_role("button", name="Save the activity").click()
    page.wait_for_url("**/csweek/2026*")
    assert page.get_by_text("is saved").is_visible()
    card = page.locator("article.csw-activity", has_text="Leaders serve lunch")
    assert "12:00–13:30" in card.inner_text() and "Night Shift" in card.inner_text()
    assert "Confirmed" in card.inner_text()

    # The week at a glance: five columns side by side, stacked on a phone.
    page.get_by_role("link", name="Week at a glance").click()
    columns = page.locator(".csw-column")
    assert columns.count() == 5
    wide = [columns.nth(i).bounding_box() for i in range(5)]
    assert len({round(box["y"]) for box in wide}) == 1
    page.set_viewport_size({"width": 390, "height": 800})
    narrow = [columns.nth(i).bounding_box() for i in range(5)]
    assert len({round(box["x"]) for box in narrow}) == 1
    assert all(narrow[i]["y"] < narrow[i + 1]["y"] for i in range(4))

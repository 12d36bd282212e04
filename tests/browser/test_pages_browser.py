"""Every main page as every role, on the demo organisation: axe-core finds no serious or critical
problem, the home pages are photographed at 1280 and 390 px, and nothing scrolls sideways on a
phone. Set PLANNER_SCREENSHOT_DIR to keep the screenshots (default: the test's tmp dir)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from planner.db import database
from planner.demo import DEMO_PASSWORD, load_demo
from planner.i18n import COOKIE as LANGUAGE_COOKIE
from planner.models import Event, FeedbackItem, Person, ServiceWeek
from tests import factories
from tests.browser.helpers import axe_problems, sideways_scroll, sign_in

pytestmark = pytest.mark.browser
ROLES = {
    "admin": "admin@demo.example",
    "coordinator": "coordinator@demo.example",
    "leader": "lotte.de.vries@demo.example",
    "staff": "zilvinas.kazlauskas@demo.example",
}
EVERYONE = [
    "/home", "/csweek/", "/csweek/{year}/glance", "/feedback/", "/feedback/new", "/feedback/{item}",
    "/recognition/", "/recognition/stars", "/recognition/stars/nominate", "/feeds/",
    "/recognition/people/{person}",
]  # fmt: skip
LEADERS = [
    "/scheduler/", "/org/people", "/org/people/{person}", "/recognition/outreach",
    "/recognition/scorecards", "/feedback/meeting", "/meetings/{meeting}", "/org/chart",
]  # fmt: skip
ORGANISERS = [
    "/org/import", "/recognition/praise/import", "/recognition/scorecards/import",
    "/csweek/{year}/agenda", "/csweek/{year}", "/scheduler/cadences", "/meetings/agenda",
    "/feeds/manage",
]  # fmt: skip
# Pages that differ by role (forms for leaders, notes for the host, edit forms for organisers).
PER_ROLE = {
    "/home",
    "/feedback/",
    "/feedback/{item}",
    "/meetings/{meeting}",
    "/org/people/{person}",
}
# At 390 px these must never scroll sideways (wide tables scroll inside their own box).
PHONE = ["/home", "/feedback/", "/feeds/", "/csweek/{year}/agenda", "/org/import",
         "/recognition/praise/import", "/recognition/scorecards/import", "/org/people/{person}",
         "/recognition/people/{person}", "/meetings/{meeting}", "/scheduler/",
         "/scheduler/?week=12", "/jobs/"]  # fmt: skip


@pytest.fixture
def demo(live_server: Any) -> dict[str, Any]:
    """The demo organisation in the live app; values for the page paths."""
    with database(live_server.app).sessions() as db:
        load_demo(db)
        db.commit()
        leader = db.scalar(select(Person).where(Person.email == ROLES["leader"]))
        assert leader is not None
        meeting = db.scalar(
            select(Event.id).where(Event.kind == "skip_level", Event.host_id == leader.id)
        )
        return {
            "year": db.scalar(select(ServiceWeek.year).order_by(ServiceWeek.year.desc())),
            "item": db.scalar(select(FeedbackItem.id).order_by(FeedbackItem.id)),
            "person": db.scalar(select(Person.id).where(Person.email == ROLES["staff"])),
            "meeting": meeting,
        }


@pytest.fixture
def csp_free_page(_browser: Any) -> Iterator[Any]:
    """A page that may inject axe-core as an inline script despite the app's CSP."""
    context = _browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def _sign_in(page: Any, url: str, email: str) -> None:
    """Sign in with the demo password (the demo people do not have the factories' one)."""
    page.context.clear_cookies()
    # The demo organisation speaks Dutch; these checks read the English pages (the Dutch and
    # Lithuanian ones are covered by tests/test_i18n_pages.py and test_i18n_browser.py).
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "en", "url": url}])
    original = factories.PASSWORD
    factories.PASSWORD = DEMO_PASSWORD
    try:
        sign_in(page, url, email)
    finally:
        factories.PASSWORD = original


def _pages(role: str) -> list[str]:
    """The main pages of a role."""
    found = list(EVERYONE)
    if role != "staff":
        found += LEADERS
    if role in ("admin", "coordinator"):
        found += ORGANISERS
    return found


def test_every_main_page_has_no_serious_accessibility_problem(
    live_server: Any, csp_free_page: Any, demo: dict[str, Any]
) -> None:
    # Every role: the menu's pages and the pages whose content depends on who looks; the other
    # pages once, by the first role that sees them (the same HTML for every role).
    page, problems, checked = csp_free_page, [], set()
    for role in ("staff", "leader", "coordinator", "admin"):
        _sign_in(page, live_server.url, ROLES[role])
        menu = page.get_by_role("navigation", name="Main").get_by_role("link")
        paths = [
            p.removeprefix(live_server.url) for p in menu.evaluate_all("l => l.map(a => a.href)")
        ]
        paths += [p for p in _pages(role) if p in PER_ROLE or p not in checked]
        for path in dict.fromkeys(paths):
            response = page.goto(live_server.url + path.format(**demo))
            assert response is not None and response.status == 200, (role, path)
            problems += [f"{role}: {line}" for line in axe_problems(page)]
            checked.add(path)
    assert problems == [], "\n".join(problems)


def test_home_pages_and_phone_pages_fit_the_screen(
    live_server: Any, page: Any, demo: dict[str, Any], tmp_path: Path
) -> None:
    shots = Path(os.environ.get("PLANNER_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    wide = []
    for role, email in ROLES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        _sign_in(page, live_server.url, email)
        page.screenshot(path=str(shots / f"home-{role}-1280.png"), full_page=True)
        assert sideways_scroll(page) == 0, role
        page.set_viewport_size({"width": 390, "height": 844})
        menu = page.get_by_role("navigation", name="Main")
        assert not menu.is_visible()  # folded behind "Menu" on a phone, without JavaScript
        page.locator("label[for=menu-toggle]").click()
        assert menu.get_by_role("link", name="Home").is_visible()
        for path in PHONE:
            if path != "/home" and path not in _pages(role):
                continue
            response = page.goto(live_server.url + path.format(**demo))
            assert response is not None and response.status == 200, (role, path)
            if path == "/home":
                page.screenshot(path=str(shots / f"home-{role}-390.png"), full_page=True)
            if sideways_scroll(page):
                wide.append(f"{role} {path}: {sideways_scroll(page)} px too wide")
    # The longest words: the coordinator's phone pages in Lithuanian.
    _sign_in(page, live_server.url, ROLES["coordinator"])
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "lt", "url": live_server.url}])
    for path in PHONE:
        response = page.goto(live_server.url + path.format(**demo))
        assert response is not None and response.status == 200, ("lt", path)
        if sideways_scroll(page):
            wide.append(f"lt coordinator {path}: {sideways_scroll(page)} px too wide")
    assert wide == [], "\n".join(wide)


def test_the_accessibility_check_finds_a_real_problem(csp_free_page: Any) -> None:
    # Guards the test above: an image without a text alternative is a critical violation.
    csp_free_page.set_content('<html lang="en"><title>t</title><main><img src="x.png"></main>')
    assert any("image-alt" in line for line in axe_problems(csp_free_page))


def test_invite_link_has_a_copy_button_and_works_without_javascript(
    live_server: Any, _browser: Any
) -> None:
    with database(live_server.app).sessions() as db:
        factories.organisation(db)
        coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
        newcomer = factories.person(db, role="staff")
        db.commit()
        email, person_id = coordinator.email, newcomer.id
    for javascript in (True, False):
        context = _browser.new_context(java_script_enabled=javascript)
        context.set_default_timeout(15000)
        page = context.new_page()
        sign_in(page, live_server.url, email)
        page.goto(f"{live_server.url}/org/people/{person_id}")
        page.get_by_role("button", name="Create invite link").click()
        field = page.get_by_role("textbox", name="Invite link")
        assert field.get_attribute("readonly") is not None
        assert "/invite/" in field.input_value()
        copy = page.get_by_role("button", name="Copy invite link")
        if javascript:
            copy.click()
            assert page.get_by_text("Copied.").is_visible()
        else:
            assert not copy.is_visible()  # the field alone: select it and copy by hand
        context.close()

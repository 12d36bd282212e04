"""The person picker in a real browser on a phone-sized screen: with JavaScript a list of
suggestions (keyboard and touch), without it the server lists the namesakes to choose from."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from planner.db import database
from planner.i18n import COOKIE as LANGUAGE_COOKIE
from planner.models import Nomination
from tests import factories
from tests.browser.helpers import axe_problems, sideways_scroll, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


def _namesakes(app: Any) -> tuple[str, int]:
    """A staff member who can sign in and two colleagues called Jan Jansen; (e-mail, south id)."""
    with database(app).sessions() as db:
        north, south = factories.team(db, "North desk"), factories.team(db, "South desk")
        me = factories.person(db, name="Ona Staff", team=north, password=factories.PASSWORD)
        factories.person(db, name="Jan Jansen", email="jan.north@example.test", team=north)
        wanted = factories.person(db, name="Jan Jansen", email="jan.south@example.test", team=south)
        db.commit()
        return me.email, wanted.id


def _nominations(app: Any) -> list[int]:
    with database(app).sessions() as db:
        return [n.nominee_id for n in db.scalars(select(Nomination))]


@pytest.fixture
def phone(_browser: Any, live_server: Any) -> Iterator[Any]:
    context = _browser.new_context(viewport=PHONE, has_touch=True, bypass_csp=True)
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "en", "url": live_server.url}])
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_js(_browser: Any, live_server: Any) -> Iterator[Any]:
    context = _browser.new_context(viewport=PHONE, java_script_enabled=False)
    context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "en", "url": live_server.url}])
    context.set_default_timeout(15000)
    yield context.new_page()
    context.close()


def test_choosing_a_namesake_with_the_picker_on_a_phone(live_server: Any, phone: Any) -> None:
    email, wanted = _namesakes(live_server.app)
    sign_in(phone, live_server.url, email)
    phone.goto(live_server.url + "/recognition/stars/nominate")
    box = phone.get_by_role("combobox", name="Colleague")
    box.fill("jan jans")
    options = phone.get_by_role("option")
    options.first.wait_for()
    assert options.count() == 2
    assert phone.get_by_role("option", name="South desk · jan.south@example.test").is_visible()
    assert sideways_scroll(phone) == 0
    assert axe_problems(phone) == []
    # keyboard: down to the second suggestion (South desk, by e-mail order of the same name)
    labels = [options.nth(i).inner_text() for i in range(2)]
    target = next(i for i, text in enumerate(labels) if "jan.south" in text)
    for _ in range(target):
        box.press("ArrowDown")
    box.press("Enter")
    assert box.input_value() == "Jan Jansen · South desk · jan.south@example.test"
    phone.get_by_label("Why do they deserve it?").fill("Calm with every caller.")
    phone.get_by_role("button", name="Nominate").click()
    phone.wait_for_url("**/recognition/stars")
    assert _nominations(live_server.app) == [wanted]


def test_tapping_a_suggestion_chooses_it(live_server: Any, phone: Any) -> None:
    email, wanted = _namesakes(live_server.app)
    sign_in(phone, live_server.url, email)
    phone.goto(live_server.url + "/recognition/stars/nominate")
    phone.get_by_role("combobox", name="Colleague").fill("south")
    phone.get_by_role("option", name="Jan Jansen").tap()
    phone.get_by_label("Why do they deserve it?").fill("Calm with every caller.")
    phone.get_by_role("button", name="Nominate").click()
    phone.wait_for_url("**/recognition/stars")
    assert _nominations(live_server.app) == [wanted]


def test_without_javascript_the_server_lists_namesakes_to_choose_from(
    live_server: Any, phone_without_js: Any
) -> None:
    page = phone_without_js
    email, wanted = _namesakes(live_server.app)
    page.goto(live_server.url + "/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + "/recognition/stars/nominate")
    page.get_by_label("Colleague").fill("Jan Jansen")
    page.get_by_label("Why do they deserve it?").fill("Calm with every caller.")
    page.get_by_role("button", name="Nominate").click()
    choose = page.get_by_text("2 people match “Jan Jansen”: choose one below.")
    choose.wait_for()
    assert choose.is_visible()
    assert _nominations(live_server.app) == []
    page.get_by_role("radio", name="Jan Jansen South desk · jan.south@example.test").check()
    page.get_by_role("button", name="Nominate").click()
    page.wait_for_url("**/recognition/stars")
    assert _nominations(live_server.app) == [wanted]
    assert sideways_scroll(page) == 0

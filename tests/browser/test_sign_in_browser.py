"""A person signs in and out in a real browser (CSRF on)."""

from __future__ import annotations

from typing import Any

import pytest

from planner.db import database
from tests import factories

pytestmark = pytest.mark.browser


def test_sign_in_and_out_in_browser(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        factories.organisation(db)
        person = factories.person(
            db, role="coordinator", name="Bea Browser", password=factories.PASSWORD
        )
        db.commit()
        email = person.email
    page.goto(live_server.url + "/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert "do not match an account" in page.content()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")
    assert page.get_by_role("heading", name="Hello, Bea Browser").is_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    assert "You are signed out." in page.content()

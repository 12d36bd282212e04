"""Steps several browser tests share."""

from __future__ import annotations

from typing import Any

from tests import factories


def sign_in(page: Any, base_url: str, email: str) -> None:
    """Sign in through the form, as a person would, and wait for the home page."""
    page.goto(base_url + "/sign-in")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/home")

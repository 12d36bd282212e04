"""A staff member takes a refresher quiz on a phone with JavaScript switched off: fails once,
passes, and sees the certificate. Plain form POSTs only (CSRF on, as in production)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from planner.db import database
from planner.standards import training
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
PHONE = {"width": 375, "height": 740}


def _module(db: Any) -> int:
    """A published three-question module (one multiple choice), pass mark 100."""
    module = training.save_module(db, None, training.ModuleValues(title="Saying yes"), NOW)
    questions = (
        ("What do you say first to an angry caller?", False,
         (("Calm down.", False), ("I can hear how frustrating this is.", True))),
        ("Which pair a no with a yes?", True,
         (("Not Sunday, but Saturday works.", True), ("It's our policy.", False),
          ("No refund, but a free date change.", True))),
        ("A customer says thanks. You say…", False,
         (("No problem.", False), ("My pleasure.", True))),
    )  # fmt: skip
    for prompt, multiple, choices in questions:
        training.save_question(
            db, module.id, None, training.QuestionValues(prompt, multiple, "Because.", choices)
        )
    training.save_module(
        db,
        module.id,
        training.ModuleValues(title="Saying yes", pass_mark=100, published=True),
        NOW,
    )
    return module.id


def test_quiz_on_a_phone_without_javascript(live_server: Any, _browser: Any) -> None:
    with database(live_server.app).sessions() as db:
        factories.organisation(db)
        person = factories.person(db, name="Rūta Staff", password=factories.PASSWORD)
        module_id = _module(db)
        db.commit()
        email = person.email
    context = _browser.new_context(viewport=PHONE, java_script_enabled=False, is_mobile=True)
    context.set_default_timeout(15000)
    page = context.new_page()
    try:
        sign_in(page, live_server.url, email)
        page.goto(f"{live_server.url}/standards/training/{module_id}")
        page.get_by_role("button", name="Start the quiz").click()
        page.wait_for_url("**/standards/attempts/*")
        assert "Because." not in page.content()  # no explanations before submitting

        # First try: one wrong answer, one left out -> the form says which, keeps the rest.
        page.get_by_label("Calm down.").check()
        page.get_by_label("Not Sunday, but Saturday works.").check()
        page.get_by_role("button", name="Submit my answers").click()
        assert "question 3 has no answer yet" in page.content()
        assert page.get_by_label("Calm down.").is_checked()
        page.get_by_label("No problem.").check()
        page.get_by_role("button", name="Submit my answers").click()
        assert "not passed yet" in page.content()
        assert "Because." in page.content()

        page.get_by_role("button", name="Try again").click()
        page.wait_for_url("**/standards/attempts/*")
        page.get_by_label("I can hear how frustrating this is.").check()
        page.get_by_label("Not Sunday, but Saturday works.").check()
        page.get_by_label("No refund, but a free date change.").check()
        page.get_by_label("My pleasure.").check()
        page.get_by_role("button", name="Submit my answers").click()
        assert "100%" in page.content() and "passed" in page.content()
        page.get_by_role("link", name="See your certificate").click()
        assert page.get_by_role("heading", name="Certificate").is_visible()
        assert "Rūta Staff" in page.content() and "Saying yes" in page.content()
        # The form fits the phone: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()

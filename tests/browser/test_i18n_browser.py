"""Tried as a user: set the profile to Lietuvių, raise an obstacle, read the receipt, see the
calendar; switch to Nederlands and see Dutch dates. Screenshots go to $PLANNER_SCREENSHOTS."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from planner.csweek.operations import create_plan
from planner.db import database, utcnow
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("PLANNER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_person_works_in_lithuanian_then_dutch(live_server: Any, page: Any) -> None:
    with database(live_server.app).sessions() as db:
        factories.organisation(db)
        team = factories.team(db, "Klientų aptarnavimas")
        person = factories.person(
            db, role="staff", name="Rūta Žemaitė", password=factories.PASSWORD
        )
        person.team_id = team.id
        create_plan(db, year=2026, created_by_id=None, now=utcnow())
        db.commit()
        email = person.email
    sign_in(page, live_server.url, email)
    page.goto(live_server.url + "/language")
    page.locator("#language-lt").check()
    page.locator("form:has(#language-lt) button[type=submit]").click()
    page.wait_for_url("**/home")
    assert page.locator("html").get_attribute("lang") == "lt"
    assert "Kalba išsaugota." in page.content()
    _shot(page, "lt-home")
    page.goto(live_server.url + "/feedback/new")
    assert page.get_by_role(
        "heading", name="Praneškite apie kliūtį geram aptarnavimui"
    ).is_visible()
    page.locator("input[name=title]").fill("Kasos programa stringa rytais")
    page.locator("textarea[name=details]").fill("Ypač pirmadieniais – klientai laukia.")
    page.locator("input[name=anonymous]").check()
    _shot(page, "lt-raise")
    page.get_by_role("button", name="Pranešti").click()
    assert "Ačiū – jūsų atsiliepimas gautas ir bus paskelbtas" in page.content()
    _shot(page, "lt-receipt-issued")
    page.get_by_role("link", name="Atidaryti patvirtinimo puslapį").click()
    assert "Kasos programa stringa rytais" in page.content()
    assert "Jūsų atsiliepimas: gautas, bus paskelbtas" in page.content()
    _shot(page, "lt-receipt")
    page.goto(live_server.url + "/feeds/")
    assert "Mano kalendorius" in page.content()
    _shot(page, "lt-calendar")
    page.locator("form.language-switch button[lang=nl]").click()
    assert page.locator("html").get_attribute("lang") == "nl"
    page.goto(live_server.url + "/csweek/")
    assert "Klantenserviceweek" in page.content()
    assert "ma 5 okt – vr 9 okt 2026" in page.content()  # 5 October 2026 is a Monday
    _shot(page, "nl-service-week")
    page.goto(live_server.url + "/feeds/")
    _shot(page, "nl-calendar")
    assert "Mijn agenda" in page.content()

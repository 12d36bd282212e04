"""A coordinator signs in and imports people through the page in a real browser (CSRF on)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.db import database
from tests import factories
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

HEADER = "name,email,role,team,manager_email\n"


def test_coordinator_imports_a_csv_in_the_browser(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    with database(live_server.app).sessions() as db:
        factories.organisation(db)
        person = factories.person(
            db, role="coordinator", name="Cora Coordinator", password=factories.PASSWORD
        )
        db.commit()
        email = person.email
    sign_in(page, live_server.url, email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisation").click()
    page.wait_for_url("**/org/people")
    page.get_by_role("link", name="Import CSV").click()

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "Ana,ana@example.com,boss,Care,\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import people").click()
    assert page.get_by_role("heading", name="Nothing was imported").is_visible()
    assert "Line 2: role is “boss”" in page.content()

    good = tmp_path / "people.csv"
    good.write_text(
        "\ufeffname;email;role;team;manager_email\n"
        "Žilvinas Kazlauskas;zilvinas@example.lt;staff;Vilnius Desk;ana@example.com\n"
        "Ana Silva;ana@example.com;leader;Leadership;\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import people").click()
    page.wait_for_url("**/org/people")
    assert "Imported: 2 added, 0 updated, 0 unchanged." in page.content()
    page.get_by_role("link", name="Žilvinas Kazlauskas").click()
    assert page.get_by_role("heading", name="Žilvinas Kazlauskas", exact=True).is_visible()
    page.get_by_role("button", name="Create invite link").click()
    assert "/invite/inv_" in page.get_by_label("Invite link").input_value()
    page.get_by_role("link", name="Org chart and teams").click()
    assert page.get_by_role("link", name="Vilnius Desk").is_visible()

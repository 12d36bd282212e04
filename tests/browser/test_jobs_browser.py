"""A coordinator publishes the year plan in a real browser and watches the job's progress page
until the result: queued while no worker runs, then done live (no reload by hand)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from planner.db import database
from planner.jobs.commands import consumer_beside
from planner.scheduler.cadences import seed_cadences
from tests import factories
from tests.browser.helpers import axe_problems, sign_in
from tests.scheduler_helpers import small_org

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """A real SQLite job queue, so the job waits until the test starts a worker."""
    return {**app_config, "JOBS_URL": f"sqlite:///{tmp_path / 'jobs.sqlite3'}"}


def test_publishing_shows_a_progress_page_that_ends_with_the_result(
    live_server: Any, _browser: Any
) -> None:
    context = _browser.new_context(bypass_csp=True)  # axe-core is injected as a script
    context.set_default_timeout(15000)
    page = context.new_page()
    with database(live_server.app).sessions() as db:
        small_org(db)
        seed_cadences(db)
        coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
        db.commit()
        email = coordinator.email
    sign_in(page, live_server.url, email)
    page.goto(live_server.url + "/scheduler/preview?year=2027")
    page.get_by_role("button", name="Generate the preview").click()
    page.wait_for_url("**/scheduler/preview?year=2027")
    assert page.locator("progress#job-progress").count() == 1  # the preview job's progress
    assert page.locator("#job-status").inner_text().startswith("Waiting for a worker")
    assert axe_problems(page) == []
    # jobs.js reloads the page when the job ends
    with consumer_beside(live_server.app, periodic=False):
        page.get_by_role("button", name="Publish this plan").wait_for(timeout=60000)
    assert "Computed " in page.content()
    page.get_by_role("button", name="Publish this plan").click()
    page.wait_for_url("**/jobs/*")
    assert page.locator("#job-status").inner_text().startswith("Waiting for a worker")
    assert page.locator("progress#job-progress").count() == 1
    assert axe_problems(page) == []
    with consumer_beside(live_server.app, periodic=False):
        page.locator("#job-result a").wait_for(state="visible", timeout=60000)
    assert "Plan 2027 published:" in page.locator("#job-status").inner_text()
    page.locator("#job-result a").click()
    page.wait_for_url("**/scheduler/?year=2027")
    assert "events published" in page.content()
    context.close()

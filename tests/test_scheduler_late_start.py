"""An organisation that starts using the app mid-year (in December): the year at a glance shows
the plan year's earlier weeks as before the plan's first day, not as gaps, on the year page and
on the coordinators' home."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from planner.db import utcnow
from planner.models import PlanYear
from planner.scheduler import glance
from planner.scheduler.cadences import seed_cadences
from planner.scheduler.planning import compute_plan
from planner.scheduler.publishing import apply_plan
from tests.scheduler_helpers import small_org

YEAR = 2026  # October 2026 to September 2027
START = date(2026, 12, 2)  # the first plan is made on 1 December: it starts the next working day
ROW = re.compile(r'<tr class="([^"]*)" id="week-(\d+)"[^>]*>(.*?)</tr>', re.S)


@pytest.fixture
def december_start(db: Any, monkeypatch: pytest.MonkeyPatch) -> dict[int, date]:
    """A small organisation whose first plan was published on 1 December 2026, seen on
    2 December; returns each week's Monday by week number."""
    small_org(db)
    seed_cadences(db)
    apply_plan(db, compute_plan(db, YEAR, START - timedelta(days=1)), utcnow())
    db.commit()
    assert db.get(PlanYear, YEAR).first_day == START  # type: ignore[union-attr]
    monkeypatch.setattr("planner.scheduler.operations.local_today", lambda _session: START)
    weeks = glance.published_year(db, YEAR).weeks
    db.rollback()  # end the read before the app writes (SQLite)
    return {w.number: w.monday for w in weeks}


def _rows(page: str, mondays: dict[int, date]) -> dict[date, tuple[str, str]]:
    """(class, text) of each week's row by its Monday."""
    found = {
        mondays[int(n)]: (cls, re.sub(r"<[^>]+>", " ", cells))
        for cls, n, cells in ROW.findall(page)
    }
    assert len(found) == len(mondays)
    return found


def _check(page: str, mondays: dict[int, date]) -> int:
    """Checks the rows and the count of working weeks; returns the number of gap weeks."""
    rows = _rows(page, mondays)
    before = {m: row for m, row in rows.items() if m + timedelta(days=7) <= START}
    assert {m.month for m in before} == {10, 11} and len(before) >= 7
    for monday, (cls, text) in before.items():
        if "sched-csweek" in cls:  # the Customer Service Week the year opens with
            assert "Customer Service Week" in text
            continue
        assert "sched-before" in cls and "sched-gap" not in cls, monday
        assert "Before the plan's first day" in text and "Gap" not in text, monday
    # The week the plan starts in (Wednesday 2 December) and the weeks after are the plan's.
    for monday, (cls, _text) in rows.items():
        if monday + timedelta(days=7) > START:
            assert "sched-before" not in cls, monday
    gaps = sum("sched-gap" in cls for cls, _text in rows.values())
    working = [m for m, (cls, text) in rows.items() if m + timedelta(days=7) > START
               and "No working day" not in text]  # fmt: skip
    counted = re.search(r"of (\d+) working weeks? ha", page)
    assert counted is not None and int(counted.group(1)) == len(working) < len(rows) - 7
    return gaps


def test_the_year_page_shows_weeks_before_a_december_start_as_before_the_plan(
    client: Any, login_as: Any, december_start: dict[int, date]
) -> None:
    login_as("coordinator")
    page = client.get(f"/scheduler/?year={YEAR}").get_data(as_text=True)
    gaps = _check(page, december_start)
    if gaps:
        assert f"{gaps} week{'s' if gaps > 1 else ''} without any." in page
    else:
        assert "without any." not in page
    client.set_cookie("planner_language", "nl")
    dutch = client.get(f"/scheduler/?year={YEAR}").get_data(as_text=True)
    assert "Vóór de eerste dag van het plan" in dutch


def test_the_coordinators_home_counts_no_gap_before_a_december_start(
    client: Any, login_as: Any, december_start: dict[int, date]
) -> None:
    client.set_cookie("planner_language", "en")
    login_as("coordinator")
    page = client.get("/home").get_data(as_text=True)
    assert "Year at a glance" in page
    gaps = _check(page, december_start)
    if gaps:
        assert f"{gaps} week{'s' if gaps > 1 else ''} without a touchpoint" in page
    else:
        assert "without a touchpoint" not in page


def test_the_status_api_counts_no_gap_before_a_december_start(
    db: Any, december_start: dict[int, date]
) -> None:
    from planner.api.reads import plan_status

    status = plan_status(db, YEAR)
    assert all(monday + timedelta(days=7) > START for monday in status.gap_weeks)
    assert status.working_weeks < len(december_start) - 7

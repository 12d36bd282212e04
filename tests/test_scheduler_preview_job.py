"""The preview as a background job: it stores its plan with the inputs hash, the preview page
shows it (or the job's progress while it runs), a second click shows the running job, and
publishing reuses the stored plan while its inputs hash still matches (issue 11)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from planner.db import utcnow
from planner.jobs.operations import dedupe_key
from planner.models import Job, PlanPreview
from planner.scheduler import operations, planning, previews
from tests.scheduler_helpers import cadence, generate_preview, hidden, planned, small_org

YEAR = 2027  # wholly in the future: no frozen weeks
TODAY = "2026-11-23"


@pytest.fixture
def engine_runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the engine's runs (one entry per run)."""
    runs: list[int] = []
    real = planning.spread_over_year

    def counting(plan_input: Any) -> Any:
        runs.append(1)
        return real(plan_input)

    monkeypatch.setattr(planning, "spread_over_year", counting)
    return runs


def _publish(client: Any, html: str) -> str:
    response = client.post(
        "/scheduler/publish",
        data={"year": hidden(html, "year"), "inputs": hidden(html, "inputs")},
        follow_redirects=True,
    )
    return response.get_data(as_text=True)


def _previewed(client: Any, db: Any, login_as: Any) -> None:
    """A small organisation with one cadence, a coordinator signed in who generated the year's
    preview (the job runs in immediate mode)."""
    small_org(db)
    cadence(db)
    db.commit()
    login_as("coordinator")
    generate_preview(client, YEAR)


def test_the_preview_page_offers_a_job_and_shows_its_stored_result(
    client: Any, db: Any, login_as: Any, engine_runs: list[int]
) -> None:
    small_org(db)
    cadence(db)
    db.commit()
    login_as("coordinator")
    empty = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    assert "No preview of this year yet" in empty and "Generate the preview" in empty
    assert "Publish this plan" not in empty and engine_runs == []  # a GET computes nothing
    generate_preview(client, YEAR)
    assert engine_runs == [1]
    page = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    assert "Publish this plan" in page and "Computed " in page and "Load per host" in page
    client.get(f"/scheduler/preview?year={YEAR}")
    assert engine_runs == [1]  # showing it again reads the stored plan
    stored = db.get(PlanPreview, YEAR)
    assert stored is not None and hidden(page, "inputs") == stored.inputs_hash
    db.commit()
    assert planned(db, YEAR) == []  # nothing published


def test_while_a_preview_runs_the_page_shows_its_progress_and_a_second_click_joins_it(
    client: Any, db: Any, login_as: Any
) -> None:
    small_org(db)
    cadence(db)
    data = {"today": operations.local_today(db).isoformat(), "year": YEAR}  # as the page posts
    key = dedupe_key(previews.PREVIEW_JOB, data)
    running = Job(kind=previews.PREVIEW_JOB, input_json=json.dumps(data, sort_keys=True),
                  dedupe_key=key, active_key=key, status="running", progress_done=1,
                  progress_total=3, message="Spreading the events over the year…",
                  started_at=utcnow())  # fmt: skip
    db.add(running)
    db.commit()
    login_as("coordinator")
    page = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    assert "<progress" in page and 'http-equiv="refresh"' in page
    assert f"/jobs/{running.id}.json" in page and "Spreading the events over the year" in page
    assert "Generate the preview" not in page
    before = db.scalar(select(func.count(Job.id)))
    db.commit()
    response = client.post("/scheduler/preview", data={"year": str(YEAR)}, follow_redirects=True)
    assert "This is already running: here is its progress." in response.get_data(as_text=True)
    assert db.scalar(select(func.count(Job.id))) == before
    db.commit()


def test_publishing_reuses_the_stored_preview_while_its_inputs_are_unchanged(
    client: Any, db: Any, login_as: Any, engine_runs: list[int]
) -> None:
    _previewed(client, db, login_as)
    page = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    result = _publish(client, page)
    assert "published" in result and engine_runs == [1]  # the preview's run only
    events = planned(db, YEAR)
    assert events
    stored = previews.stored_plan(db, YEAR)
    assert stored is not None
    assert {p.slot_key for p in stored[1].result.placements} == {e.slot_key for e in events}
    db.commit()


def test_a_stale_stored_preview_is_computed_again(
    client: Any, db: Any, login_as: Any, engine_runs: list[int]
) -> None:
    _previewed(client, db, login_as)
    old = db.get(PlanPreview, YEAR)
    assert old is not None
    old_hash = old.inputs_hash
    db.commit()
    cadence(db, title="Another one", kind="training", practice="support")
    db.commit()
    # The CLI publishes without a previewed hash: the stored result no longer fits, so the
    # engine runs again and the new cadence's events are published too.
    from click.testing import CliRunner  # noqa: F401  (the app's runner below)

    result = client.application.test_cli_runner().invoke(
        args=["plan", "--year", str(YEAR), "--publish", "--today", TODAY]
    )
    assert result.exit_code == 0, result.output
    assert engine_runs == [1, 1]
    titles = {e.title for e in planned(db, YEAR)}
    assert any(t.startswith("Another one") for t in titles)
    # A new preview replaces the stored one (one per year), with the new inputs hash.
    generate_preview(client, YEAR)
    db.expire_all()
    new = db.scalar(select(PlanPreview).where(PlanPreview.year == YEAR))
    assert new is not None and new.inputs_hash != old_hash
    assert db.scalar(select(func.count()).select_from(PlanPreview)) == 1
    db.commit()


def test_a_large_previews_page_lists_a_few_lines_and_counts_per_week(
    client: Any, db: Any, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.scheduler import views

    monkeypatch.setattr(views, "LIST_LIMIT", 3)  # as if the plan were a 10,000-person one
    _previewed(client, db, login_as)
    page = client.get(f"/scheduler/preview?year={YEAR}").get_data(as_text=True)
    added = page.split("Added (", 1)[1]
    count = int(added.split(")", 1)[0])
    assert count > 3
    listed = added.split("</details>", 1)[0]
    assert listed.count("<li>") == 3 and f"{count - 3} more lines." in listed
    assert f"/scheduler/preview?year={YEAR}&amp;all=1" in listed
    glance_part = page.split("The year at a glance", 1)[1]
    assert "sched-items" not in glance_part  # counts only: no week lists its events
    week = next(
        n for n in range(1, 53) if f"/scheduler/preview?year={YEAR}&amp;week={n}#" in glance_part
    )
    opened = client.get(f"/scheduler/preview?year={YEAR}&week={week}").get_data(as_text=True)
    assert opened.split("The year at a glance", 1)[1].count("sched-items") == 1
    every = client.get(f"/scheduler/preview?year={YEAR}&all=1").get_data(as_text=True)
    assert every.split("Added (", 1)[1].split("</details>", 1)[0].count("<li>") == count
    assert "more lines." not in every and "Publish this plan" in every

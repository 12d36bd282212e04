"""A job whose worker died while no other worker runs (a killed `planner worker`, nobody has
started a new one yet): its page says so at once and offers Retry, a new click starts a new job
instead of showing the dead one, and the preview page offers its button again."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from flask import Flask

from planner.db import utcnow
from planner.jobs import enqueue
from planner.jobs.operations import dedupe_key
from planner.jobs.runner import DIED, LEASE_SECONDS
from planner.models import Job
from planner.scheduler.previews import PREVIEW_JOB
from tests import factories
from tests import jobs_helpers as _jobs_helpers  # noqa: F401  (registers the test kinds)


def _left_running(db: Any, kind: str, data: dict[str, Any], seconds_ago: int) -> Job:
    """A job record as a worker leaves it when killed: running, no heartbeat since it began."""
    key = dedupe_key(kind, data)
    job = Job(kind=kind, input_json=json.dumps(data, sort_keys=True), dedupe_key=key,
              active_key=key, status="running", attempts=1,
              started_at=utcnow() - timedelta(seconds=seconds_ago))  # fmt: skip
    db.add(job)
    db.commit()
    return job


def test_a_job_whose_worker_died_reads_as_failed_and_can_be_retried(
    app: Flask, db: Any, client: Any, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    job = _left_running(db, "test-echo", {"word": "again"}, LEASE_SECONDS + 30)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Failed." in page and "The worker stopped while this job was running" in page
    assert "Retry" in page and 'http-equiv="refresh"' not in page  # no endless refresh
    status = client.get(f"/jobs/{job.id}.json").get_json()
    assert (status["status"], status["finished"]) == ("failed", True)  # the script reloads
    assert status["error"] == DIED

    response = client.post(f"/jobs/{job.id}/retry")
    assert response.status_code == 302
    db.expire_all()
    assert (db.get(Job, job.id).status, db.get(Job, job.id).error) == ("failed", DIED)
    again = db.query(Job).filter(Job.retry_of_id == job.id).one()
    assert (again.status, again.message) == ("done", "echo again")


def test_a_job_within_its_lease_still_runs(app: Flask, db: Any, client: Any, login_as: Any) -> None:
    factories.organisation(db)
    login_as("coordinator")
    job = _left_running(db, "test-echo", {"word": "busy"}, 5)
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "Running…" in page and "The worker stopped" not in page
    assert client.get(f"/jobs/{job.id}.json").get_json()["finished"] is False
    assert client.post(f"/jobs/{job.id}/retry").status_code == 302  # refused in words
    db.expire_all()
    assert db.get(Job, job.id).status == "running"
    assert db.query(Job).filter(Job.retry_of_id == job.id).count() == 0


def test_a_new_click_replaces_a_dead_job_instead_of_showing_it(app: Flask, db: Any) -> None:
    dead = _left_running(db, "test-echo", {"word": "x"}, LEASE_SECONDS + 30)
    alive = _left_running(db, "test-echo", {"word": "y"}, 5)
    with app.app_context():
        fresh, created = enqueue(db, "test-echo", {"word": "x"})
        same, created_again = enqueue(db, "test-echo", {"word": "y"})
        db.commit()
    assert created and fresh.id != dead.id
    db.refresh(dead)
    assert (dead.status, dead.active_key) == ("failed", None)
    assert (same.id, created_again) == (alive.id, False)  # a live one is still shared


def test_the_preview_page_offers_its_button_again_after_a_dead_preview_job(
    app: Flask, db: Any, client: Any, login_as: Any
) -> None:
    factories.organisation(db, locale="lt-LT")
    login_as("coordinator")
    _left_running(db, PREVIEW_JOB, {"year": 2026, "today": "2026-12-02"}, LEASE_SECONDS + 30)
    client.set_cookie("planner_language", "lt")
    page = client.get("/scheduler/preview?year=2026").get_data(as_text=True)
    assert 'id="job-progress"' not in page  # no progress bar of a job nobody runs
    assert "Sukurti peržiūrą" in page  # Generate the preview, in Lithuanian
    assert "The worker stopped" not in page  # the note is in the reader's language
    assert 'role="alert"' in page


def test_a_job_pages_counts_are_grouped_as_the_reader_writes_numbers(
    app: Flask, db: Any, client: Any, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    job = _left_running(db, "test-echo", {"word": "many"}, 5)
    job.progress_done, job.progress_total = 14000, 56580
    db.commit()
    client.set_cookie("planner_language", "lt")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "14\u00a0000 / 56\u00a0580" in page
    client.set_cookie("planner_language", "nl")
    assert "14.000 / 56.580" in client.get(f"/jobs/{job.id}").get_data(as_text=True)

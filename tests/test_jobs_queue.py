"""The job queue: enqueue, run, progress, failure in words, retry, dedupe, on every backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from planner import create_app
from planner.db import database
from planner.jobs import enqueue, retry
from planner.jobs.commands import consumer_beside
from planner.jobs.operations import failed_count
from planner.jobs.queue import queue_of
from planner.models import Job
from tests import factories, jobs_helpers
from tests.jobs_helpers import wait_for_status

REDIS_URL = os.environ.get("PLANNER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def test_immediate_job_runs_at_commit_and_keeps_its_result(app: Flask, db: Any) -> None:
    with app.app_context():
        job, created = enqueue(db, "test-echo", {"word": "hi"})
        assert created and job.status == "queued"
        db.commit()
    db.refresh(job)
    assert (job.status, job.message, job.result_path) == ("done", "echo hi", "/jobs/")
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.started_at is not None and job.finished_at is not None


def test_a_rolled_back_enqueue_runs_nothing(app: Flask, db: Any) -> None:
    with app.app_context():
        enqueue(db, "test-echo", {"word": "no"})
        db.rollback()
        db.commit()
    assert db.query(Job).count() == 0


def test_jobs_queued_together_wait_for_the_transactions_commit(app: Flask, db: Any) -> None:
    # enqueue uses a SAVEPOINT, whose release SQLAlchemy also reports as a commit: the first job
    # must not go out when the second one is added, only when the whole transaction commits.
    with app.app_context():
        first, _ = enqueue(db, "test-echo", {"word": "one"})
        second, _ = enqueue(db, "test-echo", {"word": "two"})
        third, _ = enqueue(db, "test-echo", {"word": "three"})
        db.flush()
        assert {first.status, second.status, third.status} == {"queued"}
        db.commit()
    db.expire_all()
    assert [db.get(Job, j.id).status for j in (first, second, third)] == ["done"] * 3


def test_a_savepoint_rolled_back_keeps_the_jobs_queued_before_it(app: Flask, db: Any) -> None:
    with app.app_context():
        kept, _ = enqueue(db, "test-echo", {"word": "kept"})
        try:
            with db.begin_nested():
                enqueue(db, "test-echo", {"word": "dropped"})
                raise RuntimeError("this part of the work failed")
        except RuntimeError:
            pass
        db.commit()
    db.expire_all()
    assert db.get(Job, kept.id).status == "done"


def test_failure_keeps_input_shows_words_and_retry_succeeds(
    app: Flask, db: Any, client: Any, login_as: Any
) -> None:
    key = uuid.uuid4().hex
    jobs_helpers.FAIL_TIMES[key] = 1
    factories.organisation(db)
    coordinator = login_as("coordinator")
    with app.app_context():
        job, _ = enqueue(db, "test-flaky", {"key": key}, requested_by=coordinator.id)
        db.commit()
    db.refresh(job)
    assert job.status == "failed"
    assert job.error == "The mail server said no (try 1)."
    assert key in job.input_json
    assert failed_count(db) == 1
    db.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert "The mail server said no (try 1)." in page and "Retry" in page
    assert "1 failed job" in client.get("/home").get_data(as_text=True)

    response = client.post(f"/jobs/{job.id}/retry")
    assert response.status_code == 302
    again = db.query(Job).filter(Job.retry_of_id == job.id).one()
    assert (again.status, again.message) == ("done", "worked on try 2")
    assert failed_count(db) == 0
    db.commit()
    assert f"Retried as job {again.id}" in client.get(f"/jobs/{job.id}").get_data(as_text=True)


def test_automatic_retries_finish_the_job(app: Flask, db: Any) -> None:
    key = uuid.uuid4().hex
    jobs_helpers.FAIL_TIMES[key] = 1
    with app.app_context():
        job, _ = enqueue(db, "test-retrying", {"key": key})
        db.commit()
    db.refresh(job)
    assert (job.status, job.attempts, job.message) == ("done", 2, "worked on try 2")


def test_unknown_errors_are_named_in_words(app: Flask, db: Any) -> None:
    with app.app_context():
        job, _ = enqueue(db, "test-flaky", {"key": 12})  # an int key: .get works, CALLS fine
        db.commit()
    db.refresh(job)
    assert job.status == "done"
    from planner.jobs.runner import error_words

    assert error_words(KeyError("year")) == "Unexpected error (KeyError): 'year'"


def test_staff_see_only_their_own_jobs(app: Flask, db: Any, client: Any, login_as: Any) -> None:
    with app.app_context():
        job, _ = enqueue(db, "test-echo", {"word": "secret"})
        db.commit()
    login_as("staff")
    assert client.get(f"/jobs/{job.id}").status_code == 404
    assert client.get(f"/jobs/{job.id}.json").status_code == 404
    assert client.get("/jobs/").status_code == 403


@pytest.fixture
def sqlite_jobs(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """An app whose queue is a real SqliteHuey file (no consumer yet)."""
    app_config["JOBS_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    application = create_app(app_config)
    yield application
    database(application).engine.dispose()


@pytest.fixture
def redis_jobs(app_config: dict[str, Any]) -> Iterator[Flask]:
    """An app whose queue is RedisHuey under a name of its own."""
    if not _redis_up():
        # CI sets PLANNER_REQUIRE_REDIS=1 so a missing Redis fails instead of skipping.
        give_up = pytest.fail if os.environ.get("PLANNER_REQUIRE_REDIS") else pytest.skip
        give_up(f"Redis is not reachable at {REDIS_URL}")
    app_config["JOBS_URL"] = REDIS_URL
    app_config["JOBS_NAME"] = f"planner-test-{uuid.uuid4().hex[:8]}"
    application = create_app(app_config)
    yield application
    queue_of(application).huey.storage.flush_all()
    database(application).engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite_jobs", "redis_jobs"])
# The consumer is stopped without waiting (as Ctrl+C in `planner up` does): a worker thread may
# still hold its database connection, which the garbage collector then closes (psycopg warns).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_consumer_runs_queued_jobs_and_retries(backend: str, request: Any) -> None:
    app: Flask = request.getfixturevalue(backend)
    key = uuid.uuid4().hex
    jobs_helpers.FAIL_TIMES[key] = 1
    session = database(app).sessions()
    with app.app_context():
        echo, _ = enqueue(session, "test-echo", {"word": backend})
        flaky, _ = enqueue(session, "test-flaky", {"key": key})
        session.commit()
        # Nobody consumes yet: a second click finds the queued job instead of adding one.
        again, created = enqueue(session, "test-echo", {"word": backend})
        assert (again.id, created) == (echo.id, False)
        session.rollback()
    assert wait_for_status(session, echo.id, {"queued"}).status == "queued"
    with consumer_beside(app, periodic=False):
        done = wait_for_status(session, echo.id, {"done", "failed"})
        assert (done.status, done.message) == ("done", f"echo {backend}")
        failed = wait_for_status(session, flaky.id, {"done", "failed"})
        assert failed.error == "The mail server said no (try 1)."
        with app.app_context():
            retried = retry(session, flaky.id, requested_by=None)
            session.commit()
        assert wait_for_status(session, retried.id, {"done", "failed"}).status == "done"
        # Finished: the same input may run again as a new job.
        with app.app_context():
            fresh, created = enqueue(session, "test-echo", {"word": backend})
            session.commit()
        assert created and fresh.id != echo.id
        assert wait_for_status(session, fresh.id, {"done", "failed"}).status == "done"
    session.close()

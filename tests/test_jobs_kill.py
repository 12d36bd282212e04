"""A worker killed mid-job: the job is marked failed (heartbeat lease), nothing is half done,
and a retry succeeds."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from planner import create_app
from planner.db import database
from planner.jobs import enqueue, retry
from planner.jobs.commands import consumer_beside
from planner.jobs.queue import queue_of
from planner.jobs.runner import DIED, LEASE_SECONDS, reap_stale
from planner.scheduler.cadences import seed_cadences
from tests.jobs_helpers import wait_for_status
from tests.scheduler_helpers import planned, small_org

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2027


@pytest.fixture
def sqlite_app(app_config: dict[str, Any], tmp_path: Path) -> Iterator[Flask]:
    """An app on a real SqliteHuey file shared with a worker subprocess."""
    app_config["JOBS_URL"] = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    application = create_app(app_config)
    yield application
    database(application).engine.dispose()


def _worker(app: Flask, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs_worker_script", app.config["DATABASE_URL"],
         app.config["JOBS_URL"], mode],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_a_killed_worker_leaves_a_failed_job_that_can_be_retried(sqlite_app: Flask) -> None:
    session = database(sqlite_app).sessions()
    with sqlite_app.app_context():
        job, _ = enqueue(session, "test-hang", {"n": 1})
        session.commit()
    worker = _worker(sqlite_app, "hang")
    try:
        wait_for_status(session, job.id, {"running"})
        deadline = time.monotonic() + 30
        while queue_of(sqlite_app).progress(job.id) is None:  # it is half way
            assert time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    # Within its lease the job still counts as running (another machine may hold it)...
    assert reap_stale(sqlite_app) == []
    # ...once the lease has passed without a heartbeat (or at the next start), it fails.
    assert reap_stale(sqlite_app, now=time.time() + LEASE_SECONDS + 10) == [job.id]
    failed = wait_for_status(session, job.id, {"failed"})
    assert failed.error == DIED
    with sqlite_app.app_context():
        again = retry(session, job.id, requested_by=None)
        session.commit()
    with consumer_beside(sqlite_app, periodic=False):
        assert wait_for_status(session, again.id, {"done", "failed"}).message == "finished"
    session.close()


def _publish_killed_half_way(app: Flask, session: Any, today: str) -> Any:
    """A publish of YEAR whose worker kills itself half-way through (the job left running)."""
    with app.app_context():
        job, _ = enqueue(session, "publish-plan", {"year": YEAR, "today": today})
        session.commit()
    worker = _worker(app, "publish")
    try:
        assert worker.wait(timeout=120) == -signal.SIGKILL  # it died half-way through
    finally:
        if worker.poll() is None:
            worker.kill()
    return job


def _reaped_and_retried(app: Flask, session: Any, job: Any) -> Any:
    """Once its lease has passed, the dead job fails; its retry, run by a consumer, is done."""
    assert reap_stale(app, now=time.time() + LEASE_SECONDS + 10) == [job.id]
    with app.app_context():
        again = retry(session, job.id, requested_by=None)
        session.commit()
    with consumer_beside(app, periodic=False):
        done = wait_for_status(session, again.id, {"done", "failed"}, seconds=120)
    assert done.status == "done", done.error
    return done


@pytest.mark.slow
def test_killing_the_worker_mid_publish_keeps_the_old_plan_and_retry_publishes(
    sqlite_app: Flask,
) -> None:
    session = database(sqlite_app).sessions()
    small_org(session)
    seed_cadences(session)
    session.commit()
    job = _publish_killed_half_way(sqlite_app, session, "2026-11-02")
    assert planned(session, YEAR) == []  # the old plan (none): nothing half written
    session.rollback()
    done = _reaped_and_retried(sqlite_app, session, job)
    assert done.message.startswith(f"Plan {YEAR} published:")
    assert len(planned(session, YEAR)) > 50
    session.close()


def _state(session: Any) -> dict[str, tuple[Any, ...]]:
    """The year's planned events as the feeds see them."""
    return {
        e.uid: (e.sequence, e.status, e.start_at, e.start_date, e.title, e.last_modified)
        for e in planned(session, YEAR)
    }


@pytest.mark.slow
def test_killing_the_worker_mid_replan_keeps_the_published_plan_whole(sqlite_app: Flask) -> None:
    from datetime import date, timedelta

    from planner.db import utcnow
    from planner.models import Blackout, Team
    from planner.scheduler import publishing

    session = database(sqlite_app).sessions()
    small_org(session, teams=3)
    seed_cadences(session)
    session.commit()
    publishing.publish_plan(session, YEAR, date(2026, 11, 2), utcnow(), None)
    session.commit()
    before = _state(session)
    # A blackout week and a renamed team: the re-plan moves and renames many events in bulk.
    monday = date(2028, 2, 7)
    session.add(Blackout(first_day=monday, last_day=monday + timedelta(days=4), reason="Freeze"))
    for team in session.query(Team):
        team.name += " (renamed)"
    session.commit()
    job = _publish_killed_half_way(sqlite_app, session, "2026-11-03")
    session.expire_all()
    assert _state(session) == before  # the old plan, whole: nothing half written
    _reaped_and_retried(sqlite_app, session, job)
    session.expire_all()
    after = _state(session)
    assert after != before and all("(renamed)" in v[4] for v in after.values() if "Front" in v[4])
    assert all(after[uid][0] >= before[uid][0] for uid in before if uid in after)
    session.close()

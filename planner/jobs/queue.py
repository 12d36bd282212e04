"""The Huey instance of an app: SqliteHuey in instance/ by default, RedisHuey for redis:// URLs.

Huey carries only job ids: the `job` table is the record pages read, so progress and failures
look the same on every backend. Progress and heartbeats go into Huey's own key-value store
(another SQLite file or Redis), never into the app database, where they would have to wait for
the job's own transaction.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask
from huey import Huey, MemoryHuey, SqliteHuey

from planner.errors import PlannerError

RUN_TASK = "planner.run_job"


class QueueUnavailable(PlannerError):
    """The job queue's storage cannot be reached."""


@dataclass
class JobQueue:
    """An app's Huey instance and its one task, which runs a job record by id."""

    huey: Huey
    run_task: Any  # huey TaskWrapper: run_task(job_id) enqueues, .schedule(...) delays

    def send(self, job_id: int, delay: int = 0) -> None:
        """Hand a committed job record to the workers (in immediate mode: run it now)."""
        if self.huey.immediate:
            # In a thread of its own, as in a worker: no request context, own database session.
            runner = threading.Thread(target=self.run_task, args=(job_id,), name=f"job-{job_id}")
            runner.start()
            runner.join()
        elif delay > 0:
            self.run_task.schedule(args=(job_id,), delay=delay)
        else:
            self.run_task(job_id)

    def put_progress(self, job_id: int, done: int, total: int, message: str) -> None:
        """Store a running job's progress and heartbeat where pages can read it at once."""
        self.huey.put(f"planner.progress.{job_id}", (done, total, message, time.time()))

    def beat(self, job_id: int) -> None:
        """Say the job's worker is still alive."""
        self.huey.put(f"planner.beat.{job_id}", time.time())

    def last_beat(self, job_id: int) -> float | None:
        """When the job's worker last said it was alive (epoch seconds), if ever."""
        return self.huey.get(f"planner.beat.{job_id}", peek=True)

    def progress(self, job_id: int) -> tuple[int, int, str] | None:
        """A running job's latest progress, if it reported any."""
        found = self.huey.get(f"planner.progress.{job_id}", peek=True)
        return None if found is None else (found[0], found[1], found[2])

    def forget(self, job_id: int) -> None:
        """Drop a finished job's live keys."""
        for key in (f"planner.progress.{job_id}", f"planner.beat.{job_id}"):
            self.huey.delete(key)


def make_huey(app: Flask) -> Huey:
    """The Huey instance the configuration asks for (JOBS_URL)."""
    url = app.config.get("JOBS_URL") or ""
    name = app.config.get("JOBS_NAME") or "planner"
    if url == "immediate" or (not url and app.config.get("ENV") == "testing"):
        return MemoryHuey(name, immediate=True, results=False)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from huey import RedisHuey

        return RedisHuey(name, url=url, results=False)
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
    elif url:
        raise PlannerError(
            f"PLANNER_JOBS_URL must be sqlite:///<file> or redis://host:port/db, not {url!r}."
        )
    else:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "jobs.sqlite3")
    return SqliteHuey(name, filename=path, results=False)


def init_app(app: Flask) -> None:
    """Create the app's queue and register the task that runs job records (and the schedule)."""
    from planner.jobs import periodic, runner

    huey = make_huey(app)

    @huey.task(name=RUN_TASK)
    def run_job(job_id: int) -> None:
        runner.execute(app, job_id)

    app.extensions["planner_jobs"] = JobQueue(huey, run_job)
    periodic.register(app, huey)


def queue_of(app: Flask) -> JobQueue:
    """The app's job queue."""
    return app.extensions["planner_jobs"]

"""Periodic jobs replace cron: the worker's scheduler enqueues each registered schedule as a job
record (so the Jobs page shows last run, result and failures), plus quiet housekeeping that fails
jobs whose worker died and prunes old periodic records."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from huey import Huey
from sqlalchemy import delete, select

from planner.db import database
from planner.jobs.registry import PERIODIC, Periodic, load_all
from planner.models import Job

log = logging.getLogger(__name__)
KEEP_PERIODIC_DAYS = 30


def run_periodic(app: Flask, entry: Periodic, now: datetime | None = None) -> Job | None:
    """Enqueue one periodic job now; a run whose input names a period (a day, a month) that
    already succeeded is skipped, so running twice never does the work twice."""
    from planner.jobs.operations import dedupe_key, enqueue

    now = now or datetime.now(UTC)
    data: dict[str, Any] = entry.make_input(app, now)
    with app.app_context(), database(app).sessions() as session:
        if data and session.scalar(
            select(Job.id).where(
                Job.dedupe_key == dedupe_key(entry.kind, data), Job.status == "done"
            )
        ):
            return None
        job, _created = enqueue(session, entry.kind, data, periodic=True, app=app)
        session.commit()
        return job


def housekeeping(app: Flask, now: datetime | None = None) -> None:
    """Fail jobs whose worker died; forget periodic runs older than a month (failures too)."""
    from planner.jobs.runner import reap_stale

    reap_stale(app)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=KEEP_PERIODIC_DAYS)
    with database(app).sessions() as session:
        session.execute(
            delete(Job).where(
                Job.periodic.is_(True), Job.finished_at.is_not(None), Job.created_at < cutoff
            )
        )
        session.commit()


def register(app: Flask, huey: Huey) -> None:
    """Give the app's Huey one periodic task per schedule (the consumer's scheduler runs them)."""
    load_all()
    for entry in PERIODIC.values():

        def enqueue_it(entry: Periodic = entry) -> None:
            run_periodic(app, entry)

        huey.periodic_task(entry.schedule.matches, name=f"planner.periodic.{entry.kind}")(
            enqueue_it
        )

    def tidy() -> None:
        housekeeping(app)

    huey.periodic_task(lambda _moment: True, name="planner.housekeeping")(tidy)

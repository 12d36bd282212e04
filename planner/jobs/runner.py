"""Running one job record: claim it, heartbeat, run its function in one transaction, record how
it ended (done with a result, retried, or failed with the error in words); and reaping jobs
whose worker died (no heartbeat within the lease)."""

from __future__ import annotations

import ctypes
import functools
import gc
import json
import logging
import os
import socket
import threading
import time
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from planner.db import database, utcnow, writing
from planner.errors import PlannerError
from planner.i18n import N_, in_language
from planner.jobs.queue import JobQueue, queue_of
from planner.jobs.registry import JobContext, Outcome, kind_of
from planner.models import Job

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 5
LEASE_SECONDS = 30  # a running job without a heartbeat for this long has lost its worker
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
# Stored in English (the reaper runs in no one's language); shown through _() on the job's page.
DIED = N_(
    "The worker stopped while this job was running (it was stopped, killed or crashed). "
    "Nothing the job did was kept. Retry it."
)


class PermanentFailure(PlannerError):
    """A job failure that trying again cannot fix (a refused URL, a 4xx answer): no retries."""


def error_words(exc: BaseException) -> str:
    """An error as a person can read it: our own errors say what to do; others name the error."""
    if isinstance(exc, PlannerError):
        return str(exc)
    return f"Unexpected error ({type(exc).__name__}): {exc}".strip()


def _claim(app: Flask, job_id: int) -> Job | None:
    """Mark a queued job running (committed at once, so its page says so), or None."""
    with database(app).sessions() as session:
        job = session.get(Job, job_id)
        if job is None or job.status != "queued":
            return None
        job.status, job.started_at, job.finished_at = "running", utcnow(), None
        job.attempts += 1
        job.worker = WORKER_ID
        session.commit()
        return job


def _heartbeat(app: Flask, job_id: int, stop: threading.Event) -> None:
    """Beat every few seconds until the job ends."""
    queue = queue_of(app)
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            queue.beat(job_id)
        except Exception:  # the storage may blink; a missed beat only shortens the lease
            log.warning("heartbeat of job %s failed", job_id, exc_info=True)


def _language(app: Flask, person_id: int | None) -> str:
    """The language a job writes its messages in: its requester's, else the organisation's."""
    from planner.i18n import recipient_language
    from planner.models import Organisation, Person

    with app.app_context(), database(app).sessions() as session:
        person = session.get(Person, person_id) if person_id is not None else None
        org = session.get(Organisation, 1)
        return recipient_language(
            person.language if person is not None else None, org.locale if org else None
        )


@writing()
def execute(app: Flask, job_id: int) -> None:
    """Run one job record to its end (called by the Huey task, in a worker or immediately, even
    from a GET request: its transactions start as writers all the same)."""
    claimed = _claim(app, job_id)
    if claimed is None:
        return
    queue = queue_of(app)
    queue.beat(job_id)
    stop = threading.Event()
    beater = threading.Thread(target=_heartbeat, args=(app, job_id, stop), daemon=True)
    beater.start()

    def report(done: int, total: int, message: str) -> None:
        queue.put_progress(job_id, done, total, message)

    language = _language(app, claimed.requested_by_id)
    try:
        with app.app_context(), in_language(language), database(app).sessions() as session:
            kind = kind_of(claimed.kind)
            try:
                if kind is None:
                    raise PlannerError(f"This kind of job ({claimed.kind}) is not known here.")
                ctx = JobContext(
                    app, session, job_id, json.loads(claimed.input_json or "{}"),
                    claimed.requested_by_id, report, utcnow(),
                )  # fmt: skip
                outcome = kind.func(ctx)
                _finish(session, job_id, outcome, queue.progress(job_id))
                session.commit()  # the work and "done" in one transaction
            except Exception as exc:
                session.rollback()
                if not isinstance(exc, PlannerError):
                    log.exception("job %s (%s) failed", job_id, claimed.kind)
                retries = kind.retries if kind and not isinstance(exc, PermanentFailure) else 0
                _failed(app, job_id, error_words(exc), retries=retries,
                        delay=kind.retry_delay if kind else 0)  # fmt: skip
    finally:
        stop.set()
        queue.forget(job_id)
        _give_back_memory()


def _give_back_memory() -> None:
    """After a job: collect its cyclic garbage now (the year plan pauses the collector while it
    computes, so its cycles would wait for the next full collection) and hand freed heap pages
    back to the system (glibc's malloc_trim), so a worker's memory returns to about its baseline
    between jobs instead of each job's peak stacking on the last one's leftovers."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    """glibc's malloc_trim, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None


def _finish(
    session: object, job_id: int, outcome: Outcome | str | None, live: tuple | None
) -> None:
    """Record a job's success inside its own transaction."""
    from sqlalchemy.orm import Session

    assert isinstance(session, Session)
    job = session.get(Job, job_id)
    assert job is not None
    if isinstance(outcome, str) or outcome is None:
        outcome = Outcome(outcome or "Done.")
    job.status, job.finished_at, job.active_key = "done", utcnow(), None
    job.message, job.result_path, job.error = outcome.message, outcome.link, ""
    if live is not None:
        job.progress_done, job.progress_total = live[0], live[1]
    job.progress_done = max(job.progress_done, job.progress_total)


def _failed(app: Flask, job_id: int, words: str, *, retries: int, delay: int) -> None:
    """Record a failure: queue it again while automatic retries are left, else failed."""
    with database(app).sessions() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        again = job.attempts <= retries
        job.error = words
        if again:
            job.status, job.message = "queued", f"Attempt {job.attempts} failed; trying again."
        else:
            job.status, job.finished_at, job.active_key = "failed", utcnow(), None
        session.commit()
    if again:
        queue_of(app).send(job_id, delay)


def stale(job: Job, queue: JobQueue, now: float, lease: int = LEASE_SECONDS) -> bool:
    """A running job whose worker has not beaten within the lease: its worker has died (the
    heartbeat is a thread of its own, beating every few seconds whatever the work is doing)."""
    if job.status != "running":
        return False
    beat = queue.last_beat(job.id)
    started = job.started_at.timestamp() if job.started_at else 0.0
    return now - (beat if beat is not None else started) > lease


def mark_died(job: Job, now: float) -> None:
    """Record that a job's worker died (the caller commits; then forget its live keys)."""
    job.status, job.error, job.active_key = "failed", DIED, None
    job.finished_at = datetime.fromtimestamp(now).astimezone()


def reap_stale(app: Flask, now: float | None = None, lease: int = LEASE_SECONDS) -> list[int]:
    """Mark failed every running job whose worker has not beaten within the lease; their work
    was never committed (one transaction), so nothing is half done. Returns their ids."""
    now = time.time() if now is None else now
    queue = queue_of(app)
    reaped: list[int] = []
    with database(app).sessions() as session:
        for job in session.scalars(select(Job).where(Job.status == "running")):
            if stale(job, queue, now, lease):
                mark_died(job, now)
                reaped.append(job.id)
        session.commit()
    for job_id in reaped:
        queue.forget(job_id)
    return reaped

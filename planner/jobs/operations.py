"""Jobs as the rest of the app sees them: enqueue (deduplicated), retry, read, count failures.

`enqueue` only adds the record and flushes (house rule); the job goes to the workers when the
session commits, so a worker never looks for a record that is not there yet.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from planner.errors import NotFound, PlannerError
from planner.i18n import _
from planner.jobs.queue import queue_of
from planner.jobs.registry import kind_of
from planner.models import Job, Person

PENDING = "planner_jobs_pending"


class UnknownJob(PlannerError):
    """No job of that kind is registered."""


@dataclass(frozen=True)
class Progress:
    """How far a job is, as its page shows it."""

    status: str
    done: int
    total: int
    message: str

    @property
    def percent(self) -> int | None:
        """Done as a share of total (None while the total is not known yet)."""
        return round(100 * self.done / self.total) if self.total else None


def dedupe_key(kind: str, data: dict[str, Any]) -> str:
    """One key per kind + input: equal requests share a running job."""
    text = json.dumps([kind, data], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


# Uploads of up to this many lines are imported inside the request (about 0.2 s for people,
# 0.5 s for praise on SQLite); larger ones by a job with a progress page.
INLINE_ROWS = 300


def line_count(data: bytes) -> int:
    """The number of lines of an uploaded file (header included)."""
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


class ProblemsFound(PlannerError):
    """A job's failure in several lines: a summary, then one problem a line (its page lists
    them), e.g. every bad line of an imported file."""


def requester(session: Session, person_id: int | None) -> Person:
    """The active person who asked for a job acting on their behalf (their role is checked
    again by the work itself)."""
    person = session.get(Person, person_id) if person_id else None
    if person is None or not person.active:
        raise PlannerError(_("The person who asked for this job can no longer do so."))
    return person


def file_input(data: bytes, key: str = "file") -> dict[str, str]:
    """A job input holding an uploaded file's bytes exactly (kept with the job, so a failed
    job can be retried without uploading again)."""
    return {key: base64.b64encode(data).decode("ascii")}


def file_from_input(data: dict[str, Any], key: str = "file") -> bytes:
    """The bytes stored by file_input."""
    try:
        return base64.b64decode(str(data.get(key, "")), validate=True)
    except (binascii.Error, ValueError):
        raise PlannerError("The job's stored file cannot be read.") from None


def _send_after_commit(session: Session, app: Flask) -> None:
    """Once per session: after each commit hand its new jobs to the queue; drop them on rollback."""
    if session.info.get("planner_jobs_hooked"):
        return
    session.info["planner_jobs_hooked"] = True

    # SQLAlchemy fires these for SAVEPOINTs too (enqueue itself uses one): only the outermost
    # transaction's end counts, or a second job would go out before the first one's commit.
    @event.listens_for(session, "after_commit")
    def _send(sess: Session) -> None:
        if sess.in_nested_transaction():
            return
        pending, sess.info[PENDING] = sess.info.get(PENDING, []), []
        for job_id in pending:
            queue_of(app).send(job_id)

    @event.listens_for(session, "after_rollback")
    def _drop(sess: Session) -> None:
        if not sess.in_nested_transaction():
            sess.info[PENDING] = []


def stalled(job: Job, app: Flask | None = None) -> bool:
    """Whether a job shows as running although its worker has died (changes nothing: the job is
    recorded as failed by the next worker start, housekeeping, a retry or a new click)."""
    from planner.jobs.runner import stale

    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return stale(job, queue_of(app), time.time())


def _died(job: Job, app: Flask | None) -> bool:
    """Whether a running job's worker has died (no heartbeat within the lease); if so the job
    is recorded as failed now (flushed), so that a new click is not answered by a dead job
    until some worker starts and reaps it."""
    from planner.jobs.runner import mark_died, stale

    queue = queue_of(app or current_app._get_current_object())  # type: ignore[attr-defined]
    now = time.time()
    if not stale(job, queue, now):
        return False
    mark_died(job, now)
    session = object_session(job)
    if session is not None:
        session.flush()
    queue.forget(job.id)
    return True


def active_job(session: Session, kind: str) -> Job | None:
    """A queued or running job of that kind, if any."""
    return session.scalar(select(Job).where(Job.kind == kind, Job.active_key.is_not(None)).limit(1))


def enqueue(
    session: Session,
    kind: str,
    data: dict[str, Any] | None = None,
    *,
    requested_by: int | None = None,
    periodic: bool = False,
    exclusive: bool = False,
    app: Flask | None = None,
) -> tuple[Job, bool]:
    """Add a job (sent to the workers when the session commits). If the same kind with the same
    input is queued or running, return that one instead; with `exclusive`, any queued or running
    job of that kind (e.g. a second upload while an import runs). Returns (job, created)."""
    if kind_of(kind) is None:
        raise UnknownJob(f"No job of kind {kind!r}.")
    data = data or {}
    key = dedupe_key(kind, data)
    running = session.scalar(select(Job).where(Job.active_key == key))
    if running is None and exclusive:
        running = active_job(session, kind)
    if running is not None and _died(running, app):  # its worker was killed: start afresh
        running = None
    if running is not None:
        return running, False
    job = Job(
        kind=kind, requested_by_id=requested_by, input_json=json.dumps(data, sort_keys=True),
        dedupe_key=key, active_key=key, status="queued", periodic=periodic,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(job)
    except IntegrityError:  # another request queued the same job a moment ago
        found = session.scalar(select(Job).where(Job.active_key == key))
        if found is None:
            raise
        return found, False
    _send_after_commit(session, app or current_app._get_current_object())  # type: ignore[attr-defined]
    session.info.setdefault(PENDING, []).append(job.id)
    return job, True


def retry(session: Session, job_id: int, requested_by: int | None, app: Flask | None = None) -> Job:
    """Queue a failed job again with the same input (a new record; the failure stays listed)."""
    old = session.get(Job, job_id, populate_existing=True)
    if old is None:
        raise NotFound("No such job.")
    if old.status == "running":
        _died(old, app)  # a job whose worker was killed can be retried at once
    if old.status != "failed":
        raise PlannerError("Only a failed job can be retried.")
    job, created = enqueue(
        session, old.kind, json.loads(old.input_json), requested_by=requested_by,
        periodic=old.periodic, app=app,
    )  # fmt: skip
    if created:
        job.retry_of_id = old.id
    session.flush()
    return job


def progress_of(job: Job, app: Flask | None = None) -> Progress:
    """The job's progress: live from the queue while it runs, else from its record."""
    if job.status == "running":
        live = queue_of(app or current_app).progress(job.id)
        if live is not None:
            return Progress(job.status, live[0], live[1], live[2])
    return Progress(job.status, job.progress_done, job.progress_total, job.message)


def failed_count(session: Session, since: Any = None) -> int:
    """How many jobs ended failed and were not retried since (for the coordinator's home)."""
    retried = select(Job.retry_of_id).where(Job.retry_of_id.is_not(None))
    query = select(func.count(Job.id)).where(Job.status == "failed", Job.id.not_in(retried))
    if since is not None:
        query = query.where(Job.created_at >= since)
    return session.scalar(query) or 0


def recent(session: Session, limit: int = 50, person_id: int | None = None) -> list[Job]:
    """The latest jobs, newest first (only one person's when person_id is given)."""
    query = select(Job).order_by(Job.id.desc()).limit(limit)
    if person_id is not None:
        query = query.where(Job.requested_by_id == person_id)
    return list(session.scalars(query))


def last_runs(session: Session, kinds: list[str]) -> dict[str, Job]:
    """The latest job of each kind."""
    newest = (
        select(func.max(Job.id)).where(Job.kind.in_(kinds)).group_by(Job.kind).scalar_subquery()
    )
    return {job.kind: job for job in session.scalars(select(Job).where(Job.id.in_(newest)))}

"""Job pages: one job's progress (meta refresh without JS, live with jobs.js), its JSON status,
retry, and the Jobs page (periodic jobs and recent runs) for admins and coordinators."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from planner.access import ORGANISERS, SIGNED_IN, allow
from planner.db import get_session
from planner.errors import PlannerError
from planner.i18n import _
from planner.jobs import operations
from planner.jobs.registry import PERIODIC, kind_of, load_all
from planner.jobs.runner import DIED
from planner.models import Job, JobFile

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _job_or_404(job_id: int) -> Job:
    """A job the current person may see (their own, or any for organisers), else 404."""
    job = get_session().get(Job, job_id)
    if job is None:
        abort(404)
    if current_user.role not in ORGANISERS and job.requested_by_id != current_user.id:
        abort(404)
    return job


def title_of(kind: str) -> str:
    """A kind of job in words."""
    found = kind_of(kind)
    return str(found.title) if found else kind


def error_of(job: Job, stalled: bool = False) -> str:
    """A failed job's error in the reader's words (a died worker's note is stored in English)."""
    if stalled or job.error == DIED:
        return _(DIED)
    return job.error or ""


bp.add_app_template_filter(error_of, "job_error")


def status_json(job: Job) -> dict[str, Any]:
    """What the live progress script reads (a job whose worker died reads as failed: the page
    reloads and offers Retry)."""
    p = operations.progress_of(job)
    stalled = operations.stalled(job)
    return {
        "id": job.id, "status": "failed" if stalled else job.status, "done": p.done,
        "total": p.total, "percent": p.percent, "message": p.message,
        "error": error_of(job, stalled) if stalled or job.error else job.error,
        "result": job.result_path, "finished": job.finished or stalled,
    }  # fmt: skip


@bp.route("/<int:job_id>")
@allow(*SIGNED_IN)
def show(job_id: int) -> Any:
    """One job: a progress bar while it runs, the result or the error when it ends."""
    job = _job_or_404(job_id)
    retried = get_session().query(Job.id).filter(Job.retry_of_id == job.id).first()
    stalled = operations.stalled(job)
    return render_template(
        "jobs/show.html", job=job, title=title_of(job.kind), progress=operations.progress_of(job),
        data=json.loads(job.input_json or "{}"), retried_as=retried[0] if retried else None,
        stalled=stalled, error=error_of(job, stalled),
    )  # fmt: skip


@bp.route("/<int:job_id>.json")
@allow(*SIGNED_IN)
def status(job_id: int) -> Any:
    """A job's status as JSON (for the live progress bar)."""
    response = jsonify(status_json(_job_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:job_id>/download")
@allow(*SIGNED_IN)
def download(job_id: int) -> Any:
    """The file a finished job produced (an export), as an attachment."""
    job = _job_or_404(job_id)
    found = get_session().scalar(select(JobFile).where(JobFile.job_id == job.id).limit(1))
    if found is None or job.status != "done":
        abort(404)
    return Response(
        found.data,
        mimetype=found.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{found.name}"',
            "Cache-Control": "private, no-store",
        },
    )


@bp.route("/<int:job_id>/retry", methods=["POST"])
@allow(*SIGNED_IN)
def retry(job_id: int) -> Any:
    """Queue a failed job again with the same input."""
    job = _job_or_404(job_id)
    db = get_session()
    try:
        again = operations.retry(db, job.id, requested_by=current_user.id)
    except PlannerError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("jobs.show", job_id=job_id))
    db.commit()
    return redirect(url_for("jobs.show", job_id=again.id))


@bp.route("/")
@allow(*ORGANISERS)
def index() -> Any:
    """Periodic jobs (schedule, last run, next run, result) and the latest jobs."""
    load_all()
    db = get_session()
    now = datetime.now(UTC)
    last = operations.last_runs(db, list(PERIODIC))
    periodic = [
        {"kind": k, "title": title_of(k), "when": p.schedule.words(),
         "next": p.schedule.next_after(now), "last": last.get(k)}
        for k, p in PERIODIC.items()
    ]  # fmt: skip
    return render_template(
        "jobs/index.html", periodic=periodic, jobs=operations.recent(db), title_of=title_of,
        failed=operations.failed_count(db),
    )  # fmt: skip


def job_page(job: Job, created: bool) -> Any:
    """Where a view goes after enqueueing: the result if it already finished (immediate mode),
    else the job's progress page (saying so when a second click found it running)."""
    get_session().refresh(job)
    if job.status == "done":
        flash(job.message, "success")
        return redirect(job.result_path or url_for("jobs.show", job_id=job.id))
    if not created:
        flash(_("This is already running: here is its progress."), "info")
    return redirect(url_for("jobs.show", job_id=job.id))

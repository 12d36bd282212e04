"""Test kinds of job and helpers: a job that fails until told otherwise, waiting for a job."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.orm import Session

from planner.errors import PlannerError
from planner.jobs.registry import JobContext, Outcome, job
from planner.models import Job

CALLS: dict[str, int] = {}
FAIL_TIMES: dict[str, int] = {}


@job("test-echo", title="Echo")
def echo(ctx: JobContext) -> Outcome:
    """Report progress in three steps and say what it was given."""
    for step in range(1, 4):
        ctx.progress(step, 3, f"step {step}")
    return Outcome(f"echo {ctx.input.get('word', '')}", link="/jobs/")


@job("test-flaky", title="Flaky")
def flaky(ctx: JobContext) -> str:
    """Fail (in words) as many times as FAIL_TIMES says, then succeed."""
    key = ctx.input.get("key", "")
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] <= FAIL_TIMES.get(key, 0):
        raise PlannerError(f"The mail server said no (try {CALLS[key]}).")
    return f"worked on try {CALLS[key]}"


@job("test-retrying", title="Retrying", retries=2)
def retrying(ctx: JobContext) -> str:
    """Fails once, then succeeds: the automatic retry finishes it."""
    return flaky(ctx)  # type: ignore[return-value]


@job("test-hang", title="Hang")
def hang(ctx: JobContext) -> str:
    """In this process: succeeds at once (the worker subprocess hangs instead)."""
    return "finished"


def wait_for_status(session: Session, job_id: int, wanted: set[str], seconds: float = 60) -> Job:
    """Poll the record until it reaches one of the wanted statuses (fails after `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        session.rollback()  # a fresh read; no transaction is left open for the worker to wait on
        found = session.get(Job, job_id)
        if found is not None:
            session.expunge(found)  # keeps its loaded values after the rollback
        session.rollback()
        if found is not None and found.status in wanted:
            return found
        assert time.monotonic() < deadline, f"job {job_id} stayed {found and found.status}"
        time.sleep(0.1)


def new(**kwargs: Any) -> dict[str, Any]:
    """An input dict."""
    return dict(kwargs)

"""The kinds of job the app knows: `@job("kind")` on a function registers it (no queue needed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session


@dataclass
class Outcome:
    """What a finished job says: a sentence, and optionally the page that shows the result."""

    message: str
    link: str | None = None


class JobContext:
    """What a running job gets: the app, its own session, its input and a progress reporter."""

    def __init__(
        self,
        app: Flask,
        session: Session,
        job_id: int,
        data: dict[str, Any],
        requested_by: int | None,
        report: Callable[[int, int, str], None],
        now: datetime,
    ) -> None:
        self.app, self.session, self.job_id, self.input = app, session, job_id, data
        self.requested_by, self.now = requested_by, now
        self._report = report

    def progress(self, done: int, total: int, message: str = "") -> None:
        """Say how far the job is (shown live on its page; never inside the job's transaction)."""
        self._report(done, total, message)

    def uploaded(self, key: str = "file") -> bytes:
        """The bytes of a file the job was given in its input (see operations.file_input)."""
        from planner.jobs.operations import file_from_input

        return file_from_input(self.input, key)

    def forget_upload(self, key: str = "file") -> None:
        """Drop an uploaded file from the job's input once the work succeeded (committed with
        it): a failed job keeps it for a retry, a done one need not keep people's data twice."""
        import json

        from planner.models import Job

        record = self.session.get(Job, self.job_id)
        if record is not None:
            kept = {k: v for k, v in self.input.items() if k != key}
            record.input_json = json.dumps(kept, sort_keys=True)

    def save_file(self, name: str, content_type: str, data: bytes) -> str:
        """Keep a file the job produced (in its own transaction); returns its download link."""
        from planner.models import JobFile

        self.session.add(
            JobFile(job_id=self.job_id, name=name, content_type=content_type, data=data)
        )
        self.session.flush()
        return f"/jobs/{self.job_id}/download"


JobFunction = Callable[[JobContext], "Outcome | str | None"]


@dataclass(frozen=True)
class JobKind:
    """One registered kind of job."""

    name: str
    func: JobFunction
    title: str
    retries: int = 0
    retry_delay: int = 0  # seconds before an automatic retry
    roles: tuple[str, ...] = ("admin", "coordinator")  # who may see and retry it besides its owner


@dataclass(frozen=True)
class Periodic:
    """A job that runs on a schedule (see planner/jobs/schedule.py)."""

    kind: str
    schedule: Any  # planner.jobs.schedule.Schedule
    make_input: Callable[[Flask, datetime], dict[str, Any]] = field(default=lambda _app, _now: {})


KINDS: dict[str, JobKind] = {}
PERIODIC: dict[str, Periodic] = {}


def job(
    name: str,
    *,
    title: str,
    retries: int = 0,
    retry_delay: int = 0,
    roles: tuple[str, ...] = ("admin", "coordinator"),
) -> Callable[[JobFunction], JobFunction]:
    """Register a function as a kind of job: `@job("notify-teams", title=..., retries=3)`."""

    def register(func: JobFunction) -> JobFunction:
        KINDS[name] = JobKind(name, func, title, retries, retry_delay, roles)
        return func

    return register


def every(
    kind: str, schedule: Any, make_input: Callable[..., dict[str, Any]] | None = None
) -> None:
    """Run a registered kind on a schedule (the worker's scheduler enqueues it)."""
    PERIODIC[kind] = Periodic(kind, schedule, make_input or (lambda _app, _now: {}))


def kind_of(name: str) -> JobKind | None:
    """The registered kind of that name, if any (loads every area's jobs first)."""
    load_all()
    return KINDS.get(name)


# Areas whose <area>/jobs.py registers jobs; imported on first use.
JOB_MODULES = (
    "planner.scheduler.jobs",
    "planner.feedback.jobs",
    "planner.feeds.jobs",
    "planner.api.jobs",
    "planner.recognition.jobs",
    "planner.org.jobs",
)


def load_all() -> None:
    """Import every area's jobs module so KINDS and PERIODIC are complete."""
    from importlib import import_module

    for module in JOB_MODULES:
        import_module(module)

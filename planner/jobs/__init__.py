"""Background jobs (Huey): long work off the request, with progress, retries and a schedule.

Define a job in `<area>/jobs.py` (listed in registry.JOB_MODULES) with `@job("kind", title=...)`;
enqueue it with `enqueue(session, "kind", {...}, requested_by=person_id)` and commit; raise
`PermanentFailure` for a failure that retrying cannot fix. See the README section "Background jobs".
"""

from planner.jobs.operations import enqueue, progress_of, retry, stalled
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.jobs.runner import PermanentFailure

__all__ = [
    "JobContext",
    "Outcome",
    "PermanentFailure",
    "enqueue",
    "every",
    "job",
    "progress_of",
    "retry",
    "stalled",
]

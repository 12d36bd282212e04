"""Background jobs (Huey): long work off the request, with progress, retries and a schedule.

Define a job in `<area>/jobs.py` (listed in registry.JOB_MODULES) with `@job("kind", title=...)`;
enqueue it with `enqueue(session, "kind", {...}, requested_by=person_id)` and commit. See
/work/wt/JOBS_API.md and the README section "Background jobs".
"""

from planner.jobs.operations import enqueue, progress_of, retry
from planner.jobs.registry import JobContext, Outcome, every, job

__all__ = ["JobContext", "Outcome", "enqueue", "every", "job", "progress_of", "retry"]

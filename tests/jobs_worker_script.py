"""A worker process for the kill tests: `python -m tests.jobs_worker_script DB_URL JOBS_URL MODE`.

MODE hang: the test-hang job reports half its progress, then sleeps (the test kills it).
MODE publish: publishing kills its own process with SIGKILL half-way through writing the plan.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from typing import Any

from planner import create_app
from planner.jobs.commands import make_consumer
from planner.jobs.registry import JobContext, job
from planner.scheduler import publishing


def main() -> None:
    """Build the app on the given databases and consume until killed."""
    db_url, jobs_url, mode = sys.argv[1:4]
    app = create_app(
        {"ENV": "testing", "TESTING": True, "SECRET_KEY": "k" * 40, "DATABASE_URL": db_url,
         "JOBS_URL": jobs_url, "BASE_URL": "http://planner.test", "UID_DOMAIN": "planner.test"}
    )  # fmt: skip
    if mode == "hang":

        @job("test-hang", title="Hang")
        def hang(ctx: JobContext) -> str:
            ctx.progress(1, 2, "half way")
            time.sleep(600)
            return "never"

    else:
        real = publishing.apply_plan

        def killed_half_way(session: Any, plan: Any, now: Any, progress: Any = None) -> Any:
            def report(done: int, total: int, words: str) -> None:
                if total and done >= total // 2:
                    session.flush()  # half the plan is written (not committed) when it dies
                    os.kill(os.getpid(), signal.SIGKILL)

            return real(session, plan, now, progress=report)

        publishing.apply_plan = killed_half_way  # type: ignore[assignment]
        publishing.REPORT_EVERY = 5
    make_consumer(app, workers=1, periodic=False).run()


if __name__ == "__main__":
    main()

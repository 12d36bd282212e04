"""CLI: `planner api-announce-month`: the monthly "You said, we did" update to Teams and Slack
(the worker also runs it on the 1st of each month; this is for another month or a rerun)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from planner.cli_options import chosen_month, month_option
from planner.db import session_scope
from planner.feedback import pages
from planner.i18n import _
from planner.jobs import enqueue
from planner.jobs.runner import execute
from planner.models import Job


def _app() -> Flask:
    """The current app object."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _posts_after(app: Flask, job_id: int) -> dict[int, str]:
    """The channel posts the monthly update queued (job id -> status)."""
    with session_scope(app) as session:
        rows = session.execute(
            select(Job.id, Job.status).where(
                Job.kind == "notify-chat",
                Job.id > job_id,
                Job.input_json.contains('"topic": "monthly_update"'),
            )
        )
        return {row.id: row.status for row in rows}


@click.command("api-announce-month")
@month_option()
@with_appcontext
def announce_month_command(month: str | None) -> None:
    """Post the month's "You said, we did" update to every channel that takes it, now."""
    app = _app()
    with session_scope(app) as session:
        first = chosen_month(month, lambda: pages.today(session))
        job, _created = enqueue(session, "api-announce-month", {"month": f"{first:%Y-%m}"}, app=app)
        job_id = job.id
    execute(app, job_id)  # here and now, unless a worker took it first
    posts = _posts_after(app, job_id)
    for post_id, status in posts.items():
        if status == "queued":
            execute(app, post_id)
    posts = _posts_after(app, job_id)
    sent = sum(1 for status in posts.values() if status == "done")
    words = _("Update for %(month)s: sent to %(sent)d of %(num)d channel(s).",
              month=f"{first:%Y-%m}", sent=sent, num=len(posts))  # fmt: skip
    click.echo(words if sent == len(posts) else words + " " + _("The worker retries the others."))


COMMANDS = [announce_month_command]

"""Background jobs of recognition: a large praise import (each row becomes an outreach task and a
calendar item, so a few hundred rows take seconds; the upload page stores the file's bytes in the
job's input, so a failed import can be retried without uploading again), and every morning the
announcement in Teams and Slack of the service stars whose reveal day is today (reveal.py; safe
to run twice: one run per day)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from planner.api import hooks
from planner.i18n import _, lazy_gettext
from planner.jobs import schedule
from planner.jobs.operations import ProblemsFound, requester
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.recognition import clock, praise, reveal
from planner.recognition.praise_csv import ImportFailed


@job("import-praise", title=lazy_gettext("Import praise"))
def import_praise_job(ctx: JobContext) -> Outcome:
    """Import a praise CSV stored in the job's input: all or nothing, every problem listed."""
    actor = requester(ctx.session, ctx.requested_by)
    ctx.progress(0, 0, _("Checking the file"))
    try:
        result = praise.import_praise(
            ctx.session, ctx.uploaded(), logged_by_id=actor.id,
            today=clock.today(ctx.session), now=ctx.now, progress=ctx.progress,
        )  # fmt: skip
    except ImportFailed as exc:
        lines = [f"Line {line}: {message}" if line else message for line, message in exc.errors]
        raise ProblemsFound("\n".join([exc.summary(), *lines])) from None
    words = _(
        "Imported %(created)s praise; %(already_there)s were already there.",
        created=result.created, already_there=result.already_there,
    )  # fmt: skip
    if result.without_leader:
        names = ", ".join(sorted(set(result.without_leader)))
        words += " " + _("No leader to reach out to (no manager): %(names)s.", names=names)
    ctx.forget_upload()
    return Outcome(words, link="/recognition/")


@job("stars-announce", title=lazy_gettext("Announce the service stars revealed today"))
def announce_stars_job(ctx: JobContext) -> Outcome:
    """Queue the announcement of each star revealed on the day (input "day": yyyy-mm-dd)."""
    day = date.fromisoformat(ctx.input["day"]) if "day" in ctx.input else clock.today(ctx.session)
    awards = reveal.revealed_on(ctx.session, day)
    for award in awards:
        hooks.star_approved(ctx.session, award.nomination_id, ctx.app.config["BASE_URL"], None)
    return Outcome(
        _("%(n)d service star(s) revealed on %(day)s.", n=len(awards), day=day.isoformat()),
        link="/recognition/stars",
    )


def _day(_app: Flask, now: datetime) -> dict[str, str]:
    return {"day": now.date().isoformat()}


every("stars-announce", schedule.daily(6, 30), _day)

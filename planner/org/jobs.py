"""Background jobs of the org area: a large people import, the people CSV export, and the hourly
recording of people whose end date has come (planner/org/leaving.py).

A people file of more than INLINE_ROWS lines (planner.jobs.operations) is imported by a job: the
upload page stores the file's bytes in the job's input (so a failed import can be retried without
uploading again) and shows the job's progress page. Smaller files are imported in the request.
"""

from __future__ import annotations

from datetime import date

from planner.i18n import _, lazy_gettext, ngettext
from planner.jobs import schedule
from planner.jobs.operations import ProblemsFound, requester
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.org.leaving import record_leavers
from planner.org.people_io import ImportRejected, export_people, import_people
from planner.org.settings import local_today


@job("import-people", title=lazy_gettext("Import people"))
def import_people_job(ctx: JobContext) -> Outcome:
    """Import a people CSV stored in the job's input: all or nothing, every problem listed."""
    actor = requester(ctx.session, ctx.requested_by)
    try:
        result = import_people(ctx.session, ctx.uploaded(), actor=actor, progress=ctx.progress)
    except ImportRejected as exc:
        raise ProblemsFound("\n".join([str(exc), *(str(e) for e in exc.errors)])) from None
    ctx.forget_upload()
    return Outcome(result.summary(), link="/org/people")


@job("export-people", title=lazy_gettext("Export people"))
def export_people_job(ctx: JobContext) -> Outcome:
    """Everyone as CSV (UTF-8 with a byte order mark, for Excel), kept for download."""
    ctx.progress(0, 0, _("Reading people"))
    text = export_people(ctx.session)
    count = text.count("\n") - 1
    ctx.progress(count, count, _("Reading people"))
    link = ctx.save_file("people.csv", "text/csv", ("\ufeff" + text).encode("utf-8"))
    return Outcome(_("%(n)d people exported.", n=count), link=link)


@job("org-record-leavers", title=lazy_gettext("Record people who left"))
def record_leavers_job(ctx: JobContext) -> Outcome:
    """Whoever's end date has come (in the organisation's time zone) becomes inactive."""
    raw = ctx.input.get("day")
    day = date.fromisoformat(raw) if raw else local_today(ctx.session)
    gone = record_leavers(ctx.session, day)
    ctx.session.commit()
    return Outcome(
        ngettext(
            "%(num)d person recorded as having left.",
            "%(num)d people recorded as having left.",
            len(gone),
        )
    )


# Hourly, so that "from their end date" holds in every time zone within the hour.
every("org-record-leavers", schedule.every_minutes(60))

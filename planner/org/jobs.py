"""The org area's periodic job: record people whose end date has come (planner/org/leaving.py)."""

from __future__ import annotations

from datetime import date

from planner.i18n import lazy_gettext, ngettext
from planner.jobs import schedule
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.org.leaving import record_leavers
from planner.org.settings import local_today


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

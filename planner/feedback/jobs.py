"""Periodic jobs of feedback: escalation every working morning, the monthly digest, and the
anonymous pool's publication every 10 minutes (each safe to run twice)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from planner.db import database
from planner.feedback import pages, publishing, signals
from planner.feedback.followups import escalate_unacknowledged
from planner.feedback.notify import digest_messages
from planner.i18n import _, lazy_gettext, ngettext
from planner.jobs import schedule
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.mail import send_all
from planner.org.calendar import closed_dates, get_organisation

WEEKDAYS = (0, 1, 2, 3, 4)


def previous_month(today: date) -> date:
    """The first day of the month before today's."""
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


@job("feedback-escalate", title=lazy_gettext("Escalate unacknowledged feedback"))
def escalate_job(ctx: JobContext) -> Outcome:
    """Give skip-level leaders a follow-up for items not acknowledged in 5 working days."""
    day = date.fromisoformat(ctx.input["day"]) if "day" in ctx.input else pages.today(ctx.session)
    org = get_organisation(ctx.session)
    if day.weekday() not in org.working_weekdays or day in closed_dates(ctx.session, day, day):
        return Outcome(_("%(day)s is not a working day: nothing escalated.", day=day.isoformat()))
    escalated = escalate_unacknowledged(ctx.session, day, ctx.now)
    return Outcome(_("Escalated %(n)d item(s).", n=len(escalated)), link="/feedback/")


@job("feedback-digest", title=lazy_gettext('Monthly "you said, we did" digest'))
def digest_job(ctx: JobContext) -> Outcome:
    """E-mail the digest of one month (input "month": yyyy-mm) to everyone who did not opt out."""
    first = date.fromisoformat(ctx.input["month"] + "-01")
    app = ctx.app
    messages = digest_messages(
        ctx.session, first, base_url=app.config["BASE_URL"].rstrip("/"),
        secret_key=app.config["SECRET_KEY"],
    )  # fmt: skip
    ctx.progress(0, len(messages), _("Sending e-mails"))
    sent = send_all(app.config, messages)
    ctx.progress(len(messages), len(messages), _("Sent"))
    return Outcome(
        _(
            "Digest for %(month)s: %(sent)d of %(n)d e-mail(s) sent.",
            month=f"{first:%Y-%m}",
            sent=sent,
            n=len(messages),
        )
    )


@job("feedback-publish", title=lazy_gettext("Publish anonymous feedback"))
def publish_job(ctx: JobContext) -> Outcome:
    """Publish the pool of anonymous raises when its random moment has come."""
    published = publishing.publish_pending(
        ctx.session, now=ctx.now, today=pages.today(ctx.session), force=False
    )
    waiting = publishing.pending_count(ctx.session)
    if published:
        ctx.session.commit()  # scrub only what is really gone
        publishing.scrub_storage(database(ctx.app).engine)
    return Outcome(_("Published %(n)d anonymous item(s); %(w)d waiting.", n=published, w=waiting))


@job("department-signals", title=lazy_gettext("Monthly customer signals to departments"))
def signals_job(ctx: JobContext) -> Outcome:
    """E-mail each department's head its customer signals of one month (input "month": yyyy-mm);
    reports already sent are recorded and skipped, so running it twice sends nothing twice."""
    first = date.fromisoformat(ctx.input["month"] + "-01")
    app = ctx.app
    pending, skipped = signals.reports_to_send(
        ctx.session, first, base_url=app.config["BASE_URL"].rstrip("/"),
        default_language=get_organisation(ctx.session).locale,
    )  # fmt: skip
    ctx.progress(0, len(pending), _("Sending e-mails"))
    sent, month = 0, f"{first:%Y-%m}"
    for done, entry in enumerate(pending, start=1):
        if send_all(app.config, [entry.message]):
            signals.record_sent(ctx.session, entry.report, now=ctx.now)
            ctx.session.commit()  # one report at a time: a failure later does not resend it
            sent += 1
        ctx.progress(done, len(pending), _("Sending e-mails"))
    return Outcome(
        ngettext(
            "Customer signals for %(month)s: %(num)d report sent, %(skipped)d skipped.",
            "Customer signals for %(month)s: %(num)d reports sent, %(skipped)d skipped.",
            sent,
            month=month,
            skipped=skipped,
        )
    )


def _day(_app: Flask, now: datetime) -> dict[str, str]:
    return {"day": now.date().isoformat()}


def _month(_app: Flask, now: datetime) -> dict[str, str]:
    return {"month": f"{previous_month(now.date()):%Y-%m}"}


every("feedback-escalate", schedule.daily(6, 0, WEEKDAYS), _day)
every("feedback-digest", schedule.monthly(1, 7), _month)
every("feedback-publish", schedule.every_minutes(10))
every("department-signals", schedule.monthly(1, 7, 30), _month)

"""Jobs of the integrations: one Teams/Slack post per channel, retried by the queue while the
channel is down, and the monthly "You said, we did" update on the 1st (safe to run twice)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from planner.api import announcements, notify
from planner.errors import PlannerError
from planner.feedback.jobs import previous_month
from planner.i18n import _, in_language, lazy_gettext, organisation_language
from planner.jobs import PermanentFailure, schedule
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.models import NotifyTarget

RETRIES = 4  # five tries in all, a minute apart and then more: channels blink for minutes
RETRY_DELAY_SECONDS = 60


class ChannelDown(PlannerError):
    """The channel did not take the message this time (network, 429, 5xx): tried again later."""


@job(
    "notify-chat",
    title=lazy_gettext("Post to a Teams or Slack channel"),
    retries=RETRIES,
    retry_delay=RETRY_DELAY_SECONDS,
)
def notify_chat_job(ctx: JobContext) -> Outcome:
    """POST one prepared payload to one channel; the channel keeps its last success or error."""
    row = ctx.session.get(NotifyTarget, int(ctx.input["target_id"]))
    if row is None or not row.active:
        return Outcome(_("The channel was removed or turned off: nothing was sent."))
    target = notify.Target(row.id, row.kind, row.url)
    name = row.name
    ctx.session.rollback()  # no transaction stays open while the channel answers
    allow_loopback = bool(ctx.app.config.get("API_NOTIFY_ALLOW_LOOPBACK", False))
    outcome = notify.deliver(
        target.url, ctx.input["payload"], allow_loopback=allow_loopback, attempts=1
    )
    notify.record(ctx.session, [(target, outcome)], ctx.now)
    if not outcome.ok:
        ctx.session.commit()  # the channel's last error stays even though this job fails
        words = _("%(channel)s did not take the message: %(error)s", channel=name,
                  error=outcome.error)  # fmt: skip
        raise (ChannelDown if outcome.retryable else PermanentFailure)(words)
    return Outcome(_("Posted to %(channel)s.", channel=name), link="/integrations/")


@job("api-announce-month", title=lazy_gettext('Monthly "you said, we did" update to channels'))
def announce_month_job(ctx: JobContext) -> Outcome:
    """Queue the month's update (input "month": yyyy-mm) for every channel that takes it."""
    first = date.fromisoformat(ctx.input["month"] + "-01")
    with in_language(organisation_language()):
        note = announcements.month_update(ctx.session, first, ctx.app.config["BASE_URL"])
    queued = notify.announce(ctx.session, note, requested_by=ctx.requested_by, app=ctx.app)
    return Outcome(
        _("Update for %(month)s queued for %(n)d channel(s).", month=ctx.input["month"], n=queued),
        link="/integrations/",
    )


def _month(_app: Flask, now: datetime) -> dict[str, str]:
    return {"month": f"{previous_month(now.date()):%Y-%m}"}


every("api-announce-month", schedule.monthly(1, 8), _month)

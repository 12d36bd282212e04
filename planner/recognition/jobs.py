"""Periodic job of recognition: every morning, announce in Teams and Slack the service stars
whose reveal day is today (reveal.py); safe to run twice (one run per day)."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from planner.api import hooks
from planner.i18n import _, lazy_gettext
from planner.jobs import schedule
from planner.jobs.registry import JobContext, Outcome, every, job
from planner.recognition import clock, reveal


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

"""Periodic jobs of the feeds: re-render every stale piece at night, and drop expired
cancellations from the static export (live feeds drop them at query time)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask

from planner.feeds import marks, operations
from planner.feeds.export import export_calendars
from planner.i18n import _, lazy_gettext
from planner.jobs import schedule
from planner.jobs.registry import JobContext, Outcome, every, job


def _settings(ctx: JobContext) -> operations.FeedSettings:
    return operations.feed_settings(
        ctx.session, ctx.app.config["BASE_URL"], ctx.app.config["UID_DOMAIN"]
    )


@job("feeds-render", title=lazy_gettext("Re-render calendar feeds"))
def render_job(ctx: JobContext) -> Outcome:
    """Check every event's rendered piece and re-render the stale ones (skipped when the event
    table has not changed since the last full check)."""
    changed = marks.refresh_changed_pieces(ctx.session, _settings(ctx), ctx.progress)
    if changed is None:
        return Outcome(_("Nothing changed since the last check: no calendar item re-rendered."))
    return Outcome(_("%(n)d calendar item(s) re-rendered.", n=changed))


@job("feeds-expire", title=lazy_gettext("Expire cancelled feed items"))
def expire_job(ctx: JobContext) -> Outcome:
    """Rewrite the static export (if CALENDAR_EXPORT_DIR is set) so cancellations older than a
    week drop out of it, as they do from live feeds."""
    folder = ctx.app.config.get("CALENDAR_EXPORT_DIR")
    if not folder:
        return Outcome(
            _("No static export configured: live feeds drop expired items by themselves.")
        )
    done = export_calendars(
        ctx.session, _settings(ctx), ctx.app.config["SECRET_KEY"], Path(folder), ctx.now,
        progress=ctx.progress,
    )  # fmt: skip
    return Outcome(
        _("Static export rewritten: %(n)d feed(s), %(changed)d changed.",
          n=len(done.files), changed=done.written)
    )  # fmt: skip


def _day(_app: Flask, now: datetime) -> dict[str, str]:
    return {"day": now.date().isoformat()}


every("feeds-render", schedule.daily(1, 0), _day)
every("feeds-expire", schedule.daily(1, 30), _day)

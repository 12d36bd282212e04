"""CLI: `planner feedback-escalate`, `feedback-digest` and `feedback-publish`, thin wrappers."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from planner.cli_options import chosen_month, month_option
from planner.db import database, session_scope, utcnow
from planner.feedback import pages, publishing
from planner.feedback.followups import escalate_unacknowledged
from planner.feedback.notify import digest_messages
from planner.i18n import _
from planner.mail import send_all


def _app() -> Flask:
    """The current app object."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


@click.command("feedback-escalate")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Default: today.")
@with_appcontext
def escalate_command(today: datetime | None) -> None:
    """Give skip-level leaders a follow-up for items not acknowledged in 5 working days."""
    with session_scope(_app()) as session:
        day = today.date() if today is not None else pages.today(session)
        escalated = escalate_unacknowledged(session, day, utcnow())
        click.echo(_("Escalated %(n)d item(s).", n=len(escalated)))


@click.command("feedback-digest")
@month_option()
@with_appcontext
def digest_command(month: str | None) -> None:
    """E-mail the monthly "you said, we did" digest to everyone who did not opt out."""
    app = _app()
    with session_scope(app) as session:
        first = chosen_month(month, lambda: pages.today(session))
        messages = digest_messages(
            session,
            first,
            base_url=app.config["BASE_URL"].rstrip("/"),
            secret_key=app.config["SECRET_KEY"],
        )
    sent = send_all(app.config, messages)
    click.echo(
        _(
            "Digest for %(month)s: %(sent)d of %(n)d e-mail(s) sent.",
            month=f"{first:%Y-%m}",
            sent=sent,
            n=len(messages),
        )
    )


@click.command("feedback-publish")
@click.option("--now", "force", is_flag=True, help="Publish whatever is pending, right now.")
@with_appcontext
def publish_command(force: bool) -> None:
    """Publish the pool of anonymous raises when its random moment has come (run from cron every
    10 minutes; see README). Board requests also publish opportunistically."""
    app = _app()
    with session_scope(app) as session:
        published = publishing.publish_pending(
            session, now=utcnow(), today=pages.today(session), force=force
        )
        waiting = publishing.pending_count(session)
    if published:
        publishing.scrub_storage(database(app).engine)
    click.echo(_("Published %(n)d anonymous item(s); %(w)d waiting.", n=published, w=waiting))


COMMANDS = [escalate_command, digest_command, publish_command]

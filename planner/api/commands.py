"""CLI: `planner api-announce-month`: the monthly "You said, we did" update to Teams and Slack."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from planner.api import announcements, notify
from planner.db import session_scope, utcnow
from planner.errors import PlannerError
from planner.feedback import pages
from planner.feedback.board import parse_month
from planner.i18n import ngettext


def _app() -> Flask:
    """The current app object."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


@click.command("api-announce-month")
@click.option("--month", default=None, help="yyyy-mm; default: the previous month.")
@with_appcontext
def announce_month_command(month: str | None) -> None:
    """Post the month's "You said, we did" update to every channel that takes it."""
    app = _app()
    with session_scope(app) as session:
        if month:
            try:
                first = parse_month(month)
            except PlannerError as exc:
                raise click.BadParameter(str(exc)) from exc
        else:
            this = pages.today(session).replace(day=1)
            first = date(this.year - (this.month == 1), (this.month - 2) % 12 + 1, 1)
        note = announcements.month_update(session, first, app.config["BASE_URL"])
    outcomes = notify.announce(app, note, now=utcnow())
    sent = sum(1 for o in outcomes if o.ok)
    click.echo(
        ngettext(
            "Update for %(month)s: sent to %(sent)d of %(num)d channel(s).",
            "Update for %(month)s: sent to %(sent)d of %(num)d channel(s).",
            len(outcomes),
            month=f"{first:%Y-%m}",
            sent=sent,
        )
    )


COMMANDS = [announce_month_command]

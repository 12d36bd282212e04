"""`planner export-calendars`: the static feed export (thin wrapper over feeds.export)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.db import session_scope, utcnow
from planner.feeds import operations
from planner.feeds.export import export_calendars
from planner.i18n import _, ngettext
from planner.jobs.progress import CliProgress


@click.command("export-calendars")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write to (default: CALENDAR_EXPORT_DIR or ./calendars).",
)
@with_appcontext
def export_calendars_command(out: Path | None) -> None:
    """Write every working feed to <out>/<token>/<name>.ics for a static web server."""
    app = current_app
    target = out or Path(app.config.get("CALENDAR_EXPORT_DIR") or "calendars")
    progress = CliProgress()
    with session_scope(app) as session:
        settings = operations.feed_settings(
            session, app.config["BASE_URL"], app.config["UID_DOMAIN"]
        )
        done = export_calendars(
            session, settings, app.config["SECRET_KEY"], target, utcnow(), progress=progress
        )
    progress.close()
    # The file names hold secret tokens: say how many, not which.
    click.echo(
        ngettext(
            "Wrote %(num)d calendar feed to %(path)s",
            "Wrote %(num)d calendar feeds to %(path)s",
            len(done.files),
            path=f"{target}/<token>/<name>.ics",
        )
    )
    checked = (
        _("event pieces unchanged since the last check")
        if done.pieces is None
        else _("%(n)d event piece(s) re-rendered", n=done.pieces)
    )
    click.echo(
        _(
            "%(written)d file(s) changed, %(checked)d re-checked and unchanged, "
            "%(skipped)d skipped (nothing changed); %(pieces)s.",
            written=done.written,
            checked=done.checked,
            skipped=done.skipped,
            pieces=checked,
        )
    )


COMMANDS = [export_calendars_command]

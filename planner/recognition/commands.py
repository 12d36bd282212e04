"""CLI: `planner import-praise FILE` and `planner import-scorecards FILE --as EMAIL`."""

from __future__ import annotations

from typing import BinaryIO

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from planner.db import session_scope, utcnow
from planner.errors import PlannerError
from planner.i18n import _, ngettext
from planner.jobs.progress import CliProgress
from planner.models import Person
from planner.recognition import clock, praise, scorecards
from planner.recognition.praise_csv import ImportFailed


def _fail(exc: PlannerError) -> click.ClickException:
    """A CLI error listing every bad line."""
    lines = exc.lines() if isinstance(exc, ImportFailed) else []
    return click.ClickException("\n".join([str(exc), *lines]))


@click.command("import-praise")
@click.argument("file", type=click.File("rb"))
@with_appcontext
def import_praise_command(file: BinaryIO) -> None:
    """Import customer praise from a CSV (email,received_on,channel,quote[,customer_name])."""
    progress = CliProgress()
    try:
        with session_scope(current_app) as session:
            result = praise.import_praise(
                session, file.read(), logged_by_id=None, today=clock.today(session),
                now=utcnow(), progress=progress,
            )  # fmt: skip
    except PlannerError as exc:
        progress.close()
        raise _fail(exc) from exc
    progress.close()
    click.echo(
        _(
            "Imported %(created)d praise; %(there)d were already there.",
            created=result.created,
            there=result.already_there,
        )
    )
    if result.without_leader:
        names = ", ".join(sorted(set(result.without_leader)))
        click.echo(_("No leader to reach out to (no manager): %(names)s.", names=names))


@click.command("import-scorecards")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "actor_email", required=True, help="E-mail of the coordinator entering.")
@with_appcontext
def import_scorecards_command(file: BinaryIO, actor_email: str) -> None:
    """Import scorecard numbers from a CSV (team,month,metric,value)."""
    try:
        with session_scope(current_app) as session:
            actor = session.scalar(select(Person).where(Person.email == actor_email.lower()))
            if actor is None:
                raise PlannerError(f"No person has the e-mail {actor_email}.")
            count = scorecards.import_metrics(session, file.read(), actor, clock.today(session))
    except PlannerError as exc:
        raise _fail(exc) from exc
    click.echo(ngettext("Imported %(num)d number(s).", "Imported %(num)d number(s).", count))


COMMANDS = [import_praise_command, import_scorecards_command]

"""CLI: `planner import-lexicon FILE --as EMAIL` and `planner export-lexicon`."""

from __future__ import annotations

from typing import BinaryIO

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from planner.db import session_scope, utcnow
from planner.errors import PlannerError
from planner.i18n import _
from planner.models import Person
from planner.recognition.praise_csv import ImportFailed
from planner.standards import operations


@click.command("import-lexicon")
@click.argument("file", type=click.File("rb"))
@click.option("--as", "actor_email", required=True, help="E-mail of the coordinator importing.")
@with_appcontext
def import_lexicon_command(file: BinaryIO, actor_email: str) -> None:
    """Import phrases (language,avoid,use_instead[,situations][,why][,example]), all or nothing."""
    try:
        with session_scope(current_app) as session:
            actor = session.scalar(select(Person).where(Person.email == actor_email.lower()))
            if actor is None or actor.role not in operations.ORGANISERS:
                raise PlannerError(f"No coordinator or admin has the e-mail {actor_email}.")
            done = operations.import_lexicon(session, file.read(), actor, utcnow())
    except PlannerError as exc:
        lines = exc.lines() if isinstance(exc, ImportFailed) else []
        raise click.ClickException("\n".join([str(exc), *lines])) from exc
    click.echo(
        _(
            "Imported: %(added)d added, %(updated)d updated, %(unchanged)d unchanged.",
            added=done.created,
            updated=done.updated,
            unchanged=done.unchanged,
        )
    )


@click.command("export-lexicon")
@with_appcontext
def export_lexicon_command() -> None:
    """Print the approved lexicon as CSV (re-imports unchanged)."""
    with session_scope(current_app) as session:
        click.echo(operations.export_lexicon(session), nl=False)


COMMANDS = [import_lexicon_command, export_lexicon_command]

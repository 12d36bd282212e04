"""CLI of the org area: `planner import-people`, `planner export-people`, `planner org`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.db import session_scope
from planner.errors import PlannerError
from planner.i18n import _, ngettext
from planner.i18n.formatting import weekday_name
from planner.jobs.progress import CliProgress
from planner.org.calendar import get_organisation
from planner.org.people_io import ImportRejected, export_people, import_people
from planner.org.settings import WEEKDAYS, Settings, update_settings

DAY_CODES = {day[:3].lower(): str(i) for i, day in enumerate(WEEKDAYS)}


@click.command("import-people")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_people_command(file: Path) -> None:
    """Create or update people from a CSV file (name,email,role,team,manager_email)."""
    progress = CliProgress()
    try:
        with session_scope(current_app) as session:
            result = import_people(session, file.read_bytes(), actor=None, progress=progress)
    except ImportRejected as exc:
        progress.close()
        for error in exc.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(str(exc)) from exc
    progress.close()
    click.echo(result.summary())


@click.command("export-people")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
@with_appcontext
def export_people_command(out: Path | None) -> None:
    """Write everyone as CSV, in the format import-people reads."""
    with session_scope(current_app) as session:
        text = export_people(session)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8", newline="")
        count = text.count(chr(10)) - 1
        click.echo(
            ngettext("Wrote %(num)d person to %(path)s.", "Wrote %(num)d people to %(path)s.",
                     count, path=str(out)),
            err=True,
        )  # fmt: skip


def _working_days(text: str) -> str:
    """ "mon,tue,wed,thu,fri" -> "01234"."""
    codes = [c.strip().lower()[:3] for c in text.split(",") if c.strip()]
    unknown = [c for c in codes if c not in DAY_CODES]
    if unknown or not codes:
        raise click.BadParameter(_("use day names like mon,tue,wed,thu,fri"))
    return "".join(sorted({DAY_CODES[c] for c in codes}))


@click.command("org")
@click.option("--name", help="The organisation's name.")
@click.option("--time-zone", help="IANA time zone, e.g. Europe/Amsterdam.")
@click.option("--country", help="ISO country code for public holidays, e.g. NL ('' for none).")
@click.option("--subdivision", help="Region code for public holidays, e.g. BY.")
@click.option("--locale", help="Language tag, e.g. nl-NL.")
@click.option("--working-days", help="Comma-separated, e.g. mon,tue,wed,thu,fri.")
@with_appcontext
def org_command(
    name: str | None,
    time_zone: str | None,
    country: str | None,
    subdivision: str | None,
    locale: str | None,
    working_days: str | None,
) -> None:
    """Show or change the organisation's settings (options left out stay as they are)."""
    days = _working_days(working_days) if working_days is not None else None
    try:
        with session_scope(current_app) as session:
            org = get_organisation(session)
            if any(v is not None for v in (name, time_zone, country, subdivision, locale, days)):
                new_country = org.country if country is None else country
                values = Settings(
                    name=org.name if name is None else name,
                    time_zone=org.time_zone if time_zone is None else time_zone,
                    country=new_country,
                    # A new country makes the old region meaningless unless one is given.
                    subdivision=subdivision
                    if subdivision is not None
                    else (org.subdivision if country is None else ""),
                    locale=org.locale if locale is None else locale,
                    working_days=org.working_days if days is None else days,
                )
                update_settings(session, values, actor=None)
            day_names = ", ".join(weekday_name(int(c)) for c in org.working_days)
            country = org.country or "-"
            if org.subdivision:
                country += f" ({org.subdivision})"
            click.echo(
                _(
                    "%(name)s: time zone %(zone)s, country %(country)s, locale %(locale)s, "
                    "working days %(days)s.",
                    name=org.name,
                    zone=org.time_zone,
                    country=country,
                    locale=org.locale,
                    days=day_names,
                )
            )
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc


COMMANDS = [import_people_command, export_people_command, org_command]

"""CLI of the csweek area: `planner service-week` shows a year's week; `--create` plans it."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.cli import YEAR
from planner.csweek import library, operations
from planner.db import session_scope, utcnow
from planner.errors import PlannerError
from planner.i18n import _, ngettext


@click.command("service-week")
@click.argument("year", type=YEAR, required=False)
@click.option("--create", is_flag=True, help="Create the year's plan (default dates).")
@click.option("--copy-from", type=YEAR, help="With --create: copy this year's activities.")
@with_appcontext
def service_week_command(year: int | None, create: bool, copy_from: int | None) -> None:
    """Show the dates of Customer Service Week (the stored plan's, else the default)."""
    year = year or date.today().year
    try:
        with session_scope(current_app) as session:
            if create:
                library.ensure_library(session)
                operations.create_plan(
                    session, year=year, created_by_id=None, now=utcnow(), copy_from_year=copy_from
                )
            monday, friday = operations.week_bounds(session, year)
            plans = {p.year: p for p in operations.list_plans(session)}
            count = len(plans[year].activities) if year in plans else None
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc
    state = (
        ngettext("planned, %(num)d activity", "planned, %(num)d activities", count)
        if count is not None
        else _("not planned yet")
    )
    click.echo(
        _(
            "Customer Service Week %(year)s: %(first)s – %(last)s (%(state)s)",
            year=year,
            first=f"{monday:%a %d %b}",
            last=f"{friday:%a %d %b %Y}",
            state=state,
        )
    )


COMMANDS = [service_week_command]

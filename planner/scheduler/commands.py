"""CLI of the year plan: `planner plan --year 2026 [--publish]`."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from planner.cli import YEAR
from planner.db import session_scope, utcnow
from planner.scheduler import operations, planning, publishing
from planner.scheduler.summary import summary_lines, violations


@click.command("plan")
@click.option("--year", type=YEAR, help="Plan year (after that year's Customer Service Week).")
@click.option("--publish", is_flag=True, help="Apply the plan to the calendar.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Plan as of this day.")
@with_appcontext
def plan_command(year: int | None, publish: bool, today: object) -> None:
    """Plan the weeks between two Customer Service Weeks and print a summary."""
    with session_scope(current_app) as session:
        day: date = today.date() if today is not None else operations.local_today(session)  # type: ignore[attr-defined]
        year = year or planning.running_plan_year(session, day)
        plan = planning.compute_plan(session, year, day)
        for line in summary_lines(plan):
            click.echo(line)
        found = violations(plan)
        if publish and not found and planning.any_planned(plan):
            done = publishing.apply_plan(session, plan, utcnow())
            click.echo(
                f"Published: {done.created} added, {done.moved} moved, "
                f"{done.cancelled} cancelled, {done.kept} unchanged."
            )
    if found:
        raise SystemExit(1)


COMMANDS = [plan_command]

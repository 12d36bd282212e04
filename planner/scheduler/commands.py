"""CLI of the year plan: `planner plan --year 2026 [--publish]`, `planner cadences seed|list`."""

from __future__ import annotations

from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from planner.cli import YEAR
from planner.db import session_scope, utcnow
from planner.i18n import _, ngettext
from planner.i18n.content import shown
from planner.jobs.progress import CliProgress
from planner.models import Cadence
from planner.scheduler import cadences, operations, planning, previews, publishing
from planner.scheduler.summary import summary_lines, violations


@click.command("plan")
@click.option("--year", type=YEAR, help="Plan year (after that year's Customer Service Week).")
@click.option("--publish", is_flag=True, help="Apply the plan to the calendar.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Plan as of this day.")
@click.option("--verbose", is_flag=True, help="Add slot keys and list every line.")
@with_appcontext
def plan_command(year: int | None, publish: bool, today: object, verbose: bool) -> None:
    """Plan the weeks between two Customer Service Weeks and print a summary."""
    with session_scope(current_app) as session:
        if not session.scalar(select(func.count(Cadence.id))):
            added = cadences.seed_cadences(session)
            click.echo(
                _(
                    "There were no cadences: the %(added)d default cadences were added "
                    "(see `planner cadences list`; edit them on the Cadences page).",
                    added=added,
                )
            )
        day: date = today.date() if today is not None else operations.local_today(session)  # type: ignore[attr-defined]
        year = year or planning.running_plan_year(session, day)
        progress = CliProgress()
        if publish:
            progress(0, 0, _("Computing the plan"))
        plan = planning.compute_plan(
            session, year, day, reuse=previews.reuse_stored(session, year)
        )  # a stored preview of the same inputs spares the engine
        for line in summary_lines(plan, verbose=verbose):
            click.echo(line)
        found = violations(plan)
        if publish and not found and planning.any_planned(plan):
            done = publishing.apply_plan(session, plan, utcnow(), progress=progress)
            progress.close()
            click.echo(
                _(
                    "Published: %(added)d added, %(moved)d moved, %(cancelled)d cancelled, "
                    "%(kept)d unchanged.",
                    added=done.created,
                    moved=done.moved,
                    cancelled=done.cancelled,
                    kept=done.kept,
                )
            )
    if found:
        raise SystemExit(1)


@click.group("cadences")
def cadences_group() -> None:
    """The year plan's cadences: what recurs, how often, for whom."""


@cadences_group.command("seed")
@with_appcontext
def seed_command() -> None:
    """Add the default cadences from the library (nothing twice)."""
    with session_scope(current_app) as session:
        added = cadences.seed_cadences(session)
        active = session.scalar(select(func.count(Cadence.id)).where(Cadence.active.is_(True)))
    click.echo(_("%(added)d cadences added; %(active)d active in all.", added=added, active=active))


@cadences_group.command("list")
@click.option("--verbose", is_flag=True, help="Add each cadence's id.")
@with_appcontext
def list_command(verbose: bool) -> None:
    """Print every cadence: on or off, spacing, length and who takes part."""
    with session_scope(current_app) as session:
        rows = cadences.list_cadences(session)
        if not rows:
            click.echo(_("No cadences yet: run `planner cadences seed`."))
        on, off = _("on"), _("off")
        width = max(len(on), len(off))
        for c in rows:
            length = (
                _("%(minutes)d min", minutes=c.duration_minutes)
                if c.duration_minutes
                else _("all day")
            )
            line = _(
                "%(title)s: every %(min)d-%(max)d weeks, %(length)s, %(start)s-%(end)s; %(who)s",
                title=shown(c.title), min=c.min_gap_weeks, max=c.max_gap_weeks, length=length,
                start=f"{c.window_start:%H:%M}", end=f"{c.window_end:%H:%M}",
                who=str(c.expansion_label).lower(),
            )  # fmt: skip
            if c.teams_per_meeting > 1:
                per = c.teams_per_meeting
                line += ngettext(", up to %(num)d team a meeting",
                                 ", up to %(num)d teams a meeting", per)  # fmt: skip
            if verbose:
                line += f" [id {c.id}]"
            click.echo(f"{(on if c.active else off).ljust(width)}  {line}")


COMMANDS = [plan_command, cadences_group]

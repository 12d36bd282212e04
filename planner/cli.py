"""Thin click commands over operations: `planner <command>` or `flask --app planner <command>`."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from planner.db import session_scope
from planner.errors import PlannerError


def _app() -> Flask:
    """The current app (for commands running in Flask's app context)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database schema to the newest migration."""
    from planner.migrations import upgrade

    upgrade(_app().config["DATABASE_URL"])
    click.echo("Database is up to date.")


@click.command("create-admin")
@click.option("--name", default="Administrator", show_default=True)
@click.option("--email", required=True)
@click.password_option(help="At least 8 characters; asked for when left out.")
@with_appcontext
def create_admin_command(name: str, email: str, password: str) -> None:
    """Create an administrator (or promote an existing person) with a password."""
    from planner.auth.operations import create_admin

    try:
        with session_scope(_app()) as session:
            person = create_admin(session, name=name, email=email, password=password)
            click.echo(f"Administrator {person.email} is ready.")
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Load (or refresh) the demo organisation; safe to run again."""
    from planner.demo import load_demo

    with session_scope(_app()) as session:
        for line in load_demo(session):
            click.echo(line)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--workers", default=2, show_default=True, type=int, help="Gunicorn worker processes."
)
@click.option("--threads", default=4, show_default=True, type=int, help="Threads per worker.")
@with_appcontext
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """Run the production server (gunicorn) with the app from this environment."""
    from planner.feeds.baseurl import serve_warnings

    for line in serve_warnings(_app().config["BASE_URL"], port):
        click.echo(f"Warning: {line}", err=True)
    args = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--access-logfile", "-",
        "--logger-class", "planner.gunicorn_logging.RedactingLogger",
        "planner.wsgi:app",
    ]  # fmt: skip
    os.execv(sys.executable, args)


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def up_command(host: str, port: int) -> None:
    """Set up the database, load the demo organisation and run the app (the Quick start)."""
    from werkzeug.serving import run_simple

    from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD

    app = _app()
    init_command.callback()  # type: ignore[misc]
    demo_command.callback()  # type: ignore[misc]
    click.echo("")
    click.echo(f"Service Week Planner is running at http://{host}:{port}/")
    click.echo(f"Sign in as {DEMO_COORDINATOR} with password {DEMO_PASSWORD}")
    click.echo("Press Ctrl+C to stop. For production use `planner serve` (gunicorn).")
    run_simple(host, port, app, threaded=True, use_reloader=False)


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(out: str) -> None:
    """Write a consistent backup of the database (SQLite VACUUM INTO, PostgreSQL pg_dump -Fc)."""
    from pathlib import Path

    from planner.backup import backup_database

    try:
        written = backup_database(_app().config["DATABASE_URL"], Path(out))
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {written}")


COMMANDS = [
    backup_command,
    init_command,
    create_admin_command,
    demo_command,
    serve_command,
    up_command,
]


def register(app: Flask) -> None:
    """Attach every command to the app's CLI group."""
    from planner import area_cli

    for command in [*COMMANDS, *area_cli.commands()]:
        app.cli.add_command(command)


def main() -> None:
    """Entry point of the `planner` console script."""
    from planner import create_app

    FlaskGroup(create_app=lambda: create_app(), help="Service Week Planner").main()

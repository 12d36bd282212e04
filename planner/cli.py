"""Thin click commands over operations: `planner <command>` or `flask --app planner <command>`."""

from __future__ import annotations

import os
import secrets
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, NoAppException, with_appcontext

from planner.db import session_scope
from planner.errors import PlannerError
from planner.i18n import _, ngettext

GROUP_HELP = "Service Week Planner"  # `planner --help`; translated by planner.i18n.cli_help
PORT = click.IntRange(1, 65535)
# Years the app plans for; anything else is a typo (and 0 or 99999 would break date()).
YEAR = click.IntRange(2000, 2200)
# FlaskGroup's own options that take a value (skipped when finding the command's name).
GROUP_OPTIONS_WITH_VALUE = frozenset({"--app", "-A", "--env-file", "-e"})


def _app() -> Flask:
    """The current app (for commands running in Flask's app context)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]


def follow_port(app: Flask, host: str, port: int, scheme: str = "http") -> bool:
    """Links (invitations, receipts, feed URLs) name the server this command starts when
    BASE_URL is not configured: `planner up --port 8080` links to :8080, not to the default
    :5000. A configured BASE_URL (PLANNER_BASE_URL or instance/config.py) wins. Returns whether
    BASE_URL was changed."""
    from planner.feeds.baseurl import server_base_url

    if app.config.get("BASE_URL_EXPLICIT"):
        return False
    app.config["BASE_URL"] = server_base_url(host, port, scheme)
    return True


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database schema to the newest migration."""
    from planner.migrations import upgrade

    upgrade(_app().config["DATABASE_URL"])
    click.echo(_("Database is up to date."))


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
            click.echo(_("Administrator %(email)s is ready.", email=person.email))
    except PlannerError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("reset-link")
@click.option("--email", required=True, help="The account's sign-in e-mail.")
@with_appcontext
def reset_link_command(email: str) -> None:
    """Print a one-time password-reset link (for installations without SMTP)."""
    from planner.auth.reset import request_reset
    from planner.db import utcnow

    app = _app()
    minutes = app.config["PASSWORD_RESET_MINUTES"]
    with session_scope(app) as session:
        found = request_reset(session, email, now=utcnow(), valid_minutes=minutes, force=True)
        if found is None:
            raise click.ClickException(
                _("No active account with a password has the e-mail %(email)s.", email=email)
            )
        person, token = found
    base = app.config["BASE_URL"].rstrip("/")
    click.echo(
        ngettext(
            "Reset link for %(email)s (works once, for %(num)d minute):",
            "Reset link for %(email)s (works once, for %(num)d minutes):",
            minutes,
            email=person.email,
        )
    )
    click.echo(f"{base}/reset/{token}")


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
@click.option("--port", default=8000, show_default=True, type=PORT)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Gunicorn worker processes.",
)
@click.option(
    "--threads", default=4, show_default=True, type=click.IntRange(1, 256), help="Per worker."
)
@with_appcontext
def serve_command(host: str, port: int, workers: int, threads: int) -> None:
    """Run the production server (gunicorn) with the app from this environment."""
    from planner.feeds.baseurl import serve_warnings
    from planner.secret_key import ADVICE, key_problem

    # Whatever PLANNER_ENV says: a server others can reach never signs with a weak key.
    if problem := key_problem(_app().config.get("SECRET_KEY")):
        raise click.ClickException(f"Refusing to serve: {problem}. {ADVICE}")
    if follow_port(_app(), host, port):
        # gunicorn's workers read the configuration afresh: hand them the same address.
        os.environ["PLANNER_BASE_URL"] = _app().config["BASE_URL"]
    for line in serve_warnings(_app().config["BASE_URL"], port):
        click.echo(_("Warning: %(line)s", line=line), err=True)
    args = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{host}:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        # SO_REUSEPORT: a restart binds at once even while workers of a killed master linger.
        "--reuse-port",
        "--access-logfile", "-",
        "--logger-class", "planner.gunicorn_logging.RedactingLogger",
        "planner.wsgi:app",
    ]  # fmt: skip
    os.execv(sys.executable, args)


@click.command("up")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=PORT)
@with_appcontext
def up_command(host: str, port: int) -> None:
    """Set up the database, load the demo organisation and run the app (the Quick start)."""
    from werkzeug.serving import run_simple

    from planner.demo import DEMO_COORDINATOR, DEMO_PASSWORD
    from planner.jobs.commands import consumer_beside

    app = _app()
    follow_port(app, host, port)  # this process serves the pages and runs the jobs beside them
    init_command.callback()  # type: ignore[misc]
    demo_command.callback()  # type: ignore[misc]
    click.echo("")
    click.echo(_("Service Week Planner is running at %(url)s", url=f"http://{host}:{port}/"))
    click.echo(
        _("Sign in as %(email)s with password %(password)s", email=DEMO_COORDINATOR,
          password=DEMO_PASSWORD)
    )  # fmt: skip
    click.echo(_("Press Ctrl+C to stop. For production use `planner serve` (gunicorn)."))
    # A job worker runs beside the web server (threads of this process) and stops with it.
    with consumer_beside(app):
        click.echo(_("A background-job worker runs beside it (production: `planner worker`)."))
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
    click.echo(_("Backup written to %(path)s", path=written))


def run_command() -> click.Command:
    """Flask's own `run` (the development server), whose links follow its --host and --port
    when BASE_URL is not configured (the reloader's child process runs this again)."""
    import copy

    from flask.cli import ScriptInfo
    from flask.cli import run_command as flask_run

    serve = flask_run.callback
    assert serve is not None

    @click.pass_context
    def callback(ctx: click.Context, **options: Any) -> Any:
        app = ctx.ensure_object(ScriptInfo).load_app()
        scheme = "https" if options.get("cert") else "http"
        follow_port(app, options["host"], options["port"], scheme)
        return ctx.invoke(serve, **options)

    command = copy.copy(flask_run)
    command.callback = callback
    return command


COMMANDS = [
    backup_command,
    init_command,
    create_admin_command,
    reset_link_command,
    demo_command,
    serve_command,
    up_command,
]


def register(app: Flask) -> None:
    """Attach every command to the app's CLI group."""
    from planner import area_cli
    from planner.i18n import cli_help

    for command in [*COMMANDS, *area_cli.commands()]:
        cli_help.translate_help(command)  # help in the terminal's language
        app.cli.add_command(command)


def command_name(argv: list[str]) -> str | None:
    """PURE: the sub-command named on a `planner` command line, if any."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in GROUP_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `planner` console script: errors end in a message, not a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    from planner import create_app
    from planner.config import ConfigError

    args = sys.argv[1:] if argv is None else argv
    command = command_name(args)

    def factory() -> Flask:
        # First run: init and up write a random secret key into instance/; up is the local
        # Quick start, so it runs in development mode unless PLANNER_ENV says otherwise.
        try:
            return create_app(
                generate_secret_key=command in {"init", "up"} and "--help" not in args,
                default_env="development" if command == "up" else "production",
            )
        except ConfigError as exc:
            if command is not None and "--help" not in args:
                raise
            # Help needs no secret (nothing is signed): list the commands with a throwaway key,
            # the advice above them. Another configuration error shows above Flask's own help.
            click.echo(f"Note: {exc}\n", err=True)
            try:
                throwaway = {"SECRET_KEY": secrets.token_urlsafe(48)}
                return create_app(throwaway, default_env="development")
            except ConfigError as again:
                raise NoAppException(str(again)) from again

    from planner.i18n import cli_help

    group = FlaskGroup(create_app=factory, help=GROUP_HELP)
    group.add_command(run_command(), "run")  # in place of Flask's own
    cli_help.install()  # click's own words ("Usage:", "Options") in the terminal's language
    cli_help.translate_help(group)
    try:
        group.main(args=args, prog_name="planner")
    except (ConfigError, PlannerError) as exc:
        click.echo(_("Error: %(message)s", message=str(exc)), err=True)
        sys.exit(2)
    except SQLAlchemyError as exc:
        first_line = str(getattr(exc, "orig", None) or exc).strip().splitlines()[:1]
        click.echo(
            _(
                "Error: the database cannot be used (%(problem)s). Is it running, and has "
                "`planner init` been run?",
                problem=f"{type(exc).__name__}: {' '.join(first_line)[:300]}",
            ),
            err=True,
        )
        sys.exit(1)
    except OSError as exc:
        problem = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        click.echo(_("Error: %(message)s", message=problem), err=True)
        sys.exit(1)

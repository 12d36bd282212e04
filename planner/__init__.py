"""Service Week Planner: the application factory, a table of contents of the app."""

from __future__ import annotations

import os
from importlib import import_module
from pathlib import Path
from typing import Any

from flask import Flask

__version__ = "0.1.0"

HERE = Path(__file__).resolve().parent
# A wheel ships templates/ and static/ inside the package; a source checkout has them beside it.
TEMPLATES = HERE / "_templates" if (HERE / "_templates").is_dir() else HERE.parent / "templates"
STATIC = HERE / "_static" if (HERE / "_static").is_dir() else HERE.parent / "static"

AREAS = (
    "auth",
    "i18n",
    "dashboard",
    "org",
    "csweek",
    "scheduler",
    "feeds",
    "feedback",
    "recognition",
    "meetings",
    "standards",
    "jobs",
    "people",
    "api",
)


def freeze_start_up() -> None:
    """Put what start-up built (modules, SQLAlchemy's mappers and caches, ...: ~170,000 objects
    that live as long as the process) out of the garbage collector's full passes: one took
    ~80 ms per page now and then at 10,000 people (a p95 of every page), ~2 ms after this. For
    a long-running server process (planner/wsgi.py), after create_app(); not in tests, which
    make many apps (frozen objects are never freed)."""
    import gc

    gc.collect()
    gc.freeze()


def _instance_path() -> str | None:
    """PLANNER_INSTANCE_PATH (made absolute), else Flask's default instance folder."""
    chosen = os.environ.get("PLANNER_INSTANCE_PATH")
    return os.path.abspath(chosen) if chosen else None


def create_app(
    test_config: dict[str, Any] | None = None,
    *,
    generate_secret_key: bool = False,
    default_env: str = "production",
) -> Flask:
    """Build the app: configuration, extensions, blueprints, error handlers, CLI.

    `generate_secret_key` (planner init/up) writes a random key into instance/ on first run;
    `default_env` is the mode when PLANNER_ENV is unset (production, except for `planner up`).
    """
    from planner import cli, config, db, i18n, web
    from planner.auth import sessions
    from planner.extensions import csrf
    from planner.jobs import queue as jobs_queue

    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(TEMPLATES),
        static_folder=str(STATIC),
        static_url_path="/static",
        instance_path=_instance_path(),
    )
    config.load(app, test_config, generate_secret_key=generate_secret_key, default_env=default_env)
    web.register_converters(app)

    db.init_app(app)
    sessions.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    jobs_queue.init_app(app)

    for area in AREAS:
        module = import_module(f"planner.{area}.views")
        app.register_blueprint(module.bp)
    app.register_blueprint(import_module("planner.health").bp)

    import_module("planner.feeds.conditional").install(app)
    web.trust_proxies(app)
    web.add_security_headers(app)
    web.register_error_handlers(app)
    web.configure_logging(app)
    web.install_log_redaction()
    web.register_template_helpers(app)
    cli.register(app)
    return app

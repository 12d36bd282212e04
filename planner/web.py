"""Cross-cutting HTTP behaviour: security headers, error pages, the 503 for a database outage,
and redaction of secret tokens from logs."""

from __future__ import annotations

import logging
import re
from contextlib import suppress
from datetime import timedelta
from typing import Any

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from planner.i18n import lazy_gettext as _l
from planner.models.events import PRACTICES

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none';"
    " form-action 'self'"
)
# Path segments that carry a secret: feed tokens, anonymous-feedback receipts, invites.
SECRET_PATH = re.compile(r"/(calendars|receipt|invite|reset|unsubscribe)/[^/\s?\"]+")


# Every id column is a 32-bit INTEGER on PostgreSQL; a larger number can match no row.
MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` with an upper bound: /feedback/99999999999999999999 is a 404, not an
    OverflowError (SQLite) or an out-of-range error (PostgreSQL)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    """Replace the `int` URL converter for the whole app (before any route is added)."""
    app.url_map.converters["int"] = BoundedIntConverter


def redact(text: str) -> str:
    """Replace secret tokens in a URL path or log line with [redacted]."""
    return SECRET_PATH.sub(lambda m: f"/{m.group(1)}/[redacted]", text)


class RedactSecrets(logging.Filter):
    """A logging filter that keeps feed, receipt and invite tokens out of every log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message and arguments with tokens redacted."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if record.args:
            if isinstance(record.args, tuple):
                record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
            elif isinstance(record.args, dict):
                record.args = {
                    k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
                }
        return True


def install_log_redaction() -> None:
    """Attach the redaction filter to the loggers that print request lines."""
    for name in ("", "werkzeug", "gunicorn.access", "gunicorn.error", "planner"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
        for handler in logger.handlers:
            if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                handler.addFilter(RedactSecrets())


def add_security_headers(app: Flask) -> None:
    """Send the security headers of SECURITY.md item 27 on every response."""
    production = app.config.get("ENV") == "production"

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if production:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.path.startswith(("/calendars/", "/invite/", "/reset/")) or (
            "/receipt/" in request.path
        ):
            response.headers["Referrer-Policy"] = "no-referrer"
        return response


def register_error_handlers(app: Flask) -> None:
    """Plain error pages for every HTTP error, CSRF failure and database outage."""

    from planner.api.problems import is_api_path, problem_for

    def _page(code: int, **context: Any) -> Any:
        """The error page; if building it needs the database and that is down, the 503."""
        if is_api_path(request.path):  # the JSON API answers RFC 9457 problem details
            return problem_for(code, context.get("error"))
        try:
            return render_template("errors/error.html", code=code, **context), code
        except (OperationalError, InterfaceError) as exc:
            return _database_down(exc)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Any:
        return _page(error.code or 500, error=error)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> Any:
        routing = request.routing_exception
        if is_api_path(request.path) and isinstance(routing, HTTPException):
            return _http_error(routing)  # /api/v1 is CSRF-exempt: this URL does not exist
        message = "The form expired or was sent from elsewhere. Go back, reload and try again."
        return _page(400, error=error, message=message)

    # Only a database that cannot be reached or is busy is "try again in a minute"; a programming
    # error (IntegrityError, ProgrammingError, DataError, ...) is a 500 with its traceback logged.
    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def _database_down(error: Exception) -> Any:
        if not database_unavailable(error):
            return _unexpected(error)  # SQLite says OperationalError for "no such column" too
        busy = database_busy(error)
        app.logger.error("database %s: %s", "busy" if busy else "unavailable", _first_line(error))
        _forget_database_state()
        if is_api_path(request.path):
            return problem_for(503, None)
        message = (
            _l("The app is very busy right now. Please try again in a minute.")
            if busy
            else _l("The database is not reachable right now. Please try again in a minute.")
        )
        body = render_template("errors/error.html", code=503, error=None, message=message)
        return body, 503, {"Retry-After": "60"}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        if isinstance(error, HTTPException):
            return _http_error(error)
        app.logger.exception("unhandled error on %s", redact(request.path))
        if isinstance(error, SQLAlchemyError):
            _forget_database_state()  # the session is unusable; the error page needs none
        return _page(500, error=None)


# SQLite's lock timeout, PostgreSQL's lock_not_available, deadlock_detected, query_canceled.
_BUSY_SQLSTATES = frozenset({"55P03", "40P01", "57014"})


def database_busy(error: BaseException) -> bool:
    """Whether a database error means "busy" (a lock waited too long) rather than "down"."""
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return "database is locked" in str(orig or error)


_SQLITE_DOWN = (
    "unable to open",
    "disk i/o error",
    "attempt to write a readonly",
    "database or disk",
)


def database_unavailable(error: BaseException) -> bool:
    """Whether a database error means it cannot serve now (down, full, busy), not a bug."""
    if database_busy(error) or isinstance(error, InterfaceError):
        return True
    if getattr(error, "connection_invalidated", False):
        return True
    orig = getattr(error, "orig", None)
    if type(orig).__module__.startswith("sqlite3"):
        return str(orig).lower().startswith(_SQLITE_DOWN)
    sqlstate = getattr(orig, "sqlstate", None)
    # PostgreSQL: no code (no connection), connection exception, insufficient resources, shutdown.
    return sqlstate is None or sqlstate[:2] in ("08", "53", "57")


def _first_line(error: BaseException) -> str:
    """The first line of a database error (statements are logged without their values)."""
    text = str(getattr(error, "orig", None) or error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"[:300]


def _forget_database_state() -> None:
    """Render an error page without the database: drop the broken session and treat the
    visitor as signed out, so the page does not try to load the person again."""
    from flask import g
    from flask_login import AnonymousUserMixin

    session = g.pop("db_session", None)
    if session is not None:
        with suppress(SQLAlchemyError):
            session.close()
    g._login_user = AnonymousUserMixin()


def trust_proxies(app: Flask) -> None:
    """Behind PLANNER_TRUSTED_PROXIES reverse proxies, take the client's address and scheme from
    their X-Forwarded-* headers (Werkzeug's ProxyFix); with 0 (the default) ignore them, so a
    client cannot choose its own address for the sign-in throttle."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0
        )


def configure_logging(app: Flask) -> None:
    """Make the planner logs visible where the server writes its own: without SMTP the
    `planner.mail` log is the outbox (INFO), also under gunicorn, which sets up no handler."""
    mail_log = logging.getLogger("planner.mail")
    if mail_log.level == logging.NOTSET:
        mail_log.setLevel(logging.INFO)
    _ = app.logger  # Flask adds its stderr handler to "planner" unless logging is configured


# (label, endpoint, roles): the navigation, filtered by role and by which endpoints exist.
NAVIGATION: tuple[tuple[Any, str, tuple[str, ...]], ...] = (
    (_l("Home"), "dashboard.home", ("admin", "coordinator", "leader", "staff")),
    (_l("Service Week"), "csweek.index", ("admin", "coordinator", "leader", "staff")),
    (_l("Year plan"), "scheduler.year", ("admin", "coordinator", "leader")),
    (_l("You said, we did"), "feedback.board", ("admin", "coordinator", "leader", "staff")),
    (_l("Recognition"), "recognition.index", ("admin", "coordinator", "leader", "staff")),
    (_l("Standards"), "standards.index", ("admin", "coordinator", "leader", "staff")),
    (_l("My calendar"), "feeds.agenda", ("admin", "coordinator", "leader", "staff")),
    (_l("Organisation"), "org.people", ("admin", "coordinator", "leader")),
    (_l("Integrations"), "api.integrations.index", ("admin", "coordinator")),
)


def register_template_helpers(app: Flask) -> None:
    """Expose navigation and formatting helpers to every template."""
    from flask_login import current_user

    @app.context_processor
    def _navigation() -> dict[str, Any]:
        def nav_items() -> list[tuple[Any, str]]:
            if not current_user.is_authenticated:
                return []
            return [
                (label, endpoint)
                for label, endpoint, roles in NAVIGATION
                if current_user.role in roles and endpoint in app.view_functions
            ]

        return {"nav_items": nav_items}

    # Globals, so imported macros see them too (the year glance's legend and week marks).
    app.jinja_env.globals.update(practice_labels=PRACTICES, timedelta=timedelta)

    app.jinja_env.filters["dict_without_none"] = lambda d: {
        k: v for k, v in d.items() if v is not None
    }

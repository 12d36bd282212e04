"""Database: declarative Base, one engine per app, one session per request, SQLite pragmas.

SQLite gets WAL, a busy timeout, foreign keys and `BEGIN IMMEDIATE` for every transaction that
may write (SECURITY.md item 18): a plain deferred BEGIN upgrades its lock mid-transaction and
loses concurrent writes to "database is locked"; IMMEDIATE queues them behind busy_timeout.
Reads (GET requests) keep a deferred BEGIN so they never wait for a writer.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, TypeDecorator, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Whether the next transaction on SQLite may write (BEGIN IMMEDIATE) or only reads (BEGIN). A
# request declares it from its method and takes it back at teardown; everything outside a request
# (CLI commands, jobs, tests, scripts) gets the writer default.
_write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)
_INTENT_TOKEN = "_write_intent_token"


@contextmanager
def writing() -> Iterator[None]:
    """Transactions begun inside start as writers (BEGIN IMMEDIATE on SQLite), whatever an
    enclosing request declared; the previous intent comes back on leaving."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


class Base(DeclarativeBase):
    """Base of every ORM class; its MetaData names constraints so Alembic can too."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass
class Database:
    """The engine and session factory of one app."""

    engine: Engine
    sessions: sessionmaker[Session]


def _configure_sqlite(engine: Engine) -> None:
    """Apply the pragmas and the BEGIN IMMEDIATE policy to every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event, not pysqlite, decide how transactions start.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        # Deleted rows (pending anonymous raises, taken-back votes) are zeroed, not left in free
        # pages where a copy of the file would still show them (SECURITY.md 17a).
        cursor.execute("PRAGMA secure_delete=ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # Case- and accent-blind search (the person picker): SQLite's lower() is ASCII-only.
        from planner.people.folding import register_sqlite

        register_sqlite(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def make_engine(url: str) -> Engine:
    """Create an engine for a database URL, with SQLite configured for concurrent use."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: a failed statement's values (e.g. an anonymous raise) never reach logs.
    kwargs: dict[str, Any] = {"pool_pre_ping": True, "hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 10}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def init_app(app: Flask) -> None:
    """Bind a Database to the app and close each request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["planner_db"] = Database(
        engine, sessionmaker(bind=engine, expire_on_commit=False)
    )

    @app.before_request
    def _declare_write_intent() -> None:
        from flask import request

        token = _write_intent.set(request.method not in {"GET", "HEAD", "OPTIONS"})
        setattr(g, _INTENT_TOKEN, token)

    @app.teardown_request
    def _take_back_write_intent(_exc: BaseException | None) -> None:
        # Without this a GET's "reader" would outlive the request in this thread: the next CLI
        # command, job or test would begin as a reader and fail to upgrade ("database is locked").
        token = g.pop(_INTENT_TOKEN, None)
        if token is None:
            return
        try:
            _write_intent.reset(token)
        except ValueError:  # torn down in another context than it began: back to the default
            _write_intent.set(True)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


def database(app: Flask | None = None) -> Database:
    """The Database of the given (or current) app."""
    return (app or current_app).extensions["planner_db"]


def get_session() -> Session:
    """The session of the current request or app context, created on first use."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


@contextmanager
def session_scope(app: Flask) -> Iterator[Session]:
    """A session for CLI commands and scripts: commits on success, rolls back on error. Its
    transactions start as writers."""
    with writing():
        session = database(app).sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC; refuses naive datetimes and returns aware ones on every backend.

    SQLite has no time zone type, so without this a value would come back naive there and aware
    on PostgreSQL (DESIGN.md rule 9: never a naive datetime).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Convert to UTC before storing; a naive value is a programming error."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return an aware UTC datetime whatever the backend gave back."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


@contextmanager
def write_session(app: Flask) -> Iterator[Session]:
    """A separate session whose transactions start as writers (BEGIN IMMEDIATE on SQLite), for the
    rare write during a GET (e.g. caching a rendered feed) without upgrading a reader's lock."""
    with writing(), database(app).sessions() as session:
        yield session

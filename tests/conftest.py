"""Fixtures: a fresh database per test (SQLite, or PostgreSQL when PLANNER_TEST_DATABASE_URL is
set), the app, a client, the CLI runner, `login_as(role)`, and a plain `session` without Flask."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import text
from sqlalchemy.orm import Session

import planner.models  # noqa: F401  (registers every table)
from planner import create_app
from planner.db import Base, database, make_engine
from tests import factories

# Commands speak the terminal's language (planner/i18n): the suite expects English whatever the
# developer's LANG says; tests of the choice itself set these variables themselves.
os.environ.setdefault("PLANNER_LANGUAGE", "en")

PG_URL = os.environ.get("PLANNER_TEST_DATABASE_URL", "")
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _schema_url(base_url: str, schema: str) -> str:
    """A PostgreSQL URL whose connections use their own schema, so parallel runs never collide."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


class _Schemas:
    """Empty databases to hand to tests, made once per test process and emptied after each test.

    Creating ~70 tables costs 0.1 s on SQLite and 0.35 s on PostgreSQL (with the drop), more than
    many tests take. SQLite: a template file made once and copied. PostgreSQL: a schema is emptied
    after its test (DELETE in foreign-key order, sequences restarted: a few milliseconds) and handed
    to the next; a schema that does not empty cleanly, or whose tables changed, is dropped.
    """

    def __init__(self) -> None:
        self.template: Path | None = None
        self.admin: Any = None
        self.clean: list[str] = []
        self.tables = [table.name for table in Base.metadata.sorted_tables]

    def sqlite(self, tmp_path: Path, factory: pytest.TempPathFactory) -> str:
        if self.template is None:
            template = factory.mktemp("schema") / "template.sqlite3"
            engine = make_engine(f"sqlite:///{template}")
            Base.metadata.create_all(engine)
            engine.dispose()
            self.template = template
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(self.template, target)
        return f"sqlite:///{target}"

    def postgresql(self) -> str:
        if self.admin is None:
            self.admin = make_engine(PG_URL)
        if self.clean:
            return self.clean.pop()
        schema = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine = make_engine(_schema_url(PG_URL, schema))
        Base.metadata.create_all(engine)
        engine.dispose()
        return schema

    def give_back(self, schema: str) -> None:
        """Empty the schema for the next test, or drop it when it is not the schema we made."""
        try:
            with self.admin.begin() as conn:
                found = conn.execute(
                    text("SELECT count(*) FROM pg_tables WHERE schemaname = :s"), {"s": schema}
                ).scalar_one()
                if found != len(self.tables):
                    raise RuntimeError(f"{schema} has {found} tables, not {len(self.tables)}")
                sequences = conn.execute(
                    text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s"),
                    {"s": schema},
                ).scalars()
                statements = [f'DELETE FROM "{schema}"."{name}"' for name in reversed(self.tables)]
                statements += [f'ALTER SEQUENCE "{schema}"."{name}" RESTART' for name in sequences]
                conn.exec_driver_sql("; ".join(statements))
        except Exception:
            self.drop(schema)
        else:
            self.clean.append(schema)

    def drop(self, schema: str) -> None:
        with self.admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))

    def close(self) -> None:
        if self.admin is not None:
            for schema in self.clean:
                self.drop(schema)
            self.admin.dispose()


@pytest.fixture(scope="session")
def _schemas() -> Iterator[_Schemas]:
    schemas = _Schemas()
    yield schemas
    schemas.close()


@pytest.fixture
def database_url(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, _schemas: _Schemas
) -> Iterator[str]:
    """An empty database with every table created, for this test alone."""
    if not PG_URL:
        yield _schemas.sqlite(tmp_path, tmp_path_factory)
        return
    schema = _schemas.postgresql()
    yield _schema_url(PG_URL, schema)
    _schemas.give_back(schema)


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    """The test configuration; tests may change it before asking for `app`."""
    return {
        "TESTING": True,
        "ENV": "testing",
        "SECRET_KEY": SECRET,
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "BASE_URL": "http://planner.test",
        "UID_DOMAIN": "planner.test",
        "CALENDAR_EXPORT_DIR": str(tmp_path / "calendars"),
    }


def _end_test_transactions(app: Flask) -> None:
    """End the open transaction of each `db` session of the app (commit, or roll back a failed
    one). A test's session is another connection, as a person's browser is: on SQLite outside a
    request it begins as a writer (BEGIN IMMEDIATE), so a read left open would make the app's
    next write wait for its lock and fail ("database is locked")."""
    for session in app.extensions.get("test_sessions", ()):
        if session.in_transaction():
            if session.is_active:
                session.commit()
            else:
                session.rollback()


class _Client(FlaskClient):
    """The test client: the test's own transaction ends before each request."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        _end_test_transactions(self.application)
        return super().open(*args, **kwargs)


class _Runner(FlaskCliRunner):
    """The CLI runner: the test's own transaction ends before each command."""

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        _end_test_transactions(self.app)
        return super().invoke(*args, **kwargs)


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    """A fresh app over a fresh database."""
    application = create_app(app_config)
    application.test_client_class = _Client
    application.test_cli_runner_class = _Runner
    application.extensions["test_sessions"] = []
    yield application
    database(application).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client (cookies kept between requests)."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """The CLI runner for `planner` commands."""
    return app.test_cli_runner()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A session on the app's database for arranging data and checking results."""
    session = database(app).sessions()
    app.extensions["test_sessions"].append(session)
    yield session
    session.close()


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A plain session without Flask, for operations tests."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as s:
        yield s
    engine.dispose()


@pytest.fixture
def login_as(client: FlaskClient, db: Session) -> Callable[..., Any]:
    """Create a person with the given role (or use one given) and sign in as them."""

    def sign_in(role: str = "staff", person: Any = None, **kwargs: Any) -> Any:
        if person is None:
            person = factories.person(db, role=role, password=factories.PASSWORD, **kwargs)
            db.commit()
        email = person.email
        # End the read (on SQLite outside a request it begins as a writer, BEGIN IMMEDIATE) so the
        # sign-in request, which writes, is not left waiting for this session's lock.
        db.commit()
        response = client.post("/sign-in", data={"email": email, "password": factories.PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return person

    return sign_in

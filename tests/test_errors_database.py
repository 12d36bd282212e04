"""Database errors on pages: unreachable or busy is a 503 "try again in a minute"; a programming
error (a broken constraint, bad SQL) is a 500 whose traceback is logged, not hidden as "down"."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from planner import create_app
from planner.db import database, get_session
from planner.web import database_busy, database_unavailable


@pytest.fixture
def app(app_config: dict[str, Any]) -> Any:
    """An app with three routes that fail the ways a database can."""
    application = create_app(app_config)

    def locked() -> str:
        raise OperationalError(
            "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
        )

    def broken_sql() -> str:
        get_session().execute(text("SELECT no_such_column FROM person"))
        return "unreachable"

    def duplicate() -> str:
        raise IntegrityError("INSERT", {}, sqlite3.IntegrityError("UNIQUE constraint failed"))

    for rule, view in (("/t/locked", locked), ("/t/sql", broken_sql), ("/t/dup", duplicate)):
        application.add_url_rule(rule, view.__name__, view)
    yield application
    database(application).engine.dispose()


def test_a_busy_database_asks_to_try_again(app: Flask, caplog: Any) -> None:
    response = app.test_client().get("/t/locked")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert b"very busy" in response.data and b"Traceback" not in response.data
    assert "database busy: OperationalError: database is locked" in caplog.text


@pytest.mark.parametrize("path", ["/t/sql", "/t/dup"])
def test_a_programming_error_is_a_500_with_its_traceback_logged(
    app: Flask, caplog: Any, path: str
) -> None:
    response = app.test_client().get(path)
    assert response.status_code == 500 and b"Traceback" not in response.data
    assert b"not reachable" not in response.data
    assert "unhandled error on " + path in caplog.text and "Traceback" in caplog.text


def test_busy_is_told_from_down() -> None:
    class PgLock(Exception):
        sqlstate = "55P03"

    assert database_busy(OperationalError("x", {}, PgLock("lock timeout")))
    cannot_open = OperationalError("x", {}, sqlite3.OperationalError("unable to open database"))
    assert not database_busy(cannot_open) and database_unavailable(cannot_open)
    no_column = OperationalError("x", {}, sqlite3.OperationalError("no such column: x"))
    assert not database_unavailable(no_column)

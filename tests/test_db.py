"""The database layer: SQLite settings (SECURITY.md item 18) and UTC-only instants."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from planner.db import (
    Base,
    _write_intent,
    database,
    get_session,
    make_engine,
    session_scope,
    write_session,
)
from planner.models import LoginAttempt, Organisation


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
    engine.dispose()


def test_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    """Threads that read then write (the pattern that deadlocks a deferred BEGIN) all succeed."""
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        _write_intent.set(True)  # what a POST request declares
        try:
            for i in range(20):
                with Session(engine) as session:
                    session.scalar(select(func.count()).select_from(LoginAttempt))  # read first
                    session.add(
                        LoginAttempt(email=f"w{n}-{i}@x.test", address="127.0.0.1", success=False)
                    )
                    session.commit()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(LoginAttempt)) == 120
    engine.dispose()
    assert errors == []


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(Organisation(id=1, name="x", updated_at=datetime(2026, 1, 1, 12, 0)))
    with pytest.raises(Exception, match="naive datetime"):
        session.flush()


def test_instants_come_back_aware_utc(session: Session) -> None:
    moment = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    session.add(Organisation(id=1, name="x", updated_at=moment))
    session.commit()
    session.expire_all()
    stored = session.get(Organisation, 1)
    assert (
        stored is not None and stored.updated_at == moment and stored.updated_at.tzinfo is not None
    )


def _holds_write_lock(database_url: str) -> bool:
    """Whether some connection holds the database's write lock (a second writer cannot begin)."""
    probe = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0)
    try:
        probe.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        probe.close()
    return False


def _sqlite_only(app: Flask) -> None:
    if database(app).engine.dialect.name != "sqlite":
        pytest.skip("BEGIN IMMEDIATE is SQLite's")


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_request_leaves_no_read_intent_behind(
    app: Flask, client: FlaskClient, database_url: str, method: str
) -> None:
    """After a GET (which reads with a deferred BEGIN) the next transaction in the same thread,
    outside any request (a CLI command, a job, a test), starts as a writer again: its first
    read already holds the write lock, so its later write cannot fail to upgrade."""
    _sqlite_only(app)
    getattr(client, method)("/sign-in")
    with database(app).sessions() as later:
        later.scalar(select(func.count()).select_from(LoginAttempt))  # read first
        assert _holds_write_lock(database_url)
        later.add(LoginAttempt(email="cli@x.test", address="127.0.0.1", success=False))
        later.commit()
    assert not _holds_write_lock(database_url)


def test_a_get_request_still_reads_without_the_write_lock(
    app: Flask, client: FlaskClient, database_url: str
) -> None:
    """Inside a GET the session begins deferred: a reader never waits for (or blocks) a writer."""
    _sqlite_only(app)
    seen: list[bool] = []

    @app.get("/_probe")
    def _probe() -> str:
        get_session().scalar(select(func.count()).select_from(LoginAttempt))
        seen.append(_holds_write_lock(database_url))
        return "ok"

    assert client.get("/_probe").status_code == 200
    assert seen == [False]


def test_write_session_and_cli_scope_are_writers_inside_a_get(
    app: Flask, database_url: str
) -> None:
    """The rare write during a GET (write_session) and a CLI scope begin as writers, and the
    GET's own intent is back afterwards."""
    _sqlite_only(app)
    token = _write_intent.set(False)  # what a GET request declares
    try:
        for scope in (write_session, session_scope):
            with scope(app) as session:
                session.scalar(select(func.count()).select_from(LoginAttempt))
                assert _holds_write_lock(database_url)
            assert _write_intent.get() is False
    finally:
        _write_intent.reset(token)

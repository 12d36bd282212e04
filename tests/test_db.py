"""The database layer: SQLite settings (SECURITY.md item 18) and UTC-only instants."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from planner.db import Base, _write_intent, make_engine
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

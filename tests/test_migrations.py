"""Migrations: from empty the schema matches the models; from the previous revision data survives.

Runs on SQLite and, with PLANNER_TEST_DATABASE_URL, on PostgreSQL (SECURITY.md item 21).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

import planner.models  # noqa: F401
from planner.db import Base, make_engine
from planner.migrations import alembic_config, upgrade
from tests.conftest import PG_URL, _schema_url


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    """An empty database (no tables)."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    schema = f"m_{uuid.uuid4().hex[:12]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _schema_url(PG_URL, schema)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def test_upgrade_from_empty_matches_the_models(empty_url: str) -> None:
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_upgrade_from_previous_revision_keeps_data(empty_url: str) -> None:
    revisions = _revisions()
    assert len(revisions) >= 2, "needs a previous revision to upgrade from"
    upgrade(empty_url, revisions[-2])
    engine = make_engine(empty_url)
    now = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisation (id, name, time_zone, country, subdivision, locale,"
                " working_days, leader_weekly_cap, team_max_gap_weeks, updated_at)"
                " VALUES (1, 'Ačme', 'Europe/Vilnius', 'LT', '', 'lt', '01234', 3, 4, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO team (id, name, frontline, created_at) VALUES (1, 'North', true, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO person (id, name, email, role, team_id, session_version, active,"
                " created_at, updated_at) VALUES (1, 'Žilvinas', 'z@example.test', 'leader', 1, 1,"
                " true, :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO event (id, uid, sequence, last_modified, created_at, kind, practice,"
                " title, description, location, link_path, all_day, start_at, end_at, transparent,"
                " status, pinned, host_id, team_id, for_everyone, source_kind)"
                " VALUES (1, 'evt-1', 2, :now, :now, 'skip_level', 'P4', 'Roundtable', '', '', '',"
                " false, :now, :later, false, 'confirmed', true, 1, 1, false, '')"
            ),
            {"now": now, "later": now.replace(hour=10)},
        )
    engine.dispose()
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM organisation")).scalar_one() == "Ačme"
        assert conn.execute(text("SELECT email FROM person")).scalar_one() == "z@example.test"
        row = conn.execute(text("SELECT uid, sequence, pinned FROM event")).one()
        assert tuple(row) == ("evt-1", 2, True)
    engine.dispose()

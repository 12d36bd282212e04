"""Backup and restore round trips (SECURITY.md item 23), on the backend the suite runs on."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from planner.backup import count_rows
from planner.db import make_engine
from tests import factories
from tests.conftest import PG_URL, _schema_url


def test_backup_command_and_restore(runner: Any, db: Any, app: Any, tmp_path: Path) -> None:
    factories.organisation(db)
    for _ in range(3):
        factories.person(db)
    db.commit()
    out = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(out)])
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    again = runner.invoke(args=["backup", str(out)])
    assert again.exit_code != 0 and "exists already" in again.output
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        restored = tmp_path / "restored.sqlite3"
        shutil.copy(out, restored)  # the backup is a closed file: copying it is safe
        assert count_rows(f"sqlite:///{restored}", "person") == 3
        return
    if shutil.which("pg_restore") is None:
        pytest.skip("pg_restore is not installed")
    schema = url.split("search_path%3D")[1]
    restored_db = f"restore_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{restored_db}"'))
    base = PG_URL.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
    try:
        subprocess.run(
            ["pg_restore", "-d", f"{base}/{restored_db}", str(out)], check=True, capture_output=True
        )
        assert count_rows(_schema_url(f"{base}/{restored_db}", schema), "person") == 3
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{restored_db}"'))
        admin.dispose()

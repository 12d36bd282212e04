"""Consistent backups of a live database: SQLite's VACUUM INTO, PostgreSQL's pg_dump."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from planner.db import make_engine
from planner.errors import InvalidInput
from planner.i18n import _


def backup_database(database_url: str, out: Path) -> Path:
    """Write a consistent copy of the database to `out` (never a copy of the live file)."""
    url = make_url(database_url)
    if out.exists():
        raise InvalidInput(_("%(out)s exists already; choose a new file name.", out=out))
    out.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        engine = make_engine(database_url)
        with engine.connect() as conn:
            # VACUUM cannot run inside a transaction: use the raw DBAPI connection in autocommit.
            raw = conn.connection.dbapi_connection
            assert raw is not None
            raw.execute("VACUUM INTO ?", (str(out),))
        engine.dispose()
        return out
    if url.get_backend_name() == "postgresql":
        if shutil.which("pg_dump") is None:
            raise InvalidInput(_("pg_dump is not installed (Debian package postgresql-client)."))
        options = str(url.query.get("options", ""))
        schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else ""
        plain = url.set(drivername="postgresql", query={}).render_as_string(hide_password=False)
        # An installation confined to one schema (search_path) is backed up as that schema only.
        command = ["pg_dump", "-Fc", "-f", str(out), *(["-n", schema] if schema else []), plain]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise InvalidInput(_("pg_dump failed: %(strip)s", strip=result.stderr.strip()[:500]))
        return out
    raise InvalidInput(
        _(
            "No backup method for %(get_backend_name)s databases.",
            get_backend_name=url.get_backend_name(),
        )
    )


def count_rows(database_url: str, table: str) -> int:
    """Rows in a table (used to check a restored copy)."""
    engine = make_engine(database_url)
    with engine.connect() as conn:
        value = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
    engine.dispose()
    return int(value)

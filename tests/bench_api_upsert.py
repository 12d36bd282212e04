"""Benchmark: people upsert through the API (JSON -> CSV adapter -> the CSV import) against the
CSV import of the same rows, for 500 and 10,000 people; and one signed webhook delivery.

    .venv/bin/python -m tests.bench_api_upsert

Prints seconds per step. Not a test: figures depend on the machine (DESIGN.md: benchmarks are
scripts, not timed assertions). Each run uses fresh SQLite files in a temp directory.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from planner import create_app
from planner.api import operations
from planner.db import Base, database, make_engine, utcnow
from planner.models import Person
from planner.org.people_csv import write_people
from planner.org.people_io import import_people
from tests.bench_org_import import org_csv

SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def _rows(count: int) -> list[tuple[str, ...]]:
    lines = org_csv(count).decode().splitlines()[1:]
    return [tuple(line.split(";")) for line in lines]


def _app(folder: Path, name: str) -> Any:
    url = f"sqlite:///{folder / name}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    return create_app({"TESTING": True, "ENV": "testing", "SECRET_KEY": SECRET,
                       "DATABASE_URL": url, "WTF_CSRF_ENABLED": False})  # fmt: skip


def main() -> None:
    """Run and print."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for count in (500, 10_000):
            rows = _rows(count)
            app = _app(folder, f"api{count}.sqlite3")
            with database(app).sessions() as db:
                owner = Person(name="Bench", email="bench@example.org", role="admin")
                db.add(owner)
                db.flush()
                _t, token = operations.create_token(db, owner, name="b", scopes=["people:write"],
                                                    now=utcnow())  # fmt: skip
                db.commit()
            keys = ("name", "email", "role", "team", "manager_email")
            body = json.dumps({"people": [dict(zip(keys, r, strict=True)) for r in rows]})
            client = app.test_client()
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            for step in ("first upsert", "again (unchanged)"):
                start = time.perf_counter()
                response = client.post("/api/v1/people/upsert", data=body, headers=headers)
                took = time.perf_counter() - start
                print(
                    f"API  {count:>6} people, {step:18}: {took:6.2f} s  HTTP {response.status_code}"
                )
            database(app).engine.dispose()
            engine = make_engine(f"sqlite:///{folder / f'csv{count}.sqlite3'}")
            Base.metadata.create_all(engine)
            from sqlalchemy.orm import Session

            with Session(engine) as session:
                start = time.perf_counter()
                result = import_people(session, write_people(rows).encode(), actor=None)
                session.commit()
                print(f"CSV  {count:>6} people, {'first import':18}: "
                      f"{time.perf_counter() - start:6.2f} s  {result.created} added")  # fmt: skip
            engine.dispose()


if __name__ == "__main__":
    main()

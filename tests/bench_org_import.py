"""Benchmark: people CSV import of 500 and 10,000 rows (parse alone, first import, re-import).

    .venv/bin/python -m tests.bench_org_import [--database-url URL]

Prints seconds per step. Not a test: figures depend on the machine (DESIGN.md: benchmarks are
scripts, not timed assertions). Default database: a fresh SQLite file in a temp directory.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

import planner.models  # noqa: F401  (registers every table)
from planner.db import Base, make_engine
from planner.org.people_csv import parse_people
from planner.org.people_io import _stored_managers, import_people


def org_csv(count: int) -> bytes:
    """Leaders (1 in 50), team leads (1 in 10) and staff; reports come before managers."""
    lines = []
    for i in range(count):
        if i % 50 == 0:
            role, team, manager = "leader", "Leadership", ""
        elif i % 10 == 0:
            role, team, manager = "leader", f"Team {i // 10}", f"p{(i // 50) * 50}@example.com"
        else:
            role, team, manager = "staff", f"Team {i // 10}", f"p{(i // 10) * 10}@example.com"
        lines.append(f"Person {i};p{i}@example.com;{role};{team};{manager}")
    lines.sort(key=lambda line: ";leader;" in line)
    return ("name;email;role;team;manager_email\n" + "\n".join(lines) + "\n").encode()


def run(url: str, count: int) -> dict[str, float]:
    """Time parse, first import and re-import of `count` rows on a fresh schema."""
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    data = org_csv(count)
    times: dict[str, float] = {}
    start = time.perf_counter()
    parsed = parse_people(data, {})
    times["parse only"] = time.perf_counter() - start
    assert parsed.ok, parsed.errors[:3]
    for step in ("first import", "re-import (no changes)"):
        with Session(engine) as session:
            start = time.perf_counter()
            result = import_people(session, data, actor=None)
            session.commit()
            times[step] = time.perf_counter() - start
            print(f"  {count:>6} rows, {step:24} {times[step]:6.2f} s  {result.summary()}")
    with Session(engine) as session:
        assert len(_stored_managers(session)) == count
    engine.dispose()
    print(f"  {count:>6} rows, {'parse only':24} {times['parse only']:6.2f} s")
    return times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark for 500 and 10,000 rows."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        if url.startswith("postgresql"):
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            admin = make_engine(url)
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
        print(f"database: {url.split('?')[0]}")
        try:
            for count in (500, 10_000):
                run(url, count)
        finally:
            if args.database_url.startswith("postgresql"):
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
                admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: imports, exports and feeds at scale.

    python -m planner.bench imports [--size 10000] [--requests 2000] [--database-url ...]

Builds the real-shaped chart (as `bench scale` does), then prints the time and peak memory of:
the people import (new, then the same file again), a 1,000-row praise import, the publish that
fills the calendar, the people CSV export, `export-calendars` with everything changed, with
nothing changed and with one event changed, the night re-render job's check (and the full check
it replaces); and requests per second of one leader's feed answered 200 and 304 (in process,
through the WSGI app: no network, no web server).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from planner import create_app
from planner.bench.scale import PASSWORD, _database, chart_csv, peak_mb, timed
from planner.db import Base, database, utcnow


def praise_csv(emails: list[str], rows: int, today: date) -> bytes:
    """`rows` praise lines for random people, received in the last 30 days."""
    rng = random.Random(7)
    lines = ["email,received_on,channel,quote,customer_name"]
    for i in range(rows):
        day = today - timedelta(days=rng.randrange(1, 30))
        lines.append(
            f"{rng.choice(emails)},{day},email,Thank you for fixing it (#{i}),Customer {i}"
        )
    return ("\n".join(lines) + "\n").encode()


def _feeds(db: Any, secret: str) -> int:
    """The organisation feed, one per team and one per leader (as subscribers would make)."""
    from planner.feeds.tokens import create_feed
    from planner.models import Person, Team

    now = utcnow()
    create_feed(db, secret, scope="org", now=now, actor_id=None)
    for team_id in db.scalars(select(Team.id)):
        create_feed(db, secret, scope="team", team_id=team_id, now=now, actor_id=None)
    for person_id in db.scalars(select(Person.id).where(Person.role == "leader")):
        create_feed(db, secret, scope="person", person_id=person_id, now=now, actor_id=None)
    db.commit()
    return int(db.scalar(select(func.count()).select_from(Team)) or 0)


def _rate(client: Any, path: str, requests: int, headers: dict[str, str]) -> tuple[float, int]:
    """Requests per CPU second (this process's CPU time: steady on a busy machine, unlike the
    wall clock) and the last status of `requests` GETs of `path`."""
    status = 0
    start = time.process_time()
    for _ in range(requests):
        status = client.get(path, headers=headers).status_code
    return requests / (time.process_time() - start), status


def run(size: int, database_url: str | None, requests: int, today: date, quick: bool) -> None:
    """Build and measure."""
    from planner.auth.passwords import hash_password
    from planner.feeds import marks, operations
    from planner.feeds.export import export_calendars
    from planner.feeds.tokens import feed_path
    from planner.models import Event, Feed, Organisation, Person, RenderMark
    from planner.org.people_io import export_people, import_people
    from planner.recognition import praise
    from planner.scheduler.cadences import seed_cadences

    folder = Path(tempfile.mkdtemp(prefix="planner-imports-"))
    url, drop = _database(database_url, folder)
    secret = "x" * 40
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secret, "ENV": "testing",
                      "TESTING": True, "WTF_CSRF_ENABLED": False, "JOBS_URL": "immediate",
                      "FEED_KEEP_LOOKUP_CONNECTION": True})  # fmt: skip
    engine = database(app).engine
    Base.metadata.create_all(engine)
    print(f"{size} people on {engine.dialect.name}; today {today}; peak so far {peak_mb():.0f} MB")
    sessions = database(app).sessions
    try:
        with sessions() as db:
            db.add(Organisation(id=1, name="Scale Support", time_zone="Europe/Amsterdam",
                                country="NL"))  # fmt: skip
            db.add(Person(name="Bench Coordinator", email="bench.coordinator@example.com",
                          role="coordinator", password_hash=hash_password(PASSWORD)))  # fmt: skip
            db.commit()
        data = chart_csv(size)
        with sessions() as db:
            done = timed("import people (new)", lambda: import_people(db, data, actor=None))
            db.commit()
            print(f"  {done.summary()[:80]}")
        with sessions() as db:
            timed("import people (same file)", lambda: import_people(db, data, actor=None))
            db.commit()
            seed_cadences(db)
            db.commit()
        year = today.year if today.month >= 10 else today.year - 1
        with sessions() as db:
            done = timed("publish (fills the calendar)", lambda: _fill(db, year, today))
            print(f"  {done.created} events")
        with sessions() as db:
            emails = list(db.scalars(select(Person.email).where(Person.role == "staff")))
            rows = praise_csv(emails, praise.MAX_IMPORT_ROWS, today)
            got = timed(
                f"import praise ({praise.MAX_IMPORT_ROWS} rows)",
                lambda: praise.import_praise(
                    db, rows, logged_by_id=None, today=today, now=utcnow()
                ),
            )
            db.commit()
            print(f"  {got.created} praise, {len(got.without_leader)} without a leader")
            timed("export people (CSV)", lambda: export_people(db))
        with sessions() as db:
            teams = _feeds(db, secret)
            feeds = db.scalar(select(func.count(Feed.id)))
            print(f"  {feeds} feeds (organisation, {teams} teams, every leader)")
        out = folder / "calendars"
        with app.app_context(), sessions() as db:
            settings = operations.feed_settings(db, "https://planner.example", "planner.example")

            def export() -> Any:
                result = export_calendars(db, settings, secret, out, utcnow())
                db.commit()
                return result

            def line(result: Any) -> str:
                pieces = "skipped" if result.pieces is None else result.pieces
                return (f"  {result.written} written, {result.checked} re-checked, "
                        f"{result.skipped} skipped; pieces re-rendered: {pieces}")  # fmt: skip

            print(line(timed("export-calendars (first)", export)))
            print(line(timed("export-calendars (unchanged)", export)))
            if not quick:
                one = db.scalar(select(Event.id).where(Event.kind == "skip_level").limit(1))
                db.execute(update(Event).where(Event.id == one).values(
                    title="Changed", sequence=Event.sequence + 1, last_modified=utcnow(),
                    ics_piece=None))  # fmt: skip
                db.commit()
                print(line(timed("export-calendars (1 changed)", export)))
                db.execute(
                    update(Event).values(sequence=Event.sequence + 1, last_modified=utcnow())
                )
                db.commit()
                print(line(timed("export-calendars (all changed)", export)))
            timed("night check (unchanged)", lambda: marks.refresh_changed_pieces(db, settings))
            timed("full check it replaces", lambda: operations.refresh_all_pieces(db, settings))
            db.rollback()
            assert db.get(RenderMark, f"pieces:{settings.context}") is not None
            leader = db.scalar(
                select(Feed).where(Feed.scope == "person").order_by(Feed.id).limit(1)
            )
            assert leader is not None
            path = feed_path(secret, leader)
        client = app.test_client()
        first = client.get(path)
        etag = first.headers["ETag"]
        print(f"leader feed: {len(first.data) / 1024:.0f} KB")
        for label, headers in (("200", {}), ("304", {"If-None-Match": etag})):
            rate, status = _rate(client, path, requests, headers)
            print(f"  feed {label}: {rate:7.0f} requests per CPU second (status {status})")
        print(f"peak memory {peak_mb():.0f} MB")
    finally:
        engine.dispose()
        drop()


def _fill(db: Any, year: int, today: date) -> Any:
    """Plan and publish the year directly (no preview, no job): the calendar the imports meet."""
    from planner.scheduler import planning, publishing

    plan = planning.compute_plan(db, year, today)
    done = publishing.apply_plan(db, plan, utcnow())
    db.commit()
    return done


def main(argv: list[str]) -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(prog="python -m planner.bench imports")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--requests", type=int, default=2000, help="Feed requests per kind.")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--quick", action="store_true", help="Skip the two changed exports.")
    args = parser.parse_args(argv)
    run(args.size, args.database_url, args.requests, args.today, args.quick)
    return 0

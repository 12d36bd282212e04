"""Benchmark: a 10,000-person organisation through the database, as a customer would run it.

    python -m planner.bench scale [--size 10000] [--database-url postgresql://...] [--requests 20]

Builds the real-shaped chart (planner/bench/real_org.py, scaled up) as a CSV, imports it, seeds
the default cadences, adds slots that can never fit (a team away all year, a leader with far
more skip-level teams than the weekly cap allows), previews, publishes, adds a blackout week and
re-plans (preview + publish); then signs in as a coordinator, a leader and a staff member and
fetches the main pages (and a picker search). Prints each step's time and
the process's peak memory so far, and per page p50/p95 and size. The preview is the job (as the
page's button enqueues it) plus the preview page's GET, template included. A fresh SQLite file
in a temp folder (kept), or a fresh schema of the given PostgreSQL database (dropped at the end
unless
--keep). `--pages-of FILE_OR_URL` measures only the pages of what an earlier run kept.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from planner import create_app
from planner.bench.real_org import real_chart
from planner.db import Base, database, make_engine

PASSWORD = "a long benchmark passphrase"


_RUN_PEAK = [0.0]  # the highest step peak so far (resetting VmHWM also resets ru_maxrss)


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KiB)."""
    _RUN_PEAK[0] = max(_RUN_PEAK[0], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return _RUN_PEAK[0]


def chart_csv(size: int) -> bytes:
    """The real-shaped chart as the people CSV (managers by e-mail)."""
    chart = real_chart(size)
    lines = ["name;email;role;team;manager_email"]
    for m in chart.people:
        team = chart.teams[m.team][0] if m.team else ""
        manager = f"p{m.manager}@example.com" if m.manager else ""
        lines.append(f"{m.name};p{m.id}@example.com;{m.role};{team};{manager}")
    return ("\n".join(lines) + "\n").encode()


def _reset_step_peak() -> bool:
    """Start a new peak of resident memory (Linux: writing 5 to clear_refs resets VmHWM), so a
    step's own peak can be read; False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _step_peak_mb() -> float:
    """The resident memory's peak since the last reset (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return peak_mb()


def timed(label: str, step: Callable[[], Any]) -> Any:
    """Run one step and print its time, its CPU time (this process: SQLite's work, not
    PostgreSQL's), the peak memory during the step (what a worker running just this job would
    need: the process as it was plus the step's work) and the peak of the whole run so far."""
    resettable = _reset_step_peak()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = step()
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    step_peak = f"step peak {_step_peak_mb():4.0f} MB   " if resettable else ""
    print(f"{label:<28} {wall:7.1f} s   cpu {cpu:6.1f} s   {step_peak}peak {peak_mb():4.0f} MB",
          flush=True)  # fmt: skip
    return result


def _database(url: str | None, folder: Path) -> tuple[str, Callable[[], None]]:
    """A fresh database URL and how to drop it."""
    if not url:
        return f"sqlite:///{folder / 'scale.sqlite3'}", lambda: None
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"

    def drop() -> None:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return f"{url}{sep}options=-csearch_path%3D{schema}", drop


def run(
    size: int,
    database_url: str | None,
    requests: int,
    today: date,
    replan: bool = True,
    keep: bool = False,
) -> None:
    """Build, plan, publish, re-plan and measure the pages."""
    from planner.auth.passwords import hash_password
    from planner.models import Blackout, Organisation, Person
    from planner.org.people_io import import_people
    from planner.scheduler.cadences import seed_cadences

    folder = Path(tempfile.mkdtemp(prefix="planner-scale-"))
    url, drop = _database(database_url, folder)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 40, "ENV": "testing",
                      "TESTING": True, "WTF_CSRF_ENABLED": False, "JOBS_URL": "immediate",
                      "CALENDAR_EXPORT_DIR": str(folder / "calendars")})  # fmt: skip
    engine = database(app).engine
    Base.metadata.create_all(engine)
    print(f"{size} people on {engine.dialect.name}; today {today}; database {url}")
    try:
        sessions = database(app).sessions
        with sessions() as db:
            db.add(Organisation(id=1, name="Scale Support", time_zone="Europe/Amsterdam",
                                country="NL"))  # fmt: skip
            email = "bench.coordinator@example.com"
            db.add(Person(name="Bench Coordinator", email=email, role="coordinator",
                          password_hash=hash_password(PASSWORD)))  # fmt: skip
            db.commit()
        client = app.test_client()  # the coordinator's browser, for the preview page
        client.post("/sign-in", data={"email": email, "password": PASSWORD})
        data = chart_csv(size)
        with sessions() as db:
            timed("import people", lambda: import_people(db, data, actor=None))
            db.commit()
            seed_cadences(db)
            _unplaceable(db, today)
            db.commit()
        year = today.year if today.month >= 10 else today.year - 1
        with sessions() as db:
            timed("preview (job + page)", lambda: _preview(app, db, year, today, client))
            plan = _stored_counts(db, year)
            print(f"  {plan.placements} placements, {plan.unplaced} unplaced")
            done = timed("publish (job)", lambda: _publish(app, db, year, today))
            print(f"  {done}")
        if not replan:
            _pages(app, email, year, requests)
            return
        with sessions() as db:
            monday = today + timedelta(days=70 - today.weekday())
            db.add(Blackout(first_day=monday, last_day=monday + timedelta(days=4), reason="Freeze"))
            db.commit()
            later = today + timedelta(days=7)
            timed("re-plan preview", lambda: _preview(app, db, year, later, client))
            plan = _stored_counts(db, year)
            print(f"  {plan.placements} placements, {plan.unplaced} unplaced")
            done = timed("re-plan publish", lambda: _publish(app, db, year, later))
            print(f"  {done}")
        _pages(app, email, year, requests)
    finally:
        engine.dispose()
        if keep:
            print(f"kept for --pages-of: {url}")
        else:
            drop()


def _unplaceable(db: Any, today: date) -> None:
    """Slots that can never fit (they must cost about as much as the others): one team whose
    people are away all year, and one leader who also leads 40 more frontline teams than the
    weekly cap leaves room for."""
    from planner.models import Absence, Person, Team

    first_team = db.scalar(select(Team).where(Team.frontline.is_(True)).order_by(Team.id))
    away = [p for p in first_team.members if p.active]
    for person in away:
        db.add(Absence(person_id=person.id, first_day=today, last_day=today + timedelta(days=400),
                       note="Away all year"))  # fmt: skip
    busy = Person(name="Busy Leader", email="busy.leader@example.com", role="leader")
    db.add(busy)
    db.flush()
    for n in range(40):
        team = Team(name=f"Extra team {n + 1}", frontline=True)
        db.add(team)
        db.flush()
        lead = Person(name=f"Extra lead {n + 1}", email=f"extra.lead{n}@example.com",
                      role="leader", team_id=team.id, manager_id=busy.id)  # fmt: skip
        db.add(lead)
        db.flush()
        for k in range(3):
            db.add(Person(name=f"Extra staff {n + 1}.{k + 1}", email=f"extra{n}.{k}@example.com",
                          role="staff", team_id=team.id, manager_id=lead.id))  # fmt: skip
    db.flush()


@dataclass(frozen=True)
class Counts:
    """What a preview run prints."""

    placements: int
    unplaced: int


def _preview(app: Any, db: Any, year: int, today: date, client: Any) -> None:
    """What a coordinator waits for: the preview job (enqueued as the page's button does; the
    immediate queue runs it at commit in a thread of its own, as a worker would), then the
    preview page itself (a GET as the signed-in coordinator, template rendering included)."""
    from planner.jobs import enqueue
    from planner.models import Job
    from planner.scheduler import previews

    job_start = time.perf_counter()
    with app.app_context():
        data = {"year": year, "today": today.isoformat()}
        job, _created = enqueue(db, previews.PREVIEW_JOB, data)
        db.commit()
    done = db.get(Job, job.id, populate_existing=True)
    assert done is not None and done.status == "done", done and done.error
    db.commit()
    page_start = time.perf_counter()
    response = client.get(f"/scheduler/preview?year={year}")
    assert response.status_code == 200 and b"Publish this plan" in response.data
    print(f"  job {page_start - job_start:.1f} s, page {time.perf_counter() - page_start:.1f} s "
          f"({len(response.data) / 1024:.0f} KB)")  # fmt: skip
    db.rollback()


def _stored_counts(db: Any, year: int) -> Counts:
    """How many placements and unplaced slots the stored preview has (not timed)."""
    from planner.models import PlanPreview
    from planner.scheduler import previews

    row = db.get(PlanPreview, year)
    plan = previews._unpickled(row) if row is not None else None
    assert plan is not None
    db.rollback()
    return Counts(len(plan.result.placements), len(plan.result.unplaced))


def _publish(app: Any, db: Any, year: int, today: date) -> str:
    """What *Publish this plan* does: the publish job with the stored preview's inputs hash
    (which rebuilds the inputs, reuses the preview's engine result while the hash matches,
    applies and commits in one transaction). Returns the job's result in words."""
    from planner.jobs import enqueue
    from planner.models import Job, PlanPreview

    row = db.get(PlanPreview, year)
    assert row is not None
    data = {"year": year, "inputs": row.inputs_hash, "today": today.isoformat()}
    db.rollback()
    with app.app_context():
        job, _created = enqueue(db, "publish-plan", data)
        db.commit()
    done = db.get(Job, job.id, populate_existing=True)
    assert done is not None and done.status == "done", done and done.error
    message = done.message
    db.rollback()
    return message


ROLES = ("coordinator", "leader", "staff")


def _sign_ins(app: Any, coordinator_email: str) -> dict[str, str]:
    """Role -> e-mail of someone to sign in as: the bench coordinator, and the busiest leader
    and a frontline staff member of the imported chart (given the bench password)."""
    from sqlalchemy import func, select

    from planner.auth.passwords import hash_password
    from planner.models import Event, Person

    with database(app).sessions() as db:
        leader = db.scalar(
            select(Person)
            .join(Event, Event.host_id == Person.id)
            .where(Person.role == "leader", Person.active.is_(True))
            .group_by(Person.id)
            .order_by(func.count().desc(), Person.id)
            .limit(1)
        ) or db.scalar(select(Person).where(Person.role == "leader").order_by(Person.id))
        staff = db.scalar(
            select(Person).where(Person.role == "staff", Person.team_id.is_not(None),
                                 Person.active.is_(True)).order_by(Person.id).limit(1)
        )  # fmt: skip
        found = {"coordinator": coordinator_email}
        for role, person in (("leader", leader), ("staff", staff)):
            if person is not None:
                person.password_hash = hash_password(PASSWORD)
                found[role] = person.email
        db.commit()
    return found


def _p95(values: list[float]) -> float:
    """The 95th percentile (nearest rank) of a few measurements."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _pages(app: Any, email: str, year: int, requests: int) -> None:
    """p50/p95 and size of the main pages, as each role."""
    pages = {"/home": "/home", "year page": f"/scheduler/?year={year}", "year week": None,
             "chart": "/org/chart", "My calendar": "/feeds/", "board": "/feedback/",
             "picker search": "/people/search?pool=people&q=jan"}  # fmt: skip
    from planner import freeze_start_up

    _vacuum(app)
    freeze_start_up()  # as planner/wsgi.py does in each server process
    # CPU time of this process beside the wall clock: on a shared machine the wall clock also
    # counts other programs' turns (SQLite runs in-process; PostgreSQL's own work is not in it).
    print(f"{'role':<12} {'page':<14} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'cpu p50':>8} {'cpu p95':>8} {'size KB':>9}")  # fmt: skip
    for role, address in _sign_ins(app, email).items():
        client = app.test_client()
        client.post("/sign-in", data={"email": address, "password": PASSWORD})
        for name, path in pages.items():
            if path is None:  # an opened week of the year page (its events are loaded)
                path = f"/scheduler/?year={year}&week=20"
            times: list[float] = []
            cpu: list[float] = []
            size, status = 0, 0
            for _ in range(requests):
                start, start_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                size, status = len(response.data), response.status_code
            print(
                f"{role:<12} {name:<14} {status:>6} {statistics.median(times):8.0f} "
                f"{_p95(times):8.0f} {statistics.median(cpu):8.0f} {_p95(cpu):8.0f} "
                f"{size / 1024:9.0f}",
                flush=True,
            )
    print(f"peak memory {peak_mb():.0f} MB")


def _vacuum(app: Any) -> None:
    """On PostgreSQL, VACUUM ANALYZE the schema's tables first: what autovacuum does on a real
    server after a publish (the test server runs with autovacuum off). Without statistics the
    planner scanned every event for My calendar (94 ms instead of 3)."""
    engine = database(app).engine
    if engine.dialect.name != "postgresql":
        return
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        timed("vacuum analyze", lambda: conn.execute(text(f"VACUUM ANALYZE {tables}")))


def pages_only(path: str, requests: int, today: date) -> None:
    """Measure the pages of a database an earlier run left (its folder is printed at the start;
    a PostgreSQL URL of a kept schema works too)."""
    url = path if "://" in path else f"sqlite:///{path}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x" * 40,
                      "ENV": "testing", "TESTING": True, "JOBS_URL": "immediate",
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    year = today.year if today.month >= 10 else today.year - 1
    _pages(app, "bench.coordinator@example.com", year, requests)


def main(argv: list[str]) -> int:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(prog="python -m planner.bench scale")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--requests", type=int, default=20, help="Requests per page.")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument(
        "--pages-of", metavar="SQLITE_FILE_OR_URL", help="Only measure the pages (of --keep)."
    )
    parser.add_argument(
        "--keep", action="store_true", help="Keep the PostgreSQL schema (SQLite files are kept)."
    )
    parser.add_argument(
        "--no-replan", action="store_true", help="Skip the blackout re-plan (pages sooner)."
    )
    args = parser.parse_args(argv)
    if args.pages_of:
        pages_only(args.pages_of, args.requests, args.today)
        return 0
    run(args.size, args.database_url, args.requests, args.today, not args.no_replan, args.keep)
    return 0

"""Benchmark: a new customer with the 922-person real-shaped organisation, as a user would do it.

    .venv/bin/python -m tests.bench_plan_real_db [--size 922] [--today 2026-12-01]

`planner import-people` (a CSV of the chart), `planner cadences seed`, `planner plan --publish`
on `today`, then every person's personal feed checked for double bookings by the independent
validator; then a blackout week and a re-plan a week later. Prints the CLI's words and figures.
Not a test: a fresh SQLite file in a temp directory, and figures depend on the machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from planner import create_app
from planner.bench.real_org import real_chart
from planner.db import database
from planner.models import Blackout, Event
from tests import factories
from tests.test_scheduler_real_db import feed_clashes, local_day

BLACKOUT = "CRM migration freeze"


def chart_csv(size: int) -> str:
    """The real-shaped chart as the people CSV (managers by e-mail)."""
    chart = real_chart(size)
    lines = ["name;email;role;team;manager_email"]
    for m in chart.people:
        team = chart.teams[m.team][0] if m.team else ""
        manager = f"p{m.manager}@example.com" if m.manager else ""
        lines.append(f"{m.name};p{m.id}@example.com;{m.role};{team};{manager}")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Run the loop and print what a coordinator would see, with timings."""
    parser = argparse.ArgumentParser(prog="python -m tests.bench_plan_real_db")
    parser.add_argument("--size", type=int, default=922)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    config = {"DATABASE_URL": f"sqlite:///{folder / 'plan.db'}", "SECRET_KEY": "x" * 40,
              "TESTING": True, "CALENDAR_EXPORT_DIR": str(folder / "calendars")}  # fmt: skip
    app = create_app(config)
    runner = app.test_cli_runner()
    print(runner.invoke(args=["init"]).output.strip())
    with database(app).sessions() as db:
        factories.organisation(db, time_zone="Europe/Amsterdam", country="NL")
        db.commit()
    csv = folder / "people.csv"
    csv.write_text(chart_csv(args.size), encoding="utf-8")
    for step in (["import-people", str(csv)], ["cadences", "seed"],
                 ["plan", "--today", args.today.isoformat(), "--publish"]):  # fmt: skip
        start = time.perf_counter()
        result = runner.invoke(args=step)
        print(f"$ planner {' '.join(step)}   ({time.perf_counter() - start:.1f} s)")
        print("\n".join(result.output.splitlines()[:30]))
    now = datetime.combine(args.today, datetime.min.time(), UTC) + timedelta(hours=12)
    with database(app).sessions() as db:
        start = time.perf_counter()
        clashes = feed_clashes(db, now)
        print(
            f"personal feeds: {len(clashes)} double bookings ({time.perf_counter() - start:.1f} s)"
        )
        before = {e.slot_key: local_day(e) for e in db.scalars(select(Event))
                  if e.slot_key and e.status != "cancelled"}  # fmt: skip
        monday = date(2027, 2, 1)
        db.add(Blackout(first_day=monday, last_day=monday + timedelta(days=4), reason=BLACKOUT))
        db.commit()
    later = (args.today + timedelta(days=7)).isoformat()
    start = time.perf_counter()
    result = runner.invoke(args=["plan", "--today", later, "--publish"])
    print(f"$ planner plan --today {later} --publish   ({time.perf_counter() - start:.1f} s)")
    print("\n".join(result.output.splitlines()[:14]))
    with database(app).sessions() as db:
        after = {e.slot_key: local_day(e) for e in db.scalars(select(Event))
                 if e.slot_key and e.status != "cancelled"}  # fmt: skip
        moved = [
            abs((after[k] - d).days) for k, d in before.items() if k in after and after[k] != d
        ]
        print(f"after the blackout: {len(moved)} moved, furthest {max(moved, default=0)} days, "
              f"{sum(1 for k in before if k not in after)} cancelled (not placeable, reasons "
              f"above); personal feeds: {len(feed_clashes(db, now))} double bookings")  # fmt: skip


if __name__ == "__main__":
    main()

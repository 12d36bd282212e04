"""Feeds through the database and HTTP: `python -m planner.bench feeds-http [options]`.

1. Builds a benchmark SQLite database: the whole demo plus extra events (an organisation feed of
   --events items, a leader with --personal items of their own).
2. Times, through the DB query + assembly from stored pieces (cache cold): the organisation feed
   (target <= 1 s) and the leader's personal feed (target <= 50 ms); and the one-off render of
   every piece.
3. Serves the app under gunicorn and measures with wrk (16 connections, loopback), side by side in
   one run: the same bytes as a static file from the same server, the feed endpoint (target >= 80 %
   of the static requests/s) and the feed's 304 path (target: faster still); p50 and p99 latency.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, send_from_directory
from sqlalchemy import select

STATIC_DIR_ENV = "PLANNER_BENCH_STATIC_DIR"
PRACTICES = ("P1", "P2", "P3", "P4", "P5")


def bench_app() -> Flask:
    """The planner app plus one static route serving the benchmark's copy of the feed bytes."""
    from planner import create_app
    from planner.access import public

    app = create_app()
    folder = os.environ[STATIC_DIR_ENV]

    @public
    def bench_static(name: str) -> Any:
        """The benchmark's static copy of a feed, served by Flask like any static file."""
        return send_from_directory(folder, name, mimetype="text/calendar")

    app.add_url_rule("/bench-static/<name>", "bench_static", bench_static)
    return app


def _add_events(session: Any, today: date, count: int, leader_id: int, personal: int) -> None:
    """Extra events: `count` organisation-wide activities, `personal` skip-levels of one leader."""
    from planner.events.operations import Timed, create_event

    zone = ZoneInfo("Europe/Amsterdam")
    now = datetime.now(UTC)
    for i in range(count + personal):
        day = today - timedelta(days=80) + timedelta(days=(i * 520) // max(count + personal, 1))
        start = datetime(day.year, day.month, day.day, 8 + i % 9, 0, tzinfo=zone)
        mine = i >= count
        create_event(
            session,
            kind="skip_level" if mine else "activity",
            practice=PRACTICES[i % 5],
            title=f"{'Skip-level' if mine else 'Bench activity'} {i}: coffee, praise & questions",
            description="Bring one story of great service; we note what gets in the way.",
            location=f"Room {i % 40}",
            link_path=f"/csweek/bench/{i}",
            when=Timed(start, start + timedelta(minutes=45)),
            now=now,
            # Not for everyone: the org feed holds activities; personal feeds stay realistic.
            for_everyone=False,
            host_id=leader_id if mine else None,
        )


def _timed(fn: Any, repeat: int = 5) -> float:
    """Median seconds of `repeat` runs of fn()."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def prepare(folder: Path, events: int, personal: int) -> dict[str, Any]:
    """Build the database, time assembly, write the static copy; return URLs and figures."""
    from planner import create_app
    from planner.db import Base, database, make_engine
    from planner.demo import DEMO_COORDINATOR, load_demo
    from planner.feeds import operations
    from planner.feeds.tokens import create_feed, feed_path
    from planner.models import Feed, Person

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    secret = secrets.token_urlsafe(48)
    config = {"DATABASE_URL": url, "SECRET_KEY": secret, "BASE_URL": "https://planner.example"}
    app = create_app({**config, "TESTING": True, "UID_DOMAIN": "planner.example"})
    today = date.today()
    with app.app_context():
        session = database(app).sessions()
        load_demo(session, today)
        leader = session.scalar(select(Person).where(Person.role == "leader").order_by(Person.id))
        coordinator = session.scalar(select(Person).where(Person.email == DEMO_COORDINATOR))
        if leader is None:
            raise SystemExit("the demo has no leader: cannot build the benchmark plan")
        _add_events(session, today, events, leader.id, personal)
        session.commit()
        settings = operations.feed_settings(session, config["BASE_URL"], "planner.example")
        start = time.perf_counter()
        rendered = operations.refresh_all_pieces(session, settings)
        render_all = time.perf_counter() - start
        session.commit()
        org = session.scalar(select(Feed).where(Feed.scope == "org", Feed.practices == ""))
        mine = session.scalar(
            select(Feed).where(Feed.person_id == leader.id, Feed.practices == "")
        ) or create_feed(session, secret, scope="person", now=datetime.now(UTC),
                         actor_id=None, person_id=leader.id)  # fmt: skip
        assert org is not None
        session.commit()
        now = datetime.now(UTC)

        def assemble(feed: Feed) -> bytes:
            ids, _stale, _key = operations.feed_plan(session, feed, settings, now)
            return operations.assemble_feed(session, feed, settings, ids, now)[0]

        org_bytes, mine_bytes = assemble(org), assemble(mine)
        figures = {
            "pieces rendered once": (rendered, render_all),
            "org": (
                org_bytes.count(b"BEGIN:VEVENT"),
                len(org_bytes),
                _timed(lambda: assemble(org)),
            ),
            "personal": (
                mine_bytes.count(b"BEGIN:VEVENT"),
                len(mine_bytes),
                _timed(lambda: assemble(mine)),
            ),
        }
        paths = {"org": feed_path(secret, org), "personal": feed_path(secret, mine)}
        del coordinator
        session.close()
    static = folder / "static"
    static.mkdir()
    (static / "org.ics").write_bytes(org_bytes)
    (static / "personal.ics").write_bytes(mine_bytes)
    database(app).engine.dispose()
    return {"url": url, "secret": secret, "paths": paths, "figures": figures, "static": static}


def _free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wrk(url: str, seconds: int, connections: int, headers: dict[str, str]) -> dict[str, float]:
    """Run wrk once; requests/s and latency percentiles (ms)."""
    args = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    for name, value in headers.items():
        args[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    result = {"rps": rps}
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out)
        if match:
            factor = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
            result[f"p{pct}"] = float(match.group(1)) * factor
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["errors"] = float(non2xx.group(1)) if non2xx else 0.0
    return result


def serve_and_measure(prep: dict[str, Any], args: argparse.Namespace) -> int:
    """Start gunicorn, run wrk side by side, print the table; 1 if a target is missed."""
    port = _free_port()
    env = {
        **os.environ,
        "PLANNER_DATABASE_URL": prep["url"],
        "PLANNER_SECRET_KEY": prep["secret"],
        "PLANNER_BASE_URL": "https://planner.example",
        "PLANNER_UID_DOMAIN": "planner.example",
        STATIC_DIR_ENV: str(prep["static"]),
    }
    command = [
        sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
        "--workers", str(args.workers), "--threads", str(args.threads), "--logger-class",
        "planner.gunicorn_logging.RedactingLogger", "planner.bench.feeds_http:bench_app()",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    failed = False
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        load = f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        server_desc = f"{args.workers} workers x {args.threads} threads (gthread, keep-alive)"
        client_desc = f"wrk: 1 thread, {args.connections} connections, {args.seconds} s per run"
        print(f"\ngunicorn: {server_desc}; {client_desc}; median of {args.rounds} interleaved")
        print(f"rounds, loopback; {load}")
        print(f"{'target':34} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}  vs static")
        for feed in ("personal", "org"):
            feed_url = base + prep["paths"][feed]
            with urllib.request.urlopen(feed_url) as response:  # warm the cache, get the ETag
                etag = response.headers["ETag"]
                assert response.read() == (prep["static"] / f"{feed}.ics").read_bytes()
            runs = {
                "static file": (f"{base}/bench-static/{feed}.ics", {}),
                "feed endpoint": (feed_url, {}),
                "feed 304 (If-None-Match)": (feed_url, {"If-None-Match": etag}),
            }
            for url, headers in runs.values():
                _wrk(url, 1, args.connections, headers)  # warm-up
            # Interleaved rounds, median per target: a busy machine shifts all three alike.
            rounds: dict[str, list[dict[str, float]]] = {name: [] for name in runs}
            for _ in range(args.rounds):
                for name, (url, headers) in runs.items():
                    rounds[name].append(_wrk(url, args.seconds, args.connections, headers))
            results = {
                name: sorted(found, key=lambda r: r["rps"])[len(found) // 2]
                for name, found in rounds.items()
            }
            static_rps = results["static file"]["rps"]
            for name, r in results.items():
                ratio = r["rps"] / static_rps
                label = f"{feed}: {name}"
                errors = f"  ({r['errors']:.0f} errors)" if r["errors"] else ""
                print(f"{label:34} {r['rps']:9.0f} {r.get('p50', 0):8.2f} {r.get('p99', 0):8.2f}"
                      f"  {ratio:6.0%}{errors}")  # fmt: skip
            feed_ok = results["feed endpoint"]["rps"] >= 0.8 * static_rps
            fast_304 = results["feed 304 (If-None-Match)"]["rps"] > results["feed endpoint"]["rps"]
            print(f"  {feed}: feed >= 80 % of static: {'PASS' if feed_ok else 'FAIL'}; "
                  f"304 faster than 200: {'PASS' if fast_304 else 'FAIL'}")  # fmt: skip
            failed = failed or not (feed_ok and fast_304)
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    """Build, time assembly, serve and measure; print the figures and targets."""
    parser = argparse.ArgumentParser(prog="python -m planner.bench feeds-http")
    parser.add_argument("--events", type=int, default=5000, help="organisation-wide events")
    parser.add_argument("--personal", type=int, default=200, help="one leader's own events")
    parser.add_argument("--seconds", type=int, default=5, help="wrk duration per run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (median)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (as `planner serve`)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="planner-bench-feeds-"))
    try:
        print(f"Building the benchmark database in {folder} (demo + {args.events} + "
              f"{args.personal} events) ...")  # fmt: skip
        prep = prepare(folder, args.events, args.personal)
        figures = prep["figures"]
        count, seconds = figures["pieces rendered once"]
        print(f"render every piece once (on change, not per request): {count} pieces "
              f"in {seconds:.2f} s")  # fmt: skip
        for name, target in (("org", 1.0), ("personal", 0.050)):
            events, size, took = figures[name]
            verdict = "PASS" if took <= target else "FAIL"
            print(f"{name} feed from stored pieces (DB query + assembly): {events} events, "
                  f"{size / 1e6:.2f} MB, {took * 1000:.1f} ms (target <= {target * 1000:.0f} ms: "
                  f"{verdict})")  # fmt: skip
        if shutil.which("wrk") is None:
            print("\nwrk is not installed: the HTTP comparison was SKIPPED. "
                  "Install it with `apt-get install -y wrk` and run again.")  # fmt: skip
            return 0
        return serve_and_measure(prep, args)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

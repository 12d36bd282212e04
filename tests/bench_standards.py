"""Benchmark: service-standards measures on a large organisation, and a lexicon CSV import.

    .venv/bin/python -m tests.bench_standards [--people 10000] [--database-url URL]

Builds `--people` staff in teams of 10, each with two submitted attempts and one certificate,
one shout-out each; then times the organisation's and one team's scorecard (12 months, with the
computed training and shout-out rows), completion per team, and importing 2,000 lexicon phrases.
Prints seconds per step. Not a test (DESIGN.md: benchmarks are scripts, not timed assertions).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

import planner.models  # noqa: F401  (registers every table)
from planner.db import Base, make_engine
from planner.models import (
    Certificate,
    Organisation,
    Person,
    QuizAttempt,
    ShoutOut,
    Team,
    TrainingModule,
)
from planner.recognition.scorecards import scorecard
from planner.standards import measures, operations

TODAY = date(2026, 11, 23)


def build(session: Session, people: int) -> int:
    """The organisation; returns one team's id."""
    session.add(Organisation(id=1, name="Bench", time_zone="Europe/Amsterdam", country="NL"))
    teams = [Team(name=f"Team {n}", frontline=True) for n in range(people // 10)]
    session.add_all(teams)
    session.add(TrainingModule(title="Module", published=True, pass_mark=80))
    session.flush()
    module_id = session.scalar(select(TrainingModule.id))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    session.execute(
        insert(Person),
        [
            {
                "name": f"P{i}",
                "email": f"p{i}@example.com",
                "role": "staff",
                "team_id": teams[i // 10].id,
                "active": True,
                "session_version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(people)
        ],
    )
    ids = list(session.scalars(select(Person.id).order_by(Person.id)))
    attempts = []
    for n, pid in enumerate(ids):
        for k in range(2):
            at = now + timedelta(days=(n * 7 + k * 40) % 320)
            attempts.append(
                {
                    "module_id": module_id,
                    "person_id": pid,
                    "started_at": at,
                    "submitted_at": at + timedelta(minutes=4),
                    "score": 60.0 + 20 * k,
                    "passed": k == 1,
                }
            )
    session.execute(insert(QuizAttempt), attempts)
    passed = session.execute(
        select(QuizAttempt.id, QuizAttempt.person_id, QuizAttempt.started_at).where(
            QuizAttempt.passed.is_(True)
        )
    ).all()
    session.execute(
        insert(Certificate),
        [
            {
                "person_id": pid,
                "module_id": module_id,
                "attempt_id": aid,
                "issued_on": at.date(),
                "expires_on": at.date().replace(year=at.year + 1),
                "score": 80.0,
            }
            for aid, pid, at in passed
        ],
    )
    session.execute(
        insert(ShoutOut),
        [
            {
                "author_id": ids[n - 1],
                "recipient_id": pid,
                "team_id": teams[n // 10].id,
                "message": "Thanks for the help today.",
                "created_at": now + timedelta(days=n % 320),
            }
            for n, pid in enumerate(ids)
        ],
    )
    session.commit()
    return teams[0].id


def lexicon_csv(count: int) -> bytes:
    """`count` valid phrases."""
    rows = [f"en,Avoid {n},Use {n},complaint,Why {n},Example {n}" for n in range(count)]
    return ("language,avoid,use_instead,situations,why,example\n" + "\n".join(rows)).encode()


def timed(label: str, action: object) -> None:
    """Run and print the seconds taken."""
    started = time.perf_counter()
    action()  # type: ignore[operator]
    print(f"{label:55} {time.perf_counter() - started:7.3f} s")


def main() -> None:
    """Build, then time each step."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        schema = f"b_{uuid.uuid4().hex[:8]}" if url.startswith("postgresql") else ""
        admin = make_engine(url)
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
            url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            team_id = build(session, args.people)
            print(f"built {args.people} people in {time.perf_counter() - started:.1f} s")
            timed(
                "organisation scorecard (12 months, all rows)",
                lambda: scorecard(session, None, TODAY),
            )
            timed("one team's scorecard", lambda: scorecard(session, team_id, TODAY))
            timed(
                f"completion per team ({args.people // 10} teams)",
                lambda: measures.completion_by_team(session, TODAY),
            )
            actor = session.scalars(select(Person).limit(1)).first()
            assert actor is not None
            data, now = lexicon_csv(2000), datetime.now(UTC)
            timed(
                "import 2,000 lexicon phrases (all new)",
                lambda: operations.import_lexicon(session, data, actor, now),
            )
            timed(
                "import the same 2,000 again (all unchanged)",
                lambda: operations.import_lexicon(session, data, actor, now),
            )
            session.rollback()
        engine.dispose()
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()

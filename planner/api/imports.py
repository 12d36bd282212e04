"""Writes through the API, by the CSV importers' own rules: people, praise, scorecard values.

Each takes JSON records, hands them to the area's importer as CSV (planner.api.rows) and turns
the importer's line numbers back into record indexes. All or nothing: on any problem nothing is
written and every problem is reported with its index."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from planner.api.rows import Batch, to_batch
from planner.errors import PlannerError
from planner.models import Person
from planner.org import people_csv, people_io
from planner.recognition import praise, scorecards
from planner.recognition.praise_csv import ImportFailed

PRAISE_COLUMNS = ("email", "received_on", "channel", "quote", "customer_name")
METRIC_COLUMNS = ("team", "month", "metric", "value")


@dataclass(frozen=True)
class Problem:
    """One problem: the record's index (None: the request as a whole) and the message."""

    index: int | None
    message: str


class BatchRejected(PlannerError):
    """Nothing was written; `problems` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"Nothing was written: {len(problems)} problem(s) found.")
        self.problems = problems


def _rejected(batch: Batch, lines: list[tuple[int, str]]) -> BatchRejected:
    """The importer's (line, message) problems as record problems, in record order."""
    problems = [Problem(batch.index(line) if line else None, msg) for line, msg in lines]
    problems.sort(key=lambda p: -1 if p.index is None else p.index)
    return BatchRejected(problems)


def _checked(batch: Batch) -> Batch:
    """Refuse records the CSV readers would skip without a word."""
    if batch.problems:
        raise BatchRejected([Problem(i, m) for i, m in batch.problems])
    return batch


def upsert_people(
    session: Session, records: list[tuple[str, str, str, str, str]], *, actor: Person
) -> people_io.ImportResult:
    """Create or update people (name, email, role, team, manager_email) as the CSV import does."""
    batch = _checked(to_batch(people_csv.COLUMNS, records, cell=people_csv.neutralise))
    try:
        return people_io.import_people(session, batch.data, actor=actor)
    except people_io.ImportRejected as exc:
        raise _rejected(batch, [(e.line, e.message) for e in exc.errors]) from None


def intake_praise(
    session: Session,
    records: list[tuple[str, str, str, str, str]],
    *,
    actor: Person,
    today: date,
    now: datetime,
) -> praise.PraiseImport:
    """Log praise (email, received_on, channel, quote, customer_name) as the CSV import does."""
    batch = _checked(to_batch(PRAISE_COLUMNS, records))
    try:
        return praise.import_praise(
            session, batch.data, logged_by_id=actor.id, today=today, now=now
        )
    except ImportFailed as exc:
        raise _rejected(batch, exc.errors) from None


def write_metrics(
    session: Session, records: list[tuple[str, str, str, str]], *, actor: Person, today: date
) -> int:
    """Write scorecard values (team, month, metric, value) as the CSV import does."""
    batch = _checked(to_batch(METRIC_COLUMNS, records))
    try:
        return scorecards.import_metrics(session, batch.data, actor, today)
    except ImportFailed as exc:
        raise _rejected(batch, exc.errors) from None

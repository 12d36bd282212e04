"""Anonymous raises are held in a pending pool and published in batches (SECURITY.md 17a).

Why: a row written at the moment of a raise sits in storage (SQLite page cells and WAL frames,
PostgreSQL ctid/xmin, pg_dump order) right after the raiser's sign-in or vote. The pool breaks
that link for everything that stays: items enter `feedback_item` only in a batch, in random order,
in one transaction, at a moment drawn at random beforehand.

The policy (see README, "Anonymous feedback: threat model"):
- A publication moment is drawn 2-8 hours after the previous one, when that one is used or
  missed, never when someone raises an item.
- At that moment the whole pool is published if it holds at least MIN_BATCH items or an item
  received on an earlier day; otherwise it waits for the next moment.
- A moment missed by more than MISSED_GRACE (nobody called in time) is not used late, as a late
  call could be the raiser's own next request; a new one is drawn. Items older than STALE_DAYS
  are published at the next call anyway, so a quiet site still publishes.
- Callers: `planner feedback-publish` (cron/worker, every 10 minutes) and, opportunistically,
  requests to the board.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from planner.feedback import anonymity
from planner.feedback.history import record_change
from planner.models import FeedbackItem, PendingFeedback, PublicationSchedule

MIN_BATCH = 3
GAP_MINUTES = (120, 480)
MISSED_GRACE = timedelta(hours=1)
STALE_DAYS = 2
SCHEDULE_ID = 1


@dataclass(frozen=True)
class Held:
    """A held anonymous raise: the receipt token to show once."""

    receipt: str


def hold_anonymous(
    session: Session,
    *,
    title: str,
    details: str,
    category: str,
    team_id: int | None,
    idempotency_key: str,
    today: date,
    customer_impact: str = "",
) -> Held:
    """Put an anonymous raise in the pending pool: the day only, a random key, no author."""
    receipt, digest = anonymity.new_receipt_token()
    session.add(
        PendingFeedback(
            key=secrets.token_hex(16),
            received_on=today,
            title=title,
            details=details,
            category=category,
            team_id=team_id,
            receipt_hash=digest,
            idempotency_key=idempotency_key,
            customer_impact=customer_impact,
        )
    )
    session.flush()
    return Held(receipt)


def pending_for_receipt(session: Session, token: str) -> PendingFeedback | None:
    """The pending raise a receipt token follows, or None."""
    if not token.startswith(anonymity.RECEIPT_PREFIX) or len(token) > 100:
        return None
    digest = anonymity.receipt_hash(token)
    return session.scalar(select(PendingFeedback).where(PendingFeedback.receipt_hash == digest))


def pending_count(session: Session) -> int:
    """How many anonymous raises wait for publication."""
    return session.scalar(select(func.count()).select_from(PendingFeedback)) or 0


def _gap() -> timedelta:
    """A random gap between two publication moments."""
    low, high = GAP_MINUTES
    return timedelta(minutes=low + secrets.randbelow(high - low + 1))


def publication_due(session: Session, now: datetime) -> bool:
    """Cheap check for request paths: is a moment due (or none drawn yet) with items pending?"""
    schedule = session.get(PublicationSchedule, SCHEDULE_ID)
    if schedule is not None and now < schedule.next_at:
        return False
    return pending_count(session) > 0


def publish_pending(session: Session, *, now: datetime, today: date, force: bool = False) -> int:
    """Publish the pool if its moment has come (or `force`); returns how many items went out."""
    # Row lock on PostgreSQL: two workers never publish the same pool (SQLite: BEGIN IMMEDIATE).
    schedule = session.get(PublicationSchedule, SCHEDULE_ID, with_for_update=True)
    if schedule is None:
        schedule = PublicationSchedule(id=SCHEDULE_ID, next_at=now + _gap())
        session.add(schedule)
        session.flush()
        if not force:
            return 0
    if not force and now < schedule.next_at:
        return 0
    missed = now - schedule.next_at > MISSED_GRACE
    schedule.next_at = now + _gap()
    pending = list(session.scalars(select(PendingFeedback)))
    stale = any(p.received_on <= today - timedelta(days=STALE_DAYS) for p in pending)
    due = len(pending) >= MIN_BATCH or any(p.received_on < today for p in pending)
    if not pending or (not force and (not due or (missed and not stale))):
        session.flush()
        return 0
    secrets.SystemRandom().shuffle(pending)
    grouping = anonymity.team_grouping(session)
    taken: set[int] = set()
    for held in pending:
        pooled = held.team_id is not None and held.team_id not in grouping.visible
        item = FeedbackItem(
            id=_new_id(session, taken),
            title=held.title,
            details=held.details,
            category=held.category,
            team_id=None if pooled else held.team_id,
            pooled=pooled,
            anonymous=True,
            author_id=None,
            raised_on=held.received_on,
            raised_at=None,
            receipt_hash=held.receipt_hash,
            idempotency_key=held.idempotency_key,
            status="new",
            customer_impact=held.customer_impact,
        )
        session.add(item)
        record_change(
            session,
            item,
            from_status="",
            to_status="new",
            actor_id=None,
            now=None,
            on_day=held.received_on,
        )
    # Deleted rows are zeroed by SQLite's secure_delete (db.py); PostgreSQL: see scrub_storage.
    session.execute(
        delete(PendingFeedback).where(PendingFeedback.key.in_([p.key for p in pending]))
    )
    schedule.last_published_on = today
    session.flush()
    return len(pending)


def _new_id(session: Session, taken: set[int]) -> int:
    """A random, unused six-digit public number (also unused within this batch)."""
    while True:
        candidate = 100000 + secrets.randbelow(900000)
        if candidate not in taken and session.get(FeedbackItem, candidate) is None:
            taken.add(candidate)
            return candidate


def scrub_storage(engine: Engine) -> None:
    """After a publication: fold the WAL into the file and empty it (SQLite), or VACUUM the pool
    table so its dead tuples go (PostgreSQL). Best effort: a busy reader may delay it."""
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            # Don't hold a request for long behind other readers: the next run scrubs again.
            cursor.execute("PRAGMA busy_timeout=200")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA busy_timeout=10000")
        finally:
            raw.close()
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM feedback_pending")

"""Is my calendar working? Who fetches a feed, when, and how often nothing had changed (304).

Per feed and kind of client (told from the User-Agent: google, outlook, apple, thunderbird,
other) one ``FeedFetch`` row keeps the first and last fetch and two counters; no address and no
User-Agent text are kept. A feed fetch must stay cheap, so each process counts in memory and
writes a row at most once every FEED_FETCH_WRITE_SECONDS (default 60) per feed and client kind;
counts of a process's last unwritten minute are lost when it stops (an undercount, never more).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from planner import db as planner_db
from planner.i18n import lazy_gettext as _l
from planner.models import FeedFetch

log = logging.getLogger("planner.feeds")
DEFAULT_WRITE_SECONDS = 60.0
# A client that has not fetched for this long has stopped refreshing (Google: every 8-24 h).
STALE_AFTER = timedelta(hours=48)
LABELS = {
    "google": _l("Google"),
    "outlook": _l("Outlook"),
    "apple": _l("Apple Calendar"),
    "thunderbird": _l("Thunderbird"),
    "other": _l("Another app"),
}
# Checked in this order, lower-case substrings of the User-Agent.
_SIGNS = (
    ("thunderbird", ("thunderbird", "lightning/")),
    ("google", ("google-calendar-importer", "google-calendar", "googlebot", "google")),
    ("outlook", ("outlook", "microsoft office", "microsoft exchange", "exchange", "office365")),
    ("apple", ("dataaccessd", "calendaragent", "calendarstore", "ical/", "ios/", "macos/")),
)


def client_kind(user_agent: str | None) -> str:
    """The kind of calendar client a User-Agent names (``other`` when unknown or absent)."""
    agent = (user_agent or "").lower()
    for kind, signs in _SIGNS:
        if any(sign in agent for sign in signs):
            return kind
    return "other"


@dataclass
class _Pending:
    """Fetches seen by this process and not yet written."""

    fetches: int = 0
    not_modified: int = 0
    last_at: datetime | None = None
    written: float = float("-inf")


def _pending(app: Flask) -> tuple[dict[tuple[int, str], _Pending], threading.Lock]:
    """This app's table of pending counts."""
    found = app.extensions.get("feeds_fetches")
    if found is None:
        found = app.extensions.setdefault("feeds_fetches", ({}, threading.Lock()))
    return found


def add_counts(
    session: Session, feed_id: int, client: str, fetches: int, not_modified: int, at: datetime
) -> None:
    """Add counts to a feed's row for ``client`` (created on the first fetch); flushes."""
    row = session.get(FeedFetch, (feed_id, client))
    if row is None:
        row = FeedFetch(feed_id=feed_id, client=client, first_at=at, last_at=at, fetches=0,
                        not_modified=0)  # fmt: skip
        session.add(row)
    row.fetches += fetches
    row.not_modified += not_modified
    row.last_at = max(row.last_at, at)
    session.flush()


def record(
    app: Flask, feed_id: int, user_agent: str | None, *, not_modified: bool, now: datetime
) -> None:
    """Count one fetch; write it (with any pending ones) if this pair was not written lately."""
    client = client_kind(user_agent)
    interval = float(app.config.get("FEED_FETCH_WRITE_SECONDS", DEFAULT_WRITE_SECONDS))
    table, lock = _pending(app)
    clock = time.monotonic()
    with lock:
        pending = table.setdefault((feed_id, client), _Pending())
        pending.fetches += 1
        pending.not_modified += int(not_modified)
        pending.last_at = now
        if clock - pending.written < interval:
            return
        counts = (pending.fetches, pending.not_modified, now)
        pending.fetches, pending.not_modified, pending.written = 0, 0, clock
    try:
        with planner_db.write_session(app) as session:
            add_counts(session, feed_id, client, *counts)
            session.commit()
    except SQLAlchemyError as exc:  # e.g. the feed was deleted meanwhile: never fail the fetch
        log.warning("feed %s: fetch not recorded (%s)", feed_id, type(exc).__name__)
        with lock:
            pending.fetches += counts[0]
            pending.not_modified += counts[1]


@dataclass(frozen=True)
class Seen:
    """One client kind's fetches of a feed, for the pages."""

    client: str
    label: str
    first_at: datetime
    last_at: datetime
    fetches: int
    not_modified: int
    stale: bool


def seen_by(session: Session, feed_ids: list[int], now: datetime) -> dict[int, list[Seen]]:
    """Fetch records by feed id, most recent client first."""
    found: dict[int, list[Seen]] = {i: [] for i in feed_ids}
    if not feed_ids:
        return found
    stmt = select(FeedFetch).where(FeedFetch.feed_id.in_(feed_ids))
    for row in sorted(session.scalars(stmt), key=lambda r: r.last_at, reverse=True):
        found[row.feed_id].append(
            Seen(row.client, LABELS.get(row.client, row.client), row.first_at, row.last_at,
                 row.fetches, row.not_modified, now - row.last_at > STALE_AFTER)
        )  # fmt: skip
    return found


def ago(then: datetime, now: datetime) -> str:
    """'5 hours ago', 'just now', '3 days ago'."""
    seconds = max(0, int((now - then).total_seconds()))
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"

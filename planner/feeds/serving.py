"""The feed request path: token lookup, cached bytes, conditional GET and gzip (FEEDS.md 19-21).

Each request looks its token up in the database (so a rotation or a disabled person stops the
URL at once, in every worker). The bytes come from a per-process memo, re-validated against the
database at most every FEED_RECHECK_SECONDS; re-validation runs the feed's light query and, only
when something changed, refreshes the stale pieces and re-assembles in a write transaction.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from flask import Flask, Request, Response
from sqlalchemy import Connection, bindparam, select
from sqlalchemy.exc import DBAPIError

from planner import db as planner_db
from planner.feeds import operations
from planner.feeds.tokens import hash_token, looks_like_token
from planner.models import Feed, Person

DEFAULT_RECHECK_SECONDS = 30.0
CACHE_CONTROL = "private, max-age=0, must-revalidate"


@dataclass
class Memo:
    """One feed's bytes as this process last served them."""

    token_hash: str
    etag: str
    body: bytes
    built_at: datetime
    checked: float
    _gzipped: bytes | None = field(default=None, repr=False)

    @property
    def gzipped(self) -> bytes:
        """The body gzip-compressed (mtime 0, so the bytes are stable too)."""
        if self._gzipped is None:
            self._gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
        return self._gzipped


def _memos(app: Flask) -> tuple[dict[int, Memo], threading.Lock]:
    """This app's memo table (per app: tests run many apps in one process)."""
    found = app.extensions.get("feeds_memo")
    if found is None:
        found = app.extensions.setdefault("feeds_memo", ({}, threading.Lock()))
    return found


@dataclass(frozen=True)
class Found:
    """A live feed's identity, as the per-request lookup returns it."""

    id: int
    token_hash: str


# Built once: the lookup runs on every feed request, and building a statement costs more than
# running it (SQLAlchemy then reuses the compiled form).
_LOOKUP = (
    select(Feed.id, Feed.token_hash)
    .outerjoin(Person, Person.id == Feed.person_id)
    .where(
        Feed.token_hash == bindparam("token_hash"),
        Feed.active.is_(True),
        Feed.person_id.is_(None) | Person.active.is_(True),
    )
)


class _KeptConnection(threading.local):
    """One database connection per worker thread, kept for token lookups."""

    conn: Connection | None = None


def _keep_connection(app: Flask) -> bool:
    """Keep a lookup connection per thread (default outside tests, which open many apps)."""
    return bool(app.config.get("FEED_KEEP_LOOKUP_CONNECTION", not app.testing))


def find_feed(app: Flask, token: str) -> Found | None:
    """The enabled feed of this token whose owner (if a person) is active, or None.

    Runs on every feed request, so that a rotation or a disabled person takes effect at once in
    every worker. A pool checkout (with its pre-ping) costs more than the query itself, so each
    thread keeps one connection and ends its read transaction after every lookup.
    """
    if not looks_like_token(token):
        return None
    params = {"token_hash": hash_token(token)}
    engine = planner_db.database(app).engine
    if not _keep_connection(app):
        with engine.connect() as conn:
            row = conn.execute(_LOOKUP, params).first()
        return Found(row[0], row[1]) if row else None
    kept = app.extensions.setdefault("feeds_lookup", _KeptConnection())
    for attempt in (1, 2):
        if kept.conn is None or kept.conn.closed:
            kept.conn = engine.connect()
        try:
            row = kept.conn.execute(_LOOKUP, params).first()
            kept.conn.rollback()  # a fresh snapshot next time: rotations show at once
            break
        except DBAPIError:
            kept.conn.invalidate()  # e.g. the database restarted: reconnect once
            kept.conn.close()
            kept.conn = None
            if attempt == 2:
                raise
    return Found(row[0], row[1]) if row else None


def release_lookup_connection(app: Flask) -> None:
    """Close this thread's kept lookup connection (tests; shutting down)."""
    kept = app.extensions.get("feeds_lookup")
    if kept is not None and kept.conn is not None:
        kept.conn.close()
        kept.conn = None


def current_bytes(app: Flask, found: Found, now: datetime) -> Memo | None:
    """The feed's bytes: from the memo, from the shared cache, or rebuilt (and committed)."""
    memos, lock = _memos(app)
    if recent := fresh_memo(app, found):
        return recent
    memo = memos.get(found.id)
    clock = time.monotonic()
    session = planner_db.get_session()
    feed = session.get(Feed, found.id)
    if feed is None:  # deleted since the lookup
        return None
    settings = operations.feed_settings(session, app.config["BASE_URL"], app.config["UID_DOMAIN"])
    _ids, stale, key = operations.feed_plan(session, feed, settings, now)
    if not stale and key == feed.cache_key and feed.cache_body and feed.cache_built_at:
        etag, body, built_at = feed.cache_etag or "", feed.cache_body, feed.cache_built_at
    else:
        with planner_db.write_session(app) as writer:
            fresh = writer.get(Feed, feed.id)
            assert fresh is not None
            built = operations.build_feed(writer, fresh, settings, now)
            writer.commit()
        etag, body, built_at = built.etag, built.body, built.built_at
    if memo and memo.etag == etag:
        memo.checked, memo.token_hash = clock, feed.token_hash
        return memo
    memo = Memo(feed.token_hash, etag, body, built_at, clock)
    with lock:
        memos[feed.id] = memo
    return memo


def _etags(header: str) -> list[str]:
    """The entity tags of an If-None-Match header, weak prefixes removed."""
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def not_modified(request: Request, memo: Memo) -> bool:
    """RFC 9110: If-None-Match decides when present; else If-Modified-Since not older."""
    return matches(request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"),
                   memo)  # fmt: skip


def matches(if_none_match: str | None, since: str | None, memo: Memo) -> bool:
    """Whether the client's validators (header values, or None) match the memo's bytes."""
    if if_none_match is not None:
        tags = _etags(if_none_match)
        gz_tag = memo.etag[:-1] + '-gz"'
        return "*" in tags or memo.etag in tags or gz_tag in tags
    if not since:
        return False
    try:
        when = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if when.tzinfo is None:
        return False
    return memo.built_at <= when


def wants_gzip(request: Request) -> bool:
    """Whether the client accepts gzip (and did not refuse it with q=0)."""
    return accepts_gzip(request.headers.get("Accept-Encoding", ""))


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header value accepts gzip (and did not refuse it with q=0)."""
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            q = params.strip().removeprefix("q=") if params.strip().startswith("q=") else "1"
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def validators(memo: Memo, gz: bool) -> dict[str, str]:
    """The caching headers of a feed response (200 or 304)."""
    return {
        "ETag": memo.etag[:-1] + '-gz"' if gz else memo.etag,
        "Last-Modified": format_datetime(memo.built_at, usegmt=True),
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
    }


def fresh_memo(app: Flask, found: Found) -> Memo | None:
    """This process's memo of the feed if it needs no re-validation yet (else None)."""
    memos, _lock = _memos(app)
    memo = memos.get(found.id)
    recheck = float(app.config.get("FEED_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))
    if memo and memo.token_hash == found.token_hash and time.monotonic() - memo.checked < recheck:
        return memo
    return None


def feed_response(request: Request, memo: Memo) -> Response:
    """200 with the bytes (gzip when asked) or 304; never a cookie, never an attachment."""
    gz = wants_gzip(request)
    headers = validators(memo, gz)
    if not_modified(request, memo):
        return Response(status=304, headers=headers)
    body = memo.gzipped if gz else memo.body
    if gz:
        headers["Content-Encoding"] = "gzip"
    return Response(body, 200, headers=headers, content_type="text/calendar; charset=utf-8")


def not_found() -> Response:
    """A plain 404 for unknown, rotated or disabled tokens (no page, no session)."""
    return Response("Not found\n", 404, content_type="text/plain; charset=utf-8")

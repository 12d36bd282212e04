"""Cheap "has anything changed?" checks, so that feed work is skipped when nothing did.

Checking every event's rendered piece against its full key costs seconds at 10,000 people
(82,717 pieces: 7 s). A fingerprint of the event table (count, highest id, latest
`last_modified`, sum of sequences, pieces missing) and of the render context is one aggregate
query; when it equals the one stored after the last full check (a RenderMark row), no piece can
be stale and the check is skipped. Every event change bumps `last_modified` or `sequence`, or
clears the piece (DESIGN.md rule 8); what an event's piece shows besides its own row (a star's
name from its day on) is re-checked per feed by `feed_plan` anyway.

The static export adds a fingerprint of what a whole feed depends on (the window around now,
cancellations still in their grace week, people, teams, the organisation, the feed's own
settings), kept per feed in the export folder, and skips feeds whose fingerprint is unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.feeds import queries
from planner.feeds.operations import FeedSettings, refresh_pieces
from planner.models import Event, Feed, Organisation, Person, RenderMark, Team

Progress = Callable[[int, int, str], None]


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def pieces_fingerprint(session: Session, settings: FeedSettings) -> str:
    """One aggregate query over the event table, plus the render context."""
    row = session.execute(
        select(
            func.count(Event.id),
            func.max(Event.id),
            func.max(Event.last_modified),
            func.coalesce(func.sum(Event.sequence), 0),
            func.coalesce(func.sum(case((Event.ics_piece.is_(None), 1), else_=0)), 0),
        )
    ).one()
    return _digest(settings.context, settings.version, *row)


def refresh_changed_pieces(
    session: Session, settings: FeedSettings, progress: Progress | None = None
) -> int | None:
    """Re-render the stale pieces of every event, unless nothing changed since the last full
    check (then None: skipped). Returns how many were re-rendered; flushes."""
    name = f"pieces:{settings.context}"
    mark = session.get(RenderMark, name)
    if mark is not None and mark.fingerprint == pieces_fingerprint(session, settings):
        return None
    ids = list(session.scalars(select(Event.id)))
    changed = refresh_pieces(session, ids, settings, progress=progress)
    after = pieces_fingerprint(session, settings)  # missing pieces are filled in now
    if mark is None:
        session.add(RenderMark(name=name, fingerprint=after, updated_at=utcnow()))
    else:
        mark.fingerprint, mark.updated_at = after, utcnow()
    session.flush()
    return changed


def world_fingerprint(session: Session, settings: FeedSettings, now: datetime) -> str:
    """What every feed's bytes depend on at `now` besides its own settings: the events, the
    feed window, cancellations still shown, people, teams and the organisation."""
    start, end, first_day, last_day = queries.window(now, settings.zone)
    shown_cancelled = session.scalar(
        select(func.count(Event.id)).where(
            Event.status == "cancelled",
            func.coalesce(Event.cancelled_at, Event.last_modified) >= now - queries.CANCELLED_GRACE,
        )
    )
    people = session.execute(
        select(func.count(Person.id), func.max(Person.id), func.max(Person.updated_at))
    ).one()
    teams = session.execute(select(Team.id, Team.name).order_by(Team.id)).all()
    org = session.scalar(select(Organisation.updated_at).where(Organisation.id == 1))
    return _digest(
        pieces_fingerprint(session, settings), start, end, first_day, last_day,
        shown_cancelled, *people, _digest(*teams), org,
    )  # fmt: skip


def feed_fingerprint(world: str, feed: Feed, folder: str) -> str:
    """A feed's fingerprint: the world's plus its own settings and where it is written."""
    return _digest(
        world, feed.id, feed.token_hash, feed.slug, feed.reminders, feed.practices,
        feed.scope, feed.person_id, feed.team_id, folder,
    )  # fmt: skip

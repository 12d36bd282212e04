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
settings, and the events it can hold), kept per feed in the export folder, and skips feeds whose
fingerprint is unchanged. The events part is read per *group* of the feed's audience (a team's
events, a host's, an attendee's, everyone's, the organisation's; each per practice) in a few
GROUP BY queries for all feeds at once, so a change to one event touches only the feeds whose
groups hold it, before or after the change (a moved event changes both teams' groups).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, case, cast, func, or_, select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.feeds import queries
from planner.feeds.operations import FeedSettings, refresh_pieces
from planner.models import (
    Event,
    Feed,
    Organisation,
    Person,
    RenderMark,
    Team,
    event_attendee,
    event_team,
)

Progress = Callable[[int, int, str], None]


def digest(*parts: object) -> str:
    """A SHA-256 of the parts' text."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _piece_columns() -> tuple[Any, ...]:
    """Per group of events: how many, the highest id, the latest change, the sum of sequences,
    pieces missing. An event that joins, leaves or changes in a group moves at least one of them
    (DESIGN.md rule 8: every change bumps last_modified or sequence, or clears the piece)."""
    return (
        func.count(Event.id),
        func.max(Event.id),
        func.max(Event.last_modified),
        func.coalesce(func.sum(Event.sequence), 0),
        func.coalesce(func.sum(case((Event.ics_piece.is_(None), 1), else_=0)), 0),
    )


def pieces_fingerprint(session: Session, settings: FeedSettings) -> str:
    """One aggregate query over the event table, plus the render context."""
    row = session.execute(select(*_piece_columns())).one()
    return digest(settings.context, settings.version, *row)


# Events by id range for the pieces check: a change re-checks its range's pieces only.
CHUNK = 1000


def _chunk_fingerprints(session: Session, settings: FeedSettings) -> dict[int, str]:
    """Id range (id // CHUNK) -> the fingerprint of its events, in one GROUP BY query."""
    chunk = Event.id // CHUNK
    rows = session.execute(select(chunk, *_piece_columns()).group_by(chunk))
    return {int(row[0]): digest(settings.context, settings.version, *row[1:]) for row in rows}


def _save_marks(session: Session, name: str, wanted: dict[str, str], held: dict[str, Any]) -> None:
    """Store the fingerprints `wanted` (RenderMark name -> fingerprint); drop held ones not
    wanted any more (id ranges left empty)."""
    now = utcnow()
    for key, fingerprint in wanted.items():
        mark = held.pop(key, None)
        if mark is None:
            session.add(RenderMark(name=key, fingerprint=fingerprint, updated_at=now))
        elif mark.fingerprint != fingerprint:
            mark.fingerprint, mark.updated_at = fingerprint, now
    for key, mark in held.items():
        if key != name:
            session.delete(mark)


def refresh_changed_pieces(
    session: Session, settings: FeedSettings, progress: Progress | None = None
) -> int | None:
    """Re-render the stale pieces of the events that changed since the last check, unless
    nothing did (then None: skipped). Returns how many were re-rendered; flushes.

    The check reads one fingerprint of the whole event table, and when it moved, one per id
    range (CHUNK events): only the ranges whose fingerprint moved are checked piece by piece
    (all of them the first time, and after the render context changed)."""
    name = f"pieces:{settings.context}"
    mark = session.get(RenderMark, name)
    if mark is not None and mark.fingerprint == pieces_fingerprint(session, settings):
        return None
    held = {
        m.name: m
        for m in session.scalars(select(RenderMark).where(RenderMark.name.startswith(name)))
    }
    chunks = _chunk_fingerprints(session, settings)
    moved = [c for c, fp in chunks.items() if mark is None
             or getattr(held.get(f"{name}:{c}"), "fingerprint", None) != fp]  # fmt: skip
    ids = list(session.scalars(select(Event.id).where((Event.id // CHUNK).in_(moved))))
    changed = refresh_pieces(session, ids, settings, progress=progress)
    # Missing pieces are filled in now: the fingerprints after the check.
    wanted = {f"{name}:{c}": fp for c, fp in _chunk_fingerprints(session, settings).items()}
    wanted[name] = pieces_fingerprint(session, settings)
    _save_marks(session, name, wanted, held)
    session.flush()
    return changed


def world_fingerprint(session: Session, settings: FeedSettings, now: datetime) -> str:
    """What every feed's bytes depend on at `now` besides its own settings and its events (see
    `EventGroups`): the render context, the feed window, cancellations still shown, people,
    teams and the organisation."""
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
    return digest(
        settings.context, settings.version, start, end, first_day, last_day,
        shown_cancelled, *people, digest(*teams), org,
    )  # fmt: skip


Groups = dict[Any, list[tuple[Any, ...]]]  # key -> [(practice, *aggregates)] by practice


def _grouped(
    session: Session, key: Any | None, *where: ColumnElement[bool], join: Any = None
) -> Groups:
    """The aggregates of the events matching `where`, per `key` (None: one group) and practice."""
    keys = (Event.practice,) if key is None else (key, Event.practice)
    stmt = select(*keys, *_piece_columns())
    if join is not None:
        stmt = stmt.join(join, join.c.event_id == Event.id)
    stmt = stmt.where(*where).group_by(*keys).order_by(*keys)
    found: Groups = {}
    for row in session.execute(stmt):
        group, values = (None, tuple(row)) if key is None else (row[0], tuple(row[1:]))
        found.setdefault(group, []).append(values)
    return found


@dataclass(frozen=True)
class EventGroups:
    """The aggregates of every group of events that feed audiences are made of (the parts of
    queries._who), read in six queries for all feeds at once."""

    team: Groups  # a team's own events, no private kinds
    addressed: Groups  # events addressed to a team, no private kinds
    host: Groups  # events a person hosts, any kind
    attendee: Groups  # events a person attends, any kind
    everyone: Groups  # for everyone, no private kinds (one group: key None)
    org: Groups  # the organisation feed's: activities, milestones, for everyone (key None)

    @classmethod
    def read(cls, session: Session) -> EventGroups:
        """The groups as the event table holds them now."""
        shared = Event.kind.not_in(queries.PRIVATE_KINDS)
        org_items = or_(Event.kind.in_(queries.ORG_KINDS), Event.for_everyone.is_(True))
        return cls(
            team=_grouped(session, Event.team_id, shared, Event.team_id.is_not(None)),
            addressed=_grouped(session, event_team.c.team_id, shared, join=event_team),
            host=_grouped(session, Event.host_id, Event.host_id.is_not(None)),
            attendee=_grouped(session, event_attendee.c.person_id, join=event_attendee),
            everyone=_grouped(session, None, shared, Event.for_everyone.is_(True)),
            org=_grouped(session, None, shared, org_items),
        )

    def fingerprint(self, audience: queries.Audience) -> str:
        """The events part of the fingerprint of a feed for `audience`: its groups' aggregates
        (of its practices only, when the feed is narrowed to some)."""
        if audience.scope == "org":
            parts = [self.org.get(None, [])]
        elif audience.scope == "team":
            team = audience.team_id
            parts = [self.team.get(team, []), self.addressed.get(team, [])]
            parts.append(self.everyone.get(None, []))
        else:
            person = audience.person_id
            parts = [self.host.get(person, []), self.attendee.get(person, [])]
            parts.append(self.everyone.get(None, []))
            if audience.role == "staff" and audience.team_id is not None:
                parts += [self.team.get(audience.team_id, []),
                          self.addressed.get(audience.team_id, [])]  # fmt: skip
        wanted = set(audience.practices)
        narrowed = [digest(*(r for r in part if not wanted or r[0] in wanted)) for part in parts]
        return digest(audience, *narrowed)


def audience_fingerprint(session: Session) -> str:
    """Who every event is for, in three aggregate queries: hosts, teams and for-everyone flags
    of the events, attendees, addressed teams (counts, sums of the ids and a checksum of the
    pairs). An event moved to another team or host (no new SEQUENCE: the piece does not show
    it) and an attendee or addressed team added, removed or swapped change it."""
    team, host = func.coalesce(Event.team_id, 0), func.coalesce(Event.host_id, 0)
    everyone = case((Event.for_everyone.is_(True), 1), else_=0)

    def pair(event_id: Any, other: Any) -> Any:  # 64-bit: ids times 7919 overflow an INTEGER
        return (cast(event_id, BigInteger) * 7919 + other) % 1000003

    columns = [
        (Event.id, pair(Event.id, team * 31 + host), team, host, everyone),
        (event_attendee.c.event_id,
         pair(event_attendee.c.event_id, event_attendee.c.person_id),
         event_attendee.c.person_id),
        (event_team.c.event_id,
         pair(event_team.c.event_id, event_team.c.team_id), event_team.c.team_id),
    ]  # fmt: skip
    parts = [
        session.execute(select(func.count(), *(func.coalesce(func.sum(c), 0) for c in group))).one()
        for group in columns
    ]
    return digest(*parts)


def events_fingerprints(session: Session, feeds: list[Feed]) -> dict[int, str]:
    """Feed id -> the fingerprint of the events each feed can hold (EventGroups.fingerprint)."""
    groups = EventGroups.read(session)
    wanted = {f.person_id for f in feeds if f.person_id}
    owners = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}
    return {
        f.id: groups.fingerprint(queries.audience_of(f, owners.get(f.person_id or 0)))
        for f in feeds
    }


def feed_fingerprint(world: str, feed: Feed, folder: str, events: str = "") -> str:
    """A feed's fingerprint: the world's plus its own settings, where it is written and the
    fingerprint of the events it can hold (EventGroups.fingerprint)."""
    return digest(
        world, feed.id, feed.token_hash, feed.slug, feed.reminders, feed.practices,
        feed.scope, feed.person_id, feed.team_id, folder, events,
    )  # fmt: skip

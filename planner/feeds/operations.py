"""Render on change, serve stored bytes (FEEDS.md "Speed"; issue item 6).

Each Event keeps its rendered VEVENT in ``ics_piece`` and ``ics_key`` = a hash of everything the
render depends on. ``ics_key`` starts with 8 hex digits of the render *context* (time zone,
BASE_URL, UID_DOMAIN, renderer version), so a changed context is seen from the key alone, without
loading the event. update_event clears ``ics_piece`` on a visible change; a feed request refreshes
only the stale pieces of that feed. The assembled bytes are cached on the Feed row (shared by all
workers) under a key made of the feed's header and its (event id, ics_key) list in feed order.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner import __version__
from planner.feeds import queries, sizing, wording
from planner.feeds.ical import (
    FeedEvent,
    add_alarm,
    assemble_calendar,
    canonical_tzid,
    feed_years,
    make_uid,
    render_vevent,
    render_vtimezone,
)
from planner.models import Event, Feed, Organisation, Person, Team
from planner.recognition import surprise

log = logging.getLogger("planner.feeds")
RENDER_VERSION = "3"  # bump when render_piece changes its output, to re-render every piece
# Never in any feed: a follow-up's description may quote feedback (SECURITY.md item 16).
NO_DESCRIPTION_KINDS = frozenset({"follow_up"})
FALLBACK_PATH = "/feeds/"
# The last character of the ics_key of a piece that hides a service star until its day (never a
# hex digit): such a piece is rendered again once the day has come.
SEALED_MARK = "s"
MAX_FEED_BYTES = sizing.LIMIT_BYTES  # Google's limit (FEEDS.md item 18)


@dataclass(frozen=True)
class FeedSettings:
    """What every render depends on besides the event itself."""

    base_url: str
    uid_domain: str
    tzid: str  # canonical IANA name
    version: str = __version__
    language: str = "en"  # the readers' language (the organisation's locale)

    @property
    def context(self) -> str:
        """8 hex digits naming the render context (the prefix of every ics_key)."""
        raw = f"{RENDER_VERSION}|{self.tzid}|{self.base_url}|{self.uid_domain}|{self.language}"
        return hashlib.sha256(raw.encode()).hexdigest()[:8]

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's zone."""
        return ZoneInfo(self.tzid)


def feed_settings(session: Session, base_url: str, uid_domain: str) -> FeedSettings:
    """Settings from the app configuration and the organisation's time zone."""
    name, _zone = queries.organisation_zone(session)
    try:
        tzid = canonical_tzid(name)
    except ValueError:
        tzid = "Etc/UTC"
    org = session.get(Organisation, 1)
    language = (org.locale if org else "") or "en"
    return FeedSettings(base_url.rstrip("/"), uid_domain, tzid, language=language)


def _category(label: str) -> str:
    """A CATEGORIES value without commas: the strict `ical` parser splits even an escaped one."""
    return " ".join(label.replace(",", " ").replace(";", " ").split())


def feed_event(event: Event, settings: FeedSettings, today: date | None = None) -> FeedEvent:
    """The FeedEvent of an Event row (no private detail where the kind forbids it; a star's name
    only from the day of its recognition event)."""
    today = today or datetime.now(settings.zone).date()
    if event.all_day:
        start: datetime | date = event.start_date  # type: ignore[assignment]
        end: datetime | date = event.end_date  # type: ignore[assignment]
    else:
        start, end = event.start_at, event.end_at  # type: ignore[assignment]
    # Items without a page of their own link to "My calendar", which lists them.
    url = settings.base_url + (event.link_path or FALLBACK_PATH)
    cancelled = event.status == "cancelled"
    # A follow-up's description may quote feedback: it gets the link only (SECURITY.md 16).
    text = (
        ""
        if event.kind in NO_DESCRIPTION_KINDS
        else surprise.shown_description(event, today, settings.zone)
    )
    return FeedEvent(
        uid=make_uid(event.uid, settings.uid_domain),
        sequence=event.sequence,
        last_modified=event.last_modified,
        title=wording.cancelled_title(event.title, settings.language) if cancelled else event.title,
        start=start,
        end=end,
        description=wording.description_with_link(text, url, settings.language),
        location=event.location,
        url=url,
        categories=(_category(event.practice_label), _category(event.kind_label)),
        status=event.status.upper(),
        transparent=wording.is_transparent(
            kind=event.kind, all_day=event.all_day, transparent=event.transparent,
            cancelled=cancelled,
        ),
    )  # fmt: skip


def piece_key(event: FeedEvent, settings: FeedSettings) -> str:
    """ics_key: the context prefix + a hash of every rendered field."""
    digest = hashlib.sha256(repr((event, settings.version)).encode()).hexdigest()
    return settings.context + digest[:56]


def refresh_piece(event: Event, settings: FeedSettings, today: date | None = None) -> bool:
    """Re-render one event's piece if its key changed; returns whether it did."""
    today = today or datetime.now(settings.zone).date()
    try:
        data = feed_event(event, settings, today)
    except ValueError as exc:
        # One bad row must not break every subscriber's feed: leave it out, say so in the log.
        log.warning("event %s left out of feeds: %s", event.id, exc)
        key, piece = settings.context + "invalid".ljust(56, "0"), ""
    else:
        key = piece_key(data, settings)
        if surprise.keeps_secret(event, today, settings.zone):
            key = key[:-1] + SEALED_MARK
        if event.ics_key == key and event.ics_piece is not None:
            return False
        piece = render_vevent(data, settings.tzid)
    event.ics_key, event.ics_piece = key, piece
    return True


def refresh_pieces(
    session: Session, event_ids: Iterable[int], settings: FeedSettings, today: date | None = None
) -> int:
    """Re-render the pieces of the given events that are stale; flushes; returns how many."""
    ids = sorted(set(event_ids))
    today = today or datetime.now(settings.zone).date()
    changed = 0
    for start in range(0, len(ids), 500):
        batch = session.scalars(select(Event).where(Event.id.in_(ids[start : start + 500])))
        changed += sum(refresh_piece(event, settings, today) for event in batch)
    session.flush()
    return changed


def refresh_all_pieces(session: Session, settings: FeedSettings) -> int:
    """Check every event's piece against its full key (for export and benchmarks)."""
    return refresh_pieces(session, session.scalars(select(Event.id)), settings)


def is_stale(ics_key: str | None, missing: bool, settings: FeedSettings) -> bool:
    """A piece needs rendering: none stored, or rendered in another context."""
    return missing or ics_key is None or not ics_key.startswith(settings.context)


def _unseal(row: tuple, today: date, zone: ZoneInfo) -> bool:
    """A piece that hides a star whose day has come (row: id, ics_key, missing, start_at, ...)."""
    key, start_at, start_date = row[1], row[3], row[4]
    if key is None or not key.endswith(SEALED_MARK):
        return False
    day = start_at.astimezone(zone).date() if start_at is not None else start_date
    return day is not None and day <= today


@dataclass(frozen=True)
class Built:
    """An assembled feed and its validators."""

    key: str
    etag: str
    body: bytes
    built_at: datetime


def calendar_title(session: Session, feed: Feed) -> tuple[str, str]:
    """(X-WR-CALNAME, X-WR-CALDESC) of a feed."""
    narrowed = ", ".join(feed.practice_list)
    suffix = f" ({narrowed})" if narrowed else ""
    if feed.scope == "person":
        person = session.get(Person, feed.person_id)
        who = person.name if person else "Personal"
        return (
            f"{who}{suffix} · Service Week",
            f"Service Week Planner: {who}'s skip-levels, recognitions, outreach and follow-ups",
        )
    if feed.scope == "team":
        team = session.get(Team, feed.team_id)
        name = team.name if team else "Team"
        return f"{name}{suffix} · Service Week", f"Service Week Planner: events of {name}"
    return (
        f"Customer Service Week{suffix}",
        "Service Week Planner: Customer Service Week and organisation-wide activities",
    )


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, years: range) -> str:
    """The VTIMEZONE block (the same for every feed of the organisation)."""
    return render_vtimezone(tzid, years)


def feed_plan(
    session: Session, feed: Feed, settings: FeedSettings, now: datetime
) -> tuple[list[int], list[int], str]:
    """(event ids in feed order, ids of stale pieces, cache key) of a feed at ``now``."""
    person = session.get(Person, feed.person_id) if feed.person_id else None
    audience = queries.audience_of(feed, person)
    zone = settings.zone
    rows = queries.key_rows(session, audience, now, zone)
    rows.sort(key=lambda r: queries.sort_key(r[3], r[4], r[5], zone))
    today = now.astimezone(zone).date()
    stale = [r[0] for r in rows if is_stale(r[1], r[2], settings) or _unseal(r, today, zone)]
    name, description = calendar_title(session, feed)
    years = feed_years(now.astimezone(zone).date())
    header = f"{name}|{description}|{settings.tzid}|{settings.version}|{years.start}-{years.stop}"
    header += f"|{feed.reminders}"
    digest = hashlib.sha256(header.encode())
    for row in rows:
        digest.update(f"\n{row[0]}:{row[1]}".encode())
    return [r[0] for r in rows], stale, digest.hexdigest()


def assemble_feed(
    session: Session, feed: Feed, settings: FeedSettings, ids: list[int], now: datetime
) -> tuple[bytes, sizing.Fitted]:
    """Join the stored pieces of ``ids`` (in that order) into the feed's bytes, under 1 MB."""
    found: dict[int, tuple[str, datetime]] = {}
    alarms = wording.alarms_for(feed.reminders, settings.language)
    zone = settings.zone
    for start in range(0, len(ids), 900):
        stmt = select(Event.id, Event.ics_piece, Event.all_day, Event.kind, Event.status,
                      Event.start_at, Event.start_date)  # fmt: skip
        for row in session.execute(stmt.where(Event.id.in_(ids[start : start + 900]))):
            piece = row[1]
            if not piece:
                continue
            alarm = alarms.get((row[2], row[3])) or alarms.get((row[2], ""))
            if alarm and row[4] != "cancelled":
                piece = add_alarm(piece, alarm)
            found[row[0]] = (piece, queries.sort_key(row[5], row[6], "", zone)[0])
    name, description = calendar_title(session, feed)
    years = feed_years(now.astimezone(zone).date())
    vtimezone = _vtimezone(settings.tzid, years)
    header = {"name": name, "description": description, "tzid": settings.tzid,
              "version": settings.version, "vtimezone": vtimezone}  # fmt: skip
    pieces = [found[i] for i in ids if i in found]
    fitted = sizing.fit(
        [start for _piece, start in pieces],
        [len(piece.encode("utf-8")) for piece, _start in pieces],
        len(assemble_calendar([], **header)),
        now,
    )
    body = assemble_calendar((pieces[i][0] for i in fitted.keep), **header)
    return body, fitted


def etag_of(body: bytes) -> str:
    """A strong ETag for feed bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def build_feed(session: Session, feed: Feed, settings: FeedSettings, now: datetime) -> Built:
    """The feed's bytes at ``now``: refresh stale pieces, reuse or rebuild the cache; flushes."""
    ids, stale, key = feed_plan(session, feed, settings, now)
    if stale:
        refresh_pieces(session, stale, settings, now.astimezone(settings.zone).date())
        ids, _stale, key = feed_plan(session, feed, settings, now)
    if feed.cache_key == key and feed.cache_body is not None and feed.cache_built_at:
        etag = feed.cache_etag or etag_of(feed.cache_body)
        return Built(key, etag, feed.cache_body, feed.cache_built_at)
    body, fitted = assemble_feed(session, feed, settings, ids, now)
    if fitted.cut_after or fitted.cut_before or len(body) > sizing.WARN_BYTES:
        log.warning("feed %s is %d bytes (window narrowed to stay under 1 MB: %s)",
                    feed.id, len(body), bool(fitted.cut_after or fitted.cut_before))  # fmt: skip
    etag = etag_of(body)
    if etag != feed.cache_etag or feed.cache_built_at is None:
        feed.cache_built_at = now.replace(microsecond=0)
    feed.cache_key, feed.cache_etag, feed.cache_body = key, etag, body
    feed.cache_size, feed.cache_cut_after = len(body), fitted.cut_after
    feed.cache_cut_before = fitted.cut_before
    session.flush()
    return Built(key, etag, body, feed.cache_built_at)


def active_feeds(session: Session) -> list[Feed]:
    """Every feed that answers: enabled, and for personal feeds an active owner."""
    stmt = (
        select(Feed)
        .outerjoin(Person, Person.id == Feed.person_id)
        .where(Feed.active.is_(True), (Feed.person_id.is_(None)) | (Person.active.is_(True)))
        .order_by(Feed.id)
    )
    return list(session.scalars(stmt))

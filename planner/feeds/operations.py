"""Render on change, serve stored bytes (FEEDS.md "Speed"; issue item 6).

Each Event keeps its rendered VEVENT in ``ics_piece`` and ``ics_key`` = a hash of everything the
render depends on. ``ics_key`` starts with 8 hex digits of the render *context* (time zone,
BASE_URL, UID_DOMAIN, renderer version), so a changed context is seen from the key alone, without
loading the event. update_event clears ``ics_piece`` on a visible change; a feed request refreshes
only the stale pieces of that feed. The assembled bytes are cached on the Feed row (shared by all
workers) under a key made of the feed's header and its (event id, ics_key) list in feed order.

Language: team and organisation feeds speak the organisation's language; a personal feed its
owner's. Pieces in the organisation's language live on the Event row, others in EventPiece (one
per event and language, stale when the event's sequence moved on), so each language is fast.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
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
from planner.i18n import _, in_language, language_of
from planner.i18n.content import shown
from planner.models import Event, EventPiece, Feed, Organisation, Person, Team
from planner.recognition import surprise

log = logging.getLogger("planner.feeds")
RENDER_VERSION = "5"  # bump when render_piece changes its output, to re-render every piece
# (5: outreach descriptions and "Done:" titles in the feed owner's language, i18n/content.py)
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
    language: str = "en"  # the readers' language (the organisation's, or a feed owner's)
    home_language: str = "en"  # the organisation's: its pieces live on the Event row

    @property
    def on_event_row(self) -> bool:
        """Whether this language's pieces are the Event row's (else EventPiece rows)."""
        return self.language == self.home_language

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
    language = language_of(org.locale if org else "") or "en"
    return FeedSettings(
        base_url.rstrip("/"), uid_domain, tzid, language=language, home_language=language
    )


def settings_for(session: Session, feed: Feed, settings: FeedSettings) -> FeedSettings:
    """The settings of one feed: a personal feed in its owner's language, if they chose one."""
    if feed.scope != "person" or not feed.person_id:
        return settings
    person = session.get(Person, feed.person_id)
    own = language_of(person.language) if person is not None else None
    if not own or own == settings.language:
        return settings
    return FeedSettings(
        settings.base_url, settings.uid_domain, settings.tzid, settings.version,
        language=own, home_language=settings.home_language,
    )  # fmt: skip


def _category(label: str) -> str:
    """A CATEGORIES value without commas: the strict `ical` parser splits even an escaped one."""
    return " ".join(label.replace(",", " ").replace(";", " ").split())


def feed_event(event: Event, settings: FeedSettings, today: date | None = None) -> FeedEvent:
    """The FeedEvent of an Event row (no private detail where the kind forbids it; a star's name
    only from the day of its recognition event), in the settings' language."""
    with in_language(settings.language):
        return _feed_event(event, settings, today)


def _feed_event(event: Event, settings: FeedSettings, today: date | None) -> FeedEvent:
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
        else shown(surprise.shown_description(event, today, settings.zone))
    )
    title = shown(event.title)
    return FeedEvent(
        uid=make_uid(event.uid, settings.uid_domain),
        sequence=event.sequence,
        last_modified=event.last_modified,
        title=wording.cancelled_title(title, settings.language) if cancelled else title,
        start=start,
        end=end,
        description=wording.description_with_link(text, url, settings.language),
        location=event.location,
        url=url,
        categories=(_category(str(event.practice_label)), _category(str(event.kind_label))),
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


def _render(event: Event, settings: FeedSettings, today: date) -> tuple[str, str]:
    """(ics_key, piece) of an event in the settings' language."""
    try:
        data = feed_event(event, settings, today)
    except ValueError as exc:
        # One bad row must not break every subscriber's feed: leave it out, say so in the log.
        log.warning("event %s left out of feeds: %s", event.id, exc)
        return settings.context + "invalid".ljust(56, "0"), ""
    key = piece_key(data, settings)
    if surprise.keeps_secret(event, today, settings.zone):
        key = key[:-1] + SEALED_MARK
    return key, render_vevent(data, settings.tzid)


def refresh_piece(event: Event, settings: FeedSettings, today: date | None = None) -> bool:
    """Re-render one event's piece (on the Event row) if its key changed; returns whether it did."""
    today = today or datetime.now(settings.zone).date()
    key, piece = _render(event, settings, today)
    if event.ics_key == key and event.ics_piece is not None:
        return False
    event.ics_key, event.ics_piece = key, piece
    return True


def _refresh_language_piece(
    session: Session, event: Event, held: EventPiece | None, settings: FeedSettings, today: date
) -> bool:
    """The same for a piece in another language (an EventPiece row)."""
    key, piece = _render(event, settings, today)
    if held is None:
        session.add(EventPiece(event_id=event.id, language=settings.language,
                               sequence=event.sequence, ics_key=key, ics_piece=piece))  # fmt: skip
        return True
    if held.ics_key == key and held.sequence == event.sequence:
        return False
    held.ics_key, held.ics_piece, held.sequence = key, piece, event.sequence
    return True


def refresh_pieces(
    session: Session,
    event_ids: Iterable[int],
    settings: FeedSettings,
    today: date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> int:
    """Re-render the pieces of the given events that are stale; flushes; returns how many.
    `progress(done, total, words)` hears how many were checked."""
    ids = sorted(set(event_ids))
    today = today or datetime.now(settings.zone).date()
    changed = 0
    for start in range(0, len(ids), 500):
        if progress is not None:
            progress(start, len(ids), _("Checking calendar items"))
        chunk = ids[start : start + 500]
        batch = session.scalars(select(Event).where(Event.id.in_(chunk)))
        if settings.on_event_row:
            changed += sum(refresh_piece(event, settings, today) for event in batch)
            continue
        held = {
            p.event_id: p
            for p in session.scalars(
                select(EventPiece).where(
                    EventPiece.event_id.in_(chunk), EventPiece.language == settings.language
                )
            )
        }
        changed += sum(
            _refresh_language_piece(session, event, held.get(event.id), settings, today)
            for event in batch
        )
    if progress is not None:
        progress(len(ids), len(ids), _("Checking calendar items"))
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


def calendar_title(session: Session, feed: Feed, language: str = "en") -> tuple[str, str]:
    """(X-WR-CALNAME, X-WR-CALDESC) of a feed, in the feed's language."""
    with in_language(language):
        return _calendar_title(session, feed)


def _calendar_title(session: Session, feed: Feed) -> tuple[str, str]:
    narrowed = ", ".join(feed.practice_list)
    suffix = f" ({narrowed})" if narrowed else ""
    if feed.scope == "person":
        person = session.get(Person, feed.person_id)
        who = person.name if person else _("Personal")
        shown_name = who + suffix
        return (
            _("%(name)s · Service Week", name=shown_name),
            _(
                "Service Week Planner: %(name)s's skip-levels, recognitions, outreach and"
                " follow-ups",
                name=who,
            ),
        )
    if feed.scope == "team":
        team = session.get(Team, feed.team_id)
        name = team.name if team else _("Team")
        shown_name = name + suffix
        return (
            _("%(name)s · Service Week", name=shown_name),
            _("Service Week Planner: events of %(name)s", name=name),
        )
    return (
        _("Customer Service Week") + suffix,
        _("Service Week Planner: Customer Service Week and organisation-wide activities"),
    )


@lru_cache(maxsize=32)
def _vtimezone(tzid: str, years: range) -> str:
    """The VTIMEZONE block (the same for every feed of the organisation)."""
    return render_vtimezone(tzid, years)


def feed_plan(
    session: Session, feed: Feed, settings: FeedSettings, now: datetime
) -> tuple[list[int], list[int], str]:
    """(event ids in feed order, ids of stale pieces, cache key) of a feed at ``now``."""
    settings = settings_for(session, feed, settings)
    person = session.get(Person, feed.person_id) if feed.person_id else None
    audience = queries.audience_of(feed, person)
    zone = settings.zone
    rows = queries.key_rows(
        session, audience, now, zone, None if settings.on_event_row else settings.language
    )
    rows.sort(key=lambda r: queries.sort_key(r[3], r[4], r[5], zone))
    today = now.astimezone(zone).date()
    stale = [r[0] for r in rows if is_stale(r[1], r[2], settings) or _unseal(r, today, zone)]
    name, description = calendar_title(session, feed, settings.language)
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
    settings = settings_for(session, feed, settings)
    alarms = wording.alarms_for(feed.reminders, settings.language)
    zone = settings.zone
    piece_column = Event.ics_piece if settings.on_event_row else EventPiece.ics_piece
    for start in range(0, len(ids), 900):
        stmt = select(Event.id, piece_column, Event.all_day, Event.kind, Event.status,
                      Event.start_at, Event.start_date)  # fmt: skip
        if not settings.on_event_row:
            same = and_(EventPiece.event_id == Event.id, EventPiece.language == settings.language)
            stmt = stmt.join(EventPiece, same)
        for row in session.execute(stmt.where(Event.id.in_(ids[start : start + 900]))):
            piece = row[1]
            if not piece:
                continue
            alarm = alarms.get((row[2], row[3])) or alarms.get((row[2], ""))
            if alarm and row[4] != "cancelled":
                piece = add_alarm(piece, alarm)
            found[row[0]] = (piece, queries.sort_key(row[5], row[6], "", zone)[0])
    name, description = calendar_title(session, feed, settings.language)
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
    settings = settings_for(session, feed, settings)
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

"""Feed tokens and the feed lifecycle: create, rotate, disable, enable, delete (SECURITY.md 7-9).

token = "swpf_" + base64url(HMAC-SHA256(SECRET_KEY, "<feed id>:<salt>")): 256 bits, recognisable,
derivable again from the secret (to show the owner their URL, to export), and only its SHA-256 is
stored. Rotation replaces the salt, so the old token's hash no longer matches anything at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import unicodedata
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.errors import InvalidInput, NotAllowed, NotFound
from planner.i18n import _
from planner.models import (
    PRACTICES,
    REMINDER_CHOICES,
    AuditEntry,
    Feed,
    FeedRotation,
    Person,
    Team,
)

TOKEN_PREFIX = "swpf_"
_TOKEN_SHAPE = re.compile(r"^swpf_[A-Za-z0-9_-]{43}$")


def derive_token(secret_key: str, feed_id: int, salt: str) -> str:
    """The feed's current token: HMAC-SHA256 of its id and salt under the server secret."""
    mac = hmac.new(secret_key.encode(), f"{feed_id}:{salt}".encode(), hashlib.sha256).digest()
    return TOKEN_PREFIX + base64.urlsafe_b64encode(mac).decode().rstrip("=")


def hash_token(token: str) -> str:
    """What the database keeps of a token: its SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str) -> bool:
    """Cheap shape check before touching the database."""
    return bool(_TOKEN_SHAPE.match(value))


def feed_token(secret_key: str, feed: Feed) -> str:
    """The token of ``feed`` as it is now."""
    return derive_token(secret_key, feed.id, feed.salt)


def feed_path(secret_key: str, feed: Feed) -> str:
    """The feed's URL path: /calendars/<token>/<readable-name>.ics."""
    return f"/calendars/{feed_token(secret_key, feed)}/{feed.slug}.ics"


def slugify(text: str) -> str:
    """A readable, ASCII file-name part: 'Jane Doe' -> 'jane-doe'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80] or "calendar"


def clean_practices(practices: list[str] | tuple[str, ...]) -> str:
    """Practice codes as stored (sorted, comma-separated); unknown codes are refused."""
    unknown = sorted(set(practices) - set(PRACTICES))
    if unknown:
        raise InvalidInput(_("Unknown practice: %(join)s.", join=", ".join(unknown)))
    return ",".join(sorted(set(practices)))


def client_links(https_url: str, name: str) -> dict[str, str]:
    """Subscribe links per client (FEEDS.md item 22) for a feed's absolute URL."""
    webcal = "webcal://" + https_url.split("://", 1)[1]
    encoded = quote(https_url, safe="")
    return {
        "apple": webcal,
        "google": "https://calendar.google.com/calendar/r?cid=" + quote(webcal, safe=""),
        "outlook": "https://outlook.office.com/calendar/0/addfromweb?url="
        f"{encoded}&name={quote(name, safe='')}",
        "outlook_live": "https://outlook.live.com/calendar/0/addfromweb?url="
        f"{encoded}&name={quote(name, safe='')}",
        "plain": https_url,
    }


def _record(session: Session, feed: Feed, action: str, actor_id: int | None, now: datetime) -> None:
    """Append a FeedRotation row (every token change is recorded)."""
    session.add(FeedRotation(feed_id=feed.id, at=now, actor_id=actor_id, action=action))


def _new_salt(session: Session, secret_key: str, feed: Feed) -> None:
    """Give ``feed`` a fresh salt and store the hash of the token it yields."""
    feed.salt = secrets.token_hex(16)
    feed.token_hash = hash_token(feed_token(secret_key, feed))
    feed.cache_key = None  # drop the cached bytes with the old identity


def create_feed(
    session: Session,
    secret_key: str,
    *,
    scope: str,
    now: datetime,
    actor_id: int | None,
    person_id: int | None = None,
    team_id: int | None = None,
    practices: list[str] | tuple[str, ...] = (),
) -> Feed:
    """Create a feed (person, team or organisation), optionally narrowed to practices."""
    stored = clean_practices(practices)
    if scope == "person":
        person = session.get(Person, person_id)
        if person is None:
            raise NotFound(_("No such person."))
        base = f"{person.role}-{slugify(person.name)}"
    elif scope == "team":
        team = session.get(Team, team_id)
        if team is None:
            raise NotFound(_("No such team."))
        base = f"team-{slugify(team.name)}"
    elif scope == "org":
        base = "customer-service-week"
    else:
        raise InvalidInput(_("Unknown feed scope: %(repr)s.", repr=repr(scope)))
    duplicate = session.scalar(
        select(Feed.id).where(
            Feed.scope == scope,
            Feed.person_id.is_(None) if person_id is None else Feed.person_id == person_id,
            Feed.team_id.is_(None) if team_id is None else Feed.team_id == team_id,
            Feed.practices == stored,
        )
    )
    if duplicate is not None:
        raise InvalidInput(_("That feed exists already."))
    suffix = "-" + stored.lower().replace(",", "-") if stored else ""
    # A placeholder hash keeps the unique column filled until the id (part of the token) exists.
    feed = Feed(
        scope=scope,
        person_id=person_id if scope == "person" else None,
        team_id=team_id if scope == "team" else None,
        practices=stored,
        slug=base + suffix,
        salt="",
        token_hash=secrets.token_hex(32),
        created_at=now,
        rotated_at=now,
    )
    session.add(feed)
    session.flush()
    _new_salt(session, secret_key, feed)
    _record(session, feed, "created", actor_id, now)
    session.flush()
    return feed


def may_manage(actor: Person, feed: Feed) -> bool:
    """A person manages their own feeds; coordinators and admins manage team and org feeds."""
    if feed.scope == "person":
        return feed.person_id == actor.id
    return actor.role in ("coordinator", "admin")


def _managed_feed(session: Session, actor: Person, feed_id: int) -> Feed:
    """The feed, if ``actor`` may manage it; NotFound otherwise (never reveal others' feeds)."""
    feed = session.get(Feed, feed_id)
    if feed is None or not may_manage(actor, feed):
        raise NotFound(_("No such feed."))
    return feed


def rotate_feed(
    session: Session, secret_key: str, actor: Person, feed_id: int, *, now: datetime
) -> Feed:
    """Give a feed a new token: the old URL stops working at once."""
    feed = _managed_feed(session, actor, feed_id)
    _new_salt(session, secret_key, feed)
    feed.rotated_at = now
    _record(session, feed, "rotated", actor.id, now)
    session.flush()
    return feed


def set_reminders(session: Session, actor: Person, feed_id: int, choice: str) -> Feed:
    """Choose a feed's reminders (none by default); the next fetch carries them."""
    if choice not in REMINDER_CHOICES:
        raise InvalidInput(_("Choose one of the reminder options."))
    feed = _managed_feed(session, actor, feed_id)
    feed.reminders = choice
    session.flush()
    return feed


def delete_feed(session: Session, actor: Person, feed_id: int, *, now: datetime) -> None:
    """Remove a feed (its URL dies with it); the audit log keeps a line, its rotations go."""
    feed = _managed_feed(session, actor, feed_id)
    session.add(
        AuditEntry(at=now, actor_id=actor.id, action="feed.deleted", subject=f"feed {feed.id}",
                   detail=f"{feed.scope} feed {feed.slug}")
    )  # fmt: skip
    session.delete(feed)
    session.flush()


def set_person_feeds_enabled(
    session: Session,
    secret_key: str,
    actor: Person,
    person_id: int,
    *,
    enabled: bool,
    now: datetime,
) -> int:
    """A coordinator disables (or re-enables, with new tokens) every feed of a person."""
    if actor.role not in ("coordinator", "admin"):
        raise NotAllowed("Only coordinators can disable someone's feeds.")
    if session.get(Person, person_id) is None:
        raise NotFound(_("No such person."))
    feeds = session.scalars(select(Feed).where(Feed.person_id == person_id).order_by(Feed.id))
    changed = 0
    for feed in feeds:
        if feed.active == enabled:
            continue
        feed.active = enabled
        if enabled:
            # Re-enabling must not revive URLs that were in circulation when disabled.
            _new_salt(session, secret_key, feed)
            feed.rotated_at = now
        _record(session, feed, "enabled" if enabled else "disabled", actor.id, now)
        changed += 1
    session.flush()
    return changed

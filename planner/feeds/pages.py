"""What the feeds pages show: plain data for the templates (the views stay thin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from planner.access import ORGANISERS
from planner.db import utcnow
from planner.feeds import baseurl, fetches, operations, queries, sizing, tokens
from planner.feeds.forms import REMINDER_LABELS, ManagedFeedForm, PersonalFeedForm, choices
from planner.i18n import _
from planner.models import Feed, Person, Team


@dataclass(frozen=True)
class FeedCard:
    """One feed on a page: what it holds, how to subscribe, its size and who fetches it."""

    feed: Feed
    title: str
    url: str
    links: dict[str, str]
    size: int | None = None  # bytes as last built; None before the first fetch
    narrowed_until: date | None = None  # the window ahead was cut to stay under 1 MB
    narrowed_since: date | None = None  # the window back was cut too
    seen: tuple[fetches.Seen, ...] = ()
    reminder_labels: tuple[tuple[str, str], ...] = tuple(REMINDER_LABELS.items())

    @property
    def size_text(self) -> str:
        """'412 KB of 1 MB' (or a note before the first fetch)."""
        if self.size is None:
            return "size known after the first fetch"
        return f"{self.size / 1000:,.0f} KB of Google's 1 MB limit"

    @property
    def large(self) -> bool:
        """Close to (or narrowed to stay under) Google's limit: the page warns."""
        narrowed = self.narrowed_until is not None or self.narrowed_since is not None
        return narrowed or (self.size or 0) > sizing.WARN_BYTES

    def refreshed(self, seen: fetches.Seen) -> str:
        """'Google last refreshed this 5 hours ago'."""
        return f"{seen.label} last refreshed this {fetches.ago(seen.last_at, utcnow())}"


def feed_card(session: Session, feed: Feed, seen: list[fetches.Seen] | None = None) -> FeedCard:
    """The subscribe panel data of a feed (its URL derived from the server secret)."""
    config = current_app.config
    url = config["BASE_URL"].rstrip("/") + tokens.feed_path(config["SECRET_KEY"], feed)
    title, _description = operations.calendar_title(session, feed)
    _name, zone = queries.organisation_zone(session)

    def local(value: datetime | None) -> date | None:
        return value.astimezone(zone).date() if value else None

    return FeedCard(
        feed, title, url, tokens.client_links(url, title),
        size=feed.cache_size if feed.cache_key else None,
        narrowed_until=local(feed.cache_cut_after), narrowed_since=local(feed.cache_cut_before),
        seen=tuple(seen or ()),
    )  # fmt: skip


def _cards(session: Session, feeds: list[Feed]) -> list[FeedCard]:
    """Cards for feeds, with who fetched each."""
    seen = fetches.seen_by(session, [f.id for f in feeds], utcnow())
    return [feed_card(session, f, seen[f.id]) for f in feeds]


# Weeks of My calendar per page: a busy leader has hundreds of items in the feed's 15 months.
WEEKS_PER_PAGE = 8


def agenda_context(session: Session, person: Person, page: int = 1) -> dict[str, Any]:
    """My calendar: one page of the person's upcoming items by week, and their feeds."""
    zone_name, _zone = queries.organisation_zone(session)
    feeds = list(session.scalars(select(Feed).where(Feed.person_id == person.id).order_by(Feed.id)))
    weeks = queries.upcoming_by_week(session, person, utcnow())
    pages = max(1, -(-len(weeks) // WEEKS_PER_PAGE))
    page = min(max(1, page), pages)
    return {
        "weeks": weeks[(page - 1) * WEEKS_PER_PAGE : page * WEEKS_PER_PAGE],
        "page": page,
        "pages": pages,
        "zone_name": zone_name,
        "cards": _cards(session, feeds),
        "form": PersonalFeedForm(),
        "base_url_warning": baseurl.warning(
            current_app.config["BASE_URL"], for_admin=person.role in ORGANISERS
        ),
    }


def owner_choices(session: Session) -> list[tuple[str, str]]:
    """The organisation and every team, for the manage form."""
    teams = session.scalars(select(Team).order_by(Team.name))
    return [("org", _("The whole organisation"))] + [(f"team-{t.id}", t.name) for t in teams]


def manage_context(session: Session) -> dict[str, Any]:
    """Team and organisation feeds, and people who have feeds."""
    managed = session.scalars(select(Feed).where(Feed.scope != "person").order_by(Feed.id))
    counts = (
        select(
            Person,
            func.count(Feed.id),
            func.sum(case((Feed.active.is_(True), 1), else_=0)),
        )
        .join(Feed, Feed.person_id == Person.id)
        .group_by(Person.id)
        .order_by(Person.name)
    )
    form = ManagedFeedForm()
    form.owner.choices = choices(owner_choices(session))
    return {
        "cards": _cards(session, list(managed)),
        "people": [(p, total, int(active or 0)) for p, total, active in session.execute(counts)],
        "leaders": leader_status(session),
        "ago": lambda then: fetches.ago(then, utcnow()),
        "form": form,
        "base_url_warning": baseurl.warning(current_app.config["BASE_URL"]),
    }


@dataclass(frozen=True)
class LeaderStatus:
    """Whether a leader's calendar is subscribed and still refreshing."""

    person: Person
    feeds: int
    last: fetches.Seen | None

    @property
    def state(self) -> str:
        """no feed | not subscribed | refreshing | stopped."""
        if not self.feeds:
            return "no feed"
        if self.last is None:
            return "not subscribed"
        return "stopped" if self.last.stale else "refreshing"


def leader_status(session: Session) -> list[LeaderStatus]:
    """Every active leader: feeds, and the latest fetch of any of their personal feeds."""
    leaders = list(
        session.scalars(
            select(Person).where(Person.role == "leader", Person.active.is_(True))
            .order_by(Person.name)
        )
    )  # fmt: skip
    feeds = list(
        session.scalars(
            select(Feed).where(Feed.person_id.in_([p.id for p in leaders]), Feed.active.is_(True))
        )
    )
    seen = fetches.seen_by(session, [f.id for f in feeds], utcnow())
    rows = []
    for leader in leaders:
        mine = [f for f in feeds if f.person_id == leader.id]
        latest = [s for f in mine for s in seen[f.id]]
        last = max(latest, key=lambda s: s.last_at) if latest else None
        rows.append(LeaderStatus(leader, len(mine), last))
    return rows

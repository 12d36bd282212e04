"""What the feeds pages show: plain data for the templates (the views stay thin)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.feeds import operations, queries, tokens
from planner.feeds.forms import ManagedFeedForm, PersonalFeedForm, choices
from planner.models import Feed, Person, Team


@dataclass(frozen=True)
class FeedCard:
    """One feed on a page: what it holds and how to subscribe."""

    feed: Feed
    title: str
    url: str
    links: dict[str, str]


def feed_card(session: Session, feed: Feed) -> FeedCard:
    """The subscribe panel data of a feed (its URL derived from the server secret)."""
    config = current_app.config
    url = config["BASE_URL"].rstrip("/") + tokens.feed_path(config["SECRET_KEY"], feed)
    title, _description = operations.calendar_title(session, feed)
    return FeedCard(feed, title, url, tokens.client_links(url, title))


def agenda_context(session: Session, person: Person) -> dict[str, Any]:
    """My calendar: the person's upcoming items by week and their feeds."""
    zone_name, _zone = queries.organisation_zone(session)
    feeds = session.scalars(select(Feed).where(Feed.person_id == person.id).order_by(Feed.id))
    return {
        "weeks": queries.upcoming_by_week(session, person, utcnow()),
        "zone_name": zone_name,
        "cards": [feed_card(session, f) for f in feeds],
        "form": PersonalFeedForm(),
    }


def owner_choices(session: Session) -> list[tuple[str, str]]:
    """The organisation and every team, for the manage form."""
    teams = session.scalars(select(Team).order_by(Team.name))
    return [("org", "The whole organisation")] + [(f"team-{t.id}", t.name) for t in teams]


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
        "cards": [feed_card(session, f) for f in managed],
        "people": [(p, total, int(active or 0)) for p, total, active in session.execute(counts)],
        "form": form,
    }

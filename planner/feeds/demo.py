"""Demo feeds: a personal feed for every demo person with a login, team feeds, the org feed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from flask import current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.feeds.tokens import create_feed, feed_path
from planner.models import Feed, Person, Team

DEMO_COORDINATOR = "coordinator@demo.example"


def _ensure(
    session: Session,
    secret: str,
    now: datetime,
    scope: str,
    *,
    person_id: int | None = None,
    team_id: int | None = None,
    practices: tuple[str, ...] = (),
) -> Feed:
    """The feed with this owner and these practices, created if missing (idempotent)."""
    found = session.scalar(
        select(Feed)
        .where(
            Feed.scope == scope,
            Feed.person_id.is_(None) if person_id is None else Feed.person_id == person_id,
            Feed.team_id.is_(None) if team_id is None else Feed.team_id == team_id,
            Feed.practices == ",".join(sorted(practices)),
        )
        .limit(1)
    )
    if found is not None:
        return found
    return create_feed(
        session, secret, scope=scope, now=now, actor_id=None,
        person_id=person_id, team_id=team_id, practices=practices,
    )  # fmt: skip


def load(session: Session, today: date) -> list[str]:
    """Create the demo people's, teams' and the organisation's feeds; print the coordinator's."""
    if not has_app_context():
        return ["Feeds: skipped (needs the app's secret key; run `planner demo`)."]
    secret = current_app.config["SECRET_KEY"]
    now = datetime.combine(today, time(8), UTC)
    people = session.scalars(
        select(Person)
        .where(Person.password_hash.is_not(None), Person.active.is_(True))
        .order_by(Person.id)
    )
    count = 0
    coordinator_path = ""
    for person in people:
        feed = _ensure(session, secret, now, "person", person_id=person.id)
        count += 1
        if person.role == "leader":
            _ensure(session, secret, now, "person", person_id=person.id, practices=("P4",))
            count += 1
        if person.email == DEMO_COORDINATOR:
            coordinator_path = feed_path(secret, feed)
    for team in session.scalars(select(Team).order_by(Team.id)):
        _ensure(session, secret, now, "team", team_id=team.id)
        count += 1
    org_feed = _ensure(session, secret, now, "org")
    count += 1
    lines = [f"Feeds: {count} calendar feeds ready."]
    if coordinator_path:
        lines.append(f"Demo coordinator's calendar feed: {coordinator_path}")
    lines.append(f"Organisation feed: {feed_path(secret, org_feed)}")
    return lines

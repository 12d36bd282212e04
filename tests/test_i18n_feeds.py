"""Calendars in the reader's language: a personal feed in its owner's, team and organisation
feeds in the organisation's; each language's pieces are stored apart and stay byte-stable."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.events.operations import cancel_event
from planner.models import Event, EventPiece, Person
from tests import test_feeds_http as http
from tests.feedcheck import check_feed
from tests.test_feeds_behaviour import block_of
from tests.test_feeds_http import Feeds

app_config, feeds = http.app_config, http.feeds  # fixtures


def _dutch_leader(db: Session, feeds: Feeds) -> Event:
    leader = db.get(Person, feeds.plan.leader.id)
    assert leader is not None
    leader.language = "nl"
    event = db.get(Event, feeds.plan.events["skip"].id)
    assert event is not None
    cancel_event(db, event, now=utcnow())
    db.commit()
    return event


def test_a_dutch_persons_feed_is_in_dutch_and_byte_stable(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    event = _dutch_leader(db, feeds)
    first = client.get(feeds.leader).data
    assert check_feed(first) == []
    block = block_of(first, event)
    assert "SUMMARY:Geannuleerd: Skip-level\\; Support A" in block
    assert "Openen in de Serviceweekplanner:" in block
    assert "CATEGORIES:P4 Skip-level-overleg" in block
    assert "X-WR-CALNAME:Lea Léader · Klantenserviceweek" in first.decode()
    assert client.get(feeds.leader).data == first  # served again: the same bytes
    db.query(Event).update({Event.ics_piece: None})  # even rendered again from scratch
    db.query(EventPiece).delete()
    db.commit()
    assert client.get(feeds.leader).data == first


def test_team_and_organisation_feeds_keep_the_organisations_language(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    event = _dutch_leader(db, feeds)
    client.get(feeds.leader)
    team = client.get(feeds.team_a).data
    assert "SUMMARY:Cancelled: Skip-level\\; Support A" in block_of(team, event)
    db.expire_all()
    pieces = db.scalars(select(EventPiece).where(EventPiece.event_id == event.id)).all()
    assert [p.language for p in pieces] == ["nl"]  # the English piece stays on the event
    assert db.get(Event, event.id).ics_piece is not None  # type: ignore[union-attr]


def test_a_change_renders_the_other_language_again(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    leader = db.get(Person, feeds.plan.leader.id)
    assert leader is not None
    leader.language = "lt"
    db.commit()
    event = db.get(Event, feeds.plan.events["skip"].id)
    assert event is not None
    assert "SUMMARY:Skip-level\\; Support A" in block_of(client.get(feeds.leader).data, event)
    cancel_event(db, event, now=utcnow())
    db.commit()
    assert "SUMMARY:Atšaukta: Skip-level\\; Support A" in block_of(
        client.get(feeds.leader).data, event
    )


def test_the_weeks_milestones_are_in_the_feed_owners_language(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    from datetime import timedelta

    from planner.csweek.operations import create_plan
    from planner.events.operations import AllDay, update_event

    leader = db.get(Person, feeds.plan.leader.id)
    assert leader is not None
    leader.language = "nl"
    now = utcnow()
    plan = create_plan(db, year=2030, created_by_id=leader.id, now=now)
    kickoff = plan.kickoff_event
    assert kickoff is not None
    soon = now.date() + timedelta(days=3)  # inside the served window
    update_event(db, kickoff, now=now, when=AllDay(soon, soon + timedelta(days=1)))
    db.commit()
    first = client.get(feeds.leader).data
    block = block_of(first, kickoff)
    assert "SUMMARY:Aftrap van de planning: Klantenserviceweek 2030" in block
    assert "Klantenserviceweek 2030: 7 okt tot en met 11 okt 2030." in block
    assert client.get(feeds.leader).data == first
    db.query(Event).update({Event.ics_piece: None})
    db.query(EventPiece).delete()
    db.commit()
    assert client.get(feeds.leader).data == first
    team_or_org = client.get(feeds.org).data.decode()
    assert "Planning kickoff: Customer Service Week 2030" in team_or_org

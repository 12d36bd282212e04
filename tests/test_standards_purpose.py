"""The purpose statement: versions, the gentle length guide, the home page, the Customer Service
Week kickoff and its calendar description; and the year plan's refresher trainings linking to
the module of the month, in the feed."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.csweek import activities, library
from planner.csweek import operations as csweek
from planner.feeds.tokens import create_feed, feed_path
from planner.models import Event, LibraryEntry, PurposeStatement
from planner.recognition import clock
from planner.scheduler.cadences import seed_cadences
from planner.standards import operations, purpose, training
from tests import factories
from tests.conftest import SECRET
from tests.scheduler_helpers import planned, preview_and_publish, small_org

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
PURPOSE = "We make every customer's problem our own and leave people better off than we found them."


def test_word_count_advice_is_gentle() -> None:
    assert purpose.length_advice(PURPOSE) is None
    assert "3 words" in (purpose.length_advice("Customers come first.") or "")
    assert "Saved anyway" in (purpose.length_advice("word " * 40) or "")


def test_coordinator_writes_versions_and_sees_the_history(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    login_as("coordinator")
    short = client.post(
        "/standards/purpose", data={"text": "Customers first."}, follow_redirects=True
    )
    assert "2 words: a purpose of 10–35 words tends to mean more. Saved anyway." in short.get_data(
        as_text=True
    )
    client.post("/standards/purpose", data={"text": PURPOSE})
    same = client.post("/standards/purpose", data={"text": f"  {PURPOSE}  "}, follow_redirects=True)
    assert "Nothing changed." in same.get_data(as_text=True)
    page = client.get("/standards/purpose").get_data(as_text=True)
    assert "Version 2" in page and "Version 1" in page and "Customers first." in page
    db.rollback()
    assert [p.version for p in db.scalars(select(PurposeStatement))] == [1, 2]
    empty = client.post("/standards/purpose", data={"text": "   "})
    assert empty.status_code == 200 and "This field is required." in empty.get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "leader", "coordinator", "admin"])
def test_every_home_page_shows_the_purpose(
    client: Any, db: Session, login_as: Any, role: str
) -> None:
    factories.organisation(db)
    operations.save_purpose(db, PURPOSE, author_id=None, now=NOW)
    db.commit()
    login_as(role)
    home = client.get("/home").get_data(as_text=True)
    assert "Our purpose" in home and PURPOSE.replace("'", "&#39;") in home


def test_staff_may_not_edit_the_purpose(client: Any, db: Session, login_as: Any) -> None:
    factories.organisation(db)
    login_as("staff")
    assert client.post("/standards/purpose", data={"text": PURPOSE}).status_code == 403


def test_the_kickoff_shows_the_purpose_on_its_page_and_in_its_calendar_description(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    coordinator = login_as("coordinator")
    plan = csweek.create_plan(db, year=2027, created_by_id=coordinator.id, now=NOW)
    library.ensure_library(db)
    entry = db.scalars(select(LibraryEntry).where(LibraryEntry.key == "week-kickoff-purpose")).one()
    kickoff = activities.add_from_library(db, plan, entry, host_id=coordinator.id, now=NOW)
    other = db.scalars(select(LibraryEntry).where(LibraryEntry.key != entry.key)).first()
    assert other is not None
    plain = activities.add_from_library(db, plan, other, host_id=None, now=NOW)
    db.commit()
    assert kickoff.event is not None and "Our purpose" not in kickoff.event.description
    sequence = kickoff.event.sequence

    client.post("/standards/purpose", data={"text": PURPOSE})
    db.expire_all()
    event = db.get(Event, kickoff.event_id)
    assert event is not None
    assert event.description.endswith(f"Our purpose: {PURPOSE}")
    assert event.sequence == sequence + 1  # calendars pick up the change
    assert (
        plain.event is not None and "Our purpose" not in db.get(Event, plain.event_id).description
    )
    page = client.get("/csweek/2027").get_data(as_text=True)
    assert page.count("Our purpose:") == 1


def test_refresher_trainings_in_the_feed_link_to_the_module_of_the_month(
    client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: date(2026, 11, 23))
    org = small_org(db)
    seed_cadences(db)
    module = training.save_module(db, None, training.ModuleValues(title="Saying yes"), NOW)
    training.save_question(
        db, module.id, None, training.QuestionValues("Q?", False, "", (("a", True), ("b", False)))
    )
    training.save_module(
        db,
        module.id,
        training.ModuleValues(title="Saying yes", published=True, featured_from=date(2027, 1, 1)),
        NOW,
    )
    feed = create_feed(
        db, SECRET, scope="person", person_id=org.staff[0].id, now=NOW, actor_id=None
    )
    db.commit()
    login_as("coordinator")
    preview_and_publish(client, 2027)
    refreshers = [e for e in planned(db, 2027) if e.title.startswith("Refresher training")]
    assert refreshers
    for event in refreshers:
        day = event.start_at or event.start_date
        assert day is not None
        assert event.link_path == f"/standards/training/month/{day:%Y-%m}"
    ics = client.get(feed_path(SECRET, feed)).get_data(as_text=True).replace("\r\n ", "")
    assert f"URL:http://planner.test{refreshers[0].link_path}" in ics
    response = client.get(refreshers[0].link_path)
    assert response.headers["Location"].endswith(f"/standards/training/{module.id}")

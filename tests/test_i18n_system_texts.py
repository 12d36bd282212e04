"""Titles and descriptions the app writes and stores itself (feedback follow-ups, praise
outreach) are stored in English and read in each reader's language (issue 12): recognised at
display by planner/i18n/content.py (SYSTEM_TEXTS), whatever a person added stays as written.
A personal feed carries them in its owner's language and stays byte-stable."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from planner.db import utcnow
from planner.feedback.followups import event_description, event_title
from planner.i18n import in_language
from planner.i18n.content import shown
from planner.i18n.formatting import format_day
from planner.models import Event, EventPiece, FeedbackItem, Person
from planner.recognition.praise import complete_outreach, log_praise
from tests import test_feeds_http as http
from tests.test_feeds_behaviour import block_of
from tests.test_feeds_http import Feeds

app_config, feeds = http.app_config, http.feeds  # fixtures

ENGLISH = ("A customer praised", "Suggested gesture", "Done by", "Phone call", "Thank ", "Due ")


def _item(status: str, due: date | None) -> FeedbackItem:
    item = FeedbackItem(status=status, due_date=due, anonymous=True)
    item.id = 4821
    return item


@pytest.mark.parametrize("reader", ["nl", "lt"])
def test_a_follow_ups_words_are_stored_in_english_and_read_in_the_readers(
    app: Any, reader: str
) -> None:
    item = _item("acknowledged", date(2026, 10, 5))
    with app.test_request_context(), in_language(reader):  # written while a Dutch person acts
        stored = event_description(item)
        escalated = event_description(_item("new", None), escalated=True)
        title = event_title(item)
    assert stored == "Feedback #4821 is acknowledged. Due 2026-10-05."
    assert escalated.startswith("Feedback #4821 is new. Not acknowledged within 5 working days")
    with app.test_request_context():
        with in_language("en"):  # the same words, the date as the app writes dates
            assert shown(stored) == "Feedback #4821 is acknowledged. Due 5 Oct 2026."
            assert shown(escalated) == escalated
        with in_language("nl"):
            assert shown(stored) == "Knelpunt #4821: bevestigd. Uiterlijk 5 okt 2026."
            assert "Niet binnen 5 werkdagen bevestigd" in shown(escalated)
            assert shown(title) == "Knelpunt #4821 opvolgen"
        with in_language("lt"):
            assert shown(stored) == "Kliūties #4821 būsena: patvirtintas. Iki 2026-10-05."
        with in_language(reader):
            said = shown(escalated)
            assert "Not acknowledged" not in said and " is new" not in said


def _praise(db: Session, feeds: Feeds) -> Event:
    today = date.today()
    praise = log_praise(
        db, person_id=feeds.plan.staff_a.id, received_on=today, channel="call",
        quote="Sorted my\nrefund in a day!", logged_by_id=None, today=today, now=utcnow(),
    )  # fmt: skip
    assert praise.task is not None and praise.task.event is not None
    db.commit()
    return praise.task.event


def test_an_outreach_reads_in_the_readers_language_and_keeps_what_people_wrote(
    app: Any, db: Session, feeds: Feeds
) -> None:
    event = _praise(db, feeds)
    leader = db.get(Person, event.host_id)
    assert leader is not None
    complete_outreach(db, db.scalar(_task_of(event)), leader, "Called her on Tuesday", utcnow())
    db.commit()
    assert event.title.startswith("Done: Thank ")
    assert "Done by" in event.description and "A customer praised" in event.description
    with app.test_request_context():
        with in_language("en"):  # the same words, the date as the app writes dates
            assert shown(event.title) == event.title
            day = praise_day(event)
            assert shown(event.description) == event.description.replace(
                day.isoformat(), format_day(day, "date")
            )
        with in_language("nl"):
            title, text = shown(event.title), shown(event.description)
            assert title.startswith("Gedaan: ") and "bedanken voor een compliment" in title
            assert "Een klant gaf" in text and "(telefoongesprek, " in text
            assert "Voorgesteld gebaar: Telefoontje." in text
            assert "Called her on Tuesday" in text  # what the leader wrote stays as written
            assert "Sorted my refund in a day!" in text  # and the customer's words
            assert not [e for e in ENGLISH if e in title + text]
        with in_language("lt"):
            text = shown(event.description)
            assert "Siūlomas gestas: Skambutis telefonu." in text and "Atliko " in text
            assert not [e for e in ENGLISH if e in text]


def praise_day(event: Event) -> date:
    """The day the praise came in, as the description has it."""
    found = re.search(r"\d{4}-\d{2}-\d{2}", event.description)
    assert found is not None
    return date.fromisoformat(found[0])


def _task_of(event: Event) -> Any:
    from sqlalchemy import select

    from planner.models import OutreachTask

    return select(OutreachTask.id).where(OutreachTask.event_id == event.id)


def test_the_leaders_feed_carries_the_outreach_in_their_language_byte_stable(
    client: FlaskClient, db: Session, feeds: Feeds
) -> None:
    event = _praise(db, feeds)
    owner = db.get(Person, event.host_id)
    assert owner is not None and owner.id == feeds.plan.leader.id
    owner.language = "nl"
    db.commit()
    first = client.get(feeds.leader).data
    block = block_of(first, event)
    assert "bedanken voor een compliment van een klant" in block
    assert "Voorgesteld gebaar: Telefoontje." in block.replace("\r\n ", "")
    assert "Suggested gesture" not in block.replace("\r\n ", "")
    assert client.get(feeds.leader).data == first
    db.query(Event).update({Event.ics_piece: None})
    db.query(EventPiece).delete()
    db.commit()
    assert client.get(feeds.leader).data == first
    assert event.start_date is not None and event.start_date <= date.today() + timedelta(days=10)


def test_the_planners_history_notes_are_read_in_the_readers_language(app: Any) -> None:
    escalated = "Not acknowledged in 5 working days: sent to Lotte de Vries."
    with app.test_request_context():
        with in_language("nl"):
            assert shown(escalated) == (
                "Niet binnen 5 werkdagen bevestigd: doorgestuurd naar Lotte de Vries."
            )
            assert shown("Raised at a skip-level meeting") == "Gemeld in een skip-level-overleg"
            assert shown("Raised at a skip-level meeting, said Ana") == (
                "Raised at a skip-level meeting, said Ana"  # a person's own note: as written
            )
        with in_language("en"):
            assert shown(escalated) == escalated

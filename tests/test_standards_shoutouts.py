"""Peer shout-outs: named by design (no anonymity), a wall per team and for the organisation,
one click to a service-star nomination, and the counts on the scorecard."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from planner.demo import load_demo
from planner.models import LexiconEntry, Nomination, ShoutOut, TrainingModule
from planner.recognition import clock
from planner.standards import shoutouts
from tests import factories

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
MESSAGE = "Stayed calm with the caller whose parcel was lost twice."


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda _s: date(2026, 11, 23))


def test_staff_thank_a_colleague_by_name_and_it_shows_on_both_walls(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    north, south = factories.team(db, "North"), factories.team(db, "South")
    colleague = factories.person(db, name="Rasa Petraitė", team=north)
    db.commit()
    author = login_as("staff", name="Jan de Vries", team=south)
    form = client.get(f"/standards/shoutouts/new?person={colleague.id}").get_data(as_text=True)
    key = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', form)
    assert key is not None
    data = {"recipient": colleague.id, "message": MESSAGE, "idempotency_key": key.group(1)}
    client.post("/standards/shoutouts/new", data=data)
    client.post("/standards/shoutouts/new", data=data)  # the same form twice saves once
    db.rollback()
    shout = db.scalars(select(ShoutOut)).one()
    assert (shout.author_id, shout.recipient_id, shout.team_id) == (
        author.id,
        colleague.id,
        north.id,
    )
    for url in ("/standards/shoutouts", f"/standards/shoutouts/team/{north.id}"):
        page = client.get(url).get_data(as_text=True)
        assert "Jan de Vries" in page and "Rasa Petraitė" in page and MESSAGE in page
    assert MESSAGE not in client.get(f"/standards/shoutouts/team/{south.id}").get_data(as_text=True)
    assert client.get("/standards/shoutouts/team/999999").status_code == 404


def test_vague_or_self_thanks_are_refused(db: Session) -> None:
    factories.organisation(db)
    me, other = factories.person(db), factories.person(db)
    with pytest.raises(Exception, match="not yourself"):
        shoutouts.give_shout_out(db, author=me, recipient_id=me.id, message=MESSAGE, now=NOW)
    with pytest.raises(Exception, match="specifically"):
        shoutouts.give_shout_out(db, author=me, recipient_id=other.id, message="Thanks!", now=NOW)
    with pytest.raises(Exception, match="phrase from the lexicon"):
        shoutouts.give_shout_out(
            db, author=me, recipient_id=other.id, message=MESSAGE, entry_id=999, now=NOW
        )
    assert db.scalar(select(func.count(ShoutOut.id))) == 0


def test_a_shout_out_becomes_a_service_star_nomination_in_one_click(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    team = factories.team(db, "North")
    colleague = factories.person(db, name="Rasa", team=team)
    author = factories.person(db, name="Jan", team=team)
    shout = shoutouts.give_shout_out(
        db, author=author, recipient_id=colleague.id, message=MESSAGE, now=NOW
    )
    db.commit()
    login_as("staff")
    response = client.post(f"/standards/shoutouts/{shout.id}/nominate", follow_redirects=True)
    assert "Rasa is nominated as service star" in response.get_data(as_text=True)
    db.expire_all()
    nomination = db.scalars(select(Nomination)).one()
    assert nomination.nominee_id == colleague.id
    assert nomination.reason == f"Shout-out from Jan: {MESSAGE}"
    assert db.get(ShoutOut, shout.id).nomination_id == nomination.id  # type: ignore[union-attr]
    again = client.post(f"/standards/shoutouts/{shout.id}/nominate", follow_redirects=True)
    assert "already a service-star nomination" in again.get_data(as_text=True)
    assert "nominated as service star" in client.get("/standards/shoutouts").get_data(as_text=True)


def test_the_recipient_cannot_nominate_themselves_from_their_shout_out(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    author = factories.person(db)
    db.commit()
    me = login_as("staff")
    shout = shoutouts.give_shout_out(
        db, author=author, recipient_id=me.id, message=MESSAGE, now=NOW
    )
    db.commit()
    response = client.post(f"/standards/shoutouts/{shout.id}/nominate", follow_redirects=True)
    assert "Nominate a colleague, not yourself." in response.get_data(as_text=True)
    db.rollback()
    assert db.scalar(select(func.count(Nomination.id))) == 0


def test_shout_out_counts_feed_the_scorecard_and_recognition_coverage(
    client: Any, db: Session, login_as: Any
) -> None:
    factories.organisation(db)
    team = factories.team(db, "North")
    a, b = factories.person(db, team=team), factories.person(db, team=team)
    shoutouts.give_shout_out(db, author=a, recipient_id=b.id, message=MESSAGE, now=NOW)
    shoutouts.give_shout_out(db, author=b, recipient_id=a.id, message=MESSAGE, now=NOW)
    db.commit()
    assert shoutouts.recognised_people(
        db, datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    ) == {a.id, b.id}
    login_as("leader")
    page = client.get(f"/recognition/scorecards/team/{team.id}").get_data(as_text=True)
    assert "Peer shout-outs" in page
    row = re.search(r"<th scope=\"row\">Nov 2026</th>(.*?)</tr>", page, re.S)
    assert row is not None and ">2</td>" in row.group(1)


def test_computed_standards_measures_cannot_be_entered(
    client: Any, db: Session, login_as: Any
) -> None:
    from planner.errors import InvalidInput
    from planner.recognition import scorecards

    with pytest.raises(InvalidInput, match="computed"):
        scorecards.entered_metric("certified")


@pytest.mark.slow
def test_demo_ships_the_standards_and_loading_twice_adds_nothing(session: Session) -> None:
    load_demo(session, date(2026, 11, 23))
    counts = (
        session.scalar(select(func.count(LexiconEntry.id))),
        session.scalar(select(func.count(ShoutOut.id))),
        session.scalar(select(func.count(TrainingModule.id))),
    )
    assert counts[0] == 30 and counts[1] == 3 and counts[2] == 1
    languages = set(session.scalars(select(LexiconEntry.language)))
    assert languages == {"en", "nl", "lt"}
    module = session.scalars(select(TrainingModule)).one()
    assert module.published and len(module.questions) == 5 and module.entries
    load_demo(session, date(2026, 11, 23))
    assert (
        session.scalar(select(func.count(LexiconEntry.id))),
        session.scalar(select(func.count(ShoutOut.id))),
        session.scalar(select(func.count(TrainingModule.id))),
    ) == counts

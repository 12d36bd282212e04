"""Hostile values in URLs and hidden fields answer 4xx, never 500 (issue 13, item 10)."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, 10**30])
def test_huge_ids_in_urls_are_not_found(client: Any, login_as: Any, number: int) -> None:
    login_as("admin")
    for path in (f"/feedback/{number}", f"/org/people/{number}", f"/org/teams/{number}"):
        assert client.get(path).status_code == 404, path


def test_a_naive_loaded_at_is_a_form_error(client: Any, db: Any, login_as: Any) -> None:
    person = factories.person(db, role="staff", name="Nia Naive")
    db.commit()
    login_as("coordinator")
    response = client.post(
        f"/org/people/{person.id}/edit",
        data={"name": "Nia Naive", "email": person.email, "role": "staff", "team_id": "",
              "loaded_at": "1970-01-01"},
    )  # fmt: skip
    assert 400 <= response.status_code < 500
    assert "Reload the page" in response.get_data(as_text=True)


def test_career_conversations_are_for_their_people_and_their_managers_only() -> None:
    """Issue 13 item 14: another reporting line's leader cannot open the page."""
    from planner.models import Event, Person
    from planner.scheduler.operations import may_see

    director = Person(id=1, name="D", role="leader")
    lead = Person(id=2, name="L", role="leader", manager=director)
    other = Person(id=3, name="O", role="leader", manager=director)
    staff = Person(id=4, name="S", role="staff", manager=lead)
    coordinator = Person(id=5, name="C", role="coordinator")
    talk = Event(kind="career_conversation", host=lead, attendees=[staff])
    assert may_see(talk, staff) and may_see(talk, lead)
    assert may_see(talk, director)  # up the chain
    assert may_see(talk, coordinator)
    assert not may_see(talk, other)  # a leader of another line
    meeting = Event(kind="skip_level", host=lead, attendees=[staff])
    assert may_see(meeting, other)  # other kinds stay readable by every leader

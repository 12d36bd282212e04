"""Two leaders change one item at once: one succeeds, the other is told; history matches."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from planner.db import make_engine
from planner.feedback import lifecycle
from planner.models import FeedbackChange, FeedbackItem, Person
from tests import factories
from tests.test_feedback_support import build_org, client_for, look, only_item, raise_via_form

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
TODAY = date(2026, 11, 23)


def test_second_leader_is_told_changed_meanwhile(app: Any, db: Any) -> None:
    org = build_org(db)
    raise_via_form(client_for(app, org.staff), org.big.id)
    item = only_item(app)
    first, second = client_for(app, org.leader), client_for(app, org.other_leader)
    # Both opened the page at version 1.
    for client in (first, second):
        assert 'name="version" type="hidden" value="1"' in client.get(
            f"/feedback/{item.id}"
        ).get_data(as_text=True)
    ok = first.post(
        f"/feedback/{item.id}/status", data={"to_status": "acknowledged", "version": "1"}
    )
    assert ok.status_code == 302
    late = second.post(
        f"/feedback/{item.id}/status",
        data={"to_status": "declined", "version": "1", "response": "Not now"},
    )
    assert late.status_code == 409
    assert "changed by someone else meanwhile" in late.get_data(as_text=True)
    after = only_item(app)
    assert after.status == "acknowledged" and after.response == "" and after.version == 2
    with look(app) as s:
        history = [(c.from_status, c.to_status, c.actor_id) for c in
                   s.scalars(select(FeedbackChange).order_by(FeedbackChange.number))]  # fmt: skip
    assert history == [("", "new", org.staff.id), ("new", "acknowledged", org.leader.id)]


def test_true_race_loses_at_the_database(database_url: str) -> None:
    """Both loaded version 1 before either wrote: the version column stops the second write."""
    engine = make_engine(database_url)
    with Session(engine, expire_on_commit=False) as setup:
        factories.organisation(setup)
        team = factories.team(setup)
        a = factories.person(setup, role="leader")
        b = factories.person(setup, role="leader")
        raised = lifecycle.raise_item(
            setup, author=a, title="Race", details="", category="tools", team_id=team.id,
            anonymous=False, idempotency_key="race-key-0123456789", now=NOW, today=TODAY,
        )  # fmt: skip
        setup.commit()
        item_id, a_id, b_id = raised.item.id, a.id, b.id
    one, two = Session(engine, expire_on_commit=False), Session(engine, expire_on_commit=False)
    stale = two.get(FeedbackItem, item_id)
    stale_actor = two.get(Person, b_id)
    two.commit()  # two keeps its in-memory copy at version 1 (SQLite: let one write)
    fresh = one.get(FeedbackItem, item_id)
    lifecycle.change_status(one, fresh, actor=one.get(Person, a_id), to_status="acknowledged",
                            expected_version=1, now=NOW, today=TODAY)  # fmt: skip
    one.commit()
    with pytest.raises(StaleDataError):
        lifecycle.change_status(
            two, stale, actor=stale_actor, to_status="declined", expected_version=1,
            now=NOW, today=TODAY, response="No",
        )  # fmt: skip
    two.rollback()
    with Session(engine) as check:
        item = check.get(FeedbackItem, item_id)
        assert item is not None and item.status == "acknowledged"
        steps = [c.to_status for c in item.history]
        assert steps == ["new", "acknowledged"]
    one.close()
    two.close()
    engine.dispose()

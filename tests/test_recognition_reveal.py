"""A service star stays a surprise until the team's recognition event: hall of fame, the star's
own page and Teams/Slack name them from that day; coordinators and the approving leader know."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from planner.api import operations
from planner.jobs.periodic import run_periodic
from planner.jobs.registry import PERIODIC
from planner.models import Nomination
from planner.recognition import clock, reveal, stars
from tests import factories
from tests.notify_receiver import receiver
from tests.test_recognition_praise import build_chart, sign_out
from tests.test_recognition_stars import NOW, TODAY, recognition_event


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    """Loopback webhook URLs are allowed in these tests (the local receiver)."""
    return {**app_config, "API_NOTIFY_ALLOW_LOOPBACK": True}


def _approve_for_december(client: Any, db: Session, login_as: Any, chart: Any) -> None:
    nomination = stars.nominate(
        db, nominee_id=chart.staff.id, nominator=chart.manager,
        reason="Stayed late to fix a customer's broken order.", now=NOW,
    )  # fmt: skip
    db.commit()
    login_as(person=chart.manager)
    page = client.post(
        f"/recognition/stars/nominations/{nomination.id}",
        data={"month": "2026-12", "approve": "Approve"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Keep it a surprise" in page and "Still a surprise" in page
    sign_out(client)


def test_a_star_of_a_later_event_is_a_surprise_until_that_day(
    app: Flask, client: Any, db: Session, login_as: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = {"day": TODAY}
    monkeypatch.setattr(clock, "today", lambda _s: today["day"])
    chart = build_chart(db, password=True)
    colleague = factories.person(
        db, role="staff", team=chart.team, manager=chart.manager, password=factories.PASSWORD
    )
    coordinator = factories.person(db, role="coordinator", password=factories.PASSWORD)
    recognition_event(db, chart.team.id, date(2026, 12, 3))
    with receiver() as got:
        operations.add_target(
            db, coordinator, kind="slack", name="#stars", url=got.url("slack"),
            topics=["star_approved"], allow_loopback=True, now=NOW,
        )  # fmt: skip
        db.commit()
        _approve_for_december(client, db, login_as, chart)
        assert got.received == []  # not announced at approval: it would spoil the surprise

        star = chart.staff.name
        for viewer in (colleague, chart.staff, chart.director):
            login_as(person=viewer)
            hall = client.get("/recognition/stars").get_data(as_text=True).split("Hall of fame")[1]
            assert star not in hall  # (the star's own name is in their page header)
            sign_out(client)
        login_as(person=chart.staff)
        own = client.get(f"/recognition/people/{chart.staff.id}")
        assert own.status_code == 200 and "Service star:" not in own.get_data(as_text=True)
        sign_out(client)
        login_as(person=coordinator)
        early = client.get("/recognition/stars").get_data(as_text=True)
        assert "Still a surprise" in early and star in early
        sign_out(client)

        entry = PERIODIC["stars-announce"]
        run_periodic(app, entry, datetime(2026, 12, 2, 6, 30, tzinfo=UTC))
        assert got.received == []  # the day before the event
        today["day"] = date(2026, 12, 3)
        run_periodic(app, entry, datetime(2026, 12, 3, 6, 30, tzinfo=UTC))
        run_periodic(app, entry, datetime(2026, 12, 3, 6, 30, tzinfo=UTC))  # twice: once
        assert len(got.received) == 1 and star in json.dumps(got.received[0][1])

    login_as(person=colleague)
    hall = client.get("/recognition/stars").get_data(as_text=True)
    assert star in hall and "Still a surprise" not in hall


def test_reveal_day_is_the_event_day_else_the_first_of_the_month(db: Session) -> None:
    chart = build_chart(db)
    nomination = stars.nominate(
        db, nominee_id=chart.staff.id, nominator=chart.manager, reason="Kind and quick.", now=NOW
    )
    stars.decide(db, nomination.id, chart.manager, approve=True, month=date(2027, 1, 1), now=NOW)
    db.commit()
    award = reveal.award_of(db, db.scalar(select(Nomination.id)) or 0)
    assert award is not None
    assert reveal.reveal_day(db, award) == date(2027, 1, 1)  # no event planned yet
    assert not reveal.is_revealed(db, award, date(2026, 12, 31))
    assert reveal.is_revealed(db, award, date(2027, 1, 1))
    recognition_event(db, chart.team.id, date(2027, 1, 14))
    db.flush()
    assert reveal.reveal_day(db, award) == date(2027, 1, 14)
    assert reveal.revealed_on(db, date(2027, 1, 14)) == [award]
    assert reveal.revealed_on(db, date(2027, 1, 1)) == []
    assert reveal.is_revealed(db, award, date(2027, 2, 1))  # a past month's star always is
